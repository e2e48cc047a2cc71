/**
 * A reward server from its settings: rubrics loaded, the judge built (and probed), the outcome
 * model loaded, then listening. What `rubricate serve` runs; callable from the library. With
 * `workers` > 0 the rollouts are scored in that many worker threads, each with the same service.
 */
import type { FastifyInstance } from "fastify";
import type { BuiltJudge } from "../judge/build.js";
import {
  about,
  buildService,
  capacityOf,
  checkSettings,
  loadRubrics,
  ServeUsageError,
  type ServiceSettings,
} from "./build.js";
import { isLoopback } from "./limits.js";
import { ServeMetrics } from "./metrics.js";
import { WorkerPool } from "./pool.js";
import { buildServer } from "./server.js";
import { RewardService } from "./service.js";

export { ServeUsageError, type ServiceSettings } from "./build.js";

export interface ServeOptions extends ServiceSettings {
  host?: string;
  /** 0: any free port */
  port?: number;
  /** bearer token (default: RUBRICATE_TOKEN); required to listen beyond loopback */
  token?: string | null;
  bodyLimit?: number;
  maxDepth?: number;
  /** worker threads that score (0: the server's own thread; default 0) */
  workers?: number;
  /** pino logger options for the server's log (default: none) */
  logger?: boolean | Record<string, unknown>;
  /** hears what the judge probe found and warnings */
  onNote?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  service: RewardService;
  judge: BuiltJudge | null;
  /** stop taking connections, finish the requests in flight, close the judge cache */
  close(): Promise<void>;
}

/** Build the service and its HTTP server, without listening (tests use `app.inject`). */
export async function createRewardServer(
  o: ServeOptions,
): Promise<{ app: FastifyInstance; service: RewardService; judge: BuiltJudge | null; pool: WorkerPool | null }> {
  const host = o.host ?? "127.0.0.1";
  const token = o.token === undefined ? (process.env.RUBRICATE_TOKEN ?? null) : o.token;
  if (!isLoopback(host) && !token)
    throw new ServeUsageError(
      `refusing to listen on ${host} without a token: set RUBRICATE_TOKEN (clients send 'Authorization: Bearer <token>'), or listen on 127.0.0.1`,
    );
  const settings: ServiceSettings = {
    rubrics: o.rubrics,
    judge: o.judge,
    outcomeModel: o.outcomeModel,
    reward: o.reward,
    alpha: o.alpha,
    fallback: o.fallback,
    cacheSize: o.cacheSize,
    maxQueue: o.maxQueue,
    maxWaitS: o.maxWaitS,
    concurrency: o.concurrency,
    deadlineS: o.deadlineS,
    secrets: [token, ...(o.judge?.panel.map((m) => m.apiKey) ?? [])].filter((x): x is string => !!x),
  };
  checkSettings(settings);
  const workers = o.workers ?? 0;
  let log: ((m: string) => void) | undefined;
  let pool: WorkerPool | null = null;
  let service: RewardService;
  let judge: BuiltJudge | null = null;
  if (workers > 0) {
    // the server's thread admits and answers; it keeps a service of its own only for what it says
    // about the rubrics, its queue (admission) and its metrics (summed with the workers')
    service = new RewardService({
      rubrics: loadRubrics(settings.rubrics),
      reward: settings.reward,
      alpha: settings.alpha,
      fallback: settings.fallback,
      capacity: capacityOf(settings),
      maxWaitS: settings.maxWaitS,
      deadlineMs: (settings.deadlineS ?? 120) * 1000,
      metrics: new ServeMetrics(),
      secrets: settings.secrets,
    });
    pool = await WorkerPool.start(workers, settings, o.maxDepth ?? 64, { onNote: o.onNote, onError: (m) => log?.(m) });
  } else {
    ({ service, judge } = await buildService(settings, { onNote: o.onNote, onError: (m) => log?.(m) }));
  }
  try {
    const app = await buildServer(service, {
      token,
      bodyLimit: o.bodyLimit,
      maxDepth: o.maxDepth,
      logger: o.logger,
      about: about(settings),
      pool,
    });
    log = (m) => app.log.warn(m);
    // work still going on past its request's deadline finishes before the judge cache closes
    app.addHook("onClose", async () => {
      await service.queue.idle();
      judge?.close();
      await pool?.close();
    });
    return { app, service, judge, pool };
  } catch (e) {
    judge?.close();
    await pool?.close();
    throw e;
  }
}

/** Start a reward server and listen. */
export async function serve(o: ServeOptions = {}): Promise<RunningServer> {
  const { app, service, judge } = await createRewardServer(o);
  const host = o.host ?? "127.0.0.1";
  try {
    await app.listen({ host, port: o.port ?? 8787 });
  } catch (e) {
    await app.close();
    throw e;
  }
  const addr = app.server.address();
  const port = addr && typeof addr === "object" ? addr.port : o.port;
  const shown = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${shown}:${port}`, app, service, judge, close: () => app.close() };
}
