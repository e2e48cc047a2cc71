/**
 * Judge benchmark, against the project's local OpenAI-compatible test server
 * answering instantly: the judge pipeline's own overhead per request and the
 * request rate it sustains at concurrency 64; and, over the shared data, the
 * rendered prompt size in tokens versus the raw trajectory.
 *
 * Usage: node dist/bench/judge.js [--data DIR] [--requests N] [--counter o200k|cl100k|PATH/tokenizer.json]
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ingest } from "../src/ingest/pipeline.js";
import { OpenAICompatible } from "../src/judge/backend.js";
import { judgeProvider } from "../src/judge/provider.js";
import { renderTranscript } from "../src/judge/render.js";
import { loadCounter } from "../src/judge/tokens.js";
import { analyze } from "../src/analyze/facts.js";
import { initShell } from "../src/analyze/shell.js";
import { loadRubric } from "../src/rubric/load.js";
import type { Trajectory } from "../src/types/trajectory.js";
import { startServer } from "../test/judge/server.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: { data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") }, requests: { type: "string", default: "3000" }, counter: { type: "string" } },
});
await initShell();
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
  raw += counter.count(t.messages.map((m) => m.content + (m.tool_calls ?? []).map((c) => c.function.arguments).join("")).join("\n"));
  const r = renderTranscript(t, 24000, counter);
  rendered += r.tokens;
  maxRendered = Math.max(maxRendered, r.tokens);
  if (r.cut) cutTraj++;
}
const renderSecs = (performance.now() - t0) / 1000;
console.log(`prompt size over ${ts.length} trajectories (budget 24,000 tokens, ${counter.name}): raw messages ${(raw / ts.length).toFixed(0)} tokens/trajectory, rendered ${(rendered / ts.length).toFixed(0)} (${((100 * rendered) / raw).toFixed(0)}%), largest ${maxRendered}; ${cutTraj} trajectories had observations cut; counting + rendering ${renderSecs.toFixed(1)} s`);
const t1 = performance.now();
for (const t of ts) renderTranscript(t, 24000, counter);
console.log(`rendering alone, exact count included: ${((performance.now() - t1) / ts.length).toFixed(2)} ms per trajectory (mean over the ${ts.length})`);

// 2. overhead and rate against an instant server
const server = await startServer();
const rubric = loadRubric("swe-default");
const judged = rubric.criteria.filter((c) => c.kind === "judge");
const small = ts.reduce((a, b) => (a.steps.length && a.steps.length < b.steps.length ? a : b));
const facts = analyze(small);
const provider = judgeProvider(new OpenAICompatible({ baseURL: server.url, model: "bench", maxRetries: 0 }), { mode: "rubric", render: (t, max) => renderTranscript(t, max, counter) });
const r0 = performance.now();
for (let i = 0; i < 200; i++) renderTranscript(small, 24000, counter);
console.log(`bench trajectory: ${small.steps.length} steps, ${renderTranscript(small, 24000, counter).tokens} tokens rendered, ${((performance.now() - r0) / 200).toFixed(3)} ms per render`);
const n = Number(values.requests);
for (let i = 0; i < 50; i++) await provider.decide(small, facts, judged); // warm up
for (const conc of [1, 64]) {
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < n) {
      next++;
      await provider.decide(small, facts, judged);
    }
  }));
  const secs = (performance.now() - start) / 1000;
  console.log(`concurrency ${String(conc).padStart(2)}: ${n} requests in ${secs.toFixed(2)} s = ${(n / secs).toFixed(0)} requests/s, ${((1000 * secs) / n).toFixed(2)} ms per request (render + request + parse, server answering instantly)`);
}
await server.close();
