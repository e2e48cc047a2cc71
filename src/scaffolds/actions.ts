/**
 * A trajectory's canonical actions, how its run ended and whether its agent could run code, from
 * the scaffold that wrote it: set once at ingest (`canonicalize`); worked out again only for a
 * trajectory built elsewhere (a library user's, an RL rollout) that lacks them (`actionsOf`).
 */
import type { Action, RunEnding } from "../types/action.js";
import type { Step, Trajectory } from "../types/trajectory.js";
import { endingFromWords } from "./common/ending.js";
import { FOOTERS, OWN_TOOLS, VOCABULARY, lookup, scaffoldOf } from "./registry.js";
import type { Scaffold, ShellState, ToolContext } from "./types.js";

/** The canonical action of one step: the scaffold's own tools first, then every scaffold's. */
function actionOf(s: Step, ctx: ToolContext, own: Scaffold | undefined): Action {
  if (s.tool === "none") return { kind: "none" };
  const mapper = (own && lookup(OWN_TOOLS.get(own)!, s.tool)) ?? lookup(VOCABULARY, s.tool);
  if (mapper) return mapper(s, ctx);
  // a tool nobody declares whose arguments are a command line rather than JSON
  if (s.args === null && /\s/.test(s.action)) return { kind: "shell" };
  return { kind: "other" };
}

/** The actions of every step of `t`, with the state the scaffold printed after each. */
export function actionsOf(t: Trajectory): Action[] {
  if (t.steps.every((s) => s.act)) return t.steps.map((s) => s.act!);
  const own = scaffoldOf(t.source.format);
  const footers = own?.footer ? [own.footer] : FOOTERS;
  return t.steps.map((s, index) => {
    const act = actionOf(s, { steps: t.steps, index }, own);
    // the acting agent of a multi-agent scaffold is named on its messages
    const role = t.messages[s.message_index]?.name;
    if (role) act.role = role;
    if (act.kind === "shell" && own?.shell) {
      if (own.shell.fresh) act.fresh = true;
      if (own.shell.checked) act.checked = true;
    }
    if (s.observation_index !== null) {
      const after = footerOf(t.messages[s.observation_index].content, footers);
      if (after) act.after = after;
    }
    return act;
  });
}

function footerOf(message: string, footers: readonly ((m: string) => ShellState | null)[]): ShellState | null {
  for (const f of footers) {
    const st = f(message);
    if (st) return st;
  }
  return null;
}

/** How the run of `t` ended, from its exit status as its scaffold words it. */
export function endingOf(t: Trajectory): RunEnding {
  if (t.ending) return t.ending;
  if (!t.exit_status) return "unknown";
  return scaffoldOf(t.source.format)?.ending?.(t.exit_status) ?? endingFromWords(t.exit_status);
}

/** Whether the agent of `t` had a tool that runs code: its scaffold says, else whether any step ran a shell or a program. */
export function canRunOf(t: Trajectory, acts: readonly Action[] = actionsOf(t)): boolean {
  if (t.can_run !== undefined) return t.can_run;
  return scaffoldOf(t.source.format)?.canRun ?? acts.some((a) => a.kind === "shell" || a.kind === "code");
}

/** Set the canonical actions, the ending and `can_run` on a trajectory just read (in place). */
export function canonicalize(t: Trajectory): Trajectory {
  const acts = actionsOf(t);
  t.steps.forEach((s, i) => {
    s.act = acts[i];
  });
  t.ending = endingOf(t);
  t.can_run = canRunOf(t, acts);
  return t;
}
