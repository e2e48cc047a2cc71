/**
 * The HTTP server (Fastify): routes over the reward service, bearer-token auth, body size and JSON
 * depth limits, 429 with Retry-After when the queue is full, JSON errors that never echo a secret,
 * metrics per route. `close()` stops taking connections and finishes the requests in flight.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from "fastify";
import { AggregatorRegistry } from "prom-client";
import { handleScoring, ITEMS_FIELD, overloaded, SCORING_ROUTES, type Answer, type ScoringRoute } from "./handler.js";
import { bearerMatches, jsonShape } from "./limits.js";
import type { WorkerPool } from "./pool.js";
import type { RewardService } from "./service.js";

export interface HttpOptions {
  /** bearer token every route but /healthz requires (null: no auth) */
  token?: string | null;
  /** largest request body in bytes (default 32 MiB) */
  bodyLimit?: number;
  /** deepest nesting of objects and arrays a body may have (default 64) */
  maxDepth?: number;
  /** pino logger options (false: no log) */
  logger?: boolean | Record<string, unknown>;
  /** what /healthz and /v1/rubrics say about the deciders */
  about?: { judge: string | null; outcome: string | null };
  /** worker threads that score (null: this thread scores) */
  pool?: WorkerPool | null;
}

declare module "fastify" {
  interface FastifyRequest {
    arrived: number;
  }
}

const OPEN = new Set(["/healthz"]);
const SCORING = new Set<string>(SCORING_ROUTES);

export async function buildServer(service: RewardService, o: HttpOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = o.bodyLimit ?? 32 * 1024 * 1024;
  const maxDepth = o.maxDepth ?? 64;
  const app = Fastify({
    bodyLimit,
    logger: o.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // the deadline bounds scoring; the socket may wait a little longer for the answer to be written
    requestTimeout: service.deadlineMs + 60_000,
  });
  const started = Date.now();

  app.decorateRequest("arrived", 0);
  app.addHook("onRequest", async (req, reply) => {
    req.arrived = performance.now();
    const path = req.url.split("?")[0];
    if (o.token && !OPEN.has(path) && !bearerMatches(req.headers.authorization, o.token)) {
      reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="rubricate"')
        .send({
          error: { type: "unauthorized", message: "send the server's token as 'Authorization: Bearer <token>'" },
        });
      return reply;
    }
    // a queue that would refuse even one rollout refuses scoring requests before their bodies are
    // read: under overload the server's time goes to the rollouts it admitted, not to parsing ones it would refuse
    if (req.method === "POST" && SCORING.has(path) && !service.queue.canAdmit(1)) {
      service.metrics.rejected.inc({ route: path });
      send(reply, overloaded(service, service.queue.retryAfter()));
      return reply;
    }
  });
  // on close: requests in flight finish, and their connections close after the answer (not kept alive)
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unknown";
    service.metrics.requests.inc({ route, status: String(reply.statusCode) });
    service.metrics.requestSeconds.observe({ route }, (performance.now() - req.arrived) / 1000);
  });

  // JSON bodies are kept as bytes: the scoring handler (here or in a worker) checks and parses them
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  const pool = o.pool ?? null;

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, "internal error");
    const type =
      status === 413
        ? "too_large"
        : status === 415
          ? "unsupported_media_type"
          : status === 500
            ? "internal"
            : "bad_request";
    const message = status === 500 ? "internal error (see the server's log)" : service.redact(err.message);
    reply.code(status).send({ error: { type, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { type: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` } });
  });

  app.get("/healthz", async () => ({
    status: "ok",
    uptime_s: Math.round((Date.now() - started) / 1000),
    queue: { depth: service.queue.depth, running: service.queue.running, capacity: service.queue.capacity },
    rubrics: [...service.rubrics.keys()],
    reward: service.mode,
    judge: o.about?.judge ?? null,
    outcome: o.about?.outcome ?? null,
  }));

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", service.metrics.registry.contentType);
    if (!pool) {
      service.metrics.queueDepth.set(service.queue.depth);
      service.metrics.queueRunning.set(service.queue.running);
      return service.metrics.registry.metrics();
    }
    // the workers' item and queue metrics summed with this thread's HTTP metrics
    const mine = await service.metrics.registry.getMetricsAsJSON();
    const theirs = (await pool.metrics()) as (typeof mine)[];
    const own = new Set(["rubricate_queue_depth", "rubricate_queue_running", "rubricate_queue_capacity"]);
    const parts = [
      mine.filter((m) => m.name === "rubricate_queue_capacity" || !own.has(m.name)),
      // process_* figures (CPU, memory, file handles) are the whole process's in every thread: counted once, here
      ...theirs.map((t) =>
        t.filter((m) => m.name !== "rubricate_queue_capacity" && !m.name.startsWith("rubricate_process_")),
      ),
    ];
    return AggregatorRegistry.aggregate(parts).metrics();
  });

  app.get("/v1/rubrics", async () => ({
    default: service.defaultRubric.id,
    reward: service.mode,
    fallback: service.fallback,
    judge: o.about?.judge ?? null,
    outcome: o.about?.outcome ?? null,
    rubrics: [...service.rubrics.values()].map((r) => ({
      id: r.id,
      version: r.version,
      hash: r.hash,
      description: r.description,
      criteria: r.criteria.map((c) => ({
        id: c.id,
        title: c.title,
        kind: c.kind,
        polarity: c.polarity,
        weight: c.weight,
        severity: c.severity,
      })),
    })),
  }));

  for (const route of SCORING_ROUTES)
    app.post(route, async (req, reply) => {
      const body = req.body;
      if (!(body instanceof Uint8Array))
        return send(reply, {
          status: 400,
          body: { error: { type: "bad_request", message: "expected a JSON body (content-type: application/json)" } },
        });
      const rubric = (req.query as Record<string, unknown> | undefined)?.rubric;
      const named = typeof rubric === "string" ? rubric : undefined;
      if (!pool)
        return send(
          reply,
          await handleScoring(service, { route, body, rubric: named, arrived: req.arrived, maxDepth }),
        );
      // admitted here by the count of its rollouts, scored in a worker
      const shape = jsonShape(body, maxDepth, ITEMS_FIELD[route as ScoringRoute]);
      if (shape.tooDeep)
        return send(reply, {
          status: 400,
          body: {
            error: {
              type: "bad_request",
              message: `the JSON body nests objects and arrays deeper than ${maxDepth} levels`,
            },
          },
        });
      const n = Math.max(1, shape.items);
      if (!service.queue.tryAdmit(n)) {
        service.metrics.rejected.inc({ route });
        return send(reply, overloaded(service, service.queue.retryAfter(n)));
      }
      try {
        const a = await pool.score(route, body, named, performance.now() - req.arrived, n);
        reply.type("application/json; charset=utf-8");
        return send(reply, a);
      } finally {
        service.queue.release(n, true);
      }
    });

  return app;
}

function send(reply: FastifyReply, a: Answer): FastifyReply {
  reply.code(a.status);
  for (const [k, v] of Object.entries(a.headers ?? {})) reply.header(k, v);
  return reply.send(a.body);
}
