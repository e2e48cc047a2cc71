/**
 * Out-of-sample predictions for validating the outcome model: folds split by
 * task (all attempts at one task fall in one fold), the two learners (logistic
 * regression, boosted trees) behind one interface, and Platt calibration of
 * held-out log-odds fitted on other folds only.
 */
import { fitPlatt } from "../eval/calibrate.js";
import { rng } from "../eval/metrics.js";
import { fitLogistic, logit, sigmoid, type ModelKind } from "./model.js";
import { fitTrees, forestMargin, type TreeParams } from "./trees.js";

export interface Example {
  x: number[];
  y: boolean;
  /** task (instance id): the unit of cross-validation folds and bootstrap */
  task: string;
  /** scaffold family: used only to split leave-one-scaffold-out folds and to report, never as a feature */
  family: string;
  key: string;
}

export type { ModelKind };

/** A learner fits log-odds to examples. */
export interface Learner {
  kind: ModelKind;
  fit(X: number[][], y: boolean[]): (x: number[]) => number;
}

export function logisticLearner(l2 = 1): Learner {
  return {
    kind: "logistic",
    fit(X, y) {
      const m = fitLogistic(X, y, l2);
      return (x) => logit(m, x).z;
    },
  };
}

export function treesLearner(params: Partial<TreeParams> = {}): Learner {
  return {
    kind: "trees",
    fit(X, y) {
      const f = fitTrees(X, y, params);
      return (x) => forestMargin(f, x);
    },
  };
}

/** The mean of a logistic regression's and a forest's log-odds. */
export function blendLearner(l2 = 1, params: Partial<TreeParams> = {}): Learner {
  return {
    kind: "blend",
    fit(X, y) {
      const a = logisticLearner(l2).fit(X, y);
      const b = treesLearner(params).fit(X, y);
      return (x) => (a(x) + b(x)) / 2;
    },
  };
}

/** Fold of each task: tasks shuffled with a seed, then dealt round-robin. */
export function taskFolds(ex: Example[], folds: number, seed: number): Map<string, number> {
  const tasks = [...new Set(ex.map((e) => e.task))].sort();
  const r = rng(seed);
  const order = tasks.map((t) => ({ t, k: r() })).sort((a, b) => a.k - b.k);
  return new Map(order.map((o, i) => [o.t, i % folds]));
}

/** Columns kept (all when `keep` is undefined). */
export function project(x: number[], keep?: number[]): number[] {
  return keep ? keep.map((j) => x[j]) : x;
}

/** Held-out log-odds of every example from k folds split by task. */
export function outOfFold(ex: Example[], learner: Learner, folds = 5, seed = 1, keep?: number[]): number[] {
  const fold = taskFolds(ex, folds, seed);
  const z = new Array<number>(ex.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = ex.filter((e) => fold.get(e.task) !== f);
    if (!train.length || train.every((e) => e.y) || train.every((e) => !e.y)) continue;
    const score = learner.fit(
      train.map((e) => project(e.x, keep)),
      train.map((e) => e.y),
    );
    ex.forEach((e, i) => {
      if (fold.get(e.task) === f) z[i] = score(project(e.x, keep));
    });
  }
  return z;
}

/** Each fold's held-out log-odds calibrated with Platt fitted on the other folds' held-out log-odds. */
export function crossCalibrated(ex: Example[], z: number[], folds = 5, seed = 8): number[] {
  const fold = taskFolds(ex, folds, seed);
  const out = new Array<number>(ex.length).fill(0.5);
  for (let f = 0; f < folds; f++) {
    const c = fitPlatt(ex.flatMap((e, i) => (fold.get(e.task) !== f ? [{ score: z[i], label: e.y }] : [])));
    ex.forEach((e, i) => {
      if (fold.get(e.task) === f) out[i] = sigmoid(c.a * z[i] + c.b);
    });
  }
  return out;
}
