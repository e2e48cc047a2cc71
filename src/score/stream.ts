/** Scoring a whole input set as a stream: ingest -> labels -> analyze -> checks/judge -> records. */
import type { RunContext } from "../checks/index.js";
import type { IngestError } from "../io/error.js";
import { readTrajectories, type ReadOptions } from "../labels/stream.js";
import type { Rubric } from "../rubric/schema.js";
import type { ScoreRecord } from "../types/score.js";
import { errorRecord, scoreTrajectory, type ScoreOptions } from "./score.js";

export type ScoreEvent =
  | { type: "record"; record: ScoreRecord }
  | { type: "error"; error: IngestError }
  | { type: "skip"; file: string; reason: string };

export interface ScoreStreamOptions extends ReadOptions, ScoreOptions {
  rubric: Rubric;
}

/** Whether any criterion compares a trajectory with the rest of its run. */
export function needsRunContext(rubric: Rubric): boolean {
  return rubric.criteria.some((c) => c.kind === "check" && c.check === "excessive_steps");
}

/** First pass: the median number of steps of each run (for checks that compare with the run). */
export async function runContext(inputs: string[], opts: ReadOptions = {}): Promise<RunContext> {
  const steps = new Map<string, number[]>();
  for await (const ev of readTrajectories(inputs, { ...opts, autoLabels: false, labels: [], onProgress: undefined })) {
    if (ev.type !== "trajectory" || !ev.trajectory.source.run) continue;
    const key = ev.trajectory.source.run;
    const list = steps.get(key) ?? [];
    list.push(ev.trajectory.steps.length);
    steps.set(key, list);
  }
  const medianSteps = new Map<string, number>();
  const runSize = new Map<string, number>();
  for (const [run, xs] of steps) {
    runSize.set(run, xs.length);
    xs.sort((a, b) => a - b);
    const m = xs.length >> 1;
    medianSteps.set(run, xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2);
  }
  return { medianSteps, runSize };
}

/**
 * Score every trajectory of `inputs`; a trajectory that fails becomes an error
 * record and the stream goes on. With `concurrency` > 1 (an LLM judge), up to
 * that many trajectories are scored at once and records still come out in
 * input order.
 */
export async function* scoreStream(inputs: string[], opts: ScoreStreamOptions & { concurrency?: number; skip?: Set<string> }): AsyncGenerator<ScoreEvent> {
  const limit = Math.max(1, opts.concurrency ?? 1);
  const window: Promise<ScoreEvent>[] = [];
  const score = async (t: import("../types/trajectory.js").Trajectory): Promise<ScoreEvent> => {
    try {
      return { type: "record", record: await scoreTrajectory(t, opts.rubric, opts) };
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
