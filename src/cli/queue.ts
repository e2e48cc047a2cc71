/** `rubricate queue submit|status|collect|retry|cancel` and `rubricate worker`: scoring spread over many workers on BullMQ and Redis. */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { readJudgeConfig, resolveJudge, type JudgeFlags } from "../judge/config.js";
import { collect } from "../queue/collect.js";
import { storedJudge } from "../queue/settings.js";
import { cancel, retry, status, type RunStatus } from "../queue/status.js";
import { submit } from "../queue/submit.js";
import { startWorker } from "../queue/worker.js";
import { ScoreSummary } from "../score/summary.js";
import { note } from "./output.js";
import { outcomeModelPath } from "./score.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

/** A Redis connection that fails fast with a clear message when the server cannot be reached. */
async function connect(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    retryStrategy: (n) => (n > 20 ? null : Math.min(n * 200, 2000)),
  });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${url}: ${(e as Error).message}`);
  }
  return redis;
}

export interface SubmitCliOptions {
  redis: string;
  run: string;
  rubric: string;
  labels?: string[];
  autoLabels: boolean;
  outcomeModel?: string | false;
  judgeFlags: JudgeFlags;
  judgeConfig?: string;
  rowsPerJob: number;
  attempts: number;
}

export async function runSubmit(inputs: string[], o: SubmitCliOptions): Promise<number> {
  const judge = resolveJudge(o.judgeFlags, o.judgeConfig ? readJudgeConfig(o.judgeConfig) : undefined);
  const judgeOutcome = !!judge && (judge.outcome || judge.mode === "outcome");
  const redis = await connect(o.redis);
  try {
    const r = await submit(
      inputs,
      {
        run: o.run,
        rubric: o.rubric,
        judge: storedJudge(judge),
        outcomeModel: judgeOutcome ? null : outcomeModelPath(o.outcomeModel),
        labels: o.labels,
        autoLabels: o.autoLabels,
        rowsPerJob: o.rowsPerJob,
        attempts: o.attempts,
        version: VERSION,
      },
      redis,
    );
    for (const e of r.errors) note(`error: ${e.describe()}`);
    note(
      `run ${o.run}: ${r.jobs} jobs (${r.added} added now, ${r.jobs - r.added} already queued or done); rubric ${r.settings.rubric.id} ${r.settings.rubric.version} (${r.settings.rubric.hash})`,
    );
    note(
      `start workers with: rubricate worker --redis ${o.redis}   then: rubricate queue status ${o.run} --redis ${o.redis}`,
    );
    return r.errors.length ? 1 : 0;
  } finally {
    redis.disconnect();
  }
}

/** A text progress bar: the share of jobs done, failed ones marked. */
function bar(s: RunStatus, width = 30): string {
  const full = s.jobs ? Math.round((s.done / s.jobs) * width) : width;
  const bad = s.jobs ? Math.min(width - full, Math.ceil((s.failed.length / s.jobs) * width)) : 0;
  return `[${"#".repeat(full)}${"x".repeat(bad)}${".".repeat(width - full - bad)}] ${s.jobs ? Math.floor((s.done / s.jobs) * 100) : 100}%`;
}

function describe(s: RunStatus): string {
  const eta = s.rate > 0 && s.pending > 0 ? `, about ${Math.ceil(s.pending / s.rate / 60)} min left` : "";
  const lines = [
    `run ${s.run}${s.cancelled ? " (cancelled)" : ""} ${bar(s)}`,
    `  ${s.done}/${s.jobs} jobs done, ${s.pending} pending, ${s.failed.length} failed; ${s.rate.toFixed(2)} jobs/s over the last minute${eta}`,
  ];
  for (const [w, n] of Object.entries(s.workers).sort()) lines.push(`  worker ${w}: ${n} jobs`);
  if (s.failed.length) {
    const reasons = new Map<string, number>();
    for (const f of s.failed) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
    lines.push("failures by reason:");
    for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`  ${n}x ${r}`);
    lines.push("failed jobs:");
    for (const f of s.failed.slice(0, 20))
      lines.push(`  #${f.index} ${f.input} after ${f.attempts} attempts: ${f.reason}`);
  }
  return lines.join("\n");
}

export async function runStatus(run: string, o: { redis: string; watch?: boolean; json?: boolean }): Promise<number> {
  const redis = await connect(o.redis);
  try {
    for (;;) {
      const s = await status(run, redis);
      if (o.json) process.stdout.write(JSON.stringify(s) + "\n");
      else note(describe(s));
      if (!o.watch || s.pending === 0 || s.cancelled) return s.failed.length ? 1 : 0;
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  } finally {
    redis.disconnect();
  }
}

export async function runCollect(
  run: string,
  o: { redis: string; output?: string; partial?: boolean; quiet?: boolean },
): Promise<number> {
  const redis = await connect(o.redis);
  try {
    const s = await status(run, redis);
    if (s.done < s.jobs && !o.partial) {
      note(describe(s));
      throw new Error(
        `run ${run} is not finished (${s.jobs - s.done} of ${s.jobs} jobs have no result); wait, retry the failed ones, or pass --partial to collect what is done`,
      );
    }
    const summary = new ScoreSummary();
    const r = await collect(run, redis, o.output, (rec) => summary.add(rec));
    if (!o.quiet) {
      note(summary.table());
      for (const e of r.errors.slice(0, 20)) note(`  error: ${e.describe()}`);
      note(
        `${r.records} records${o.output && o.output !== "-" ? ` written to ${o.output}` : ""}${r.missing.length ? `; ${r.missing.length} jobs without a result left out` : ""}`,
      );
    }
    return r.errors.length || r.missing.length || summary.errors ? 1 : 0;
  } finally {
    redis.disconnect();
  }
}

export async function runRetry(run: string, o: { redis: string }): Promise<number> {
  const redis = await connect(o.redis);
  try {
    note(`run ${run}: ${await retry(run, redis)} failed jobs queued again`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

export async function runCancel(run: string, o: { redis: string }): Promise<number> {
  const redis = await connect(o.redis);
  try {
    note(`run ${run}: cancelled; ${await cancel(run, redis)} queued jobs removed (the results so far stay)`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

export interface WorkerCliOptions {
  redis: string;
  concurrency: number;
  jobs: number;
  id?: string;
  lockSeconds: number;
  sharedCache: boolean;
  quiet?: boolean;
}

/** Run workers until stopped (SIGINT / SIGTERM: the jobs in progress finish first). */
export async function runWorker(o: WorkerCliOptions): Promise<number> {
  if (o.jobs > 1) return runWorkers(o);
  const worker = startWorker(o.redis, {
    concurrency: o.concurrency,
    id: o.id,
    lockMs: o.lockSeconds * 1000,
    sharedCache: o.sharedCache,
    onNote: o.quiet ? undefined : note,
  });
  worker.on("failed", (job, e) =>
    note(`job ${job?.id ?? "?"} failed (attempt ${job?.attemptsMade ?? "?"}): ${e.message}`),
  );
  worker.on("error", (e) => note(`worker: ${e.message}`));
  if (!o.quiet) worker.on("completed", (job) => note(`job ${job.id} done`));
  if (!o.quiet)
    note(
      `worker ${o.id ?? process.pid} waiting for jobs at ${o.redis} (concurrency ${o.concurrency}); stop with Ctrl-C`,
    );
  await new Promise<void>((ok) => {
    // the jobs in progress finish first; a worker that cannot close (Redis gone) stops after its lock time
    const stop = () => {
      setTimeout(ok, o.lockSeconds * 1000 + 5000).unref();
      void worker.close().then(ok, ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.exit(0);
}

/** `--jobs N`: N worker processes on this machine (scoring is CPU-bound; one process uses one core). */
async function runWorkers(o: WorkerCliOptions): Promise<number> {
  const args = [
    "worker",
    "--redis",
    o.redis,
    "--concurrency",
    String(o.concurrency),
    "--lock-seconds",
    String(o.lockSeconds),
    ...(o.sharedCache ? [] : ["--no-shared-cache"]),
    ...(o.quiet ? ["-q"] : []),
  ];
  const children = Array.from({ length: o.jobs }, (_, i) =>
    spawn(process.execPath, [process.argv[1], ...args, "--id", `${o.id ?? process.pid}.${i + 1}`], {
      stdio: "inherit",
    }),
  );
  const stop = () => children.forEach((c) => c.kill("SIGTERM"));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const codes = await Promise.all(
    children.map((c) => new Promise<number>((ok) => c.on("exit", (code) => ok(code ?? 1)))),
  );
  return codes.every((c) => c === 0) ? 0 : 1;
}
