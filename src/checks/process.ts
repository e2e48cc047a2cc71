/** Checks about how the agent worked: loops, failing edits, length, budget, hallucinated paths. */
import { z } from "zod";
import { samePath } from "../analyze/paths.js";
import type { Step } from "../types/trajectory.js";
import { defineCheck, result, type CheckResult, type RunContext } from "./types.js";

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** Actions compare after trimming; whitespace inside a command is part of it. */
const norm = (s: string) => s.trim();

export const repeatsActions = defineCheck({
  name: "repeats_actions",
  description:
    "The agent loops: the same action several times in a row, or the same action getting the same observation again and again.",
  params: z
    .object({ consecutive: z.number().int().min(2).default(3), same_result: z.number().int().min(2).default(3) })
    .strict(),
  run(f, t, p) {
    // the steps with an action, and their actions trimmed (once)
    const steps: Step[] = [];
    const acts: string[] = [];
    for (const s of t.steps) {
      const a = f.actions[s.index].kind === "none" ? "" : norm(s.action);
      if (!a) continue;
      steps.push(s);
      acts.push(a);
    }
    const evidence: number[] = [];
    let run: number[] = [];
    steps.forEach((s, i) => {
      // moving a window over a file (scrolling) is made to be repeated: each move shows the next part of
      // the file, so several in a row are reading, not looping (they count only by the same-result rule)
      if (f.actions[s.index].paging) run = [];
      else if (run.length && acts[i - 1] === acts[i]) run.push(s.index);
      else run = [s.index];
      if (run.length >= p.consecutive) evidence.push(...run);
    });
    // the same action with the same result: steps grouped by action, then, only for actions that
    // recur, by the start of the observation (most actions are unique: no observation is read).
    // Actions are grouped by length first: hashing every action (some are whole files) costs more.
    const byLength = new Map<number, number[]>();
    acts.forEach((a, i) => {
      const group = byLength.get(a.length);
      if (group) group.push(i);
      else byLength.set(a.length, [i]);
    });
    const recurring: number[][] = [];
    for (const same of byLength.values()) {
      if (same.length < 2) continue;
      const groups: number[][] = [];
      for (const i of same) {
        const g = groups.find((x) => acts[x[0]] === acts[i]);
        if (g) g.push(i);
        else groups.push([i]);
      }
      for (const g of groups) if (g.length >= 2) recurring.push(g);
    }
    // (in the order the actions first occur)
    const byAction = recurring.sort((a, b) => a[0] - b[0]).map((g) => g.map((i) => steps[i]));
    let worst = steps.length ? 1 : 0;
    for (const group of byAction) {
      // (compared, not hashed: a slice is a new string, and hashing it reads all of it)
      const seen: { key: string; idx: number[] }[] = [];
      for (const s of group) {
        const key = norm((s.observation ?? "").slice(0, 2000));
        const same = seen.find((x) => x.key === key);
        if (same) same.idx.push(s.index);
        else seen.push({ key, idx: [s.index] });
      }
      for (const { idx } of seen) {
        if (idx.length >= p.same_result) evidence.push(...idx);
        worst = Math.max(worst, idx.length);
      }
    }
    if (!evidence.length)
      return result(
        false,
        [],
        `no action repeated ${p.consecutive}x in a row or ${p.same_result}x with the same result`,
      );
    return result(
      true,
      evidence,
      `repeated actions: ${new Set(evidence).size} steps in loops (same action and result up to ${worst}x)`,
    );
  },
});

export const failedEditStreak = defineCheck({
  name: "failed_edit_streak",
  description:
    "Several edit attempts in a row fail (rejected by the linter, no match for the text to replace, patch not applicable, an edit script that crashed or found nothing to change).",
  params: z.object({ min: z.number().int().min(2).default(3) }).strict(),
  run(f, _t, p) {
    // the edit scripts that failed (`python fix.py` crashing): writing one again is the next try, not a success
    const failedScripts = new Set<string>();
    for (const s of f.steps) if (s.failedEdit && s.script) failedScripts.add(baseName(s.script));
    let streak: number[] = [];
    let best: number[] = [];
    for (const s of f.steps) {
      if (s.failedEdit) streak.push(s.index);
      else if (
        (s.kind === "edit" || s.kind === "create") &&
        !(s.written.length && s.written.every((w) => failedScripts.has(baseName(w))))
      )
        streak = [];
      if (streak.length > best.length) best = [...streak];
    }
    if (best.length < p.min)
      return result(false, best, best.length ? `longest streak of failed edits: ${best.length}` : "no failed edits");
    return result(true, best, `${best.length} edit attempts in a row failed`);
  },
});

const ExcessiveParams = z
  .object({
    max_steps: z.number().int().positive().default(100),
    factor: z.number().positive().default(2),
    min_run_size: z.number().int().positive().default(5),
  })
  .strict();

/** `excessive_steps` from a step count and the run it belongs to: it needs nothing else (so it can be decided again once the run is known). */
export function excessiveVerdict(
  n: number,
  run: string | null,
  p: z.infer<typeof ExcessiveParams>,
  ctx: RunContext,
): CheckResult {
  const size = run ? ctx.runSize?.get(run) : undefined;
  const median = run && (size === undefined || size >= p.min_run_size) ? ctx.medianSteps?.get(run) : undefined;
  if (median !== undefined) {
    const limit = Math.max(median * p.factor, 10);
    return result(
      n > limit,
      [],
      `${n} steps; the run's median is ${median} (limit ${p.factor}x = ${limit.toFixed(0)})`,
    );
  }
  return result(n > p.max_steps, [], `${n} steps (limit ${p.max_steps})`);
}

export const excessiveSteps = defineCheck({
  name: "excessive_steps",
  description:
    "The trajectory takes many more steps than usual: more than `factor` times the median of its run (when the run is known), else more than `max_steps`.",
  params: ExcessiveParams,
  run: (f, t, p, ctx) => excessiveVerdict(t.steps.length, t.source.run, p, ctx),
});

const LIMIT = new Set(["cost_limit", "context_limit", "time_limit", "step_limit", "gave_up", "format_error"]);

export const budgetExhausted = defineCheck({
  name: "budget_exhausted",
  description:
    "The run ended by hitting a cost, context, time or step limit, by repeated format errors, or by giving up.",
  params: z.object({}).strict(),
  run(f, t) {
    const last = t.steps.length ? [t.steps.length - 1] : [];
    if (LIMIT.has(f.exit)) return result(true, last, `exit status '${t.exit_status}' (${f.exit.replace("_", " ")})`);
    if (f.exit === "unknown" && !t.exit_status) return result(null, [], "no exit status recorded");
    return result(false, [], `exit status '${t.exit_status}'`);
  },
});

/** `xargs: NAME: No such file or directory` (also env, sudo, nohup, timeout...): a program launcher not finding NAME. */
function launched(obs: string, name: string): boolean {
  // (what the pattern needs, looked up first: most missing paths are not programs)
  if (!obs.includes(`${name}: No such file or directory`) && !obs.includes(`${name}': No such file or directory`))
    return false;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `(?:^|\\n)\\S*\\b(?:xargs|env|sudo|nohup|timeout|exec|nice|stdbuf): '?${esc}'?: No such file or directory`,
  ).test(obs);
}

export const hallucinatedPaths = defineCheck({
  name: "hallucinated_paths",
  description:
    "The agent acts on files or folders that do not exist (the observation says 'No such file or directory', 'not found', 'does not exist').",
  params: z.object({ min: z.number().int().min(1).default(1) }).strict(),
  run(f, t, p) {
    const hits = f.steps.filter((s) => {
      if (!s.observed.missing.length || s.kind === "navigate") return false;
      const touched = [...s.read, ...s.written, ...s.deleted];
      const action = t.steps[s.index].action;
      const obs = t.steps[s.index].observation ?? "";
      // path-like words of the command line (not a heredoc body), for missing paths the tool reports
      // resolved (`python ../x.py` -> `can't open file '/testbed/../x.py'`)
      const words = action
        .split("\n")[0]
        .split(/\s+/)
        .map((w) => w.replace(/^["'(]+|["'),;]+$/g, "").replace(/^\.\//, ""))
        .filter((w) => /[./]/.test(w) && w !== "." && w !== "..");
      return s.observed.missing.some((raw) => {
        const m = raw.replace(/^\.\//, "");
        // `xargs: curl: No such file or directory` is a missing program, not a path (`./gradlew` is a path)
        if (!raw.includes("/") && (s.commands.includes(raw) || launched(obs, raw))) return false;
        // the agent named the path, in its arguments or in the action text; a missing path only the
        // program's own output mentions (a build's Makefile, grep over /proc, a test fixture) is not the agent's
        return (
          touched.some((x) => samePath(x, m) || raw.endsWith(x)) ||
          action.includes(m) ||
          words.some((w) => raw.endsWith("/" + w))
        );
      });
    });
    const paths = [...new Set(hits.flatMap((s) => s.observed.missing))].slice(0, 5);
    if (hits.length < p.min)
      return result(
        false,
        hits.map((s) => s.index),
        hits.length ? `1 action on a missing path (${paths.join(", ")})` : "no actions on missing paths",
      );
    return result(
      true,
      hits.map((s) => s.index),
      `${hits.length} actions on missing paths: ${paths.join(", ")}`,
    );
  },
});
