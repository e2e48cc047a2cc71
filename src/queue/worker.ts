/**
 * A worker: pulls jobs of any run from the queue, scores each with its run's settings (loaded
 * once per run) and stores the records under the job's index. A job run again (its worker died:
 * BullMQ's stalled-job check gives it to another worker) overwrites its own entry, so a record is
 * never lost nor stored twice. Inputs are read only under the roots the run declared.
 */
import { realpathSync } from "node:fs";
import { hostname } from "node:os";
import { sep } from "node:path";
import { Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Candidate } from "../ingest/discover.js";
import { buildJudge, type BuiltJudge } from "../judge/build.js";
import { TrajectoryReader } from "../labels/stream.js";
import { outcomeProvider } from "../outcome/provider.js";
import type { Rubric } from "../rubric/schema.js";
import { errorRecord, scoreTrajectory, type ScoreOptions } from "../score/score.js";
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { redisCachedBackend } from "./cache.js";
import { QUEUE, runKeys } from "./keys.js";
import { sharedLimits } from "./limit.js";
import { RunSettingsSchema, judgeWithKeys, rubricOf, sha256File, type RunSettings } from "./settings.js";

/** What a job stores: its records (JSONL text) and what went wrong with its input. */
export interface JobResult {
  records: string;
  errors: { file: string; message: string; line?: number; field?: string }[];
  skips: { file: string; reason: string }[];
  worker: string;
}

interface Loaded {
  settings: RunSettings;
  rubric: Rubric;
  reader: TrajectoryReader;
  opts: ScoreOptions;
  concurrency: number;
  judge: BuiltJudge | null;
}

export interface WorkerOptions {
  /** jobs in progress at once (default 1; with a judge, each job scores up to the judge's concurrency at once) */
  concurrency?: number;
  /** this worker's name in the run's per-worker counts (default host:pid) */
  id?: string;
  /** BullMQ lock: a job whose worker stopped renewing it for this long goes to another worker (default 30 s) */
  lockMs?: number;
  /** the shared judge cache in Redis instead of each machine's cache file (default true) */
  sharedCache?: boolean;
  onNote?: (message: string) => void;
}

export function startWorker(redisUrl: string, o: WorkerOptions = {}): Worker {
  const id = o.id ?? `${hostname()}:${process.pid}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const runs = new Map<string, Promise<Loaded>>();
  const load = (run: string): Promise<Loaded> => {
    let p = runs.get(run);
    if (!p) {
      p = loadRun(run, redis, o);
      runs.set(run, p);
      p.catch(() => runs.delete(run));
    }
    return p;
  };
  const worker = new Worker(
    QUEUE,
    async (job: Job<{ run: string; index: number }>) => {
      const { run, index } = job.data;
      const keys = runKeys(run);
      if (await redis.exists(keys.cancelled)) return { cancelled: true };
      const spec = await redis.lindex(keys.jobs, index);
      if (spec === null) throw new Error(`run ${run} has no job ${index}`);
      const c = JSON.parse(spec) as Candidate;
      const run_ = await load(run);
      // inputs and labels are read as the submitter named them, from the folder it submitted from
      if (process.cwd() !== run_.settings.cwd) process.chdir(run_.settings.cwd);
      inRoots(c.path, run_.settings.roots);
      const result = await scoreJob(c, run_, id);
      await redis
        .multi()
        .hset(keys.results, String(index), JSON.stringify(result))
        .hincrby(keys.workers, id, 1)
        .zadd(keys.finished, Date.now(), String(index))
        .exec();
      return { records: result.records ? result.records.split("\n").length - 1 : 0 };
    },
    {
      connection: new Redis(redisUrl, { maxRetriesPerRequest: null }),
      concurrency: Math.max(1, o.concurrency ?? 1),
      lockDuration: o.lockMs ?? 30_000,
      stalledInterval: Math.max(1000, Math.floor((o.lockMs ?? 30_000) / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on("closed", () => {
    for (const p of runs.values()) void p.then((l) => l.judge?.close()).catch(() => {});
    redis.disconnect();
  });
  return worker;
}

/** A run's settings, rubric, label reader and deciders, as this worker uses them. */
async function loadRun(run: string, redis: Redis, o: WorkerOptions): Promise<Loaded> {
  const raw = await redis.get(runKeys(run).settings);
  if (!raw) throw new Error(`run ${run} has no settings in Redis (was it submitted, or cancelled and cleared?)`);
  const settings = RunSettingsSchema.parse(JSON.parse(raw));
  const rubric = rubricOf(settings);
  process.chdir(settings.cwd);
  const { reader } = await TrajectoryReader.open({ labels: settings.labels, autoLabels: settings.autoLabels });
  let judge: BuiltJudge | null = null;
  const config = judgeWithKeys(settings.judge);
  if (config) {
    // the run's limits hold across all workers (a limiter in Redis); the answer cache is shared too
    const shared = o.sharedCache !== false;
    judge = await buildJudge(
      shared ? { ...config, cache: null, rpm: undefined, tpm: undefined } : config,
      rubric,
      o.onNote,
      (b) => {
        const limited = sharedLimits(b, redis, run, { rpm: config.rpm, tpm: config.tpm });
        return shared ? redisCachedBackend(limited, redis, rubric.hash) : limited;
      },
    );
  }
  let outcome: ScoreOptions["outcome"];
  if (settings.outcome) {
    const now = sha256File(settings.outcome.path);
    if (now !== settings.outcome.sha256)
      throw new Error(`run ${run}: the outcome model ${settings.outcome.path} changed since the run was submitted`);
    outcome = outcomeProvider(settings.outcome.path);
  }
  const judgeOutcome = !!config && (config.outcome || config.mode === "outcome");
  return {
    settings,
    rubric,
    reader,
    judge,
    concurrency: config ? config.concurrency : 1,
    opts: { judge: judge?.decider, outcome: judgeOutcome ? judge?.decider : outcome },
  };
}

/** Refuse an input outside the run's roots (a job's path comes from Redis, which another party could write). */
function inRoots(path: string, roots: string[]): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return; // a missing input is reported by the reader, with its name
  }
  if (!roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep))) {
    throw new Error(`${path} is outside the folders the run declared (${roots.join(", ")})`);
  }
}

/** Score one job's input: its records in input order, several trajectories at once when judging. */
async function scoreJob(c: Candidate, l: Loaded, worker: string): Promise<JobResult> {
  const records: ScoreRecord[] = [];
  const errors: JobResult["errors"] = [];
  const skips: JobResult["skips"] = [];
  const window: Promise<ScoreRecord>[] = [];
  const score = async (t: Trajectory): Promise<ScoreRecord> => {
    try {
      return await scoreTrajectory(t, l.rubric, l.opts);
    } catch (e) {
      return errorRecord(t, l.rubric, e);
    }
  };
  for await (const ev of l.reader.read(c)) {
    if (ev.type === "error")
      errors.push({ file: ev.error.file, message: ev.error.message, line: ev.error.line, field: ev.error.field });
    else if (ev.type === "skip") skips.push({ file: ev.file, reason: ev.reason });
    else {
      window.push(score(ev.trajectory));
      if (window.length >= l.concurrency) records.push(await window.shift()!);
    }
  }
  while (window.length) records.push(await window.shift()!);
  return { records: records.map((r) => JSON.stringify(r) + "\n").join(""), errors, skips, worker };
}
