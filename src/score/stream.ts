/** Scoring a whole input set as a stream: ingest -> labels -> analyze -> checks/judge -> records. */
import type { RunContext } from "../checks/index.js";
import type { IngestError } from "../io/error.js";
import { readTrajectories, type ReadOptions } from "../labels/stream.js";
import type { Rubric } from "../rubric/schema.js";
import type { ScoreRecord } from "../types/score.js";
import { needsRunContext, withRunContext } from "./context.js";
import { defaultOutcome } from "./defaults.js";
import { errorRecord, scoreTrajectory, type ScoreOptions } from "./score.js";

export type ScoreEvent =
  | { type: "record"; record: ScoreRecord }
  | { type: "error"; error: IngestError }
  | { type: "skip"; file: string; reason: string };

export interface ScoreStreamOptions extends ReadOptions, Omit<ScoreOptions, "outcome"> {
  rubric: Rubric;
  /**
   * decides `outcome` criteria and p(resolved); default (undefined): the shipped outcome model,
   * as `rubricate score` uses; null: none
   */
  outcome?: ScoreOptions["outcome"] | null;
  /**
   * false: decide run-relative criteria without the run (a trajectory is long against a fixed
   * limit); default: against its run, decided after one pass (`withRunContext`), unless `run` is given
   */
  runContext?: boolean;
  /** steps and runs of records scored before (a resumed run's), counted into the run context */
  priorSteps?: Iterable<{ run: string | null; steps: number }>;
}

/**
 * Score every trajectory of `inputs`; a trajectory that fails becomes an error
 * record and the stream goes on. With `concurrency` > 1 (an LLM judge), up to
 * that many trajectories are scored at once and records still come out in
 * input order.
 */
export async function* scoreStream(
  inputs: string[],
  opts: ScoreStreamOptions & { concurrency?: number; skip?: Set<string> },
): AsyncGenerator<ScoreEvent> {
  if (!opts.run && opts.runContext !== false && needsRunContext(opts.rubric)) {
    yield* withRunContext(scoreStream(inputs, { ...opts, runContext: false }), opts.rubric, opts.priorSteps);
    return;
  }
  const limit = Math.max(1, opts.concurrency ?? 1);
  const scoreOpts: ScoreOptions = {
    ...opts,
    outcome: opts.outcome === undefined ? (defaultOutcome() ?? undefined) : (opts.outcome ?? undefined),
  };
  const window: Promise<ScoreEvent>[] = [];
  const score = async (t: import("../types/trajectory.js").Trajectory): Promise<ScoreEvent> => {
    try {
      return { type: "record", record: await scoreTrajectory(t, opts.rubric, scoreOpts) };
    } catch (e) {
      return { type: "record", record: errorRecord(t, opts.rubric, e) };
    }
  };
  for await (const ev of readTrajectories(inputs, opts)) {
    if (ev.type !== "trajectory") {
      // keep order: flush what is in flight before passing other events on
      while (window.length) yield await window.shift()!;
      yield ev;
      continue;
    }
    if (opts.skip?.has(ev.trajectory.id)) continue;
    window.push(score(ev.trajectory));
    if (window.length >= limit) yield await window.shift()!;
  }
  while (window.length) yield await window.shift()!;
}
