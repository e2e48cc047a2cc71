/** The gradient-boosted trees (src/outcome/trees.ts): fits known functions, is deterministic, round-trips through JSON. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rng, rocAuc } from "../../src/eval/metrics.js";
import {
  fitTrees,
  forestContributions,
  forestMargin,
  roundForest,
  thresholds,
  type Forest,
} from "../../src/outcome/trees.js";

function data(n: number, seed: number): { X: number[][]; y: boolean[] } {
  const r = rng(seed);
  const X = Array.from({ length: n }, () => [r(), r(), r(), r() < 0.5 ? 1 : 0]);
  // an interaction a linear model cannot express: resolved when x0 and x1 are on the same side of 0.5
  const y = X.map((x) => (x[0] > 0.5 === x[1] > 0.5 ? r() < 0.9 : r() < 0.1));
  return { X, y };
}

describe("gradient-boosted trees", () => {
  it("learns an interaction and ranks held-out data", () => {
    const train = data(800, 1);
    const test = data(400, 2);
    const f = fitTrees(train.X, train.y, { rounds: 150, depth: 2, rate: 0.1, seed: 3 });
    const auc = rocAuc(test.X.map((x, i) => ({ score: forestMargin(f, x), label: test.y[i] })))!;
    assert.ok(auc > 0.85, `held-out AUC ${auc}`);
    // the noise features (x2, x3) are split on less than x0 and x1
    const uses = [0, 0, 0, 0];
    for (const t of f.trees) for (const j of t.feature) if (j >= 0) uses[j]++;
    assert.ok(Math.min(uses[0], uses[1]) > Math.max(uses[2], uses[3]), JSON.stringify(uses));
  });

  it("predicts the base rate when nothing separates the classes", () => {
    const X = Array.from({ length: 100 }, () => [1, 2]);
    const y = X.map((_, i) => i % 4 === 0);
    const f = fitTrees(X, y, { rounds: 20 });
    const p = 1 / (1 + Math.exp(-forestMargin(f, [1, 2])));
    assert.ok(Math.abs(p - 0.25) < 0.02, String(p));
    assert.ok(
      f.trees.every((t) => t.feature.length === 1),
      "no split without a threshold",
    );
  });

  it("is deterministic for a seed and differs with another seed", () => {
    const { X, y } = data(300, 5);
    const a = fitTrees(X, y, { rounds: 30, seed: 7 });
    const b = fitTrees(X, y, { rounds: 30, seed: 7 });
    const c = fitTrees(X, y, { rounds: 30, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it("round-trips through JSON with the same predictions, and attributions add up to the log-odds", () => {
    const { X, y } = data(300, 9);
    const f = roundForest(fitTrees(X, y, { rounds: 40, depth: 3 }));
    const back = JSON.parse(JSON.stringify(f)) as Forest;
    for (const x of X.slice(0, 50)) {
      assert.equal(forestMargin(back, x), forestMargin(f, x));
      const { z, contributions } = forestContributions(back, x);
      assert.ok(Math.abs(z - forestMargin(back, x)) < 1e-9);
      const roots = back.base + back.trees.reduce((s, t) => s + t.value[0], 0);
      assert.ok(Math.abs(roots + contributions.reduce((s, v) => s + v, 0) - z) < 1e-9);
    }
  });

  it("cuts a feature between its distinct values, at most bins - 1 times", () => {
    assert.deepEqual(thresholds([[0], [1], [1], [3]], 32), [[0.5, 2]]);
    const many = Array.from({ length: 1000 }, (_, i) => [i]);
    const cuts = thresholds(many, 16)[0];
    assert.ok(cuts.length <= 15 && cuts.length >= 10, String(cuts.length));
    assert.ok(cuts.every((c, i) => i === 0 || c > cuts[i - 1]));
  });
});

describe("packed forest", () => {
  it("predicts and attributes exactly as the forest it packs", async () => {
    const { packForest, packedContributions, packedMargin } = await import("../../src/outcome/trees.js");
    const { X, y } = data(300, 11);
    const f = fitTrees(X, y, { rounds: 60, depth: 3 });
    const p = packForest(f);
    for (const x of X.slice(0, 100)) {
      assert.equal(packedMargin(p, x), forestMargin(f, x));
      assert.deepEqual(packedContributions(p, x), forestContributions(f, x));
    }
  });
});
