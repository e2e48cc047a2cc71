/**
 * Parsers for outcome label files. Each turns one file into label entries:
 * SWE-bench per-instance report.json, evaluation logs (`Result for <id>:
 * resolved: True`), reports of a whole run (harness run summaries and sb-cli
 * reports, experiments / Moatless results.json, SWE-agent final_report.json,
 * AutoCodeRover and OpenHands Markdown reports: see reports.ts), and label
 * tables (JSONL or CSV rows with instance_id + resolved, optionally the
 * trajectory path). JSON is read leniently (trailing commas).
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { IngestError } from "../io/error.js";
import { jsonlLines } from "../io/read.js";
import { parseLabelJson } from "./lenient.js";
import { fromIdLists, fromMarkdown } from "./reports.js";

export interface LabelEntry {
  instance_id: string;
  resolved: boolean;
  origin: string;
  tests?: Record<string, { success: string[]; failure: string[] }>;
  /** absolute path of the trajectory this row names (label tables) */
  path?: string;
  /** run the label belongs to, when the file says (label tables) */
  run?: string;
  /** absolute path of the evaluation file the entry comes from (not set for label-table rows): it labels only its own run */
  file?: string;
  /** the entry comes from a report of a whole run; instance_id "*" is its verdict for ids it does not list */
  wholeRun?: boolean;
}

const NOT_LABELS = "not a label file";

/** True for the error parseLabelFile throws when a readable file holds no labels of a known layout. */
export function isNotLabelFile(e: unknown): boolean {
  return e instanceof IngestError && e.message.startsWith(NOT_LABELS);
}

const RESULT_LINE = /Result for (\S+): resolved: (True|False)/g;

/** Parse a label file of any supported kind; throws IngestError naming the file. */
export async function parseLabelFile(path: string, display = path): Promise<LabelEntry[]> {
  const file = display;
  const name = basename(file);
  if (/\.jsonl$/i.test(name)) {
    const rows: [number, unknown][] = [];
    for await (const item of jsonlLines(path)) {
      if ("error" in item) throw new IngestError(file, item.error.message, item.line);
      rows.push([item.line, parseLabelJson(item.bytes.toString("utf8"), file, item.line)]);
    }
    return fromTable(rows, file);
  }
  const text = await readFile(path, "utf8");
  let entries: LabelEntry[] | null;
  if (/\.log$|\.txt$/i.test(name)) {
    entries = fromLog(text, file);
  } else if (/\.csv$/i.test(name)) {
    return fromTable(csvRows(text, file), file);
  } else if (/\.(md|markdown)$/i.test(name)) {
    entries = fromMarkdown(text, file);
    if (entries === null) {
      throw new IngestError(
        file,
        `${NOT_LABELS} (expected a Markdown report: a heading such as '### Resolved' or '## Resolved Instances' with a list or table of instance ids under it)`,
      );
    }
  } else {
    if (!text.trim()) throw new IngestError(file, "empty file, expected JSON");
    const value = parseLabelJson(text, file);
    if (Array.isArray(value))
      return fromTable(
        value.map((v, i) => [i + 1, v] as [number, unknown]),
        file,
      );
    entries = fromJson(value, file, text);
    if (entries === null) {
      throw new IngestError(
        file,
        `${NOT_LABELS} (expected a SWE-bench report.json, a run report with resolved_ids or a resolved list, or a label table)`,
      );
    }
  }
  const abs = resolve(path);
  for (const e of entries) e.file = abs;
  return entries;
}

/** Interpret a parsed JSON label document (`text` is its source, for line numbers); null when it is no known label layout. */
export function fromJson(value: unknown, file: string, text = ""): LabelEntry[] | null {
  if (Array.isArray(value))
    return fromTable(
      value.map((v, i) => [i + 1, v] as [number, unknown]),
      file,
    );
  if (!value || typeof value !== "object") return null;
  const o = value as Record<string, unknown>;
  // a report of a whole run: resolved_ids / resolved plus the other id lists
  const run = fromIdLists(o, text, file);
  if (run) return run;
  // flat per-instance report: {resolved, tests_status}; instance from the folder name
  if (typeof o.resolved === "boolean") {
    return [report(basename(dirname(file)), o, `${file}#resolved`)];
  }
  // keyed per-instance report(s): {<iid>: {resolved, tests_status}}
  const out: LabelEntry[] = [];
  for (const [iid, v] of Object.entries(o)) {
    if (v && typeof v === "object" && typeof (v as Record<string, unknown>).resolved === "boolean") {
      out.push(report(iid, v as Record<string, unknown>, `${file}#${iid}.resolved`));
    }
  }
  return out.length ? out : null;
}

function report(iid: string, r: Record<string, unknown>, origin: string): LabelEntry {
  const e: LabelEntry = { instance_id: iid, resolved: r.resolved as boolean, origin };
  const ts = r.tests_status;
  if (ts && typeof ts === "object") {
    const tests: Record<string, { success: string[]; failure: string[] }> = {};
    for (const [k, v] of Object.entries(ts as Record<string, unknown>)) {
      const s = v as Record<string, unknown>;
      if (s && Array.isArray(s.success) && Array.isArray(s.failure)) {
        tests[k] = { success: s.success.map(String), failure: s.failure.map(String) };
      }
    }
    if (Object.keys(tests).length) e.tests = tests;
  }
  return e;
}

function fromLog(text: string, file: string): LabelEntry[] {
  const out: LabelEntry[] = [];
  for (const m of text.matchAll(RESULT_LINE))
    out.push({ instance_id: m[1], resolved: m[2] === "True", origin: `${file}#Result for ${m[1]}` });
  return out;
}

const TRUE = new Set(["true", "1", "yes", "resolved"]);
const FALSE = new Set(["false", "0", "no", "unresolved"]);

/** Label table rows: instance_id, resolved (bool/0/1/"true"), optional trajectory|file|path and run. */
function fromTable(rows: [number, unknown][], file: string): LabelEntry[] {
  const out: LabelEntry[] = [];
  const base = dirname(resolve(file));
  for (const [line, row] of rows) {
    if (!row || typeof row !== "object") throw new IngestError(file, "expected an object per row", line);
    const r = row as Record<string, unknown>;
    if (typeof r.instance_id !== "string" || !r.instance_id)
      throw new IngestError(file, "expected a non-empty string", line, "instance_id");
    const raw = "resolved" in r ? r.resolved : r.target;
    if (raw === null || raw === undefined || raw === "") continue; // not evaluated
    const v = String(raw).toLowerCase();
    if (!TRUE.has(v) && !FALSE.has(v))
      throw new IngestError(file, `expected true/false, got ${JSON.stringify(raw)}`, line, "resolved");
    const e: LabelEntry = { instance_id: r.instance_id, resolved: TRUE.has(v), origin: `${file}:${line}` };
    const p = r.trajectory ?? r.file ?? r.path;
    if (typeof p === "string" && p) e.path = resolve(base, p);
    if (typeof r.run === "string" && r.run) e.run = r.run;
    out.push(e);
  }
  return out;
}

function csvRows(text: string, file: string): [number, unknown][] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new IngestError(file, `malformed CSV: ${(e as Error).message}`);
  }
  if (records.length && !("instance_id" in records[0]))
    throw new IngestError(file, "CSV label table needs an instance_id column", 1);
  return records.map((r, i) => [i + 2, r]);
}
