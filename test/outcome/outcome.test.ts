import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { analyze } from "../../src/analyze/facts.js";
import { rng, rocAuc } from "../../src/eval/metrics.js";
import { BASELINE_FEATURE_NAMES, baselineFeatures } from "../../src/outcome/baseline.js";
import { FEATURE_NAMES, features } from "../../src/outcome/features.js";
import {
  MODEL_SCHEMA,
  fitLogistic,
  loadModel,
  modelJson,
  modelKind,
  modelPredict,
  predict,
  type ModelFileV1,
} from "../../src/outcome/model.js";
import { DEFAULT_MODEL, outcomeProvider } from "../../src/outcome/provider.js";
import { crossValidatedLogits, train, type Example } from "../../src/outcome/train.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { HAS_SHARED, ROOT, collect, shared } from "../helpers.js";

/** The model rubricate 0.1 shipped (schema 1, logistic regression on the baseline features). */
const V1_MODEL = join(ROOT, "test", "outcome", "fixtures", "outcome-model-v1.json");

describe("outcome model", () => {
  it("features read no label or source identity: changing scaffold, model, run, file, ids and label changes nothing", async () => {
    const inputs = [join(ROOT, "examples")];
    if (HAS_SHARED)
      inputs.push(
        shared("moatless-lite/evaluations/20240623_moatless_claude-3.5-sonnet"),
        shared("sweagent-java/evaluation/java/verified/20240825_SWE-agent_gpt-4o-2024-05-13/trajs"),
      );
    const { trajectories } = await collect(inputs);
    assert.ok(trajectories.length >= 8);
    for (const t of trajectories) {
      const base = features(t, analyze(t));
      assert.equal(base.length, FEATURE_NAMES.length);
      const disguised: Trajectory = structuredClone(t);
      disguised.id = "other-id";
      disguised.instance_id = "someone__else-1";
      disguised.source = {
        ...t.source,
        scaffold: "UnknownAgent 9",
        model: "mystery-model",
        run: "run-zzz",
        file: "/elsewhere/x/y.json",
        line: 7,
      };
      disguised.label = t.label
        ? { resolved: !t.label.resolved, origin: "flipped" }
        : { resolved: true, origin: "invented" };
      assert.deepEqual(features(disguised, analyze(disguised)), base, t.source.file);
    }
  });

  it("logistic regression recovers a known signal and ranks held-out data", () => {
    const r = rng(9);
    const X = Array.from({ length: 400 }, () => [r(), r(), r()]);
    const y = X.map((x) => r() < 1 / (1 + Math.exp(-(4 * x[0] - 4 * x[1]))));
    const m = fitLogistic(X, y, 1);
    assert.ok(
      m.weights[0] > 0 && m.weights[1] < 0 && Math.abs(m.weights[2]) < Math.abs(m.weights[0]) / 3,
      JSON.stringify(m.weights),
    );
    const ex: Example[] = X.map((x, i) => ({ x, y: y[i], task: `t${i % 100}`, family: "f", key: String(i) }));
    const z = crossValidatedLogits(ex, 5, 1);
    assert.ok(rocAuc(z.map((v, i) => ({ score: v, label: y[i] })))! > 0.75);
    assert.ok(predict(m, [1, 0, 0.5]) > predict(m, [0, 1, 0.5]));
  });

  it("the shipped default model loads, matches this version's features, and decides the outcome criterion with reasons", async () => {
    const model = loadModel(DEFAULT_MODEL);
    assert.deepEqual(model.features, FEATURE_NAMES);
    assert.ok(model.calibration);
    const provider = outcomeProvider();
    const { trajectories } = await collect([join(ROOT, "examples")]);
    const rubric = loadRubric("swe-default");
    for (const t of trajectories) {
      const rec = await scoreTrajectory(t, rubric, { outcome: provider });
      const c = rec.criteria.find((x) => x.kind === "outcome")!;
      assert.equal(c.status, "decided");
      assert.ok(c.value! > 0 && c.value! < 1);
      assert.match(
        c.explanation,
        /^p\(resolved\) = 0\.\d{3} from the outcome model; largest contributions \(log-odds\): [+-]\d/,
      );
      assert.match(c.by, /^outcome-model:/);
    }
  });

  it("refuses a model trained on other features, and a file that is no model", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-model-"));
    const m = JSON.parse(readFileSync(DEFAULT_MODEL, "utf8"));
    m.features[0] = "some_other_feature";
    const p = join(dir, "m.json");
    writeFileSync(p, JSON.stringify(m));
    assert.throws(() => outcomeProvider(p), /trained on different features/);
    writeFileSync(p, "{}");
    assert.throws(() => outcomeProvider(p), /not an outcome model/);
    const v2 = JSON.parse(readFileSync(DEFAULT_MODEL, "utf8"));
    v2.kind = "blend";
    v2.logistic = null;
    writeFileSync(p, JSON.stringify(v2));
    assert.throws(() => loadModel(p), /lacks its logistic part/);
  });

  it("still loads a schema-1 (0.1) logistic model and predicts exactly as 0.1 did, from the 0.1 features", async () => {
    const m = loadModel(V1_MODEL) as ModelFileV1;
    assert.equal(modelKind(m), "logistic");
    assert.deepEqual(m.features, BASELINE_FEATURE_NAMES);
    const provider = outcomeProvider(V1_MODEL);
    const { trajectories } = await collect([join(ROOT, "examples")]);
    const rubric = loadRubric("swe-default");
    for (const t of trajectories) {
      const expected = predict(
        { mean: m.mean, std: m.std, weights: m.weights, bias: m.bias },
        baselineFeatures(t, analyze(t)),
        m.calibration,
      );
      const rec = await scoreTrajectory(t, rubric, { outcome: provider });
      const c = rec.criteria.find((x) => x.kind === "outcome")!;
      assert.ok(Math.abs(c.value! - expected) < 1e-12);
    }
  });

  it("trains a blend on synthetic examples; the saved file loads and predicts what the trainer fitted", () => {
    const r = rng(4);
    const ex: Example[] = Array.from({ length: 240 }, (_, i) => {
      const x = FEATURE_NAMES.map(() => r());
      return {
        x,
        y: r() < 1 / (1 + Math.exp(-(5 * x[0] - 5 * x[1]))),
        task: `t${i % 80}`,
        family: i % 2 ? "a" : "b",
        key: String(i),
      };
    });
    const res = train(ex, { bootstrap: 50, trees: { rounds: 20 } });
    assert.equal(res.model.schema, MODEL_SCHEMA);
    assert.ok(["logistic", "trees", "blend"].includes(res.kind));
    assert.equal(res.comparisons.length, 3);
    assert.ok(res.cv.auc.value! > 0.7, String(res.cv.auc.value));
    const dir = mkdtempSync(join(tmpdir(), "rubricate-model-"));
    const p = join(dir, "m.json");
    writeFileSync(p, modelJson(res.model));
    const back = loadModel(p);
    assert.deepEqual(back, res.model);
    for (const e of ex.slice(0, 20)) assert.equal(modelPredict(back, e.x), modelPredict(res.model, e.x));
  });
});
