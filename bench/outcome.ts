/**
 * Outcome-model benchmark: what p(resolved) adds to `score`. Scores the shared
 * real trajectories with the built-in rubric (no judge) without and with the
 * shipped outcome model, in paired rounds, and reads the share the model adds
 * as the median over the pairs; target: at most 20%. Also prints the feature
 * extraction and the model alone per trajectory.
 *
 * Usage: node dist/bench/outcome.js [--data DIR] [--rounds N] [--model FILE]   (default: the shipped model)
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { analyze } from "../src/analyze/facts.js";
import { clearShellCache } from "../src/analyze/shell.js";
import { ingest } from "../src/ingest/pipeline.js";
import { clearTaskCache } from "../src/outcome/text.js";
import { modelKind, modelPredict } from "../src/outcome/model.js";
import { DEFAULT_MODEL, featuresFor, outcomeProvider } from "../src/outcome/provider.js";
import { loadRubric } from "../src/rubric/load.js";
import { scoreTrajectory } from "../src/score/score.js";
import type { Trajectory } from "../src/types/trajectory.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    rounds: { type: "string", default: "15" },
    model: { type: "string", default: DEFAULT_MODEL },
  },
});
const ROUNDS = Number(values.rounds);
const rubric = loadRubric("swe-default");
const provider = outcomeProvider(values.model);
const model = provider.model;
const featurize = featuresFor(model)!;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const now = () => Number(process.hrtime.bigint()) / 1e9;

async function scoreAll(withModel: boolean): Promise<number> {
  // every round starts cold, like one real scoring run: the shell parses and the task texts read
  // by an earlier round of the same files would leave their cost out of the measure
  clearShellCache();
  clearTaskCache();
  const t0 = now();
  for await (const ev of ingest([values.data!])) {
    if (ev.type === "trajectory") await scoreTrajectory(ev.trajectory, rubric, withModel ? { outcome: provider } : {});
  }
  return now() - t0;
}

const ts: Trajectory[] = [];
for await (const ev of ingest([values.data!])) if (ev.type === "trajectory") ts.push(ev.trajectory);
const facts = ts.map((t) => analyze(t));
// warm-up: the page cache and the JIT, which takes a few rounds over this much code to settle
const WARMUP = 4;
for (let r = 0; r < WARMUP; r++) {
  await scoreAll(false);
  await scoreAll(true);
}
const without: number[] = [];
const withModel: number[] = [];
const featureT: number[] = [];
const modelT: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  without.push(await scoreAll(false));
  withModel.push(await scoreAll(true));
  clearTaskCache();
  let t0 = now();
  const xs = ts.map((t, i) => featurize(t, facts[i]));
  featureT.push(now() - t0);
  t0 = now();
  for (let k = 0; k < 10; k++) for (const x of xs) modelPredict(model, x);
  modelT.push((now() - t0) / 10);
}
const n = ts.length;
const added = median(without.map((w, r) => (withModel[r] - w) / w));
console.log(
  `outcome model (${modelKind(model)}, ${model.features.length} features): ${n} trajectories, median of ${ROUNDS} paired rounds after ${WARMUP} to warm up`,
);
console.log(`  score (ingest, analysis, checks), no outcome model   ${median(without).toFixed(3)} s`);
console.log(`  score with the outcome model                         ${median(withModel).toFixed(3)} s`);
console.log(
  `  features alone                                       ${((median(featureT) / n) * 1e3).toFixed(3)} ms per trajectory`,
);
console.log(
  `  model alone (from features)                          ${((median(modelT) / n) * 1e6).toFixed(1)} µs per trajectory`,
);
console.log(
  `  target: the outcome model adds at most 20% to score time -> +${(100 * added).toFixed(1)}% ${added <= 0.2 ? "MET" : "NOT MET"}`,
);
