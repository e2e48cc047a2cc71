/** Where a run lives in Redis, and the BullMQ queue every run's jobs go through. */

/** The queue's name (one queue for all runs; each job names its run). */
export const QUEUE = "rubricate-score";

/** Keys of one run. */
export function runKeys(run: string) {
  const base = `rubricate:run:${run}`;
  return {
    /** the run's settings (JSON): rubric, judge, outcome model, labels, roots */
    settings: `${base}:settings`,
    /** the inputs, in order: one JSON job spec per list element (the job's index is its position) */
    jobs: `${base}:jobs`,
    /** hash: job index -> its result (JSON: records as JSONL text, input errors, skips) */
    results: `${base}:results`,
    /** hash: worker id -> jobs it finished */
    workers: `${base}:workers`,
    /** sorted set: job index -> finish time (ms), for rates */
    finished: `${base}:finished`,
    /** set when the run is cancelled: workers skip its jobs */
    cancelled: `${base}:cancelled`,
  };
}

/** A job's id: the run and the input's index, so submitting again never adds a job twice. */
export function jobId(run: string, index: number): string {
  return `${run}__${index}`;
}

/** Run names are part of keys and job ids. */
export function checkRunName(run: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(run)) {
    throw new Error(
      `run name ${JSON.stringify(run)}: use letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit)`,
    );
  }
  return run;
}

/**
 * Use the BullMQ queue on a connection of its own (closing a queue closes its connection, and the
 * caller's connection must outlive it).
 */
export async function withQueue<T>(
  redis: import("ioredis").Redis,
  fn: (q: import("bullmq").Queue) => Promise<T>,
): Promise<T> {
  const { Queue } = await import("bullmq");
  const conn = redis.duplicate();
  const q = new Queue(QUEUE, { connection: conn });
  try {
    return await fn(q);
  } finally {
    await q.close();
    conn.disconnect();
  }
}
