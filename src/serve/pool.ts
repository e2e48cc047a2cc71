/**
 * Worker threads that score (`--workers N`): the server's thread reads requests, admits them and
 * writes the answers; each request's body goes whole to the worker with the fewest rollouts in
 * hand, which parses, scores and answers it. Each worker has the whole service (its own result
 * cache); a judge's limits are shared out between them (concurrency, requests and tokens per
 * minute), and only the first probes the judge server at start-up.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { JudgeConfig } from "../judge/config.js";
import type { Answer, ScoringRoute } from "./handler.js";
import type { ServiceSettings } from "./build.js";
import type { FromWorker, ToWorker } from "./worker.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "worker.js");

interface Slot {
  worker: Worker;
  /** rollouts handed to it and not answered */
  load: number;
}

export class WorkerPool {
  private next = 1;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();

  private constructor(private readonly slots: Slot[]) {
    for (const s of slots)
      s.worker.on("message", (m: FromWorker) => {
        if ((m.type === "answer" || m.type === "metrics") && this.waiting.has(m.id)) {
          const done = this.waiting.get(m.id)!;
          this.waiting.delete(m.id);
          done(m);
        }
      });
  }

  /** Start `n` workers, each building the service from `settings`; fails with the first one's error. */
  static async start(
    n: number,
    settings: ServiceSettings,
    maxDepth: number,
    hooks: { onNote?: (m: string) => void; onError?: (m: string) => void } = {},
  ): Promise<WorkerPool> {
    const slots: Slot[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const judge = settings.judge ? share(settings.judge, n, i) : settings.judge;
        const worker = new Worker(SCRIPT, {
          workerData: { settings: { ...settings, judge, maxQueue: 1e9 }, maxDepth },
        });
        slots.push({ worker, load: 0 });
        worker.on("message", (m: FromWorker) => {
          if (m.type === "note") hooks.onNote?.(m.message);
          else if (m.type === "log") hooks.onError?.(m.message);
        });
        await new Promise<void>((ok, fail) => {
          worker.on("message", (m: FromWorker) => {
            if (m.type === "ready") ok();
            else if (m.type === "failed") fail(new Error(m.message));
          });
          worker.once("error", fail);
          worker.once("exit", (code) => fail(new Error(`a scoring worker exited (code ${code}) before it was ready`)));
        });
      }
    } catch (e) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw e;
    }
    return new WorkerPool(slots);
  }

  /** Rollouts handed to the workers and not answered yet. */
  get load(): number {
    return this.slots.reduce((a, s) => a + s.load, 0);
  }

  /** Have a worker answer one scoring request of `items` rollouts; the answer's body is JSON text. */
  score(
    route: ScoringRoute,
    body: Uint8Array,
    rubric: string | undefined,
    waited: number,
    items: number,
  ): Promise<Answer & { body: string }> {
    const slot = this.slots.reduce((a, b) => (b.load < a.load ? b : a));
    slot.load += items;
    return new Promise((ok) => {
      const id = this.next++;
      this.waiting.set(id, (m) => {
        slot.load -= items;
        if (m.type === "answer") ok({ status: m.status, headers: m.headers, body: m.payload });
      });
      const msg: ToWorker = { type: "score", id, route, body, rubric, waited };
      slot.worker.postMessage(msg);
    });
  }

  /** Every worker's metrics, as prom-client JSON. */
  async metrics(): Promise<unknown[]> {
    return Promise.all(
      this.slots.map(
        (s) =>
          new Promise<unknown>((ok) => {
            const id = this.next++;
            this.waiting.set(id, (m) => ok(m.type === "metrics" ? m.json : []));
            s.worker.postMessage({ type: "metrics", id } satisfies ToWorker);
          }),
      ),
    );
  }

  /** Let every worker finish its work, close its judge cache and stop. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((ok) => {
            s.worker.once("exit", () => ok());
            s.worker.postMessage({ type: "close" } satisfies ToWorker);
          }),
      ),
    );
  }
}

/** Worker `i` of `n`'s share of the judge's limits; only the first probes the server. */
function share(j: JudgeConfig, n: number, i: number): JudgeConfig {
  const part = (x: number | undefined) => (x === undefined ? undefined : Math.max(1, Math.floor(x / n)));
  return {
    ...j,
    concurrency: Math.max(1, Math.floor(j.concurrency / n) + (i < j.concurrency % n ? 1 : 0)),
    rpm: part(j.rpm),
    tpm: part(j.tpm),
    probe: j.probe && i === 0,
  };
}
