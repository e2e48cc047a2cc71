/** `rubricate serve`: serve rewards to RL trainers over HTTP until SIGINT / SIGTERM. */
import { readJudgeConfig, resolveJudge } from "../judge/config.js";
import { RubricError } from "../rubric/load.js";
import { serve, ServeUsageError } from "../serve/start.js";
import { judgeFlagsOf } from "./judgeflags.js";
import { note } from "./output.js";

/** Start the server with the parsed flags of `rubricate serve` (registered in commands/serve.ts); resolves at SIGINT / SIGTERM. */
export async function runServe(o: Record<string, any>): Promise<number> {
  const judgeFlags = judgeFlagsOf(o);

  let running: Awaited<ReturnType<typeof serve>>;
  try {
    const judge = resolveJudge(judgeFlags, o.judgeConfig ? readJudgeConfig(o.judgeConfig) : undefined);
    running = await serve({
      rubrics: o.rubric,
      judge,
      outcomeModel: o.outcomeModel === false ? false : o.outcomeModel,
      reward: o.reward,
      alpha: o.alpha,
      fallback: o.fallbackReward,
      cacheSize: o.cacheSize,
      maxQueue: o.maxQueue,
      maxWaitS: o.maxWait,
      concurrency: o.scoreConcurrency,
      workers: o.workers,
      deadlineS: o.deadline,
      host: o.host,
      port: o.port,
      bodyLimit: Math.round(o.maxBodyMb * 1024 * 1024),
      maxDepth: o.maxDepth,
      logger: o.logLevel === "silent" ? false : { level: o.logLevel, stream: process.stderr },
      onNote: note,
    });
  } catch (e) {
    if (e instanceof ServeUsageError || e instanceof RubricError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      note(`rubricate serve: cannot listen on ${o.host}:${o.port}: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
  const s = running.service;
  note(
    `rubricate serve: listening on ${running.url} — rubric ${s.defaultRubric.id} ${s.defaultRubric.version} (${s.defaultRubric.hash})` +
      `${s.rubrics.size > 1 ? ` and ${s.rubrics.size - 1} more` : ""}, reward ${s.mode} (fallback ${s.fallback}), ` +
      `judge ${running.judge ? running.judge.config.panel.map((m) => m.model).join("+") : "none"}, ` +
      `queue ${s.queue.capacity} rollouts, ${o.workers ? `${o.workers} scoring workers` : "scoring in the server's thread"}, deadline ${s.deadlineMs / 1000} s, auth ${process.env.RUBRICATE_TOKEN ? "bearer token" : "none (loopback only)"}`,
  );
  await new Promise<void>((done) => {
    let closing = false;
    const stop = (signal: string) => {
      if (closing) {
        note(`rubricate serve: ${signal} again, stopping now`);
        process.exit(1);
      }
      closing = true;
      note(
        `rubricate serve: ${signal}: finishing the requests in flight (${s.queue.depth} rollouts admitted), then stopping`,
      );
      running.close().then(done, (e: Error) => {
        note(`rubricate serve: error while stopping: ${e.message}`);
        done();
      });
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
  note("rubricate serve: stopped");
  return 0;
}
