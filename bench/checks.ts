/**
 * Analysis + checks benchmark, in one process (`npm run bench:checks`; `bench:score` measures the
 * whole command as a process). Prints, from one run: the time to ingest the
 * shared real trajectories, and the time to score them as `score` does (ingest, analyse, run
 * every check of the built-in rubric, no judge or outcome model, run-relative criteria decided
 * at the end), alternating; target: checks add at most 50% to ingestion time, read as the
 * median over paired rounds.
 *
 * Usage: node dist/bench/checks.js [--data DIR] [--rounds N]   (BENCH_ROUNDS=1 prints each round)
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { statSync } from "node:fs";
import { clearShellCache } from "../src/analyze/shell.js";
import { discover } from "../src/ingest/discover.js";
import { ingest } from "../src/ingest/pipeline.js";
import { loadRubric } from "../src/rubric/load.js";
import { scoreStream } from "../src/score/stream.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    rounds: { type: "string", default: "21" },
  },
});
const DATA = values.data!;
const ROUNDS = Number(values.rounds);
const rubric = loadRubric("swe-default");

async function ingestOnly(): Promise<number> {
  let n = 0;
  for await (const ev of ingest([DATA])) if (ev.type === "trajectory") n++;
  return n;
}

/** What `score` does without a judge or outcome model: one reading, the checks, the run-relative criteria decided at the end. */
async function ingestAndScore(): Promise<number> {
  let n = 0;
  for await (const ev of scoreStream([DATA], { rubric, autoLabels: false, outcome: null }))
    if (ev.type === "record") n++;
  return n;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  // every round parses its shell commands afresh, like one real scoring run: parses cached by an
  // earlier round of the same files would leave the parsing out of the measure
  clearShellCache();
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

let bytes = 0;
for await (const c of discover([DATA])) if ("kind" in c && c.kind === "file") bytes += statSync(c.path).size;
// warm-up: the page cache, the parser, and the JIT, which takes a few rounds over this much code
// to settle (a real run over thousands of files spends nearly all its time settled)
const WARMUP = 3;
let n = 0;
for (let r = 0; r < WARMUP; r++) {
  n = await ingestAndScore();
  await ingestOnly();
}
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  a.push(await time(ingestOnly));
  b.push(await time(ingestAndScore));
  if (process.env.BENCH_ROUNDS)
    console.log(`  round ${r + 1}: ingest ${a[r].toFixed(3)} s, ingest + analysis + checks ${b[r].toFixed(3)} s`);
}
const [ia, ib] = [median(a), median(b)];
const mb = bytes / 1e6;
console.log(
  `analysis + checks: ${n} trajectories, ${mb.toFixed(1)} MB of trajectory files, rubric ${rubric.id} (${rubric.criteria.filter((c) => c.kind === "check").length} checks), median of ${ROUNDS} rounds after ${WARMUP} to warm up`,
);
console.log(
  `  ingest only                     ${ia.toFixed(3)} s  ${(n / ia).toFixed(0).padStart(6)} traj/s  ${(mb / ia).toFixed(1).padStart(6)} MB/s`,
);
console.log(
  `  ingest + analysis + checks      ${ib.toFixed(3)} s  ${(n / ib).toFixed(0).padStart(6)} traj/s  ${(mb / ib).toFixed(1).padStart(6)} MB/s`,
);
// the share each round added to the ingestion measured just before it: rounds next to each other
// see the same machine, so the median of these pairs is steadier than a ratio of two medians
const added = median(a.map((x, r) => (b[r] - x) / x));
const spread = [...a.map((x, r) => (b[r] - x) / x)].sort((x, y) => x - y);
console.log(
  `  analysis + checks alone         ${(ib - ia).toFixed(3)} s  ${(n / (ib - ia)).toFixed(0).padStart(6)} traj/s`,
);
console.log(
  `  added per round (paired), median +${(100 * added).toFixed(0)}% (rounds from +${(100 * spread[0]).toFixed(0)}% to +${(100 * spread[spread.length - 1]).toFixed(0)}%)`,
);
console.log(
  `  target: checks add at most 50% to ingestion time -> +${(100 * added).toFixed(0)}% ${added <= 0.5 ? "MET" : "NOT MET"}`,
);
