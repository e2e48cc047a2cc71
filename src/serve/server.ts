/**
 * The HTTP server (Fastify): routes over the reward service, bearer-token auth, body size and JSON
 * depth limits, 429 with Retry-After when the queue is full, JSON errors that never echo a secret,
 * metrics per route. `close()` stops taking connections and finishes the requests in flight.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { bearerMatches, nestsDeeper } from "./limits.js";
import { BadRequest, openrlhfAnswer, openrlhfItems } from "./openrlhf.js";
import { parseScoreRequest, scoreAnswer, scoreItems } from "./rich.js";
import { UnknownRubric, type BatchOutcome, type RewardService } from "./service.js";

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
}

declare module "fastify" {
  interface FastifyRequest {
    arrived: number;
  }
}

const OPEN = new Set(["/healthz"]);
const SCORING = new Set(["/get_reward", "/v1/score"]);

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
    // a full queue refuses scoring requests before their bodies are read: under overload the
    // server's time goes to the rollouts it admitted, not to parsing ones it would refuse
    if (req.method === "POST" && SCORING.has(path) && service.queue.depth >= service.queue.capacity) {
      service.metrics.rejected.inc({ route: path });
      refuse(reply, service, service.queue.retryAfter());
      return reply;
    }
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unknown";
    service.metrics.requests.inc({ route, status: String(reply.statusCode) });
    service.metrics.requestSeconds.observe({ route }, (performance.now() - req.arrived) / 1000);
  });

  // JSON bodies: refused unparsed when nested too deep, then Fastify's parser (which refuses __proto__ keys)
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    if (nestsDeeper(body as string, maxDepth))
      return done(new BadRequest(`the JSON body nests objects and arrays deeper than ${maxDepth} levels`), undefined);
    parseJson(req, body as string, done);
  });

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
    service.metrics.queueDepth.set(service.queue.depth);
    service.metrics.queueRunning.set(service.queue.running);
    reply.header("content-type", service.metrics.registry.contentType);
    return service.metrics.registry.metrics();
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

  app.post("/get_reward", async (req, reply) => {
    const rubric = rubricOf(service, req);
    const items = openrlhfItems(req.body, service);
    const out = await service.scoreBatch(items, rubric, "/get_reward", { arrived: req.arrived });
    if (refused(out, service, reply)) return reply;
    return openrlhfAnswer((out as { results: Parameters<typeof openrlhfAnswer>[0] }).results);
  });

  app.post("/v1/score", async (req, reply) => {
    const body = parseScoreRequest(req.body);
    const rubric = rubricOf(service, req, body.rubric);
    const { items, parsed } = scoreItems(body, service);
    const timeoutMs = body.options?.timeout_s !== undefined ? body.options.timeout_s * 1000 : undefined;
    const out = await service.scoreBatch(items, rubric, "/v1/score", { arrived: req.arrived, timeoutMs });
    if (refused(out, service, reply)) return reply;
    return scoreAnswer(
      body,
      parsed,
      (out as { results: Parameters<typeof scoreAnswer>[2] }).results,
      rubric,
      service.mode,
    );
  });

  return app;
}

/** The rubric a request names in its body or as `?rubric=` (ids of the server's rubrics only, never a path). */
function rubricOf(service: RewardService, req: FastifyRequest, fromBody?: string) {
  const q = (req.query as Record<string, unknown> | undefined)?.rubric;
  try {
    return service.rubric(fromBody ?? (typeof q === "string" ? q : undefined));
  } catch (e) {
    if (e instanceof UnknownRubric) throw new BadRequest(e.message);
    throw e;
  }
}

/** Answer 429 with Retry-After when the queue refused the batch. */
function refused(out: BatchOutcome, service: RewardService, reply: FastifyReply): boolean {
  if (!("retryAfter" in out)) return false;
  refuse(reply, service, out.retryAfter);
  return true;
}

function refuse(reply: FastifyReply, service: RewardService, seconds: number): void {
  reply
    .code(429)
    .header("retry-after", String(seconds))
    .send({
      error: {
        type: "overloaded",
        message: `the scoring queue is full (${service.queue.depth} of ${service.queue.capacity} rollouts admitted); retry after ${seconds} s`,
      },
    });
}
