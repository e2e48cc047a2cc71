/**
 * The one builder of synthetic trajectories for tests: turns of an agent (its thought, its tool
 * calls, the observation answering them) made into a canonical trajectory by the same code the
 * adapters use (`makeTrajectory`: steps derived from the messages).
 */
import { makeTrajectory, sha256 } from "../src/scaffolds/build.js";
import { TRAJECTORY_SCHEMA, type FormatName, type Message, type Trajectory } from "../src/types/trajectory.js";

export interface Call {
  tool: string;
  /** the call's arguments (default: none) */
  args?: Record<string, unknown>;
  /** parsed out of message text rather than sent as a tool call */
  synthetic?: boolean;
}

/** One assistant message: its text, its calls (none: a message without an action), and what answered it. */
export interface Turn {
  thought?: string;
  calls?: Call[];
  /** the observation; null: none came. One native call is answered by a tool message, anything else by a user message */
  obs?: string | null;
}

export interface Synth {
  turns: Turn[];
  format?: FormatName;
  run?: string | null;
  exit?: string | null;
  patch?: string | null;
  /** the agent's closing message, after the last turn */
  closing?: string;
  task?: string;
  instance?: string;
  /** distinguishes trajectories with the same turns (their ids) */
  seed?: string;
  system?: string;
}

export function trajectory(o: Synth): Trajectory {
  const task = o.task ?? "Fix the bug.";
  const messages: Message[] = [
    { role: "system", content: o.system ?? "You are a helpful assistant." },
    { role: "user", content: task },
  ];
  o.turns.forEach((turn, i) => {
    const calls = turn.calls ?? [];
    const tool_calls = calls.map((c, k) => ({
      id: `call_${i}_${k}`,
      type: "function" as const,
      function: { name: c.tool, arguments: JSON.stringify(c.args ?? {}) },
      ...(c.synthetic ? { synthetic: true } : {}),
    }));
    messages.push({ role: "assistant", content: turn.thought ?? "", ...(tool_calls.length ? { tool_calls } : {}) });
    if (turn.obs === null || turn.obs === undefined) return;
    if (calls.length === 1 && !calls[0].synthetic)
      messages.push({ role: "tool", tool_call_id: tool_calls[0].id, content: turn.obs });
    else messages.push({ role: "user", content: turn.obs });
  });
  if (o.closing !== undefined) messages.push({ role: "assistant", content: o.closing });
  return makeTrajectory({
    hash: sha256(`synthetic:${o.seed ?? ""}:${JSON.stringify(messages)}`),
    instance_id: o.instance ?? "synthetic__synthetic-1",
    source: {
      format: o.format ?? "mini-swe-agent",
      variant: "test",
      file: "synthetic",
      scaffold: "synthetic",
      model: null,
      run: o.run ?? null,
    },
    task,
    messages,
    patch: o.patch ?? null,
    exit_status: o.exit === undefined ? "Submitted" : o.exit,
  });
}

/** A mini-swe-agent observation: the return code and the output. */
export function miniOut(text = "", code = 0): string {
  return `<returncode>${code}</returncode>\n<output>\n${text}${text && !text.endsWith("\n") ? "\n" : ""}</output>`;
}

/** A turn running a bash command (`command` is the tool's one argument, as the shell adapters write it). */
export function bash(command: string, obs: string | null = miniOut(), thought?: string): Turn {
  return { ...(thought !== undefined ? { thought } : {}), calls: [{ tool: "bash", args: { command } }], obs };
}

/** A turn calling `tool` with the whole command line as its one argument (SWE-agent's text commands). */
export function command(tool: string, command: string, obs: string | null): Turn {
  return { calls: [{ tool, args: { command } }], obs };
}

/** A trajectory with no conversation, for tests about sources and labels. */
export function bare(instance: string | null, source: Partial<Trajectory["source"]> & { file: string }): Trajectory {
  return {
    schema: TRAJECTORY_SCHEMA,
    id: "x",
    instance_id: instance,
    task: null,
    messages: [],
    steps: [],
    patch: null,
    exit_status: null,
    stats: {},
    label: null,
    source: { format: "sweagent-traj", variant: "0.x", scaffold: "SWE-agent", model: null, run: null, ...source },
  };
}
