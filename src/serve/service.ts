/**
 * The reward service behind the HTTP routes: rollouts in, one reward each out. It owns the
 * rubrics, the deciders (judge, outcome model), the queue that bounds the work admitted, the
 * per-request deadline, and an in-memory cache of records keyed by content (the same rollout and
 * rubric always get the same record; a rollout being scored is not scored twice at once). A
 * rollout that cannot be read, judged or scored in time gets the fallback reward and its error;
 * the other rollouts of its batch are unaffected.
 */
import type { Facts } from "../analyze/facts.js";
import { IngestError } from "../io/error.js";
import type { Criterion, Rubric } from "../rubric/schema.js";
import { pResolved, REWARD_MODES, reward as modeReward, type RewardMode } from "../score/reward.js";
import { scoreRollout, type Rollout } from "../score/rollout.js";
import type { Decider } from "../types/decider.js";
import type { ScoreRecord } from "../types/score.js";
import { ServeMetrics, type ErrorType } from "./metrics.js";
import { WorkQueue } from "./queue.js";

/**
 * How a record becomes a reward: the library's reward modes, with the same default as eval and
 * select (`resolved`: the record's calibrated p(resolved); `rubric`: its behaviour score).
 */
export const SERVE_REWARDS = REWARD_MODES;
export type ServeReward = RewardMode;

export interface ServiceOptions {
  /** the rubrics requests may name; the first is the default */
  rubrics: Rubric[];
  /** decides `judge` criteria */
  judge?: Decider<Facts, Criterion> | null;
  /** decides `outcome` criteria (the outcome model, or the judge) */
  outcome?: Decider<Facts, Criterion> | null;
  reward?: ServeReward;
  /** weight of the rubric score in the `linear` reward */
  alpha?: number;
  /** the reward of a rollout that could not be scored (default 0) */
  fallback?: number;
  /** records kept in the result cache (0: none; default 4096) */
  cacheSize?: number;
  /** rollouts admitted and not finished before requests are refused (default 256) */
  capacity?: number;
  /** refuse requests whose rollouts would wait longer than this many seconds at the recent scoring rate (default: no bound) */
  maxWaitS?: number | null;
  /** rollouts scored at once (default 1) */
  concurrency?: number;
  /** the longest a request may take, in ms (default 120 s) */
  deadlineMs?: number;
  metrics?: ServeMetrics;
  /** strings never to show in an answer (the server's token, judge API keys) */
  secrets?: string[];
  /** hears why rollouts got the fallback (judge failures, deadlines, internal errors) */
  onError?: (message: string) => void;
}

export interface ItemError {
  type: ErrorType;
  message: string;
}

/** One rollout of a request, read and ready to score, or the error that kept it from being read. */
export interface Prepared {
  /** names the rollout in errors, e.g. "items[3]" */
  name: string;
  rollout: Rollout | null;
  /** sha256 of the rollout's content */
  hash: string;
  error: ItemError | null;
}

export interface ItemResult {
  reward: number;
  /** true when `reward` is the fallback */
  failed: boolean;
  p_resolved: number | null;
  /** the rubric's aggregate score */
  behaviour_score: number | null;
  record: ScoreRecord | null;
  /** the record came from the result cache */
  cache_hit: boolean;
  error: ItemError | null;
  /** from the request's arrival to this rollout's reward */
  latency_ms: number;
}

export type BatchOutcome = { results: ItemResult[] } | { retryAfter: number };

/** Unscored reasons that mean a decider failed (the reward would be computed over other criteria than usual). */
const FAILURES = new Set(["judge_error", "malformed_response", "context_too_long", "check_error"]);

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly size: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    if (this.size <= 0) return;
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

export class RewardService {
  readonly rubrics: ReadonlyMap<string, Rubric>;
  readonly defaultRubric: Rubric;
  readonly queue: WorkQueue;
  readonly metrics: ServeMetrics;
  readonly mode: ServeReward;
  readonly fallback: number;
  readonly deadlineMs: number;
  private readonly cache: Lru<ScoreRecord>;
  private readonly pending = new Map<string, Promise<ScoreRecord>>();
  private readonly secrets: string[];

  constructor(private readonly o: ServiceOptions) {
    if (!o.rubrics.length) throw new Error("the reward service needs at least one rubric");
    this.rubrics = new Map(o.rubrics.map((r) => [r.id, r]));
    this.defaultRubric = o.rubrics[0];
    this.mode = o.reward ?? "resolved";
    this.fallback = o.fallback ?? 0;
    this.deadlineMs = o.deadlineMs ?? 120_000;
    this.queue = new WorkQueue({ capacity: o.capacity ?? 256, concurrency: o.concurrency ?? 1, maxWaitS: o.maxWaitS });
    this.cache = new Lru(o.cacheSize ?? 4096);
    this.metrics = o.metrics ?? new ServeMetrics();
    this.metrics.queueCapacity.set(this.queue.capacity);
    this.secrets = (o.secrets ?? []).filter((s) => s.length >= 4);
  }

  /** The rubric a request names (by id, among those the server loaded), or the default. */
  rubric(id?: string | null): Rubric {
    if (id === undefined || id === null || id === "") return this.defaultRubric;
    const r = this.rubrics.get(id);
    if (!r) throw new UnknownRubric(id, [...this.rubrics.keys()]);
    return r;
  }

  /** A rollout read with `read`; an error reading it becomes the item's error (type parse). */
  prepare(name: string, hash: string, read: () => Rollout): Prepared {
    try {
      return { name, hash, rollout: read(), error: null };
    } catch (e) {
      return { name, hash, rollout: null, error: { type: "parse", message: this.describe(e) } };
    }
  }

  /**
   * Score a request's rollouts. Cached and in-flight rollouts need no room; the rest are admitted
   * together or the request is refused with the seconds to wait. Results come back by the deadline:
   * rollouts not done by then get the fallback reward (their work goes on, and fills the cache).
   */
  async scoreBatch(
    items: Prepared[],
    rubric: Rubric,
    route: string,
    o: { timeoutMs?: number; arrived?: number } = {},
  ): Promise<BatchOutcome> {
    const arrived = o.arrived ?? performance.now();
    const keyOf = (p: Prepared) => `${rubric.hash}:${p.hash}`;
    const work = new Map<string, Prepared>();
    const cached = new Map<number, ScoreRecord>();
    items.forEach((p, i) => {
      if (p.error) return;
      const key = keyOf(p);
      const hit = this.cache.get(key);
      if (hit) cached.set(i, hit);
      else if (!this.pending.has(key) && !work.has(key)) work.set(key, p);
    });
    if (this.cache.size > 0) {
      this.metrics.resultCache.inc({ result: "hit" }, cached.size);
      this.metrics.resultCache.inc({ result: "miss" }, items.length - cached.size);
    }
    if (!this.queue.tryAdmit(work.size)) {
      this.metrics.rejected.inc({ route });
      return { retryAfter: this.queue.retryAfter(work.size) };
    }
    const budget = Math.min(this.deadlineMs, o.timeoutMs ?? Infinity);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, budget - (performance.now() - arrived)));
    const expired = new Promise<"deadline">((ok) =>
      deadline.signal.addEventListener("abort", () => ok("deadline"), { once: true }),
    );
    for (const [key, p] of work) {
      const job = this.queue.run(() => this.scoreOne(p, rubric), deadline.signal);
      this.pending.set(key, job);
      job
        .then(
          (r) => {
            if (cacheable(r, !!this.o.outcome)) this.cache.set(key, r);
          },
          () => {},
        )
        .finally(() => this.pending.delete(key));
    }
    this.metrics.queueDepth.set(this.queue.depth);
    try {
      const results = await Promise.all(
        items.map(async (p, i): Promise<ItemResult> => {
          if (p.error) return this.failed(p.error, null, false, arrived);
          const hit = cached.get(i);
          if (hit) return this.result(hit, true, arrived);
          const job = this.pending.get(keyOf(p));
          if (!job) return this.result(this.cache.get(keyOf(p))!, true, arrived);
          const r = await Promise.race([job, expired]).catch((e: unknown) => e as Error);
          if (r === "deadline" || (r instanceof Error && r.name === "AbortError"))
            return this.failed(
              { type: "deadline", message: `${p.name}: not scored within the request's ${budget} ms deadline` },
              null,
              false,
              arrived,
            );
          if (r instanceof Error) return this.failed(errorOf(r, p.name, this), null, false, arrived);
          return this.result(r, false, arrived);
        }),
      );
      for (const r of results) {
        this.metrics.items.inc({ route, result: r.failed ? "fallback" : r.cache_hit ? "cached" : "scored" });
        this.metrics.itemSeconds.observe({ route }, r.latency_ms / 1000);
        if (r.error) {
          this.metrics.errors.inc({ type: r.error.type });
          if (r.error.type !== "parse") this.o.onError?.(r.error.message);
        }
        if (r.record?.usage && !r.cache_hit) {
          this.metrics.judgeRequests.inc(r.record.usage.requests);
          this.metrics.judgeCacheHits.inc(r.record.usage.cache_hits);
        }
      }
      return { results };
    } finally {
      clearTimeout(timer);
      this.metrics.queueDepth.set(this.queue.depth);
      this.metrics.queueRunning.set(this.queue.running);
    }
  }

  private async scoreOne(p: Prepared, rubric: Rubric): Promise<ScoreRecord> {
    this.metrics.queueRunning.set(this.queue.running);
    return scoreRollout(p.rollout!, rubric, {
      judge: this.o.judge ?? undefined,
      outcome: this.o.outcome ?? undefined,
      name: p.name,
      hash: p.hash,
    });
  }

  /** The result of a scored record: its reward, or the fallback when the reward cannot be trusted. */
  private result(record: ScoreRecord, cacheHit: boolean, arrived: number): ItemResult {
    const problem = failureOf(record, this.mode);
    if (problem) return this.failed(problem, record, cacheHit, arrived);
    const value = modeReward(record, { mode: this.mode, alpha: this.o.alpha });
    if (value === null) return this.failed(noReward(record, this.mode), record, cacheHit, arrived);
    return {
      reward: value,
      failed: false,
      p_resolved: pResolved(record),
      behaviour_score: record.score,
      record,
      cache_hit: cacheHit,
      error: null,
      latency_ms: performance.now() - arrived,
    };
  }

  private failed(error: ItemError, record: ScoreRecord | null, cacheHit: boolean, arrived: number): ItemResult {
    return {
      reward: this.fallback,
      failed: true,
      p_resolved: record ? pResolved(record) : null,
      behaviour_score: record?.score ?? null,
      record,
      cache_hit: cacheHit,
      error: { type: error.type, message: this.redact(error.message) },
      latency_ms: performance.now() - arrived,
    };
  }

  /** An error's message with the server's secrets blanked out. */
  redact(message: string): string {
    let out = message;
    for (const s of this.secrets) out = out.split(s).join("[redacted]");
    return out;
  }

  describe(e: unknown): string {
    return this.redact(e instanceof IngestError ? e.describe() : e instanceof Error ? e.message : String(e));
  }
}

export class UnknownRubric extends Error {
  constructor(
    readonly id: string,
    readonly known: string[],
  ) {
    super(`unknown rubric '${id}'; this server serves: ${known.join(", ")}`);
    this.name = "UnknownRubric";
  }
}

function errorOf(e: Error, name: string, s: RewardService): ItemError {
  if (e instanceof IngestError) return { type: "parse", message: s.describe(e) };
  return { type: "internal", message: `${name}: scoring failed: ${s.describe(e)}` };
}

/**
 * A record worth keeping: no decider failed on it (a failure is asked again next time). With an
 * outcome decider, a record without p(resolved) is a failure too (the decider asked directly, for
 * a rubric without an outcome criterion, leaves no criterion to say so).
 */
function cacheable(r: ScoreRecord, outcome: boolean): boolean {
  if (r.error || r.criteria.some((c) => c.reason !== undefined && FAILURES.has(c.reason))) return false;
  return !outcome || pResolved(r) !== null || r.criteria.some((c) => c.kind === "outcome");
}

/** Why a record's reward cannot be trusted: the criteria the reward reads were not all decided as usual. */
function failureOf(r: ScoreRecord, mode: ServeReward): ItemError | null {
  if (r.error) return { type: "internal", message: `${r.source.file}: ${r.error}` };
  if (mode === "terminal") return null;
  for (const c of r.criteria) {
    if (c.reason === undefined || !FAILURES.has(c.reason)) continue;
    if (mode === "resolved" && c.kind !== "outcome") continue;
    return {
      type: c.reason === "check_error" ? "internal" : "judge",
      message: `${r.source.file}: criterion ${c.id} (${c.by}): ${c.explanation}`,
    };
  }
  return null;
}

function noReward(r: ScoreRecord, mode: ServeReward): ItemError {
  const where = r.source.file;
  if (mode === "resolved") {
    const c = r.criteria.find((x) => x.kind === "outcome");
    return {
      type: "no_reward",
      message: c
        ? `${where}: p(resolved) is unknown: criterion ${c.id} is ${c.status.replace("_", " ")} (${c.explanation})`
        : `${where}: p(resolved) is unknown: the outcome decider gave no value`,
    };
  }
  if (mode === "terminal" || r.label === null)
    return {
      type: "no_reward",
      message: `${where}: the ${mode} reward needs the rollout's test outcome (send "resolved": true|false)`,
    };
  return { type: "no_reward", message: `${where}: no criterion of the rubric could be decided, so there is no score` };
}
