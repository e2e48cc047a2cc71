/**
 * Judge client benchmark: `rubricate score` with an LLM judge, run as users run it (the CLI, one
 * process per run), against the test suite's OpenAI-compatible server in another process that
 * answers every chat request after a fixed latency. What it measures, each as a range over the runs:
 *  - client CPU: the `score` process's own CPU (process.cpuUsage at its exit, user + system; the
 *    server's CPU is never in it), per judge request; and the same process without a judge on
 *    the same trajectories (reading, analysis, checks, outcome model), so the difference per
 *    request is what the judge client adds (rendering, token counting, HTTP, parsing);
 *  - slots busy: the server's requests in flight (from its arrival and answer times), as a share
 *    of the concurrency, over the first second after the first request arrived and on average
 *    over the request phase (first arrival to last answer);
 *  - the request phase against the ideal N requests × latency / concurrency, and the time from
 *    the process's start to the first request;
 *  - Nagle: at concurrency 1 and no latency, against a server that leaves Nagle's algorithm on
 *    and writes headers and body apart, the gaps between an answer and the next request on the
 *    same (reused) connection, as the server sees them;
 *  - the load average of the machine before each run (the figures depend on it: 2 shared cores).
 * With --baseline DIR (another checkout, built) its CLI runs too, interleaved with this one's, so
 * both are measured under the same load; with --promptfoo DIR (where promptfoo is installed) the
 * same requests go through `promptfoo eval` (config from bench/promptfoo/generate.ts).
 *
 * Usage: node dist/bench/judge.js [--runs 5] [--trajectories 100] [--latency 200] [--concurrency 16]
 *          [--mode criterion|rubric] [--data DIR] [--baseline DIR] [--promptfoo DIR] [--skip-nagle]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generate } from "./promptfoo/generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    trajectories: { type: "string", default: "100" },
    latency: { type: "string", default: "200" },
    concurrency: { type: "string", default: "16" },
    mode: { type: "string", default: "criterion" },
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    baseline: { type: "string" },
    promptfoo: { type: "string" },
    "skip-nagle": { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const LATENCY = Number(values.latency);
const CONC = Number(values.concurrency);
const probeFile = join(here, "cpu-probe.js");
const work = mkdtempSync(join(tmpdir(), "rubricate-bench-judge-"));

/** The first `n` trajectories of the shared index, spread over it (every k-th), as input paths. */
function pickInputs(dir: string, n: number): string[] {
  const rows = readFileSync(join(dir, "index.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { trajectory?: string });
  const paths = [...new Set(rows.flatMap((r) => (r.trajectory ? [r.trajectory] : [])))];
  const step = Math.max(1, Math.floor(paths.length / n));
  return paths
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map((p) => join(dir, p));
}

interface Server {
  url: string;
  child: ChildProcess;
  spans(): Promise<{ at: number; end: number; conn: number }[]>;
}

async function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, [join(here, "judge-server.js"), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error("the bench server exited before printing its URL");
  return {
    url: first.value.trim(),
    child,
    async spans() {
      child.stdin!.write("spans\n");
      const r = await lines.next();
      return JSON.parse(r.value as string);
    },
  };
}

/** One client process; its CPU, start and end from cpu-probe. */
async function runClient(
  cmd: string[],
  env: Record<string, string> = {},
  okCodes = [0, 1],
): Promise<{ started: number; ended: number; cpuMs: number }> {
  const file = join(work, `cpu-${Math.random().toString(36).slice(2)}.json`);
  const child = spawn(process.execPath, ["--import", probeFile, ...cmd], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env, BENCH_CPU_FILE: file },
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((ok) => child.on("exit", ok));
  if (!existsSync(file)) throw new Error(`client ${cmd.join(" ")} left no CPU figures (exit ${code}): ${err}`);
  const r = JSON.parse(readFileSync(file, "utf8"));
  rmSync(file);
  if (!okCodes.includes(code ?? -1)) throw new Error(`client exited ${code}: ${err}`);
  return r;
}

function scoreCmd(checkout: string, inputs: string[], url: string | null, conc: number): string[] {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  return [
    join(checkout, "dist", "src", "cli", "main.js"),
    "score",
    ...inputs,
    "-o",
    out,
    "--quiet",
    ...(url
      ? ["--judge", url, "--model", "bench", "--judge-mode", values.mode!, "--concurrency", String(conc), "--no-cache"]
      : []),
  ];
}

interface Figures {
  requests: number;
  wall: number;
  cpuPerRequest: number;
  firstRequestMs: number;
  phase: number;
  ideal: number;
  busyFirst: number;
  busyAvg: number;
}

/** Slots busy and the request phase from the server's spans of the judge's chat requests. */
function figures(
  spans: { at: number; end: number }[],
  c: { started: number; ended: number; cpuMs: number },
  conc: number,
  probe = true,
): Figures {
  // the start-up probe's one-token request comes first, alone: the judging starts after it
  const judging = probe ? spans.slice(1) : spans;
  const start = Math.min(...judging.map((s) => s.at));
  const end = Math.max(...judging.map((s) => s.end));
  const busy = (from: number, to: number) =>
    judging.reduce((a, s) => a + Math.max(0, Math.min(s.end, to) - Math.max(s.at, from)), 0) / (conc * (to - from));
  return {
    requests: spans.length,
    wall: c.ended - c.started,
    cpuPerRequest: c.cpuMs / spans.length,
    firstRequestMs: start - c.started,
    phase: end - start,
    ideal: (judging.length * LATENCY) / conc,
    busyFirst: busy(start, Math.min(end, start + 1000)),
    busyAvg: busy(start, end),
  };
}

const range = (xs: number[], d = 1) =>
  xs.length ? `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}` : "n/a";
const load = () => loadavg()[0].toFixed(1);

const inputs = pickInputs(values.data!, Number(values.trajectories));
console.log(
  `judge client bench: ${inputs.length} trajectories of ${values.data}, ${values.mode} mode, server latency ${LATENCY} ms, concurrency ${CONC}, ${RUNS} runs; ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const server = await startServer(["--latency", String(LATENCY)]);
const clients: { name: string; dir: string }[] = [{ name: "this checkout", dir: root }];
if (values.baseline) clients.push({ name: `baseline ${values.baseline}`, dir: resolve(values.baseline) });
let pf: { cmd: string[]; env: Record<string, string>; requests: number } | null = null;
if (values.promptfoo) {
  const out = join(work, "promptfoo");
  const g = await generate({ inputs, url: server.url, out, concurrency: CONC, mode: values.mode as "criterion" });
  const main = join(resolve(values.promptfoo), "node_modules", "promptfoo", "dist", "src", "main.js");
  pf = {
    cmd: [
      main,
      "eval",
      "-c",
      g.config,
      "--no-cache",
      "--no-write",
      "--no-table",
      "--no-progress-bar",
      "-j",
      String(CONC),
    ],
    env: {
      PROMPTFOO_DISABLE_TELEMETRY: "1",
      PROMPTFOO_DISABLE_UPDATE: "1",
      PROMPTFOO_CONFIG_DIR: join(work, "promptfoo-home"),
    },
    requests: g.requests,
  };
  console.log(`promptfoo: ${g.requests} requests for ${g.trajectories} trajectories, config ${g.config}`);
}

const results = new Map<string, Figures[]>();
const plain = new Map<string, number[]>();
const loads: string[] = [];
for (let run = 0; run < RUNS; run++) {
  for (const c of clients) {
    loads.push(load());
    const judged = await runClient(scoreCmd(c.dir, inputs, server.url, CONC));
    const f = figures(await server.spans(), judged, CONC);
    results.set(c.name, [...(results.get(c.name) ?? []), f]);
    // the same process without a judge: what reading, analysis and checks cost
    const alone = await runClient(scoreCmd(c.dir, inputs, null, CONC));
    plain.set(c.name, [...(plain.get(c.name) ?? []), (judged.cpuMs - alone.cpuMs) / f.requests]);
  }
  if (pf) {
    loads.push(load());
    // promptfoo exits 100 when a test fails or errs: the requests are counted below either way
    const r = await runClient(pf.cmd, pf.env, [0, 100]);
    const spans = await server.spans();
    if (spans.length !== pf.requests)
      console.log(`promptfoo run ${run + 1}: the server saw ${spans.length} of its ${pf.requests} requests`);
    // promptfoo sends no probe: every request is judging
    const f = figures(spans, r, CONC, false);
    results.set("promptfoo 0.118.13", [...(results.get("promptfoo 0.118.13") ?? []), f]);
  }
}
console.log(`load average (1 min) before each run: ${loads.join(", ")}`);
for (const [name, fs] of results) {
  const extra = plain.get(name);
  console.log(
    `${name}: ${fs[0].requests} requests; wall ${range(fs.map((f) => f.wall / 1000))} s; ` +
      `client CPU ${range(
        fs.map((f) => f.cpuPerRequest),
        2,
      )} ms per request (whole process)` +
      (extra ? `, of which the judge client ${range(extra, 2)} ms (minus the same run without a judge)` : "") +
      `; first request ${range(
        fs.map((f) => f.firstRequestMs / 1000),
        2,
      )} s after the process started; ` +
      `request phase ${range(
        fs.map((f) => f.phase / 1000),
        2,
      )} s (ideal ${fs[0].ideal / 1000} s = requests × ${LATENCY} ms / ${CONC}); ` +
      `slots busy ${range(
        fs.map((f) => 100 * f.busyFirst),
        0,
      )}% in the first second, ${range(
        fs.map((f) => 100 * f.busyAvg),
        0,
      )}% on average`,
  );
}
server.child.kill();

// Nagle: gaps on reused connections at concurrency 1 against a server that leaves Nagle on
if (!values["skip-nagle"]) {
  const nagle = await startServer(["--nagle", "--split"]);
  const few = inputs.slice(0, 25);
  for (let run = 0; run < RUNS; run++)
    for (const c of clients) {
      const r = await runClient(scoreCmd(c.dir, few, nagle.url, 1));
      const spans = (await nagle.spans()).sort((a, b) => a.at - b.at);
      const last = new Map<number, number>();
      const gaps: number[] = [];
      // at concurrency 1 each request follows the previous answer: the client's turnaround, whatever the connection
      const turns: number[] = [];
      for (let i = 0; i < spans.length; i++) {
        const s = spans[i];
        if (last.has(s.conn)) gaps.push(s.at - last.get(s.conn)!);
        if (i > 1) turns.push(s.at - spans[i - 1].end);
        last.set(s.conn, s.end);
      }
      gaps.sort((a, b) => a - b);
      turns.sort((a, b) => a - b);
      const slow = gaps.filter((g) => g >= 35).length;
      console.log(
        `nagle-on server, ${c.name}, run ${run + 1}: ${spans.length} requests on ${new Set(spans.map((s) => s.conn)).size} connections; ` +
          `gaps on reused connections median ${gaps[gaps.length >> 1]?.toFixed(1) ?? "-"} ms, ${slow} of ${gaps.length} ≥ 35 ms; ` +
          `answer to next request median ${turns[turns.length >> 1]?.toFixed(1)} ms, ${turns.filter((g) => g >= 35).length} of ${turns.length} ≥ 35 ms; ` +
          `wall ${((r.ended - r.started) / 1000).toFixed(2)} s; load ${load()}`,
      );
    }
  nagle.child.kill();
}
rmSync(work, { recursive: true, force: true });
