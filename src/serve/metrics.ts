/**
 * The server's Prometheus metrics (prom-client), in a registry of their own so that several
 * servers in one process (tests, an embedding application) do not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Why an item got the fallback reward (also the `type` of the item's error). */
export const ERROR_TYPES = ["parse", "judge", "deadline", "no_reward", "internal"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"route" | "status">;
  readonly requestSeconds: Histogram<"route">;
  readonly items: Counter<"route" | "result">;
  readonly itemSeconds: Histogram<"route">;
  readonly errors: Counter<"type">;
  readonly rejected: Counter<"route">;
  readonly queueDepth: Gauge;
  readonly queueRunning: Gauge;
  readonly queueCapacity: Gauge;
  readonly resultCache: Counter<"result">;
  readonly judgeRequests: Counter;
  readonly judgeCacheHits: Counter;

  constructor(o: { defaults?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "rubricate_http_requests_total",
      help: "HTTP requests answered, by route and status code",
      labelNames: ["route", "status"],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: "rubricate_http_request_duration_seconds",
      help: "Time from a request's arrival to its answer",
      labelNames: ["route"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.items = new Counter({
      name: "rubricate_items_total",
      help: "Rollouts answered, by route and result (scored, cached, fallback)",
      labelNames: ["route", "result"],
      registers,
    });
    this.itemSeconds = new Histogram({
      name: "rubricate_item_duration_seconds",
      help: "Time from a rollout's arrival to its reward, waiting in the queue included",
      labelNames: ["route"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: "rubricate_item_errors_total",
      help: `Rollouts given the fallback reward, by why (${ERROR_TYPES.join(", ")})`,
      labelNames: ["type"],
      registers,
    });
    for (const type of ERROR_TYPES) this.errors.inc({ type }, 0);
    this.rejected = new Counter({
      name: "rubricate_rejected_requests_total",
      help: "Requests answered 429 because the scoring queue was full",
      labelNames: ["route"],
      registers,
    });
    this.queueDepth = new Gauge({
      name: "rubricate_queue_depth",
      help: "Rollouts admitted and not yet scored (waiting or being scored)",
      registers,
    });
    this.queueRunning = new Gauge({
      name: "rubricate_queue_running",
      help: "Rollouts being scored now",
      registers,
    });
    this.queueCapacity = new Gauge({
      name: "rubricate_queue_capacity",
      help: "Rollouts the queue admits before answering 429",
      registers,
    });
    this.resultCache = new Counter({
      name: "rubricate_result_cache_total",
      help: "Lookups of the in-memory result cache, by result (hit, miss)",
      labelNames: ["result"],
      registers,
    });
    this.judgeRequests = new Counter({
      name: "rubricate_judge_requests_total",
      help: "Requests sent to the judge server (answers from the judge cache are not counted)",
      registers,
    });
    this.judgeCacheHits = new Counter({
      name: "rubricate_judge_cache_hits_total",
      help: "Judge answers taken from the judge cache",
      registers,
    });
    if (o.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: "rubricate_" });
  }
}
