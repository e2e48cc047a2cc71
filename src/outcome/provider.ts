/** The outcome model as a criterion provider: p(resolved) for `kind: outcome` criteria, with its top reasons. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Facts } from "../analyze/facts.js";
import type { Criterion } from "../rubric/schema.js";
import type { Decider, Verdict } from "../types/decider.js";
import type { Trajectory } from "../types/trajectory.js";
import { BASELINE_FEATURE_NAMES, baselineFeatures } from "./baseline.js";
import { FEATURE_NAMES, features } from "./features.js";
import { loadModel, modelLogit, sigmoid, type ModelFile } from "./model.js";

/** The model trained on the shared real trajectories that ships with the package. */
export const DEFAULT_MODEL = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "models",
  "outcome-default.json",
);

export function hasDefaultModel(): boolean {
  return existsSync(DEFAULT_MODEL);
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The feature function a model was trained on: this version's features, or the
 * first version's (models from rubricate 0.1); null for any other list.
 */
export function featuresFor(model: ModelFile): ((t: Trajectory, f: Facts) => number[]) | null {
  if (same(model.features, FEATURE_NAMES)) return features;
  if (same(model.features, BASELINE_FEATURE_NAMES)) return baselineFeatures;
  return null;
}

/** p(resolved) and the features that moved it most (log-odds after calibration's slope). */
export function explainOutcome(model: ModelFile, x: number[], top = 4): { p: number; reasons: string[] } {
  const { z, contributions } = modelLogit(model, x);
  const cal = model.calibration;
  const p = cal ? sigmoid(cal.a * z + cal.b) : sigmoid(z);
  const reasons = contributions
    .map((c, j) => ({ c: cal ? c * cal.a : c, name: model.features[j] }))
    .sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
    .slice(0, top)
    .map((e) => `${e.c >= 0 ? "+" : "-"}${Math.abs(e.c).toFixed(2)} ${e.name}`);
  return { p, reasons };
}

/** A provider from a model file; fails at load when the model's features are not ones this version computes. */
export function outcomeProvider(path: string = DEFAULT_MODEL): Decider<Facts, Criterion> & { model: ModelFile } {
  const model = loadModel(path);
  const featurize = featuresFor(model);
  if (!featurize) {
    throw new Error(
      `${path}: the model was trained on different features (${model.features.length}) than this rubricate computes (${FEATURE_NAMES.length}); retrain it with 'rubricate train'`,
    );
  }
  const name = `outcome-model:${model.version}`;
  return {
    name,
    model,
    provenance: { outcome_model: model.version },
    async decide(t, facts, criteria) {
      const { p, reasons } = explainOutcome(model, featurize(t, facts));
      const verdicts = new Map<string, Verdict>();
      const explanation = `p(resolved) = ${p.toFixed(3)} from the outcome model; largest contributions (log-odds): ${reasons.join(", ")}`;
      for (const c of criteria)
        verdicts.set(c.id, { status: "decided", value: p, evidence: [], explanation, by: name });
      return { verdicts };
    },
  };
}
