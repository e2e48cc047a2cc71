/** Checks about how the agent worked: loops, failing edits, length, budget, hallucinated paths. */
import { z } from "zod";
import { samePath } from "../analyze/paths.js";
import { isTestFile, type Facts } from "../analyze/facts.js";
import type { Trajectory } from "../types/trajectory.js";
import { defineCheck, result, type CheckResult, type RunContext } from "./types.js";

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** Kinds of steps that are not actions a loop repeats: thoughts, hand-offs between roles, the run's end. */
const NOT_ACTING = new Set(["none", "think", "handoff", "submit", "exit"]);
/** Errors an observation can report (retrying what failed without changing anything is looping, whatever was read in between). */
const ERRORS = new Set([
  "format_error",
  "edit_rejected",
  "timeout",
  "traceback",
  "syntax_error",
  "command_not_found",
  "nonzero_exit",
]);

/** Text with its whitespace collapsed, and only its head and tail when long (what two results are compared on). */
function squeeze(text: string, max = 2000): string {
  const t = text.length > 4 * max ? text.slice(0, 2 * max) + text.slice(-2 * max) : text;
  const c = t.replace(/\s+/g, " ").trim();
  return c.length > max ? c.slice(0, max / 2) + c.slice(-max / 2) : c;
}

/** Whether two texts are the same but for one small change: their common head and tail cover `min` of the longer. */
function nearly(a: string, b: string, min = 0.9): boolean {
  if (a === b) return true;
  const n = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < n * min) return false;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return head + tail >= n * min;
}

/**
 * Whether two results are the same: equal, or for long ones nearly (a timing, an address or the retried
 * edit shown again differs); in a short result one changed character is the news (`1 != 3`, `2 != 3`).
 */
function sameResult(a: string, b: string): boolean {
  return a === b || (Math.max(a.length, b.length) >= 200 && nearly(a, b));
}

export const repeatsActions = defineCheck({
  name: "repeats_actions",
  present: "loops",
  description:
    "The agent loops: the same action several times in a row, or the same action (or a near-identical retry getting the same error) with the same result again and again within a window of steps, with no new change to the files in between.",
  params: z
    .object({
      consecutive: z.number().int().min(2).default(3),
      same_result: z.number().int().min(2).default(3),
      window: z.number().int().min(2).default(10),
    })
    .strict(),
  run(f, t, p) {
    // the actions (not thoughts or hand-offs), trimmed (whitespace inside a command is part of it: an edit
    // that only re-indents is another edit); of a response the scaffold refused for its format, only the
    // action its error answers (the same malformed call refused again and again is a loop)
    const at: number[] = [];
    const acts: string[] = [];
    for (const s of t.steps) {
      const sf = f.steps[s.index];
      if (!sf.executed && s.observation === null) continue;
      if (NOT_ACTING.has(f.actions[s.index].kind) || NOT_ACTING.has(sf.kind)) continue;
      const a = s.action.trim();
      // (`cd ..` moves up a folder each time: made to be repeated, like scrolling, and its result is always empty)
      if (!a || UP.test(a)) continue;
      at.push(s.index);
      acts.push(a);
    }
    // and with their whitespace collapsed, for near-identical retries (made when first compared)
    const squeezed = new Map<number, string>();
    const near = (k: number) => {
      let a = squeezed.get(k);
      if (a === undefined) squeezed.set(k, (a = squeeze(acts[k], 4000)));
      return a;
    };
    const evidence: number[] = [];
    // the same action in a row, whatever it got (moving a window over a file is made to be repeated:
    // each move shows the next part of the file, so scrolling counts only by the same-result rule; an
    // action refused for its format did not run, and is naturally sent again)
    let run: number[] = [];
    at.forEach((i, k) => {
      if (f.actions[i].paging || !f.steps[i].executed) run = [];
      else if (run.length && acts[k - 1] === acts[k]) run.push(i);
      else run = [i];
      if (run.length >= p.consecutive) evidence.push(...run);
    });
    // results, read only for actions that recur in a window (most do not)
    const results = new Map<number, string>();
    const resultOf = (k: number) => {
      let r = results.get(k);
      if (r === undefined) results.set(k, (r = squeeze(t.steps[at[k]].observation ?? "")));
      return r;
    };
    const failed = (k: number) => {
      const s = f.steps[at[k]];
      return s.failedEdit || s.observed.marks.some((m) => ERRORS.has(m));
    };
    // a retry: an edit that failed, or a response refused for its format (a near-identical one that
    // gets the same error is the same attempt again; near-identical commands are often meant to differ)
    const retry = (k: number) => f.steps[at[k]].failedEdit || !f.steps[at[k]].executed;
    // progress between two actions: a new change to the files (a write no earlier write in the window
    // made, nor nearly made) or, for an action that worked, anything new that worked (reading another
    // file between two readings of one is consulting it, not looping; retrying what failed without
    // changing anything is looping whatever was read in between)
    const writes = at.map((i) => !f.steps[i].failedEdit && WRITES.has(f.steps[i].kind));
    // (raw lengths far apart cannot be near-identical: most pairs are told apart without collapsing whitespace)
    const close = (j: number, k: number) =>
      Math.abs(acts[j].length - acts[k].length) <= 0.5 * Math.max(acts[j].length, acts[k].length) &&
      nearly(near(j), near(k));
    // (an action that worked is compared exactly: `cat src/a.py` and `cat src/b.py` are two readings)
    const similar = (j: number, k: number) => acts[j] === acts[k] || (retry(j) && retry(k) && close(j, k));
    // running counts up to each action: new changes, and new actions that worked
    const changes: number[] = [];
    const news: number[] = [];
    for (let k = 0; k < acts.length; k++) {
      let change = writes[k];
      let novel = !failed(k);
      for (let j = k - 1; (change || novel) && j >= 0 && j >= k - p.window; j--) {
        if (!similar(j, k)) continue;
        novel = false;
        if (writes[j]) change = false;
      }
      changes.push((k ? changes[k - 1] : 0) + (change ? 1 : 0));
      news.push((k ? news[k - 1] : 0) + (change || novel ? 1 : 0));
    }
    const progress = (j: number, k: number) => changes[k - 1] !== changes[j] || (!failed(k) && news[k - 1] !== news[j]);
    // `prev[k]`: the action k repeats (the same action, or a near-identical retry with the same error,
    // getting the same result) within the window without progress; `chain[k]`: how many in a row
    const prev: number[] = [];
    const chain: number[] = [];
    for (let k = 0; k < acts.length; k++) {
      let same = -1;
      for (let j = k - 1; j >= 0 && j >= k - p.window && !progress(j, k); j--) {
        const exact = acts[j] === acts[k];
        if (!exact && !(retry(j) && retry(k) && close(j, k))) continue;
        if (sameResult(resultOf(j), resultOf(k))) {
          same = j;
          break;
        }
      }
      prev.push(same);
      chain.push(same < 0 ? 1 : chain[same] + 1);
    }
    let worst = acts.length ? 1 : 0;
    const repeated = new Set(prev);
    for (let k = acts.length - 1; k >= 0; k--) {
      if (chain[k] < p.same_result || repeated.has(k)) continue;
      worst = Math.max(worst, chain[k]);
      for (let j = k; j >= 0; j = prev[j]) evidence.push(at[j]);
    }
    if (!evidence.length)
      return result(
        false,
        [],
        `no action repeated ${p.consecutive}x in a row or ${p.same_result}x with the same result without progress`,
      );
    return result(
      true,
      evidence,
      `repeated actions: ${new Set(evidence).size} steps in loops (same action and result up to ${worst}x)`,
    );
  },
});

/** `cd ..`, `cd ../..`. */
const UP = /^cd\s+\.\.(?:\/\.\.)*\/?$/;

/** Step kinds that change files. */
const WRITES = new Set(["edit", "create", "delete", "revert"]);

export const failedEditStreak = defineCheck({
  name: "failed_edit_streak",
  present: "failed edits in a row",
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

/**
 * The number of steps `excessive_steps` counts: a response the scaffold refused for its format is one
 * step however many actions it held (one turn of the model, and none of its actions ran).
 */
export function stepCount(f: Facts, t: Trajectory): number {
  let n = t.steps.length;
  for (let i = 1; i < t.steps.length; i++)
    if (t.steps[i].message_index === t.steps[i - 1].message_index && !f.steps[i].executed && !f.steps[i - 1].executed)
      n--;
  return n;
}

export const excessiveSteps = defineCheck({
  name: "excessive_steps",
  present: "too many steps",
  description:
    "The trajectory takes many more steps than usual: more than `factor` times the median of its run (when the run is known), else more than `max_steps` (a response refused for its format counts once).",
  params: ExcessiveParams,
  run: (f, t, p, ctx) => excessiveVerdict(stepCount(f, t), t.source.run, p, ctx),
});

const LIMIT = new Set<string>(["cost_limit", "context_limit", "time_limit", "step_limit", "gave_up", "format_error"]);
const said = (reason: string) => reason.replace("_", " ");

export const budgetExhausted = defineCheck({
  name: "budget_exhausted",
  present: "out of budget or gave up",
  description:
    "The run ended by hitting a cost, context, time or step limit, by repeated format errors, or by giving up: read from the exit status and from the trajectory itself (the scaffold's exit step, a last command that timed out, a run that stopped on failed edits or before submitting, a submission of nothing but scratch files with a closing message that gives up).",
  params: z.object({}).strict(),
  run(f, t) {
    const n = t.steps.length;
    const last = n ? [n - 1] : [];
    if (LIMIT.has(f.exit)) return result(true, last, `exit status '${t.exit_status}' (${said(f.exit)})`);
    // the scaffold's own exit step (SWE-agent's `exit_cost`), whatever the status says
    const exit = f.actions.findIndex((a) => a.kind === "exit" && a.reason !== undefined && LIMIT.has(a.reason));
    if (exit >= 0) return result(true, [exit], `step ${exit} ends the run (${said(f.actions[exit].reason!)})`);
    const status = t.exit_status ? `exit status '${t.exit_status}'` : "no exit status";
    // (a run without an exit status submitted when a step did)
    const submitted = f.exit === "submitted" || (f.exit === "unknown" && f.steps.some((s) => s.kind === "submit"));
    if (!submitted) {
      if (n && f.steps[n - 1].observed.marks.includes("timeout"))
        return result(true, last, `${status}: the run ended on a command that timed out (time limit)`);
      const failed = failedTail(f);
      if (failed.length >= 2)
        return result(true, failed, `${status}: the run ended on ${failed.length} failed edit attempts in a row`);
      if (f.exit === "unknown") return result(true, last, "no exit status and nothing submitted: the run stopped");
      return result(false, [], status);
    }
    if (gaveUp(f)) return result(true, last, `${status}, but the patch changes no source file and the agent gave up`);
    return result(false, [], status);
  },
});

/** The failed edit attempts the run ended on (steps without an action after them aside). */
function failedTail(f: Facts): number[] {
  const out: number[] = [];
  for (let i = f.steps.length - 1; i >= 0; i--) {
    const s = f.steps[i];
    if (s.failedEdit) out.unshift(i);
    else if (s.kind !== "think" && s.kind !== "other") break;
  }
  return out;
}

/** A closing message that says the agent cannot go on. */
const GIVES_UP = new RegExp(
  [
    String.raw`\b(?:can ?not|can't|could ?n[o']t|unable to|not able to|not (?:be )?(?:possible|feasible|practical))\b[^.!?\n]{0,60}?\b(?:proceed|continue|implement|apply|make|modify|edit|complete|fix|resolve|access|perform|execute|run|test|locate|find|address)`,
    String.raw`\bconclud(?:e|ed|ing) (?:this|the|our|my) (?:session|attempt|investigation|task|work|exploration)`,
    String.raw`\b(?:limitations?|constraints?) (?:of|in|within) (?:directly\b|(?:this|the|our) (?:current )?(?:environment|interface|session|simulation|setup))`,
    String.raw`\bgiv(?:e|ing) up\b|\bunactionable\b|\brefrain from\b`,
  ].join("|"),
  "i",
);

/** A closing message that says the issue is fixed. */
const CLAIMS_FIX =
  /\b(?:issue|bug|problem|fix|changes?)\b[^.!?\n]{0,40}?\b(?:is|has been|have been|was|were|seems? to be|appears? to be)\s+(?:now\s+)?(?:successfully\s+)?(?:fixed|resolved|addressed|solved|implemented|complete|working|verified)\b|\b(?:we|I)(?: have|'ve)\s+(?:successfully\s+)?(?:fixed|resolved|solved|implemented)\b|\bconfident in (?:my|the|our) (?:solution|fix)\b/i;

/**
 * Whether a submitted run gave up: its patch changes no file of the repository (it holds only files the
 * agent made for itself: a reproduction script, notes, a test of its own), and its closing message says it cannot go on (and
 * not that it fixed the issue). A patch of the wrong file submitted as the fix is a wrong fix, not
 * giving up; an empty submission without a word is for `empty_patch`.
 */
function gaveUp(f: Facts): boolean {
  const scratch = (p: string) => [...f.scratch].some((s) => samePath(s, p));
  // a change to a file of the repository, even a test file, is an attempt at the fix (the agent may believe
  // the test was what to change); the agent's own new files are not
  if (f.patch.files.some((p) => !scratch(p.path) && (!isTestFile(p.path) || !p.isNew))) return false;
  const closing = (f.finalMessage ?? "").slice(-2000);
  return GIVES_UP.test(closing) && !CLAIMS_FIX.test(closing);
}

/**
 * The paths a step read without being told they are missing, before any step of the agent wrote them:
 * files of the repository as it was (a file the agent made later did not exist when it was first named).
 */
function repoPaths(f: Facts): Set<string> {
  const written = new Set<string>();
  const out = new Set<string>();
  for (const s of f.steps) {
    if (!s.observed.missing.length) for (const p of s.read) if (!written.has(p)) out.add(p);
    for (const p of s.written) written.add(p);
  }
  return out;
}

/** Whether `text` names `path` as a word of its own (not inside a longer word or path). */
function namedIn(text: string, path: string): boolean {
  for (let i = text.indexOf(path); i >= 0; i = text.indexOf(path, i + 1)) {
    const before = i ? text[i - 1] : " ";
    const after = text[i + path.length] ?? " ";
    if (/[\s'"=(`/]/.test(before) && /[\s'"),;:`]/.test(after)) return true;
  }
  return false;
}

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
  present: "acts on missing files",
  description:
    "The agent acts on files or folders that do not exist (the observation says 'No such file or directory', 'not found', 'does not exist').",
  params: z.object({ min: z.number().int().min(1).default(1) }).strict(),
  run(f, t, p) {
    const existing = repoPaths(f);
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
        // a path the run shows is in the repository (another step read it, or a file in it) was there: the tool
        // did not take it as given (AutoCodeRover's search refuses `./sympy/core/x.py`, a folder given as a file)
        const bare = m.replace(/\/+$/, "");
        if (existing.has(bare) || [...existing].some((x) => x.startsWith(bare + "/"))) return false;
        // `xargs: curl: No such file or directory` is a missing program, not a path (`./gradlew` is a path)
        if (!raw.includes("/") && (s.commands.includes(raw) || launched(obs, raw))) return false;
        // the agent named the path, in its arguments or in the action text; a missing path only the
        // program's own output mentions (a build's Makefile, grep over /proc, a test fixture) is not the agent's
        if (touched.some((x) => samePath(x, m) || raw.endsWith(x)) || words.some((w) => raw.endsWith("/" + w)))
          return true;
        // named in the action text as a word of its own (`open $Gson$Types.java`, expanded by the shell to a
        // missing `.java`, named a file that exists); not a path a program the agent wrote reports it did not
        // find (`FileNotFoundError: ... '/tmp/does_not_exist'`: the program's own doing, often its test)
        return namedIn(action, m) && !obs.includes(`No such file or directory: '${raw}'`);
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
