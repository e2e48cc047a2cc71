/**
 * A reward server from its settings: rubrics loaded, the judge built (and probed), the outcome
 * model loaded, then listening. What `rubricate serve` runs; callable from the library.
 */
import type { FastifyInstance } from "fastify";
import { buildJudge, type BuiltJudge } from "../judge/build.js";
import type { JudgeConfig } from "../judge/config.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import { loadRubric } from "../rubric/load.js";
import { isLoopback } from "./limits.js";
import { ServeMetrics } from "./metrics.js";
import { buildServer } from "./server.js";
import { RewardService, type ServeReward } from "./service.js";

export interface ServeOptions {
  /** rubric ids or files; the first is the default (default: swe-default) */
  rubrics?: string[];
  /** the judge (see `resolveJudge`); null: no judge */
  judge?: JudgeConfig | null;
  /** outcome model file; false: none; undefined: the shipped model */
  outcomeModel?: string | false;
  reward?: ServeReward;
  alpha?: number;
  fallback?: number;
  cacheSize?: number;
  /** rollouts admitted and not finished before requests get 429 (default 64; with a judge 32 per judge request in flight) */
  maxQueue?: number;
  /** rollouts scored at once (default: twice the judge's concurrency, 1 without a judge) */
  concurrency?: number;
  /** the longest a request may take, in seconds (default 120) */
  deadlineS?: number;
  host?: string;
  /** 0: any free port */
  port?: number;
  /** bearer token (default: RUBRICATE_TOKEN); required to listen beyond loopback */
  token?: string | null;
  bodyLimit?: number;
  maxDepth?: number;
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

export class ServeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServeUsageError";
  }
}

/** Build the service and its HTTP server, without listening (tests use `app.inject`). */
export async function createRewardServer(
  o: ServeOptions,
): Promise<{ app: FastifyInstance; service: RewardService; judge: BuiltJudge | null }> {
  const host = o.host ?? "127.0.0.1";
  const token = o.token === undefined ? (process.env.RUBRICATE_TOKEN ?? null) : o.token;
  if (!isLoopback(host) && !token)
    throw new ServeUsageError(
      `refusing to listen on ${host} without a token: set RUBRICATE_TOKEN (clients send 'Authorization: Bearer <token>'), or listen on 127.0.0.1`,
    );
  const rubrics = (o.rubrics?.length ? o.rubrics : ["swe-default"]).map((r) => loadRubric(r));
  const ids = new Set<string>();
  for (const r of rubrics) {
    if (ids.has(r.id)) throw new ServeUsageError(`two rubrics have the id '${r.id}'; requests name rubrics by id`);
    ids.add(r.id);
  }
  const judge = o.judge ? await buildJudge(o.judge, rubrics[0], o.onNote) : null;
  try {
    const judgeOutcome = !!judge && (judge.config.outcome || judge.config.mode === "outcome");
    const modelPath =
      judgeOutcome || o.outcomeModel === false ? null : (o.outcomeModel ?? (hasDefaultModel() ? DEFAULT_MODEL : null));
    const outcome = modelPath ? outcomeProvider(modelPath) : null;
    const perItem = judge ? judge.config.concurrency * judge.config.panel.length : 0;
    const service = new RewardService({
      rubrics,
      judge: judge?.decider ?? null,
      outcome: judgeOutcome ? judge!.decider : outcome,
      reward: o.reward,
      alpha: o.alpha,
      fallback: o.fallback,
      cacheSize: o.cacheSize,
      capacity: o.maxQueue ?? (judge ? 32 * perItem : 64),
      concurrency: o.concurrency ?? (judge ? 2 * perItem : 1),
      deadlineMs: (o.deadlineS ?? 120) * 1000,
      metrics: new ServeMetrics(),
      secrets: [token, ...(o.judge?.panel.map((m) => m.apiKey) ?? [])].filter((s): s is string => !!s),
      onError: (m) => app.log.warn(m),
    });
    const about = {
      judge: judge ? `${judge.config.panel.map((m) => m.model).join("+")} (${judge.config.mode} mode)` : null,
      outcome: judgeOutcome ? "judge" : outcome ? outcome.model.version : null,
    };
    const app = await buildServer(service, {
      token,
      bodyLimit: o.bodyLimit,
      maxDepth: o.maxDepth,
      logger: o.logger,
      about,
    });
    // work still going on past its request's deadline finishes before the judge cache closes
    app.addHook("onClose", async () => {
      await service.queue.idle();
      judge?.close();
    });
    return { app, service, judge };
  } catch (e) {
    judge?.close();
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
