/**
 * Features of a trajectory for the outcome model, in named groups (so that
 * training can measure what each group adds). Computed only from what the
 * agent did and saw: its steps and their observations, the task text inside
 * the trajectory, the final patch, and how the run ended. No source identity
 * (format, scaffold, model, run, file path) and no label is ever read, and no
 * feature counts a tool only one scaffold has, so the model can carry over to
 * scaffolds it has not seen. The groups, and why each feature is there:
 *
 * - verify: did the agent run tests or its reproduction after its last source
 *   edit, did the last such run pass, did a command that failed before the
 *   edit pass after it, did the last test run after it pass; an agent that saw
 *   its fix work is more often right. (Counts of runs and shares of passing
 *   runs were measured and left out: how much an agent runs depends on its
 *   scaffold, and they made leave-one-scaffold-out worse. So were error marks
 *   in the last steps — tracebacks, syntax errors, failed commands: they added
 *   nothing to CV or LOSO; see docs/outcome-model-training.txt.)
 * - patch: the final patch's shape (files, hunks, lines, source vs test files,
 *   comment-only changes, new files at the repository root, debug prints, the
 *   share of removed lines); gold patches are small, change source code and
 *   often replace lines rather than only add them.
 * - align: does the patch change the files, modules, definitions and
 *   identifiers the task text names, did the agent read the patched files and
 *   a file the task names; a patch elsewhere is seldom the fix.
 * - ending: how the run ended (submitted, a limit, an error, no patch), where
 *   the last edit falls in the run, and whether the closing message (the last
 *   step's text arguments and the last assistant text) claims success or
 *   admits failure.
 * - edits: how the editing went: edit steps, failed or refused edits, files
 *   written but not in the patch, files edited again and again.
 * - effort: how much the agent had to look at and write before and after its
 *   first edit (files viewed, characters of output read and of text written,
 *   steps before and after the first edit, the span of its edits, searching
 *   after editing, editing on after a passing run, searches and searches that
 *   found nothing) and how often its thoughts hesitate ("however", "still",
 *   "wait": in the prose of its last 20 messages, and of its last 5); a lost
 *   agent reads more, hesitates and keeps editing.
 * - task: the task text itself (length, code, a traceback, files named); it
 *   says how hard the task is, the same for every attempt at it.
 */
import type { Facts } from "../analyze/facts.js";
import { isTestFile } from "../analyze/facts.js";
import type { StepFacts } from "../analyze/classify.js";
import { passed, started } from "../analyze/runs.js";
import { claimsSuccess } from "./claim.js";
import type { Trajectory } from "../types/trajectory.js";
import {
  addedDefinitions,
  changedIdentifiers,
  hunkScopes,
  mentions,
  namesFile,
  taskNames,
  trivialLine,
  type TaskNames,
} from "./text.js";

const log1p = Math.log1p;

/** What several groups read, worked out once per trajectory. */
interface Ctx {
  t: Trajectory;
  f: Facts;
  n: number;
  /** steps that ran tests or a script and started */
  runs: StepFacts[];
  /** last source edit, -1 when none */
  last: number;
  task: string;
  names: TaskNames;
  /** patch files that are source code (not tests, not scratch) */
  source: Facts["patch"]["files"];
}

interface Group {
  name: string;
  features: string[];
  compute(c: Ctx): number[];
}

const isRunStep = (s: StepFacts) =>
  (s.kinds.includes("test") || (s.kinds.includes("run") && s.script !== null)) && started(s);
const SOURCE_EXT = /\.(py|pyx|java|kt|scala|js|jsx|ts|tsx|go|rs|c|cc|cpp|h|hpp|rb|php|cs|swift)$/;
const HEDGE = /\b(however|wait|hmm|still|actually|unfortunately|strange|unexpected|seems)\b/gi;
const HEDGE_MESSAGES = 20;
const HEDGE_CHARS = 2000;
const NOTHING_FOUND =
  /could not find|no (?:search )?results|not found|no matches|found 0|did not find|no such|0 matches/i;
const ADMITS =
  /\b(unable to|could not|couldn't|cannot|can't|not able to|unfortunately|still fail\w*|still (?:does|do)n't|did not work|didn't work|not (?:fully )?(?:fixed|resolved)|workaround|gave up|give up)\b/i;

/** The command a step ran, for matching the same run before and after an edit. */
function runKey(c: Ctx, s: StepFacts): string {
  if (s.script && s.script !== "-c") return `script:${s.script}`;
  return c.t.steps[s.index].action.trim().replace(/\s+/g, " ");
}

const GROUPS: Group[] = [
  {
    name: "verify",
    features: [
      "ran_after_edit",
      "last_run_after_edit_passed",
      "last_run_after_edit_failed",
      "fail_to_pass",
      "tests_after_edit_ok",
    ],
    compute(c) {
      const after = c.last >= 0 ? c.runs.filter((s) => s.index > c.last) : [];
      const before = c.last >= 0 ? c.runs.filter((s) => s.index < c.last) : [];
      const lastAfter = after.at(-1);
      // the same command failed before the last edit and passed after it
      const failedBefore = new Set(before.filter((s) => !passed(s)).map((s) => runKey(c, s)));
      const lastTests = after.filter((s) => s.observed.tests).at(-1)?.observed.tests;
      return [
        after.length ? 1 : 0,
        lastAfter && passed(lastAfter) ? 1 : 0,
        lastAfter && !passed(lastAfter) ? 1 : 0,
        after.some((s) => passed(s) && failedBefore.has(runKey(c, s))) ? 1 : 0,
        lastTests?.ok ? 1 : 0,
      ];
    },
  },
  {
    name: "patch",
    features: [
      "has_patch",
      "patch_files_log",
      "patch_source_files",
      "patch_hunks_log",
      "patch_added_log",
      "patch_deleted_log",
      "patch_max_hunk_lines_log",
      "patch_only_tests",
      "patch_no_source_code",
      "patch_trivial_share",
      "patch_tests_added",
      "patch_new_files",
      "patch_root_new_files",
      "patch_debug_prints",
      "patch_deleted_files",
      "patch_removed_share",
    ],
    compute(c) {
      const p = c.f.patch;
      const changed = p.files.flatMap((x) => [...x.addedLines, ...x.removedLines]);
      const testFiles = p.files.filter((x) => isTestFile(x.path));
      const code = p.files.filter((x) => SOURCE_EXT.test(x.path) && !isTestFile(x.path));
      const maxHunk = Math.max(0, ...p.files.map((x) => (x.added + x.deleted) / Math.max(1, x.hunks)));
      return [
        p.files.length ? 1 : 0,
        log1p(p.files.length),
        c.source.length,
        log1p(p.hunks),
        log1p(p.added),
        log1p(p.deleted),
        log1p(maxHunk),
        p.files.length && !c.source.length && testFiles.length ? 1 : 0,
        p.files.length && !code.length ? 1 : 0,
        changed.length ? changed.filter(trivialLine).length / changed.length : 0,
        addedDefinitions(testFiles.flatMap((x) => x.addedLines)).filter((d) => /test/i.test(d)).length ? 1 : 0,
        p.files.filter((x) => x.isNew).length,
        p.files.filter((x) => x.isNew && !x.path.includes("/")).length,
        code.flatMap((x) => x.addedLines).filter((l) => /^\s*(print\(|console\.log\(|System\.out\.print)/.test(l))
          .length
          ? 1
          : 0,
        p.files.filter((x) => x.isDeleted).length ? 1 : 0,
        p.added + p.deleted ? p.deleted / (p.added + p.deleted) : 0,
      ];
    },
  },
  {
    name: "align",
    features: [
      "task_names_patch_file",
      "patch_files_named_share",
      "task_named_files_log",
      "hunk_scope_named",
      "changed_ids_named_share",
      "changed_ids_named_log",
      "patch_files_viewed_share",
      "viewed_named_file",
    ],
    compute(c) {
      const src = c.source.length ? c.source : c.f.patch.files;
      const named = src.filter((x) => namesFile(c.names, x.path));
      const scopes = hunkScopes(c.t.patch);
      const ids = changedIdentifiers(src.flatMap((x) => [...x.addedLines, ...x.removedLines]));
      const hit = [...ids].filter((w) => mentions(c.names, w)).length;
      const seen = [...c.f.viewed];
      const viewed = src.filter((x) =>
        seen.some((v) => v === x.path || v.endsWith("/" + x.path) || x.path.endsWith("/" + v)),
      );
      return [
        named.length ? 1 : 0,
        src.length ? named.length / src.length : 0,
        log1p(c.names.paths.length + c.names.modules.length),
        scopes.length ? scopes.filter((s) => mentions(c.names, s)).length / scopes.length : 0,
        ids.size ? hit / ids.size : 0,
        log1p(hit),
        src.length ? viewed.length / src.length : 0,
        seen.some((v) => namesFile(c.names, v)) ? 1 : 0,
      ];
    },
  },
  {
    name: "ending",
    features: [
      "exit_submitted",
      "exit_limit",
      "exit_error",
      "exit_gave_up",
      "exit_unknown",
      "last_edit_position",
      "steps_after_edit_log",
      "claims_success",
      "admits_failure",
      "steps_log",
    ],
    compute(c) {
      const e = c.f.exit;
      const msg = closingText(c);
      return [
        e === "submitted" ? 1 : 0,
        e === "cost_limit" || e === "context_limit" || e === "time_limit" || e === "step_limit" ? 1 : 0,
        e === "error" || e === "format_error" ? 1 : 0,
        e === "gave_up" ? 1 : 0,
        e === "unknown" ? 1 : 0,
        c.last >= 0 && c.n ? (c.last + 1) / c.n : 0,
        c.last >= 0 ? log1p(c.n - 1 - c.last) : 0,
        claimsSuccess(msg) ? 1 : 0,
        ADMITS.test(msg) ? 1 : 0,
        log1p(c.n),
      ];
    },
  },
  {
    name: "edits",
    features: [
      "source_edits_log",
      "failed_edit_share",
      "edits_per_file",
      "written_not_in_patch",
      "test_edits_log",
      "first_edit_position",
    ],
    compute(c) {
      const edits = c.f.steps.filter((s) => s.kinds.includes("edit") || s.kinds.includes("create"));
      const files = new Set(c.f.sourceEdits.flatMap((i) => c.f.steps[i].written.filter((p) => !c.f.scratch.has(p))));
      const inPatch = (p: string) =>
        c.f.patch.files.some((x) => x.path === p || p.endsWith("/" + x.path) || x.path.endsWith("/" + p));
      return [
        log1p(c.f.sourceEdits.length),
        edits.length ? edits.filter((s) => s.failedEdit).length / edits.length : 0,
        files.size ? c.f.sourceEdits.length / files.size : 0,
        [...files].filter((p) => !inPatch(p) && !isTestFile(p)).length ? 1 : 0,
        log1p(c.f.testEdits.length),
        c.f.firstSourceEdit !== null && c.n ? (c.f.firstSourceEdit + 1) / c.n : 0,
      ];
    },
  },
  {
    name: "effort",
    features: [
      "files_viewed_log",
      "output_chars_log",
      "written_chars_per_step_log",
      "steps_before_edit_log",
      "steps_after_first_edit_log",
      "edit_span_log",
      "search_after_edit_share",
      "edits_after_passing_run",
      "hedges_late",
      "hedges_per_message",
      "searches_log",
      "empty_search_share",
    ],
    compute(c) {
      const first = c.f.firstSourceEdit;
      const said = c.t.messages.filter((m) => m.role === "assistant" && !m.demo);
      const saidChars = said.reduce((s, m) => s + m.content.length, 0);
      // the prose of the last messages: thoughts come before code, and late doubt says most
      const hedges = said.slice(-HEDGE_MESSAGES).map((m) => m.content.slice(0, HEDGE_CHARS).match(HEDGE)?.length ?? 0);
      const allHedges = hedges.reduce((a, b) => a + b, 0);
      const lateHedges = hedges.slice(-5).reduce((a, b) => a + b, 0);
      const afterFirst = first === null ? [] : c.f.steps.filter((s) => s.index > first);
      const okRun = first === null ? undefined : c.runs.find((s) => s.index > first && passed(s));
      const searches = c.f.steps.filter((s) => s.kind === "search");
      const empty = searches.filter((s) =>
        NOTHING_FOUND.test((c.t.steps[s.index].observation ?? "").slice(0, 400)),
      ).length;
      return [
        log1p(c.f.viewed.size),
        log1p(c.t.steps.reduce((s, x) => s + (x.observation?.length ?? 0), 0)),
        log1p(said.length ? saidChars / said.length : 0),
        log1p(first ?? c.n),
        log1p(afterFirst.length),
        first === null ? 0 : log1p(c.last - first),
        afterFirst.length
          ? afterFirst.filter((s) => s.kind === "search" || s.kind === "view").length / afterFirst.length
          : 0,
        okRun ? log1p(c.f.sourceEdits.filter((i) => i > okRun.index).length) : 0,
        log1p(lateHedges),
        hedges.length ? allHedges / hedges.length : 0,
        log1p(searches.length),
        searches.length ? empty / searches.length : 0,
      ];
    },
  },
  {
    name: "task",
    features: ["task_length_log", "task_has_code", "task_has_traceback", "task_identifiers_log"],
    compute(c) {
      return [log1p(c.task.length), c.names.code ? 1 : 0, c.names.traceback ? 1 : 0, log1p(c.names.identifiers.size)];
    },
  },
];

/** Group names, in order. */
export const FEATURE_GROUPS: string[] = GROUPS.map((g) => g.name);

/** Feature names, in the order `features()` returns values. */
export const FEATURE_NAMES: string[] = GROUPS.flatMap((g) => g.features);

/** The group of each feature (same order as FEATURE_NAMES). */
export const FEATURE_GROUP_OF: string[] = GROUPS.flatMap((g) => g.features.map(() => g.name));

const CLOSING_ARGS = ["reason", "message", "finish", "summary", "final_message"];

/**
 * What the agent said last: the text arguments of its last step (Moatless closes with
 * `finish(reason=...)` or a plan whose `message` says it is done, while its last assistant text is
 * often an earlier scratch pad) and the last assistant text (Facts.finalMessage).
 */
export function closingText(c: Pick<Ctx, "t" | "f">): string {
  const args = c.t.steps.at(-1)?.args ?? {};
  const said = CLOSING_ARGS.map((k) => args[k]).filter((v): v is string => typeof v === "string");
  return said.length ? [...said, c.f.finalMessage ?? ""].join("\n") : (c.f.finalMessage ?? "");
}

/** The task text as the agent saw it: the trajectory's task, else its first user message. */
function taskText(t: Trajectory): string {
  return t.task ?? t.messages.find((m) => m.role === "user")?.content ?? "";
}

/** The feature vector (same order as FEATURE_NAMES). */
export function features(t: Trajectory, f: Facts): number[] {
  const task = taskText(t);
  const c: Ctx = {
    t,
    f,
    n: f.steps.length,
    task,
    runs: f.steps.filter(isRunStep),
    last: f.lastSourceEdit ?? -1,
    names: taskNames(task),
    source: f.patch.files.filter((x) => !isTestFile(x.path) && !f.scratch.has(x.path)),
  };
  const out: number[] = [];
  for (const g of GROUPS) {
    const v = g.compute(c);
    if (v.length !== g.features.length)
      throw new Error(`feature group ${g.name}: ${v.length} values for ${g.features.length} names`);
    out.push(...v);
  }
  return out;
}
