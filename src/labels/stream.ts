/** Ingestion with labels joined: the stream every later stage reads. */
import { discover, type Candidate } from "../ingest/discover.js";
import { ingestCandidates, type IngestOptions } from "../ingest/pipeline.js";
import type { IngestError } from "../io/error.js";
import type { IngestEvent } from "../ingest/pipeline.js";
import { LabelFinder, LabelIndex, attachLabel } from "./join.js";

export interface ReadOptions extends IngestOptions {
  /** label files or folders (`--labels`) */
  labels?: string[];
  /** look for label files beside each run (default true) */
  autoLabels?: boolean;
  /** called once with the number of inputs found, then after each input is read */
  onProgress?: (done: number, total: number) => void;
}

/** Stream trajectories from `inputs` (files, folders, globs) with outcome labels attached where known. */
export async function* readTrajectories(inputs: string[], opts: ReadOptions = {}): AsyncGenerator<IngestEvent> {
  const index = opts.labels?.length ? await LabelIndex.load(opts.labels) : undefined;
  for (const error of index?.errors ?? []) yield { type: "error", error };
  const candidates: Candidate[] = [];
  const missing: IngestError[] = [];
  for await (const c of discover(inputs)) {
    if ("kind" in c) candidates.push(c);
    else missing.push(c);
  }
  for (const error of missing) yield { type: "error", error };
  opts.onProgress?.(0, candidates.length);
  const finder = new LabelFinder();
  let done = 0;
  const events = ingestCandidates(candidates, { ...opts, onCandidate: () => opts.onProgress?.(++done, candidates.length) });
  for await (const ev of events) {
    if (ev.type === "trajectory") await attachLabel(ev.trajectory, { index, auto: opts.autoLabels }, finder);
    yield ev;
    // a label file found beside a run that cannot be read: reported once, the other labels still join
    for (const error of finder.takeErrors()) yield { type: "error", error };
  }
  for (const error of index?.unusedErrors() ?? []) yield { type: "error", error };
}
