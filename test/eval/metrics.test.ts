import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  accuracy,
  bestOfN,
  bootstrap,
  brier,
  ece,
  logLoss,
  prAuc,
  reliability,
  rng,
  rocAuc,
  type Attempt,
  type Scored,
} from "../../src/eval/metrics.js";

const s = (score: number, label: boolean): Scored => ({ score, label });
const close = (a: number | null, b: number, eps = 1e-9) =>
  assert.ok(a !== null && Math.abs(a - b) < eps, `${a} != ${b}`);

describe("discrimination", () => {
  it("ROC-AUC matches hand-computed values, with ties counting one half", () => {
    // pairs (pos, neg): (0.9,0.1) win, (0.9,0.5) win, (0.4,0.1) win, (0.4,0.5) loss -> 3/4
    close(rocAuc([s(0.9, true), s(0.4, true), s(0.1, false), s(0.5, false)]), 0.75);
    close(rocAuc([s(0.5, true), s(0.5, false)]), 0.5);
    close(rocAuc([s(1, true), s(0, false)]), 1);
    assert.equal(rocAuc([s(1, true)]), null);
  });

  it("PR-AUC (average precision) matches a hand computation", () => {
    // ranked: 0.9 T, 0.8 F, 0.7 T -> AP = (1/2)*1 + (1/2)*(2/3)
    close(prAuc([s(0.9, true), s(0.8, false), s(0.7, true)]), 0.5 + 1 / 3);
  });

  it("accuracy at a threshold", () => {
    close(accuracy([s(0.9, true), s(0.2, true), s(0.6, false), s(0.1, false)], 0.5), 0.5);
  });

  it("AUC is invariant to monotone transforms (property)", () => {
    const r = rng(7);
    for (let trial = 0; trial < 50; trial++) {
      const xs = Array.from({ length: 40 }, () => s(Math.round(r() * 20) / 20, r() < 0.4));
      const a = rocAuc(xs);
      for (const f of [(x: number) => x ** 3, (x: number) => Math.exp(5 * x), (x: number) => 2 * x - 7]) {
        const b = rocAuc(xs.map((x) => s(f(x.score), x.label)));
        if (a === null) assert.equal(b, null);
        else close(b, a, 1e-12);
      }
    }
  });
});

describe("calibration", () => {
  it("Brier and log loss by hand", () => {
    close(brier([s(0.8, true), s(0.3, false)]), (0.04 + 0.09) / 2);
    close(logLoss([s(0.8, true), s(0.3, false)]), -(Math.log(0.8) + Math.log(0.7)) / 2);
  });

  it("ECE by hand: two bins", () => {
    // bin [0.2,0.3): conf 0.2, acc 0 -> 0.2 ; bin [0.8,0.9): conf 0.8, acc 1 -> 0.2
    close(ece([s(0.2, false), s(0.8, true)], 10), 0.2);
  });

  it("ECE is 0 for a perfectly calibrated synthetic set, with both binnings (property)", () => {
    const xs: Scored[] = [];
    for (let k = 0; k < 10; k++) {
      const p = (k + 0.5) / 10;
      for (let i = 0; i < 20; i++) xs.push(s(p, i < p * 20));
    }
    close(ece(xs, 10, "equal-width"), 0, 1e-12);
    close(ece(xs, 10, "equal-mass"), 0, 1e-12);
  });

  it("equal-mass bins hold about the same count and keep ties together", () => {
    const xs = Array.from({ length: 100 }, (_, i) => s(i / 100, i % 2 === 0));
    const bins = reliability(xs, 10, "equal-mass");
    assert.equal(bins.length, 10);
    assert.ok(bins.every((b) => b.count === 10));
    const tied = reliability([...Array(30).fill(s(0.5, true)), ...Array(10).fill(s(0.1, false))], 4, "equal-mass");
    assert.equal(tied.filter((b) => b.count > 0 && b.lo <= 0.5 && b.hi >= 0.5).length, 1);
  });
});

describe("best-of-N", () => {
  const a = (score: number, label: boolean, key: string): Attempt => ({ score, label, key });

  it("matches the exact expectation computed by enumerating subsets", () => {
    const tasks = [
      [a(0.9, false, "a"), a(0.5, true, "b"), a(0.1, true, "c"), a(0.3, false, "d")],
      [a(0.2, true, "e"), a(0.7, false, "f"), a(0.6, false, "g")],
    ];
    for (const n of [1, 2, 3]) {
      // enumerate every subset of size n
      let reward = 0,
        random = 0,
        oracle = 0,
        count = 0;
      for (const t of tasks) {
        if (t.length < n) continue;
        count++;
        const subsets: Attempt[][] = [];
        const rec = (i: number, cur: Attempt[]) => {
          if (cur.length === n) return void subsets.push(cur);
          if (i === t.length) return;
          rec(i + 1, [...cur, t[i]]);
          rec(i + 1, cur);
        };
        rec(0, []);
        for (const sub of subsets) {
          const best = [...sub].sort((x, y) => y.score - x.score)[0];
          reward += (best.label ? 1 : 0) / subsets.length;
          oracle += (sub.some((x) => x.label) ? 1 : 0) / subsets.length;
        }
        random += t.filter((x) => x.label).length / t.length;
      }
      const p = bestOfN(tasks, n);
      close(p.reward, reward / count);
      close(p.random, random / count);
      close(p.oracle, oracle / count);
      assert.equal(p.tasks, count);
    }
  });

  it("a perfect reward closes the whole gap, a reversed one goes below random", () => {
    const t = [[a(1, true, "a"), a(0, false, "b"), a(0.5, false, "c")]];
    close(bestOfN(t, 2).gapClosed, 1);
    const rev = [[a(0, true, "a"), a(1, false, "b"), a(0.5, false, "c")]];
    assert.ok(bestOfN(rev, 2).gapClosed! < 0);
  });
});

describe("bootstrap", () => {
  it("is reproducible and its interval contains the point estimate (property)", () => {
    const r = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const groups = Array.from({ length: 30 }, () => Array.from({ length: 4 }, () => s(r(), r() < 0.5)));
      const stat = (gs: Scored[][]) => rocAuc(gs.flat());
      const ci = bootstrap(groups, stat, 400, 11);
      assert.deepEqual(ci, bootstrap(groups, stat, 400, 11));
      assert.ok(ci.lo !== null && ci.hi !== null && ci.lo <= ci.value! && ci.value! <= ci.hi, JSON.stringify(ci));
    }
  });
});
