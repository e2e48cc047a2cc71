/**
 * Queue benchmark: trajectories per second scored through Redis and BullMQ with 1, 2 and 4
 * worker processes, next to single-process `rubricate score` over the same inputs in the same
 * run (no judge: checks and the outcome model), and what the queue adds per trajectory. Needs
 * redis-server on the PATH; starts its own on loopback.
 *
 * Usage: node dist/bench/queue.js [--data DIR ...] [--workers 1,2,4]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { loadavg, cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { runKeys } from "../src/queue/keys.js";
import { startRedis } from "../test/queue/redis.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = resolve(root, "dist", "src", "cli", "main.js");
const { values } = parseArgs({
  options: {
    data: { type: "string", multiple: true, default: [resolve(root, "..", "shared", "data", "trajectories")] },
    workers: { type: "string", default: "1,2,4" },
  },
});
const inputs = values.data!;

function run(args: string[]): Promise<{ code: number | null; ms: number; stderr: string }> {
  const t0 = Date.now();
  return new Promise((ok) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (code) => ok({ code, ms: Date.now() - t0, stderr }));
  });
}

async function records(redis: Redis, run: string): Promise<number> {
  let n = 0;
  for (const v of Object.values(await redis.hgetall(runKeys(run).results)))
    n += (JSON.parse(v) as { records: string }).records.split("\n").length - 1;
  return n;
}

console.log(
  `queue bench: ${inputs.join(", ")}; ${cpus().length} cores, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const single = await run(["score", ...inputs, "-q", "-o", "/dev/null"]);
if (single.code !== 0 && single.code !== 1) throw new Error(`score failed: ${single.stderr}`);
const server = await startRedis();
const redis = new Redis(server.url, { maxRetriesPerRequest: null });
try {
  const rows: string[][] = [];
  let n = 0;
  for (const k of values.workers!.split(",").map(Number)) {
    const name = `bench-${k}`;
    const t0 = Date.now();
    const sub = await run(["queue", "submit", ...inputs, "--redis", server.url, "--run", name]);
    if (sub.code !== 0 && sub.code !== 1) throw new Error(`submit failed: ${sub.stderr}`);
    const jobs = await redis.llen(runKeys(name).jobs);
    const ws: ChildProcess[] = Array.from({ length: k }, (_, i) =>
      spawn(process.execPath, [CLI, "worker", "--redis", server.url, "--id", `b${i}`, "-q"], {
        cwd: root,
        stdio: "ignore",
      }),
    );
    while ((await redis.hlen(runKeys(name).results)) < jobs) await new Promise((ok) => setTimeout(ok, 100));
    const col = await run(["queue", "collect", name, "--redis", server.url, "-q", "-o", "/dev/null"]);
    const ms = Date.now() - t0;
    await Promise.all(ws.map((w) => new Promise((ok) => (w.once("exit", ok), w.kill("SIGTERM")))));
    if (col.code !== 0 && col.code !== 1) throw new Error(`collect failed: ${col.stderr}`);
    n = await records(redis, name);
    rows.push([
      `${k} worker${k > 1 ? "s" : ""}`,
      (ms / 1000).toFixed(2),
      (n / (ms / 1000)).toFixed(1),
      (ms / single.ms).toFixed(2),
    ]);
  }
  console.log(
    `single-process score: ${(single.ms / 1000).toFixed(2)} s, ${(n / (single.ms / 1000)).toFixed(1)} traj/s (${n} trajectories)`,
  );
  console.log("through the queue (submit + workers + collect, each worker a process):");
  for (const r of rows)
    console.log(
      `  ${r[0].padEnd(10)} ${r[1].padStart(7)} s  ${r[2].padStart(7)} traj/s  ${r[3]}x the single-process time`,
    );
  const one = rows[0];
  console.log(
    `queue overhead with 1 worker: ${((Number(one[1]) * 1000 - single.ms) / n).toFixed(1)} ms per trajectory (process start-up, Redis round trips, collect)`,
  );
} finally {
  redis.disconnect();
  await server.stop();
}
