/**
 * Judge benchmark, against the project's local OpenAI-compatible test server
 * answering instantly: the judge pipeline's own overhead per request and the
 * request rate it sustains at concurrency 64; and, over the shared data, the
 * rendered prompt size in tokens versus the raw trajectory.
 *
 * Usage: node dist/bench/judge.js [--data DIR] [--requests N] [--counter o200k|cl100k|PATH/tokenizer.json]
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ingest } from "../src/ingest/pipeline.js";
import { OpenAICompatible } from "../src/judge/backend.js";
import { judgeDecider } from "../src/judge/judge.js";
import { renderTranscript } from "../src/judge/render.js";
import { loadCounter } from "../src/judge/tokens.js";
import { analyze } from "../src/analyze/facts.js";
import { loadRubric } from "../src/rubric/load.js";
import type { Trajectory } from "../src/types/trajectory.js";
import { spawn } from "node:child_process";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    requests: { type: "string", default: "3000" },
    counter: { type: "string" },
  },
});
const counter = loadCounter(values.counter);
const ts: Trajectory[] = [];
for await (const ev of ingest([values.data!])) if (ev.type === "trajectory") ts.push(ev.trajectory);

// 1. prompt size (the first pass also loads the tokenizer and fills its piece memory)
let raw = 0;
let rendered = 0;
let cutTraj = 0;
let maxRendered = 0;
const t0 = performance.now();
for (const t of ts) {
  raw += counter.count(
    t.messages.map((m) => m.content + (m.tool_calls ?? []).map((c) => c.function.arguments).join("")).join("\n"),
  );
  const r = renderTranscript(t, 24000, counter);
  rendered += r.tokens;
  maxRendered = Math.max(maxRendered, r.tokens);
  if (r.cut) cutTraj++;
}
const renderSecs = (performance.now() - t0) / 1000;
console.log(
  `prompt size over ${ts.length} trajectories (budget 24,000 tokens, ${counter.name}): raw messages ${(raw / ts.length).toFixed(0)} tokens/trajectory, rendered ${(rendered / ts.length).toFixed(0)} (${((100 * rendered) / raw).toFixed(0)}%), largest ${maxRendered}; ${cutTraj} trajectories had observations cut; counting + rendering ${renderSecs.toFixed(1)} s`,
);
const t1 = performance.now();
for (const t of ts) renderTranscript(t, 24000, counter);
console.log(
  `rendering alone, exact count included: ${((performance.now() - t1) / ts.length).toFixed(2)} ms per trajectory (mean over the ${ts.length})`,
);

// 2. overhead and rate against an instant server
// the server runs in its own process, so the figures are the client's own work
const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), "judge-server.js")], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise<string>((ok, fail) => {
  child.stdout.once("data", (d: Buffer) => ok(d.toString().trim()));
  child.once("exit", (code) => fail(new Error(`the bench server exited (${code})`)));
});
const server = { url, close: async () => void child.kill() };
const rubric = loadRubric("swe-default");
const judged = rubric.criteria.filter((c) => c.kind === "judge");
const withSteps = ts.filter((t) => t.steps.length);
const facts = withSteps.map((t) => analyze(t));
const n = Number(values.requests);
for (const mode of ["rubric", "criterion"] as const) {
  const provider = judgeDecider(new OpenAICompatible({ baseURL: server.url, model: "bench", maxRetries: 0 }), {
    mode,
    render: (t, max) => renderTranscript(t, max, counter),
  });
  for (let i = 0; i < 50; i++)
    await provider.decide({ ...withSteps[i % withSteps.length] }, facts[i % withSteps.length], judged); // warm up
  for (const conc of [1, 64]) {
    const start = performance.now();
    let next = 0;
    let requests = 0;
    await Promise.all(
      Array.from({ length: conc }, async () => {
        while (requests < n) {
          const i = next++ % withSteps.length;
          // a fresh copy of a real trajectory each time, so every call renders and counts it again
          await provider.decide({ ...withSteps[i] }, facts[i], judged);
          requests += mode === "rubric" ? 1 : judged.length;
        }
      }),
    );
    const secs = (performance.now() - start) / 1000;
    console.log(
      `${mode.padEnd(9)} mode, concurrency ${String(conc).padStart(2)}: ${requests} requests in ${secs.toFixed(2)} s = ${(requests / secs).toFixed(0)} requests/s, ` +
        `${((1000 * secs) / requests).toFixed(2)} ms per request (real trajectories in turn: render + count + request + parse; ${mode === "criterion" ? `one render per ${judged.length} requests; ` : ""}server answering instantly in another process)`,
    );
  }
}
await server.close();
