/**
 * Outcome-model benchmark: predictions per second over the shared real
 * trajectories next to ingestion itself, in one run. A prediction includes the
 * step analysis and feature extraction it needs. Target: at least as fast as
 * ingestion (predictions/s >= trajectories ingested/s).
 *
 * Usage: node dist/bench/outcome.js [--data DIR] [--rounds N]
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { analyze } from "../src/analyze/facts.js";
import { ingest } from "../src/ingest/pipeline.js";
import { features } from "../src/outcome/features.js";
import { loadModel, predict } from "../src/outcome/model.js";
import { DEFAULT_MODEL } from "../src/outcome/provider.js";
import type { Trajectory } from "../src/types/trajectory.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: { data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") }, rounds: { type: "string", default: "7" } },
});
const ROUNDS = Number(values.rounds);
const model = loadModel(DEFAULT_MODEL);
const fitted = { mean: model.mean, std: model.std, weights: model.weights, bias: model.bias };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const now = () => Number(process.hrtime.bigint()) / 1e9;

async function ingestAll(): Promise<Trajectory[]> {
  const out: Trajectory[] = [];
  for await (const ev of ingest([values.data!])) if (ev.type === "trajectory") out.push(ev.trajectory);
  return out;
}

let ts = await ingestAll();
const ingestT: number[] = [];
const predictT: number[] = [];
const modelOnlyT: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let t0 = now();
  ts = await ingestAll();
  ingestT.push(now() - t0);
  t0 = now();
  const xs = ts.map((t) => features(t, analyze(t)));
  for (const x of xs) predict(fitted, x, model.calibration);
  predictT.push(now() - t0);
  t0 = now();
  for (let k = 0; k < 100; k++) for (const x of xs) predict(fitted, x, model.calibration);
  modelOnlyT.push((now() - t0) / 100);
}
const n = ts.length;
const [i, p, m] = [median(ingestT), median(predictT), median(modelOnlyT)];
console.log(`outcome model: ${n} trajectories, ${model.features.length} features, median of ${ROUNDS} rounds`);
console.log(`  ingestion                          ${i.toFixed(3)} s  ${(n / i).toFixed(0).padStart(8)} trajectories/s`);
console.log(`  analysis + features + prediction   ${p.toFixed(3)} s  ${(n / p).toFixed(0).padStart(8)} predictions/s`);
console.log(`  prediction from features alone     ${(m * 1000).toFixed(2)} ms ${(n / m).toFixed(0).padStart(8)} predictions/s`);
console.log(`  target: predictions/s >= ingestion trajectories/s -> ${(i / p).toFixed(2)}x ${p <= i ? "MET" : "NOT MET"}`);
