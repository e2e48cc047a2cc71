/**
 * Reward-server benchmark: `rubricate serve` in a child process, driven by autocannon from this
 * one, against the library function it serves, over the shared real trajectories sent the way a
 * trainer sends them (OpenAI messages, actions written as text left as text, the final patch).
 *  1. Check-only scoring (the checks of swe-default; no judge, no outcome model): single-rollout
 *     requests to POST /v1/score at 32 connections, against `scoreRollout` called in this process
 *     on the same rollouts; rounds alternate and the ratio is the median over paired rounds.
 *     Target: the server reaches at least 80% of the in-process rate.
 *  2. 4x overload: autocannon offers four times the rate the server sustained in 1 (open loop, many
 *     connections) to a server started with `--max-wait 0.5`, and the same to one bounded by count
 *     alone (the default). Target: no 5xx, the excess answered 429 with Retry-After, p99 latency of
 *     the accepted requests under 1 s.
 *  3. With a judge: the test judge server (another child process) answering after 200 ms, judge
 *     concurrency 8, the shipped outcome model. The same rollouts are scored by the library in this
 *     process, with the same judge set-up, at the same concurrency: the server's latency minus the
 *     library's is what the server adds (target < 5 ms). At 32 connections the judge's
 *     time-averaged requests in flight, next to the library's at 32 at once, show whether the
 *     server keeps the judge at its limit.
 *
 * With `--workers N` the server scores in N worker threads while its own thread reads and answers.
 *
 * Usage: node dist/bench/serve.js [--data DIR] [--rounds N] [--seconds S] [--workers N]
 *        node dist/bench/serve.js --judge-server MS   (the judge child: prints its URL; "stats" on stdin prints its load)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { loadavg, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { ingest } from "../src/ingest/pipeline.js";
import { buildJudge } from "../src/judge/build.js";
import { resolveJudge } from "../src/judge/config.js";
import { outcomeProvider } from "../src/outcome/provider.js";
import { loadRubric } from "../src/rubric/load.js";
import { scoreRollout, type Rollout } from "../src/score/rollout.js";
import type { Trajectory } from "../src/types/trajectory.js";
import { startServer } from "../test/judge/server.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "8" },
    workers: { type: "string", default: "0" },
    "judge-server": { type: "string" },
  },
});

/** The judge child: the test suite's OpenAI-compatible server with a latency; samples its requests in flight. */
async function judgeServer(latencyMs: number): Promise<void> {
  const server = await startServer();
  server.models = ["bench"];
  server.latencyMs = latencyMs;
  let sum = 0;
  let samples = 0;
  const sampler = setInterval(() => {
    sum += server.inFlight;
    samples++;
    server.requests.length = 0; // keep no request bodies
  }, 5);
  process.stdout.write(`${server.url}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "reset") {
      sum = samples = 0;
      server.maxInFlight = 0;
    } else if (line === "stats")
      process.stdout.write(`${JSON.stringify({ mean: samples ? sum / samples : 0, max: server.maxInFlight })}\n`);
  }
  clearInterval(sampler);
  await server.close();
}

/** A trajectory as a trainer holds it: messages with native tool calls (text actions stay text), the patch, the task. */
function asRollout(t: Trajectory): Rollout {
  const messages = t.messages.map((m) => {
    const o: Record<string, unknown> = { role: m.role, content: m.content };
    const calls = m.tool_calls?.filter((c) => !c.synthetic) ?? [];
    if (calls.length) o.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: c.function }));
    if (m.tool_call_id) o.tool_call_id = m.tool_call_id;
    return o;
  });
  return { messages, patch: t.patch, task: t.task, instance_id: t.instance_id };
}

const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} on ${cpus().length} cores`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** `rubricate serve` in a child process; resolves with its URL once it listens. */
async function startServe(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, "..", "src", "cli", "main.js"), "serve", "--port", "0", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, RUBRICATE_TOKEN: "" },
  });
  const url = await new Promise<string>((ok, fail) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) ok(m[1]);
    });
    child.once("exit", (code) => fail(new Error(`rubricate serve exited (${code}): ${err}`)));
  });
  return { url, child };
}

/** CPU seconds the server process has used, from its /metrics. */
async function serverCpu(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^rubricate_process_cpu_seconds_total (\S+)$/m.exec(text);
  if (!m) throw new Error("no rubricate_process_cpu_seconds_total in /metrics");
  return Number(m[1]);
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function stop(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    child.once("exit", () => ok());
    child.kill("SIGTERM");
  });
}

interface Run {
  statuses: Map<number, number>;
  latencies: Map<number, number[]>;
  seconds: number;
  errors: number;
}

/** autocannon against POST /v1/score with one rollout per request, taken from `bodies` in turn. */
async function cannon(
  url: string,
  bodies: string[],
  o: { connections: number; amount?: number; seconds?: number; rate?: number },
): Promise<Run> {
  let next = 0;
  const statuses = new Map<number, number>();
  const latencies = new Map<number, number[]>();
  const start = performance.now();
  const result = await new Promise<autocannon.Result>((ok, fail) => {
    const inst = autocannon(
      {
        url,
        connections: o.connections,
        ...(o.amount ? { amount: o.amount } : { duration: o.seconds ?? 5 }),
        ...(o.rate ? { overallRate: o.rate } : {}),
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: "/v1/score",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
          },
        ],
      },
      (err, res) => (err ? fail(err) : ok(res)),
    );
    inst.on("response", (_client, status, _bytes, ms) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const list = latencies.get(status);
      if (list) list.push(ms);
      else latencies.set(status, [ms]);
    });
  });
  return { statuses, latencies, seconds: (performance.now() - start) / 1000, errors: result.errors + result.timeouts };
}

async function main(): Promise<void> {
  const rubric = loadRubric("swe-default");
  const rollouts: Rollout[] = [];
  for await (const ev of ingest([values.data!]))
    if (ev.type === "trajectory" && ev.trajectory.messages.length) rollouts.push(asRollout(ev.trajectory));
  const bodies = rollouts.map((r) => JSON.stringify({ items: [r] }));
  const mb = bodies.reduce((a, b) => a + b.length, 0) / 1e6;
  console.log(
    `${rollouts.length} real trajectories as rollouts (${((mb / rollouts.length) * 1000).toFixed(0)} kB per request on average); ${load()}`,
  );

  // 1. check-only: server vs library, alternating rounds
  const serveArgs = [
    "--no-outcome-model",
    "--reward",
    "rubric",
    "--cache-size",
    "0",
    "--log-level",
    "silent",
    "--workers",
    values.workers!,
  ];
  const { url, child } = await startServe(serveArgs);
  const perRound = rollouts.length * 2;
  await cannon(url, bodies, { connections: 32, amount: rollouts.length }); // warm up the server
  for (const r of rollouts) await scoreRollout(r, rubric); // and the library
  const lib: number[] = [];
  const srv: number[] = [];
  const libCpu: number[] = [];
  const srvCpu: number[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const c0 = cpuNow();
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) await scoreRollout(rollouts[i % rollouts.length], rubric);
    lib.push(perRound / ((performance.now() - t0) / 1000));
    libCpu.push(perRound / (cpuNow() - c0));
    const s0 = await serverCpu(url);
    const run = await cannon(url, bodies, { connections: 32, amount: perRound });
    srvCpu.push(perRound / ((await serverCpu(url)) - s0));
    const ok = run.statuses.get(200) ?? 0;
    if (ok !== perRound)
      throw new Error(`round ${round}: ${ok} of ${perRound} requests answered 200: ${[...run.statuses]}`);
    srv.push(ok / run.seconds);
    console.log(
      `  round ${round + 1}: library ${lib.at(-1)!.toFixed(0)} rollouts/s (${libCpu.at(-1)!.toFixed(0)} per CPU-second), ` +
        `server ${srv.at(-1)!.toFixed(0)} rollouts/s (${srvCpu.at(-1)!.toFixed(0)} per CPU-second of the server process): ` +
        `${((100 * srv.at(-1)!) / lib.at(-1)!).toFixed(0)}% (CPU ${((100 * srvCpu.at(-1)!) / libCpu.at(-1)!).toFixed(0)}%); ${load()}`,
    );
  }
  const ratios = lib.map((l, i) => srv[i] / l);
  const cpuRatios = libCpu.map((l, i) => srvCpu[i] / l);
  console.log(
    `check-only scoring, concurrency 32, ${values.workers} scoring workers: server ${median(srv).toFixed(0)} rollouts/s vs library in-process ${median(lib).toFixed(0)} rollouts/s = ${(100 * median(ratios)).toFixed(0)}% ` +
      `(median of ${ratios.length} paired rounds; target >= 80%); per CPU-second (load-independent): server ${median(srvCpu).toFixed(0)} vs library ${median(libCpu).toFixed(0)} = ${(100 * median(cpuRatios)).toFixed(0)}%`,
  );

  await stop(child);

  // 2. 4x overload, with --max-wait and without
  const rate = Math.round(4 * median(srv));
  for (const bound of [["--max-wait", "0.5"], []]) {
    const over = await startServe([...serveArgs, ...bound]);
    await cannon(over.url, bodies, { connections: 32, amount: rollouts.length }); // warm up (and measure the rate)
    console.log(
      `4x overload, ${bound.length ? bound.join(" ") : "bounded by count alone (--max-queue 64)"}: ${await overload(over.url, bodies, rate)}`,
    );
    await stop(over.child);
  }

  // 3. with a judge answering after 200 ms, concurrency 8
  const judge = spawn(process.execPath, [fileURLToPath(import.meta.url), "--judge-server", "200"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: judge.stdout! })[Symbol.asyncIterator]();
  const judgeUrl = (await lines.next()).value as string;
  const ask = async (cmd: string) => {
    judge.stdin!.write(`${cmd}\n`);
    return cmd === "stats" ? (JSON.parse((await lines.next()).value as string) as { mean: number; max: number }) : null;
  };
  const judged = await startServe([
    ...["--judge", judgeUrl, "--model", "bench", "--concurrency", "8", "--no-cache", "--no-probe", "--retries", "0"],
    ...["--cache-size", "0", "--log-level", "silent", "--deadline", "600", "--max-queue", "4096"],
  ]);
  const config = resolveJudge(
    { url: judgeUrl, model: ["bench"], concurrency: 8, cache: false, probe: false, retries: 0 },
    undefined,
    {},
  )!;
  const built = await buildJudge(config, rubric);
  const opts = { judge: built.decider, outcome: outcomeProvider() };
  const library = async (conc: number, o: { amount?: number; seconds?: number }) => {
    const lat: number[] = [];
    let next = 0;
    const end = performance.now() + (o.seconds ?? Infinity) * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: conc }, async () => {
        while ((o.amount === undefined || next < o.amount) && performance.now() < end) {
          const r = rollouts[next++ % rollouts.length];
          const s0 = performance.now();
          await scoreRollout(r, rubric, opts);
          lat.push(performance.now() - s0);
        }
      }),
    );
    return { lat, seconds: (performance.now() - t0) / 1000 };
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  await cannon(judged.url, bodies, { connections: 8, amount: 64 }); // warm up both
  await library(8, { amount: 64 });
  const serverLat: number[] = [];
  const libLat: number[] = [];
  for (let round = 0; round < 3; round++) {
    serverLat.push(
      ...((await cannon(judged.url, bodies, { connections: 8, amount: 8 * 10 })).latencies.get(200) ?? []),
    );
    libLat.push(...(await library(8, { amount: 8 * 10 })).lat);
  }
  console.log(
    `judge at 200 ms, judge concurrency 8, 8 at once (3 alternating rounds): server mean ${mean(serverLat).toFixed(1)} ms, p50 ${pct(serverLat, 50).toFixed(1)} ms (${serverLat.length} requests); ` +
      `library in-process mean ${mean(libLat).toFixed(1)} ms, p50 ${pct(libLat, 50).toFixed(1)} ms: the server adds ${(mean(serverLat) - mean(libLat)).toFixed(1)} ms on average ` +
      `(p50 ${(pct(serverLat, 50) - pct(libLat, 50)).toFixed(1)} ms; target < 5 ms); ${load()}`,
  );
  await ask("reset");
  const heavy = await cannon(judged.url, bodies, { connections: 32, seconds: Number(values.seconds) });
  const st = (await ask("stats"))!;
  // the server's rollouts still in flight finish before the library's turn
  const depth = async () =>
    ((await (await fetch(`${judged.url}/healthz`)).json()) as { queue: { depth: number } }).queue.depth;
  while ((await depth()) > 0) await sleep(100);
  await ask("reset");
  const libHeavy = await library(32, { seconds: Number(values.seconds) });
  const libSt = (await ask("stats"))!;
  const ok = heavy.statuses.get(200) ?? 0;
  console.log(
    `judge at 200 ms, 32 at once for ${values.seconds} s (the judge's limit allows ${(8 / 0.2).toFixed(0)} rollouts/s): server ${(ok / heavy.seconds).toFixed(1)} rollouts/s, ` +
      `judge requests in flight ${st.mean.toFixed(2)} on average, ${st.max} at most; library in-process ${(libHeavy.lat.length / libHeavy.seconds).toFixed(1)} rollouts/s, ` +
      `in flight ${libSt.mean.toFixed(2)} on average, ${libSt.max} at most (limit 8); ${load()}`,
  );
  built.close();
  await stop(judged.child);
  judge.stdin!.end();
}

/** Rollouts the server answered (scored, not refused) and how many within 1 s of arrival, from its /metrics histogram. */
async function withinOneSecond(url: string): Promise<{ all: number; fast: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    all: read(/^rubricate_item_duration_seconds_count\{route="\/v1\/score"\} (\S+)$/m),
    fast: read(/^rubricate_item_duration_seconds_bucket\{le="1",route="\/v1\/score"\} (\S+)$/m),
  };
}

/** autocannon offering `rate` requests/s for the bench's seconds: what came back, and the accepted latencies. */
async function overload(url: string, bodies: string[], rate: number): Promise<string> {
  const before = await withinOneSecond(url);
  const over = await cannon(url, bodies, {
    connections: Math.min(512, Math.max(128, rate)),
    seconds: Number(values.seconds),
    rate,
  });
  const probe = await fetch(`${url}/v1/score`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: bodies[0],
  }).catch(() => null);
  const total = [...over.statuses.values()].reduce((a, b) => a + b, 0);
  const s5xx = [...over.statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  const accepted = over.latencies.get(200) ?? [];
  const refused = over.latencies.get(429) ?? [];
  const after = await withinOneSecond(url);
  const served = after.all - before.all;
  const fast = after.fast - before.fast;
  const retryAfter = await overloadRetryAfter(url, bodies);
  return (
    `server side: ${fast} of ${served} rollouts scored (${((100 * fast) / Math.max(1, served)).toFixed(0)}%) within 1 s of reaching the server; ` +
    `${rate} requests/s offered for ${values.seconds} s: ${total} answered — ${accepted.length} 200 (${(accepted.length / over.seconds).toFixed(0)}/s), ${refused.length} 429, ${s5xx} 5xx, ${over.errors} errors/timeouts; ` +
    `accepted p50 ${pct(accepted, 50).toFixed(0)} ms, p99 ${pct(accepted, 99).toFixed(0)} ms (target < 1000); 429 p99 ${pct(refused, 99).toFixed(0)} ms; ` +
    `Retry-After on 429: ${retryAfter}; after: ${probe?.status ?? "no answer"}; ${load()}`
  );
}

/** During an overload, the Retry-After of a refused request (fires a burst and keeps the first 429). */
async function overloadRetryAfter(url: string, bodies: string[]): Promise<string> {
  const answers = await Promise.all(
    Array.from({ length: 400 }, (_, i) =>
      fetch(`${url}/v1/score`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies[i % bodies.length],
      }).then(
        async (r) => ({ status: r.status, retry: r.headers.get("retry-after"), body: await r.text() }),
        () => null,
      ),
    ),
  );
  const refused = answers.filter((a) => a?.status === 429);
  if (!refused.length) return "no 429 in a burst of 400";
  const missing = refused.filter((a) => !a!.retry).length;
  return `${refused.length} of 400 in a burst refused, ${missing ? `${missing} WITHOUT Retry-After` : `all with Retry-After (e.g. ${refused[0]!.retry} s)`}`;
}

if (values["judge-server"] !== undefined) await judgeServer(Number(values["judge-server"]));
else await main();
