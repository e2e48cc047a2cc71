/** A run's progress: jobs by state, records so far, failures by reason, per-worker counts, the rate. */
import type { Redis } from "ioredis";
import { jobId, runKeys, withQueue } from "./keys.js";

export interface RunStatus {
  run: string;
  jobs: number;
  done: number;
  failed: { index: number; input: string; reason: string; attempts: number }[];
  /** jobs of the run still waiting, delayed (retrying) or running */
  pending: number;
  workers: Record<string, number>;
  /** jobs finished per second over the last minute */
  rate: number;
  cancelled: boolean;
}

export async function status(run: string, redis: Redis): Promise<RunStatus> {
  const keys = runKeys(run);
  if (!(await redis.exists(keys.settings))) throw new Error(`no run named ${run} in this Redis`);
  const jobs = await redis.llen(keys.jobs);
  const done = await redis.hlen(keys.results);
  const workers = Object.fromEntries(Object.entries(await redis.hgetall(keys.workers)).map(([k, v]) => [k, Number(v)]));
  const now = Date.now();
  const recent = await redis.zcount(keys.finished, now - 60_000, now);
  const failed: RunStatus["failed"] = [];
  let pending = 0;
  await withQueue(redis, async (queue) => {
    const states = await Promise.all(Array.from({ length: jobs }, (_, i) => queue.getJob(jobId(run, i))));
    for (let i = 0; i < states.length; i++) {
      const j = states[i];
      if (!j) continue;
      const state = await j.getState();
      if (state === "failed") {
        const spec = JSON.parse((await redis.lindex(keys.jobs, i)) ?? "{}") as {
          path?: string;
          rows?: { from: number; to: number };
        };
        failed.push({
          index: i,
          input: `${spec.path ?? "?"}${spec.rows ? ` (rows ${spec.rows.from}-${spec.rows.to - 1})` : ""}`,
          reason: j.failedReason ?? "unknown",
          attempts: j.attemptsMade,
        });
      } else if (state !== "completed") pending++;
    }
  });
  return {
    run,
    jobs,
    done,
    failed,
    pending,
    workers,
    rate: recent / 60,
    cancelled: (await redis.exists(keys.cancelled)) === 1,
  };
}

/** Put a run's failed jobs back in the queue. */
export async function retry(run: string, redis: Redis): Promise<number> {
  const keys = runKeys(run);
  const jobs = await redis.llen(keys.jobs);
  let n = 0;
  await withQueue(redis, async (queue) => {
    for (let i = 0; i < jobs; i++) {
      const j = await queue.getJob(jobId(run, i));
      if (j && (await j.getState()) === "failed") {
        await j.retry();
        n++;
      }
    }
  });
  return n;
}

/** Cancel a run: its queued jobs are removed, workers skip any left; its results stay until `clear`. */
export async function cancel(run: string, redis: Redis): Promise<number> {
  const keys = runKeys(run);
  await redis.set(keys.cancelled, "1");
  const jobs = await redis.llen(keys.jobs);
  let n = 0;
  await withQueue(redis, async (queue) => {
    for (let i = 0; i < jobs; i++) {
      const j = await queue.getJob(jobId(run, i));
      if (!j) continue;
      const state = await j.getState();
      if (state === "waiting" || state === "delayed" || state === "prioritized" || state === "failed") {
        await j.remove();
        n++;
      }
    }
  });
  return n;
}
