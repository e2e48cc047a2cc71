/**
 * Reports that cover a whole run by listing instance ids: which were resolved,
 * and which failed on the way (no patch, empty patch, patch did not apply,
 * tests errored ...). Two families:
 *
 * - JSON id lists. The SWE-bench harness run summary and sb-cli reports
 *   (`resolved_ids`, `unresolved_ids`, `empty_patch_ids`, `error_ids`,
 *   `completed_ids`, `submitted_ids`, `incomplete_ids`; some copies rename
 *   `resolved_ids` to `resolved`); the older experiments / Moatless
 *   `results.json` / `result.json` (`no_generation`, `generated`, `with_logs`,
 *   `install_fail`, `reset_failed`, `no_apply`, `applied`, `test_errored`,
 *   `test_timeout`, `resolved`); the newer experiments `results.json`
 *   (`no_generation`, `no_logs`, `resolved`); SWE-agent's old
 *   `final_report.json` (`stats`, `resolved`, `resolved_per_project`).
 * - Markdown: a heading per outcome with a list or table of ids under it
 *   (AutoCodeRover's `new_eval_results/README.md`: `### Resolved`,
 *   `### Applied but not resolved`, `### Generated but not applied`;
 *   OpenHands' `README.md` / `output.swebench_eval.md`: `## Resolved Instances`,
 *   `## Unresolved Instances`, `## Error Instances`, `## Empty Patch Instances`,
 *   `## Incomplete Instances`).
 *
 * Meaning: a resolved id is `true`; an id in a failure list, or in a progress
 * list (`generated`, `applied`, `completed_ids` …) but not resolved, is
 * `false`; `incomplete_ids` (never submitted for evaluation) get no label.
 * An id the report does not mention is `false` when the report lists only the
 * resolved and the failed ones (the rest of the run was evaluated and not
 * resolved), and unknown when the report enumerates the whole benchmark (then
 * the id is not part of it). That `false` is the entry with instance_id "*".
 */
import { IngestError } from "../io/error.js";
import type { LabelEntry } from "./parse.js";

/** Lists whose ids were evaluated (or failed before evaluation) and are not resolved. */
const FAILED = [
  "empty_patch_ids",
  "no_generation",
  "no_apply",
  "install_fail",
  "reset_failed",
  "test_errored",
  "test_timeout",
  "error_ids",
  "no_logs",
  "unresolved_ids",
  "unresolved",
];
/** Lists of every id that got this far; members that are not resolved are unresolved. */
const PROGRESS = ["applied", "with_logs", "generated", "completed_ids", "submitted_ids"];
/** Lists of ids that were not evaluated at all. */
const NOT_EVALUATED = ["incomplete_ids"];
/** Lists that only a report enumerating every instance of the benchmark has. */
const ENUMERATES_ALL = [
  "unresolved_ids",
  "unresolved",
  "generated",
  "completed_ids",
  "submitted_ids",
  "incomplete_ids",
];

/** A JSON run report as label entries; null when `o` has no resolved list. Throws IngestError on a malformed list. */
export function fromIdLists(o: Record<string, unknown>, text: string, file: string): LabelEntry[] | null {
  const key = Array.isArray(o.resolved_ids) ? "resolved_ids" : isListOrMap(o.resolved) ? "resolved" : null;
  if (!key) return null;
  const resolved = new Map<string, string>();
  const value = o[key];
  if (Array.isArray(value)) {
    for (const id of idList(value, key, text, file)) resolved.set(id, `${file}#${key}`);
  } else {
    // per-project lists: {"django/django": [...], ...}
    for (const [group, list] of Object.entries(value as Record<string, unknown>)) {
      for (const id of idList(list, `${key}.${group}`, text, file)) resolved.set(id, `${file}#${key}.${group}`);
    }
  }
  const out: LabelEntry[] = [];
  for (const [id, origin] of resolved) out.push({ instance_id: id, resolved: true, origin, wholeRun: true });
  const unresolved = new Map<string, string>();
  for (const k of FAILED) {
    if (!(k in o)) continue;
    for (const id of idList(o[k], k, text, file)) {
      if (resolved.has(id)) {
        throw new IngestError(file, `instance ${id} is listed both in '${key}' and in '${k}'`, lineOfKey(text, k), k);
      }
      if (!unresolved.has(id)) unresolved.set(id, `${file}#${k}`);
    }
  }
  for (const k of PROGRESS) {
    if (!(k in o)) continue;
    for (const id of idList(o[k], k, text, file)) {
      if (!resolved.has(id) && !unresolved.has(id)) unresolved.set(id, `${file}#${k} (not in ${key})`);
    }
  }
  for (const k of NOT_EVALUATED) if (k in o) idList(o[k], k, text, file);
  for (const [id, origin] of unresolved) out.push({ instance_id: id, resolved: false, origin, wholeRun: true });
  if (!ENUMERATES_ALL.some((k) => k in o))
    out.push({ instance_id: "*", resolved: false, origin: `${file}#${key} (not listed)`, wholeRun: true });
  return out;
}

function isListOrMap(v: unknown): boolean {
  if (Array.isArray(v)) return true;
  if (!v || typeof v !== "object") return false;
  const values = Object.values(v as Record<string, unknown>);
  return values.length > 0 && values.every(Array.isArray);
}

const INSTANCE_ID = /^\S+$/;

function idList(v: unknown, field: string, text: string, file: string): string[] {
  const line = () => lineOfKey(text, field.split(".")[0]);
  if (!Array.isArray(v)) throw new IngestError(file, `expected a list of instance ids, got ${kind(v)}`, line(), field);
  v.forEach((x, i) => {
    if (typeof x !== "string" || !INSTANCE_ID.test(x)) {
      throw new IngestError(
        file,
        `item ${i + 1}: expected an instance id (a string without spaces), got ${JSON.stringify(x)}`,
        line(),
        field,
      );
    }
  });
  return v as string[];
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** 1-based line of the first `"key":` in the text (for errors); undefined when not found. */
export function lineOfKey(text: string, key: string): number | undefined {
  const m = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"\\s*:`).exec(text);
  if (!m) return undefined;
  let line = 1;
  for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// Markdown reports

type Outcome = "resolved" | "unresolved" | "not-evaluated";

/** What a heading says about the ids listed under it; null for headings that are not outcomes. */
export function headingOutcome(heading: string): Outcome | null {
  const h = heading.toLowerCase();
  if (/\bincomplete\b|\bnot (?:evaluated|submitted|run)\b|\bunevaluated\b/.test(h)) return "not-evaluated";
  if (
    /\bunresolved\b|\bnot resolved\b|\bpartial(?:ly)?\b|\bempty\b|\berror|\bfail|\bno[ _-]?(?:patch|generation)\b|\bnot (?:generated|applied)\b|\btime[ _-]?out\b/.test(
      h,
    )
  ) {
    return "unresolved";
  }
  if (/\bresolved\b/.test(h)) return "resolved";
  return null;
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const BULLET = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;
const ID_SHAPE = /^[A-Za-z0-9][\w.-]*__[\w.-]+$/;

/** The instance id an item line (`- id`, `- [id](log)`, `| [id](log) | repo | … |`) starts with, or null. */
function itemId(line: string): string | null {
  let cell: string;
  const bullet = BULLET.exec(line);
  if (bullet) cell = bullet[1];
  else if (line.trimStart().startsWith("|")) cell = line.trimStart().slice(1).split("|")[0];
  else return null;
  cell = cell.trim();
  const link = /^\[([^\]]+)\]\([^)]*\)/.exec(cell);
  if (link) cell = link[1];
  const token = (cell.split(/\s+/)[0] ?? "").replace(/^[`*_]+|[`*_]+$/g, "");
  return ID_SHAPE.test(token) ? token : null;
}

/** A Markdown run report as label entries; null when it has no outcome heading with ids (or no Resolved heading). */
export function fromMarkdown(text: string, file: string): LabelEntry[] | null {
  const seen = new Map<string, { outcome: Outcome; heading: string; line: number }>();
  let section: { heading: string; outcome: Outcome | null } | null = null;
  let resolvedHeading: string | null = null;
  let enumeratesAll = false;
  let fenced = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (FENCE.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const h = HEADING.exec(line);
    if (h) {
      const heading = h[2].trim();
      const outcome = headingOutcome(heading);
      section = { heading, outcome };
      if (outcome === "resolved") resolvedHeading ??= heading;
      if (outcome === "not-evaluated") enumeratesAll = true;
      continue;
    }
    if (!section?.outcome) continue;
    const id = itemId(line);
    if (!id) continue;
    const before = seen.get(id);
    if (!before || before.outcome === "not-evaluated") {
      seen.set(id, { outcome: section.outcome, heading: section.heading, line: i + 1 });
    } else if (section.outcome !== "not-evaluated" && before.outcome !== section.outcome) {
      throw new IngestError(
        file,
        `instance ${id} is listed under '${before.heading}' (line ${before.line}) and under '${section.heading}'`,
        i + 1,
      );
    }
  }
  if (!resolvedHeading) return null;
  const out: LabelEntry[] = [];
  for (const [id, s] of seen) {
    if (s.outcome === "not-evaluated") continue;
    out.push({ instance_id: id, resolved: s.outcome === "resolved", origin: `${file}#${s.heading}`, wholeRun: true });
  }
  if (!enumeratesAll)
    out.push({ instance_id: "*", resolved: false, origin: `${file}#${resolvedHeading} (not listed)`, wholeRun: true });
  return out;
}
