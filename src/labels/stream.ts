/**
 * Ingestion with labels joined: the one way trajectories are read, by every command and by the
 * scoring workers. `TrajectoryReader` reads one input at a time with the label sources open;
 * `readTrajectories` walks the inputs with one.
 */
import { discover, type Candidate } from "../ingest/discover.js";
import { readInput, type IngestEvent, type IngestOptions } from "../ingest/pipeline.js";
import type { IngestError } from "../io/error.js";
import { LabelFinder, LabelIndex, attachLabel } from "./join.js";

export interface ReadOptions extends IngestOptions {
  /** label files or folders (`--labels`) */
  labels?: string[];
  /** look for label files beside each run (default true) */
  autoLabels?: boolean;
  /** called once with the number of inputs found, then after each input is read */
  onProgress?: (done: number, total: number) => void;
}

/** Reads inputs one at a time with the label sources open, joining each trajectory's label. */
export class TrajectoryReader {
  private readonly finder = new LabelFinder();

  private constructor(
    private readonly index: LabelIndex | undefined,
    private readonly opts: ReadOptions,
  ) {}

  /** A reader, and the errors met loading the `--labels` sources. */
  static async open(opts: ReadOptions = {}): Promise<{ reader: TrajectoryReader; errors: IngestError[] }> {
    const index = opts.labels?.length ? await LabelIndex.load(opts.labels) : undefined;
    return { reader: new TrajectoryReader(index, opts), errors: index?.errors ?? [] };
  }

  /** The trajectories of one input (file or folder) with their labels, its errors and skips. */
  async *read(c: Candidate): AsyncGenerator<IngestEvent> {
    for await (const ev of readInput(c, this.opts)) {
      if (ev.type === "trajectory")
        await attachLabel(ev.trajectory, { index: this.index, auto: this.opts.autoLabels }, this.finder);
      yield ev;
      // a label file found beside a run that cannot be read: reported once, the other labels still join
      for (const error of this.finder.takeErrors()) yield { type: "error", error };
    }
  }

  /** Which `--labels` arguments have labelled a trajectory so far (by position). */
  usedLabels(): number[] {
    return this.index?.usedArgs() ?? [];
  }

  /** Count `--labels` arguments another reader (a worker's) used. */
  markUsed(positions: number[]): void {
    this.index?.markUsed(positions);
  }

  /** After the last input: a `--labels` argument that labelled nothing is an error. */
  finish(): IngestError[] {
    return this.index?.unusedErrors() ?? [];
  }
}

/** Stream trajectories from `inputs` (files, folders, globs) with outcome labels attached where known. */
export async function* readTrajectories(inputs: string[], opts: ReadOptions = {}): AsyncGenerator<IngestEvent> {
  const { reader, errors } = await TrajectoryReader.open(opts);
  for (const error of errors) yield { type: "error", error };
  const candidates: Candidate[] = [];
  const missing: IngestError[] = [];
  for await (const c of discover(inputs)) {
    if ("kind" in c) candidates.push(c);
    else missing.push(c);
  }
  for (const error of missing) yield { type: "error", error };
  opts.onProgress?.(0, candidates.length);
  let done = 0;
  for (const c of candidates) {
    yield* reader.read(c);
    opts.onProgress?.(++done, candidates.length);
  }
  for (const error of reader.finish()) yield { type: "error", error };
}
