/**
 * Trajectory-level facts derived from the step analysis and the final patch:
 * which files are source, test or scratch files, where the source edits are,
 * which steps ran tests or scripts, and how the run ended.
 */
import { actionsOf, canRunOf, endingOf } from "../scaffolds/actions.js";
import type { Action, RunEnding } from "../types/action.js";
import type { Trajectory } from "../types/trajectory.js";
import { classifySteps, type StepFacts } from "./classify.js";
import { dataOutput } from "./shellkinds.js";
import { isTestPath, patchStats, type PatchStats } from "./patch.js";
import { outsideRepo, repoPath, samePath } from "./paths.js";

/** How a run ended (the scaffold's exit status read by its folder under `src/scaffolds/`). */
export type ExitFamily = RunEnding;

export interface Facts {
  /** each step's canonical action */
  actions: Action[];
  /** whether the agent had a tool that runs code */
  canRun: boolean;
  steps: StepFacts[];
  patch: PatchStats;
  /** every file any step read */
  viewed: Set<string>;
  /** path -> steps that wrote it */
  written: Map<string, number[]>;
  /** files the agent created for itself (reproduction scripts, debug files) */
  scratch: Set<string>;
  /** steps that edited source (non-test, non-scratch) files */
  sourceEdits: number[];
  /** steps that edited test files or test configuration */
  testEdits: number[];
  firstSourceEdit: number | null;
  lastSourceEdit: number | null;
  /** steps that ran a test command */
  testRuns: number[];
  /** steps that ran a script or inline program (reproductions) */
  scriptRuns: number[];
  exit: ExitFamily;
  /** the last assistant text (the agent's closing message), if any */
  finalMessage: string | null;
  /**
   * the agent's closing words (`closingWords`): what it said in the steps after its last piece of
   * work, null when the run ended on work (an edit, a run, a search) or they hold no words
   */
  closing: string | null;
}

const SCRATCH_NAME =
  /(^|\/)(\w*reproduc\w*|repro\w*|replicat\w*|debug\w*|scratch\w*|tmp\w*|temp\w*|test_(issue|fix|repro|bug|my|simple|quick|edge)\w*|check_\w+|verify\w*|demo\w*|simulate\w*|simple_test\w*|quick_test\w*|minimal\w*|example_issue\w*)\.\w+$/i;
const TEST_CONFIG = /(^|\/)(conftest\.py|pytest\.ini|tox\.ini|setup\.cfg|\.coveragerc|noxfile\.py|jest\.config\.\w+)$/;

export function isTestFile(path: string): boolean {
  return isTestPath(path) || TEST_CONFIG.test(path);
}

/** Whether some path in `written` names the same file as `path`. */
function writtenAs(written: Map<string, number[]>, path: string): boolean {
  for (const w of written.keys()) if (samePath(w, path)) return true;
  return false;
}

export function analyze(t: Trajectory): Facts {
  const actions = actionsOf(t);
  const steps = classifySteps(t, actions);
  const patch = patchStats(t.patch);
  const viewed = new Set<string>();
  const written = new Map<string, number[]>();
  const firstRead = new Map<string, number>();
  const deleted = new Set<string>();
  for (const s of steps) {
    for (const p of s.read) {
      viewed.add(p);
      if (!firstRead.has(p)) firstRead.set(p, s.index);
    }
    for (const p of s.written) {
      const at = written.get(p);
      if (at) at.push(s.index);
      else written.set(p, [s.index]);
    }
    for (const p of s.deleted) deleted.add(p);
  }
  // Patch files no step was seen writing were changed indirectly (a script the agent wrote and ran,
  // `git apply`): attribute them to the editing or running steps whose action names the file.
  for (const pf of patch.files) {
    if (writtenAs(written, pf.path)) continue;
    const base = pf.path.split("/").pop() ?? pf.path;
    const key = base.length >= 6 ? base : pf.path;
    // shell steps only (the scaffolds' edit tools name the files they write); a run that names
    // the file beats the step that wrote the script (`cat > fix.py <<EOF ... EOF` then `python fix.py`)
    const named = steps.filter(
      (s) =>
        s.commands.length > 0 &&
        s.executed &&
        !s.failedEdit &&
        (s.kinds.includes("run") || s.kinds.includes("edit") || s.kinds.includes("create")) &&
        t.steps[s.index].action.includes(key),
    );
    const runs = named.filter((s) => s.kinds.includes("run"));
    const hits = runs.length ? runs : named.filter((s) => s.kinds.includes("edit") || s.kinds.includes("create"));
    if (hits.length) {
      written.set(
        pf.path,
        hits.map((s) => s.index),
      );
      for (const s of hits) s.written.push(pf.path);
    }
  }
  const inPatch = (p: string) => patch.files.some((f) => samePath(f.path, p));
  const newInPatch = (p: string) => patch.files.some((f) => f.isNew && samePath(f.path, p));
  // files the agent ran itself: scripts (`python x.py`, `javac X.java`) and test files it named
  const ran = new Set<string>();
  for (const s of steps) {
    if (s.kinds.includes("run")) for (const p of s.read) ran.add(p);
    if (s.test) for (const x of s.test.targets) ran.add(repoPath(x.split("::")[0]));
  }
  const scratch = new Set<string>();
  for (const [p, at] of written) {
    // read only in the writing step or later: the agent made it (`cat > f <<EOF && python f`)
    const created = !firstRead.has(p) || firstRead.get(p)! >= at[0];
    // a throwaway by its name, or a new file at the repository root that the agent ran
    // or data a run wrote (`test.qdp`, `output.txt`)
    const throwaway = SCRATCH_NAME.test(p) || (!p.includes("/") && ran.has(p)) || dataOutput(p);
    // a path still absolute after the sandbox root was stripped lies outside the checkout
    // (OpenHands scripts in /workspace, files in /tmp)
    if (
      outsideRepo(p) ||
      p.startsWith("/") ||
      (created &&
        (throwaway || deleted.has(p) || (!inPatch(p) && !isTestFile(p))) &&
        !(!throwaway && newInPatch(p) && !isTestFile(p)))
    ) {
      scratch.add(p);
    }
  }
  const sourceEdits: number[] = [];
  const testEdits: number[] = [];
  const testRuns: number[] = [];
  const scriptRuns: number[] = [];
  for (const s of steps) {
    if (s.kinds.includes("test")) testRuns.push(s.index);
    if (s.script !== null && s.kinds.includes("run")) scriptRuns.push(s.index);
    if (s.failedEdit || !s.written.length) continue;
    let test = false;
    let source = false;
    for (const p of s.written) {
      if (scratch.has(p)) continue;
      if (isTestFile(p)) test = true;
      else source = true;
    }
    if (test) testEdits.push(s.index);
    if (source) sourceEdits.push(s.index);
  }
  let finalMessage: string | null = null;
  for (let i = t.messages.length - 1; i >= 0; i--) {
    const m = t.messages[i];
    if (m.role === "assistant" && m.content.trim()) {
      finalMessage = m.content;
      break;
    }
  }
  return {
    actions,
    canRun: canRunOf(t, actions),
    steps,
    patch,
    viewed,
    written,
    scratch,
    sourceEdits,
    testEdits,
    firstSourceEdit: sourceEdits.length ? sourceEdits[0] : null,
    lastSourceEdit: sourceEdits.length ? sourceEdits[sourceEdits.length - 1] : null,
    testRuns,
    scriptRuns,
    exit: endingOf(t),
    finalMessage,
    closing: closingWords(t, actions, steps),
  };
}

/** Actions that do no work: handing in, stopping, thinking, planning, or words without an action. */
const WORDS_ONLY = new Set<Action["kind"]>(["submit", "exit", "think", "plan", "none"]);

/**
 * The agent's closing words: the text of the steps at the end of the run that do no work (a
 * submit, a finish, a thought or a plan, and a shell step that only hands the work in), with the
 * words such steps carry in their arguments (some scaffolds close with `finish(reason=...)`).
 * A run that ended on work (an edit, a run, a search) has only the prose after the last code block
 * of that message, if any: the text before it is about that work (the notes of a search, the patch
 * of an edit), not a closing message.
 */
export function closingWords(t: Trajectory, actions: Action[], steps: StepFacts[]): string | null {
  const parts: string[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const act = actions[i];
    const handsIn = act.kind === "shell" && steps[i].kinds.includes("submit");
    if (!WORDS_ONLY.has(act.kind) && !handsIn) break;
    const step = t.steps[i];
    const said = handsIn ? [] : argumentWords(step.args);
    parts.unshift(...[step.thought, ...said].map((x) => x.trim()).filter((x) => x && !parts.includes(x)));
  }
  if (!parts.length && steps.length) {
    // a run that ended on work: the prose after the last code block of that message, if any (the
    // explanation after a patch written as text: "This patch addresses the issue by ...")
    const text = t.messages[t.steps[steps.length - 1].message_index]?.content ?? "";
    const end = text.lastIndexOf("```");
    const after = end >= 0 && text.indexOf("```") < end ? text.slice(end + 3).trim() : "";
    if (after) parts.push(after);
  }
  if (!parts.length && !steps.length) {
    // a conversation without actions (a chat record): its last assistant text
    for (let i = t.messages.length - 1; i >= 0; i--)
      if (t.messages[i].role === "assistant" && t.messages[i].content.trim()) return t.messages[i].content;
  }
  return parts.length ? parts.join("\n") : null;
}

/** The string arguments of an action that are prose (three words or more), e.g. a finish reason. */
function argumentWords(args: Record<string, unknown> | null): string[] {
  if (!args) return [];
  return Object.values(args).filter((v): v is string => typeof v === "string" && /\S+\s+\S+\s+\S/.test(v));
}
