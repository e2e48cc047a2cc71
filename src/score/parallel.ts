/**
 * Scoring on several cores: inputs (files and folders found by discovery) are
 * handed out as paths, in runs of neighbouring inputs, to worker threads, each of
 * which reads, joins labels, analyses and scores them and sends back only the
 * records; results come back in input order. Neighbours go to the same worker
 * because they share label files (each worker reads a label file once). Used for
 * checks and the outcome model (CPU-bound); LLM judging is I/O-bound and runs
 * in one thread with its own concurrency limit.
 */
import { readdirSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import type { RunContext } from "../checks/types.js";
import { discover, type Candidate } from "../ingest/discover.js";
import { IngestError } from "../io/error.js";
import { TrajectoryReader } from "../labels/stream.js";
import { outcomeProvider } from "../outcome/provider.js";
import { loadRubric } from "../rubric/load.js";
import type { ScoreRecord } from "../types/score.js";
import { errorRecord, scoreTrajectory } from "./score.js";
import type { ScoreEvent } from "./stream.js";

export interface ParallelOptions {
  /** rubric id or file (each worker loads it) */
  rubric: string;
  labels?: string[];
  autoLabels?: boolean;
  /** outcome model file, or null for none */
  outcomeModel?: string | null;
  run?: RunContext;
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Init {
  rubric: string;
  labels: string[];
  autoLabels: boolean;
  outcomeModel: string | null;
  medianSteps: [string, number][];
  runSize: [string, number][];
}

type Event =
  | { type: "record"; record: ScoreRecord }
  | { type: "error"; file: string; message: string; line?: number; field?: string }
  | { type: "skip"; file: string; reason: string };

/** A chunk's results: the events of each of its inputs, in order. */
type FromWorker = { id: number; used: number[]; events: Event[][] } | { fatal: string };

/** A chunk of neighbouring inputs, by the index of its first. */
type ToWorker = { id: number; candidates: Candidate[] } | null;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Input bytes each worker thread needs to repay starting it: a worker loads the scoring code, the
 * rubric and the outcome model, and reads its inputs' label files, before it scores anything
 * (measured with `npm run bench:score`; see the README's performance section).
 */
export const BYTES_PER_WORKER = 100e6;

/**
 * Cores nobody else is using: the cores less the last minute's load average, rounded up (a worker
 * on a core another process keeps busy only slows the run down). All of them where the system
 * keeps no load average (Windows).
 */
export function freeCores(): number {
  return Math.max(1, Math.ceil(availableParallelism() - loadavg()[0]));
}

/**
 * The worker threads to score `inputs` with when none are asked for: one per `perWorker` bytes of
 * input, at most one per free core and per input, and none (scoring in this thread) below that.
 */
export async function autoJobs(inputs: string[], cores = freeCores(), perWorker = BYTES_PER_WORKER): Promise<number> {
  let bytes = 0;
  let count = 0;
  for await (const c of discover(inputs)) {
    if (c instanceof IngestError || c.kind === "skip") continue;
    count++;
    bytes += inputBytes(c.path, c.kind);
  }
  return Math.max(1, Math.min(cores, count, Math.floor(bytes / perWorker)));
}

/** The size of a file input, or of the files in a folder input (0 when it cannot be read). */
function inputBytes(path: string, kind: "file" | "dir"): number {
  try {
    if (kind === "file") return statSync(path).size;
    let n = 0;
    for (const e of readdirSync(path, { withFileTypes: true })) if (e.isFile()) n += statSync(join(path, e.name)).size;
    return n;
  } catch {
    return 0;
  }
}

/**
 * Inputs per chunk handed to a worker: about 8 chunks per worker, so that a slow chunk at the end
 * leaves the others little to wait for, and at most 64 inputs, so that records wait little for
 * their turn in the output.
 */
export function chunkSize(inputs: number, jobs: number): number {
  return Math.max(1, Math.min(64, Math.floor(inputs / (jobs * 8))));
}

/** Score all inputs with `jobs` worker threads, yielding events in input order. */
export async function* scoreParallel(inputs: string[], o: ParallelOptions): AsyncGenerator<ScoreEvent> {
  // the label sources are opened here too: their errors are reported once, and a `--labels`
  // argument no worker used is reported at the end
  const { reader, errors } = await TrajectoryReader.open({ labels: o.labels, autoLabels: o.autoLabels });
  for (const error of errors) yield { type: "error", error };
  const candidates: Candidate[] = [];
  for await (const c of discover(inputs)) {
    if (c instanceof IngestError) yield { type: "error", error: c };
    else candidates.push(c);
  }
  o.onProgress?.(0, candidates.length);
  const init: Init = {
    rubric: o.rubric,
    labels: o.labels ?? [],
    autoLabels: o.autoLabels !== false,
    outcomeModel: o.outcomeModel ?? null,
    medianSteps: [...(o.run?.medianSteps ?? [])],
    runSize: [...(o.run?.runSize ?? [])],
  };
  const jobs = Math.max(1, Math.min(o.jobs ?? defaultJobs(), candidates.length || 1));
  const workers = Array.from({ length: jobs }, () => new Worker(fileURLToPath(import.meta.url), { workerData: init }));
  const results = new Map<number, Extract<FromWorker, { events: unknown }>>();
  const size = chunkSize(candidates.length, jobs);
  let next = 0;
  let done = 0;
  let fatal: string | null = null;
  let wake: (() => void) | null = null;
  const give = (w: Worker) => {
    const msg: ToWorker =
      next < candidates.length ? { id: next, candidates: candidates.slice(next, next + size) } : null;
    next += size;
    w.postMessage(msg);
  };
  for (const w of workers) {
    w.on("message", (m: FromWorker) => {
      if ("fatal" in m) fatal = m.fatal;
      else {
        results.set(m.id, m);
        give(w);
      }
      wake?.();
    });
    w.on("error", (e) => {
      fatal = e.message;
      wake?.();
    });
    give(w);
  }
  try {
    for (let i = 0; i < candidates.length; i += size) {
      while (!results.has(i) && !fatal) await new Promise<void>((r) => (wake = r));
      if (fatal) throw new Error(`scoring worker failed: ${fatal}`);
      const m = results.get(i)!;
      results.delete(i);
      reader.markUsed(m.used);
      for (const events of m.events) {
        for (const ev of events) {
          if (ev.type === "error")
            yield { type: "error", error: new IngestError(ev.file, ev.message, ev.line, ev.field) };
          else yield ev;
        }
        o.onProgress?.(++done, candidates.length);
      }
    }
    for (const error of reader.finish()) yield { type: "error", error };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Worker side: score each candidate it is given. */
async function workerMain(): Promise<void> {
  const init = workerData as Init;
  try {
    const rubric = loadRubric(init.rubric);
    // (the main thread reports the label sources' own errors)
    const { reader } = await TrajectoryReader.open({ labels: init.labels, autoLabels: init.autoLabels });
    const outcome = init.outcomeModel ? outcomeProvider(init.outcomeModel) : undefined;
    const run: RunContext = { medianSteps: new Map(init.medianSteps), runSize: new Map(init.runSize) };
    const scoreOne = async (candidate: Candidate): Promise<Event[]> => {
      const events: Event[] = [];
      for await (const ev of reader.read(candidate)) {
        if (ev.type === "error")
          events.push({
            type: "error",
            file: ev.error.file,
            message: ev.error.message,
            line: ev.error.line,
            field: ev.error.field,
          });
        else if (ev.type === "skip") events.push(ev);
        else {
          const t = ev.trajectory;
          let record: ScoreRecord;
          try {
            record = await scoreTrajectory(t, rubric, { outcome, run });
          } catch (e) {
            record = errorRecord(t, rubric, e);
          }
          events.push({ type: "record", record });
        }
      }
      return events;
    };
    parentPort!.on("message", async (msg: ToWorker) => {
      if (!msg) return parentPort!.close();
      const events: Event[][] = [];
      for (const c of msg.candidates) events.push(await scoreOne(c));
      parentPort!.postMessage({ id: msg.id, used: reader.usedLabels(), events } satisfies FromWorker);
    });
  } catch (e) {
    parentPort!.postMessage({ fatal: (e as Error).message });
  }
}

if (!isMainThread && parentPort && (workerData as Init | undefined)?.rubric) void workerMain();
