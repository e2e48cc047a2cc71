/**
 * Admission and scheduling of scoring work. A request's items are admitted all at once or not at
 * all: while the items admitted and not yet finished (the depth) plus the new ones would exceed the
 * capacity, the request is refused (the server answers 429 with Retry-After) instead of waiting
 * past its deadline. Admitted items run at most `concurrency` at a time, in arrival order; each
 * starts on a fresh turn of the event loop, so scoring that needs no I/O never keeps requests from
 * being read (and refused) meanwhile. An item whose request gave up before it started is dropped.
 * With `maxWaitS`, a request is also refused when, at the rate items have lately been finishing,
 * the queue ahead of its items would take longer than that to drain: latency stays bounded when
 * the rate falls (an overloaded machine, a slow judge), not only the count of items.
 */

export interface QueueOptions {
  /** items admitted and not finished, at most (a request larger than this is admitted only into an empty queue) */
  capacity: number;
  /** items scored at once */
  concurrency: number;
  /** refuse work that would wait longer than this many seconds to drain, at the recent rate (default: no bound) */
  maxWaitS?: number | null;
  /** the clock, in ms (default Date.now) */
  now?: () => number;
}

interface Waiter {
  start: () => void;
  drop: () => void;
}

export class WorkQueue {
  readonly capacity: number;
  readonly concurrency: number;
  readonly maxWaitS: number | null;
  private readonly now: () => number;
  /** items admitted and not finished */
  depth = 0;
  /** items being scored now */
  running = 0;
  private readonly waiting = new Set<Waiter>();
  /**
   * Busy time before each recent finish (ms since the previous finish, or since the queue last
   * became busy): the drain rate is measured over the time there was work, so a queue that admits
   * little does not take itself to be slow
   */
  private readonly busy: number[] = [];
  private busySum = 0;
  /** when the busy time of the next finish started counting (null while the queue is empty) */
  private mark: number | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(o: QueueOptions) {
    this.capacity = Math.max(1, o.capacity);
    this.concurrency = Math.max(1, o.concurrency);
    this.maxWaitS = o.maxWaitS ?? null;
    this.now = o.now ?? Date.now;
  }

  /** Items admitted and waiting for a slot. */
  get queued(): number {
    return this.waiting.size;
  }

  /** Reserve room for `n` items; false when the queue is too full to take them now. */
  tryAdmit(n: number): boolean {
    if (n <= 0) return true;
    if (!this.canAdmit(n)) return false;
    if (this.depth === 0) this.mark = this.now();
    this.depth += n;
    return true;
  }

  /** Whether `n` items would be admitted now (without reserving room). */
  canAdmit(n: number): boolean {
    return n <= 0 || this.depth === 0 || this.excess(n) <= 0;
  }

  /** Give back room reserved by `tryAdmit`: for items that will not run, or (`finished`) that ran elsewhere. */
  release(n = 1, finished = false): void {
    this.depth -= n;
    if (finished) for (let i = 0; i < n; i++) this.record();
    this.settle();
  }

  /**
   * Run `fn` for one admitted item when a slot is free. Rejects with an AbortError when `signal`
   * fires before it starts (its room is given back at once); otherwise its room is given back when
   * it is done.
   */
  run<T>(fn: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((ok, fail) => {
      if (signal?.aborted) {
        this.release();
        fail(abortError());
        return;
      }
      const onAbort = () => {
        if (!this.waiting.delete(w)) return;
        this.release();
        fail(abortError());
      };
      const w: Waiter = {
        drop: () => signal?.removeEventListener("abort", onAbort),
        start: () => {
          w.drop();
          // a fresh turn of the event loop: requests waiting to be read get their turn first
          setImmediate(() => {
            Promise.resolve()
              .then(fn)
              .then(ok, fail)
              .finally(() => {
                this.running--;
                this.depth--;
                this.record();
                this.settle();
              });
          });
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.add(w);
      this.settle();
    });
  }

  /** Start waiting items while slots are free; wake those waiting for an empty queue. */
  private settle(): void {
    for (const w of this.waiting) {
      if (this.running >= this.concurrency) break;
      this.waiting.delete(w);
      this.running++;
      w.start();
    }
    if (this.depth === 0) {
      this.mark = null;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private record(): void {
    const now = this.now();
    const ms = this.mark === null ? 0 : now - this.mark;
    this.mark = now;
    this.busy.push(ms);
    this.busySum += ms;
    if (this.busy.length > 256) this.busySum -= this.busy.shift()!;
  }

  /** Items finished per second of busy time, over the last 256 (null before two finished). */
  rate(): number | null {
    if (this.busy.length < 2 || this.busySum <= 0) return null;
    return this.busy.length / (this.busySum / 1000);
  }

  /** Items that must finish before `n` more fit: over the capacity, or over what drains within maxWaitS. */
  private excess(n: number): number {
    const over = this.depth + n - this.capacity;
    const rate = this.maxWaitS === null ? null : this.rate();
    return rate === null ? over : Math.max(over, this.depth + n - Math.max(n, this.maxWaitS! * rate));
  }

  /** Seconds until the queue has drained enough to take `n` more items, for Retry-After: at least 1, at most 60. */
  retryAfter(n = 1): number {
    const excess = Math.max(1, this.excess(n));
    const rate = this.rate();
    const secs = rate ? excess / rate : 1;
    return Math.min(60, Math.max(1, Math.ceil(secs)));
  }

  /** Resolves when no admitted item is left. */
  idle(): Promise<void> {
    return this.depth === 0 ? Promise.resolve() : new Promise((ok) => this.idleWaiters.push(ok));
  }
}

function abortError(): Error {
  const e = new Error("the request's deadline passed before the item was scored");
  e.name = "AbortError";
  return e;
}
