/**
 * Scoring one rollout held in memory (an RL trainer's sample, a library user's conversation):
 * the rollout becomes a canonical trajectory through the same adapters that read files (OpenAI
 * messages through the chat-dataset adapter, so text actions such as fenced bash blocks become
 * calls exactly as they do at ingest; a trajectory file's JSON through the adapter of its format),
 * then it is scored like any other trajectory. Nothing is ever read from disk: an adapter that
 * would look beside its file finds nothing.
 */
import { createHash } from "node:crypto";
import { IngestError } from "../io/error.js";
import type { Rubric } from "../rubric/schema.js";
import { canonicalize } from "../scaffolds/actions.js";
import { chatRecordAdapter } from "../scaffolds/datasets/adapter.js";
import { miniSweAgentAdapter } from "../scaffolds/mini-swe-agent/adapter.js";
import { JSON_ADAPTERS, RECORD_ADAPTERS, SESSION_ADAPTERS, formatsTried } from "../scaffolds/registry.js";
import type { AdapterContext } from "../scaffolds/types.js";
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { scoreTrajectory, type ScoreOptions } from "./score.js";

/**
 * One rollout: either `messages` (OpenAI chat messages, with `tool_calls` or with actions written
 * as text) or `trajectory` (the parsed JSON of anything rubricate ingests: a SWE-agent `.traj`, a
 * mini-swe-agent `.traj.json`, an OpenHands output line, a dataset row, a canonical trajectory, or
 * the list of lines of a session log). The other fields override what the input itself says.
 */
export interface Rollout {
  messages?: unknown[];
  trajectory?: unknown;
  /** the agent's final patch (a unified diff) */
  patch?: string | null;
  /** the task as the agent was given it (default: read from the first user message) */
  task?: string | null;
  instance_id?: string | null;
  /** the tool schemas offered to the agent */
  tools?: unknown[];
  /** how the run ended, in its scaffold's words (`submitted`, `exit_cost`, ...) */
  exit_status?: string | null;
  /** the test outcome, when the caller knows it: read only by the terminal reward modes, never by a decider */
  resolved?: boolean | null;
  /**
   * the scaffold whose conventions `messages` follow, when they differ from the chat datasets'
   * (where a text action is the last fenced block of a turn): "mini-swe-agent" reads every ```bash
   * block as an action, as its adapter does
   */
  scaffold?: RolloutScaffold;
}

export const ROLLOUT_SCAFFOLDS = ["chat", "mini-swe-agent"] as const;
export type RolloutScaffold = (typeof ROLLOUT_SCAFFOLDS)[number];

export interface RolloutOptions {
  /** names the rollout in errors and in the record's `source.file` (default "rollout") */
  name?: string;
  /** sha256 (hex) of the rollout's content, when the caller has one (else computed from its JSON) */
  hash?: string;
}

/** sha256 (hex) of a rollout's JSON text: the content key of its trajectory id. */
export function rolloutHash(r: Rollout): string {
  return createHash("sha256").update(JSON.stringify(r)).digest("hex");
}

/** An adapter context for a value held in memory: files beside it do not exist. */
function memoryContext(name: string, hash: string): AdapterContext {
  return { file: name, hash, readRelative: async () => null };
}

/** The canonical trajectory of a rollout, with its canonical actions; throws IngestError naming the field. */
export async function rolloutTrajectory(r: Rollout, o: RolloutOptions = {}): Promise<Trajectory> {
  const name = o.name ?? "rollout";
  if (!r || typeof r !== "object" || Array.isArray(r))
    throw new IngestError(name, "expected an object with `messages` or `trajectory`");
  const hash = o.hash ?? rolloutHash(r);
  const hasMessages = r.messages !== undefined;
  const hasTrajectory = r.trajectory !== undefined;
  if (hasMessages === hasTrajectory)
    throw new IngestError(
      name,
      hasMessages
        ? "give either `messages` or `trajectory`, not both"
        : "expected `messages` (OpenAI chat messages) or `trajectory` (a trajectory file's JSON)",
    );
  let t: Trajectory;
  if (hasMessages) {
    if (!Array.isArray(r.messages) || r.messages.length === 0)
      throw new IngestError(name, "expected a non-empty array of chat messages", undefined, "messages");
    if (r.scaffold === "mini-swe-agent") {
      // the file layout its adapter reads, from the messages alone
      // (no submission or exit status known: null, as a run that wrote none records them)
      const file = {
        trajectory_format: "mini-swe-agent-1",
        messages: r.messages,
        info: { submission: null, exit_status: null },
      };
      t = await miniSweAgentAdapter.read(file, memoryContext(name, hash));
      t.instance_id = null; // the adapter would take it from the file's name
    } else {
      const row: Record<string, unknown> = { messages: r.messages };
      if (r.tools !== undefined) row.tools = r.tools;
      t = chatRecordAdapter.read(row, memoryContext(name, hash), "jsonl");
      t.source = { ...t.source, variant: "rollout" };
    }
    if (r.tools !== undefined && r.tools.length) t.tools = r.tools;
    t.label = null;
  } else {
    t = await fromAnyFormat(r.trajectory, name, hash);
  }
  if (r.patch !== undefined) t.patch = typeof r.patch === "string" && r.patch.trim() ? r.patch : null;
  if (r.task !== undefined) t.task = r.task;
  if (r.instance_id !== undefined) t.instance_id = r.instance_id;
  if (r.exit_status !== undefined) t.exit_status = r.exit_status;
  if (typeof r.resolved === "boolean") t.label = { resolved: r.resolved, origin: `${name}#resolved` };
  return canonicalize(t);
}

/** A trajectory from the parsed JSON of any format ingest reads from a file or a line. */
async function fromAnyFormat(value: unknown, name: string, hash: string): Promise<Trajectory> {
  const field = `${name}.trajectory`;
  const ctx = memoryContext(field, hash);
  const json = JSON_ADAPTERS.find((a) => a.detect(value, field));
  if (json) return json.read(value, ctx);
  const record = RECORD_ADAPTERS.find((a) => a.detect(value));
  if (record) return record.read(value, ctx, "jsonl");
  if (Array.isArray(value)) {
    // a session log (one event a line), given as the list of its lines
    for (const a of SESSION_ADAPTERS) {
      let claimed = false;
      for (let i = 0; i < value.length && i < 256; i++) {
        const v = a.detectLine(value[i], i);
        if (v === undefined) continue;
        claimed = v;
        break;
      }
      if (claimed)
        return a.read(
          value.map((v, i) => ({ line: i + 1, value: v })),
          ctx,
        );
    }
  }
  throw new IngestError(field, `no known trajectory format (tried: ${formatsTried()})`);
}

/**
 * Score one rollout held in memory against a rubric: the library function behind `rubricate
 * serve`. Deciders as for `scoreTrajectory` (`judge`, `outcome`); run-relative checks decide
 * against their fixed limits unless `run` is given.
 */
export async function scoreRollout(
  r: Rollout,
  rubric: Rubric,
  opts: ScoreOptions & RolloutOptions = {},
): Promise<ScoreRecord> {
  return scoreTrajectory(await rolloutTrajectory(r, opts), rubric, opts);
}
