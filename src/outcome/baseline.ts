/**
 * The first outcome model's 85 features (rubricate 0.1), kept unchanged as the
 * baseline `rubricate train` compares the current model with, and so that model
 * files trained on them still load. Computed only from what the agent did and
 * saw; no source identity and no label.
 */
import type { StepKind } from "../analyze/classify.js";
import type { ExitFamily, Facts } from "../analyze/facts.js";
import { CHECKS } from "../checks/index.js";
import { passed } from "../analyze/runs.js";
import type { Trajectory } from "../types/trajectory.js";

const KINDS: StepKind[] = [
  "view",
  "search",
  "navigate",
  "edit",
  "create",
  "delete",
  "test",
  "run",
  "git",
  "revert",
  "install",
  "env",
  "submit",
  "plan",
  "think",
  "exit",
  "other",
];
const EXITS: ExitFamily[] = [
  "submitted",
  "cost_limit",
  "context_limit",
  "time_limit",
  "step_limit",
  "format_error",
  "gave_up",
  "error",
  "unknown",
];
const MARKS = [
  "traceback",
  "syntax_error",
  "command_not_found",
  "timeout",
  "format_error",
  "edit_rejected",
  "missing_path",
  "nonzero_exit",
] as const;

/** Feature names, in the order `baselineFeatures()` returns values. */
export const BASELINE_FEATURE_NAMES: string[] = [
  "log_steps",
  ...KINDS.map((k) => `share_${k}`),
  ...[...CHECKS.keys()].flatMap((c) => [`check_${c}`, `check_${c}_na`]),
  "log_test_runs",
  "any_test_passed",
  "tests_after_last_edit",
  "last_test_passed",
  "last_test_failed",
  "test_pass_share",
  "log_script_runs",
  "script_after_last_edit",
  "last_script_clean",
  "repro_output_changed",
  ...MARKS.map((m) => `share_${m}`),
  "has_patch",
  "log_patch_files",
  "log_patch_hunks",
  "log_lines_added",
  "log_lines_deleted",
  "patch_test_files",
  "patch_new_files",
  "patch_files_per_viewed",
  "log_source_edits",
  "edited_before_viewing_share",
  ...EXITS.map((e) => `exit_${e}`),
];

const log1p = Math.log1p;

/** The feature vector (same order as BASELINE_FEATURE_NAMES). Reads `t` only through `facts` and its steps. */
export function baselineFeatures(t: Trajectory, f: Facts): number[] {
  const n = f.steps.length;
  const out: number[] = [log1p(n)];
  for (const k of KINDS) out.push(n ? f.steps.filter((s) => s.kind === k).length / n : 0);
  for (const def of CHECKS.values()) {
    let v = 0;
    let na = 1;
    try {
      const r = def.run(f, t, def.params.parse({}), {});
      if (r.present !== null) {
        v = r.present ? 1 : 0;
        na = 0;
      }
    } catch {
      /* a failing check contributes "not applicable" */
    }
    out.push(v, na);
  }
  const tests = f.steps.filter((s) => s.kinds.includes("test"));
  const withSummary = tests.filter((s) => s.observed.tests);
  const after = f.lastSourceEdit ?? -1;
  const testsAfter = tests.filter((s) => s.index > after);
  const lastTest = (testsAfter.length ? testsAfter : tests).at(-1);
  out.push(
    log1p(tests.length),
    withSummary.some((s) => s.observed.tests!.ok) ? 1 : 0,
    testsAfter.length ? 1 : 0,
    lastTest && passed(lastTest) ? 1 : 0,
    lastTest && !passed(lastTest) ? 1 : 0,
    tests.length ? tests.filter(passed).length / tests.length : 0,
  );
  const scripts = f.steps.filter((s) => s.kinds.includes("run") && s.script !== null);
  const scriptsAfter = scripts.filter((s) => s.index > after);
  out.push(
    log1p(scripts.length),
    scriptsAfter.length ? 1 : 0,
    scriptsAfter.length && passed(scriptsAfter.at(-1)!) ? 1 : 0,
    reproChanged(t, f),
  );
  for (const m of MARKS) out.push(n ? f.steps.filter((s) => s.observed.marks.includes(m)).length / n : 0);
  const p = f.patch;
  out.push(
    p.files.length ? 1 : 0,
    log1p(p.files.length),
    log1p(p.hunks),
    log1p(p.added),
    log1p(p.deleted),
    p.files.filter((x) => x.isTest).length,
    p.files.filter((x) => x.isNew).length,
    p.files.length / Math.max(1, f.viewed.size),
    log1p(f.sourceEdits.length),
    editedBeforeViewing(f),
  );
  for (const e of EXITS) out.push(f.exit === e ? 1 : 0);
  return out;
}

/** 1 when the same script was run before the first and after the last source edit with different output. */
function reproChanged(t: Trajectory, f: Facts): number {
  if (f.firstSourceEdit === null || f.lastSourceEdit === null) return 0;
  const runs = f.steps.filter((s) => s.kinds.includes("run") && s.script !== null);
  for (const b of runs.filter((s) => s.index < f.firstSourceEdit!)) {
    const a = runs
      .filter((s) => s.index > f.lastSourceEdit! && t.steps[s.index].action.trim() === t.steps[b.index].action.trim())
      .at(-1);
    if (a && (t.steps[a.index].observation ?? "").trim() !== (t.steps[b.index].observation ?? "").trim()) return 1;
  }
  return 0;
}

/** Share of written source files the agent had not read before its first write to them. */
function editedBeforeViewing(f: Facts): number {
  let n = 0;
  let blind = 0;
  for (const [path, steps] of f.written) {
    if (f.scratch.has(path)) continue;
    n++;
    const firstRead = f.steps.find((s) => s.read.includes(path))?.index;
    if (firstRead === undefined || firstRead > steps[0]) blind++;
  }
  return n ? blind / n : 0;
}
