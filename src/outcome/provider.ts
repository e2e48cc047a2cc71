/** The outcome model as a criterion provider: p(resolved) for `kind: outcome` criteria, with its top reasons. */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Facts } from "../analyze/facts.js";
import type { Criterion } from "../rubric/schema.js";
import type { Decider, Verdict } from "../types/decider.js";
import { FEATURE_NAMES, features } from "./features.js";
import { loadModel, logit, sigmoid, type ModelFile } from "./model.js";

/** The model trained on the shared real trajectories that ships with the package. */
export const DEFAULT_MODEL = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "models", "outcome-default.json");

export function hasDefaultModel(): boolean {
  return existsSync(DEFAULT_MODEL);
}


/** A decider from a model file; fails at load when the model's features are not this version's features. */
export function outcomeProvider(path: string = DEFAULT_MODEL): Decider<Facts, Criterion> & { model: ModelFile } {
  const model = loadModel(path);
  const mismatch = model.features.length !== FEATURE_NAMES.length || model.features.some((f, i) => f !== FEATURE_NAMES[i]);
  if (mismatch) {
    throw new Error(`${path}: the model was trained on different features (${model.features.length}) than this rubricate computes (${FEATURE_NAMES.length}); retrain it with 'rubricate train'`);
  }
  const fitted = { mean: model.mean, std: model.std, weights: model.weights, bias: model.bias };
  const name = `outcome-model:${model.version}`;
  return {
    name,
    model,
    provenance: { outcome_model: model.version },
    async decide(t, facts, criteria) {
      const x = features(t, facts);
      const { z, contributions } = logit(fitted, x);
      const cal = model.calibration;
      const p = cal ? sigmoid(cal.a * z + cal.b) : sigmoid(z);
      const top = contributions
        .map((c, j) => ({ c: cal ? c * cal.a : c, name: model.features[j] }))
        .sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
        .slice(0, 4)
        .map((e) => `${e.c >= 0 ? "+" : "-"}${Math.abs(e.c).toFixed(2)} ${e.name}`);
      const verdicts = new Map<string, Verdict>();
      const explanation = `p(resolved) = ${p.toFixed(3)} from the outcome model; largest contributions (log-odds): ${top.join(", ")}`;
      for (const c of criteria) verdicts.set(c.id, { status: "decided", value: p, evidence: [], explanation, by: name });
      return { verdicts };
    },
  };
}
