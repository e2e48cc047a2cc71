/** A real redis-server on loopback for the queue tests, and the CLI's worker processes. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { CLI } from "../judge/cli.js";
import { ROOT } from "../helpers.js";

/** Whether redis-server is installed (CI installs it; the tests say why they skip without it). */
export const HAS_REDIS = spawnSync("redis-server", ["--version"]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  client(): Redis;
  /** stop the server (as a restart would: SHUTDOWN saves with persistence on) */
  stop(): Promise<void>;
  /** start it again on the same port and data folder */
  start(): Promise<void>;
}

export async function startRedis(o: { persist?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "rubricate-redis-"));
  let proc: ChildProcess | null = null;
  const clients: Redis[] = [];
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    ...(o.persist ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ];
  const start = async () => {
    proc = spawn("redis-server", args, { stdio: "ignore" });
    for (let i = 0; i < 300; i++) {
      const c = new Redis({
        port,
        host: "127.0.0.1",
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 1,
      });
      c.on("error", () => {}); // not up yet: the connect below fails and is tried again
      try {
        await c.connect();
        await c.ping();
        c.disconnect();
        return;
      } catch {
        c.disconnect();
        await new Promise((ok) => setTimeout(ok, 50));
      }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    client() {
      const c = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
      c.on("error", () => {}); // a restart test stops the server under it; its commands fail or retry
      clients.push(c);
      return c;
    },
    async stop() {
      const p = proc;
      if (!p) return;
      const exited = new Promise((ok) => p.once("exit", ok));
      p.kill("SIGTERM");
      await exited;
      proc = null;
      if (!clients.length) return;
    },
    start,
  };
}

/** Every worker process the tests started and that has not exited. */
const running = new Set<ChildProcess>();

/** A `rubricate worker` process (quiet, short locks so a killed worker's job moves on fast). */
export function worker(
  url: string,
  id: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  const p = spawn(
    process.execPath,
    [CLI, "worker", "--redis", url, "--id", id, "--lock-seconds", "3", "-q", ...extra],
    {
      cwd: ROOT,
      env,
      stdio: "ignore",
    },
  );
  running.add(p);
  p.once("exit", () => running.delete(p));
  return p;
}

/** Stop worker processes (all the tests started, by default): SIGTERM, then SIGKILL after 10 s. */
export async function stopAll(ps: Iterable<ChildProcess> = running): Promise<void> {
  await Promise.all(
    [...ps].map((p) => {
      if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
      return new Promise<void>((ok) => {
        const hard = setTimeout(() => p.kill("SIGKILL"), 10_000);
        p.once("exit", () => {
          clearTimeout(hard);
          ok();
        });
        p.kill("SIGTERM");
      });
    }),
  );
}

/** Poll until `cond` holds (or fail after `ms`). */
export async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
