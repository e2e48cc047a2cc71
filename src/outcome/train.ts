/**
 * Training and validating the outcome model: grouped cross-validation (folds
 * split by task, so attempts at one task are never in train and test at once),
 * leave-one-scaffold-out, Platt calibration on out-of-fold predictions, and
 * the metrics research uses for execution-free reward models (AUC, ECE, Brier,
 * best-of-N gap closed), each with a task-bootstrap interval.
 */
import { createRequire } from "node:module";
import { analyze } from "../analyze/facts.js";
import { fitPlatt } from "../eval/calibrate.js";
import { bestOfN, bootstrap, brier, ece, rng, rocAuc, type Interval, type Scored } from "../eval/metrics.js";
import { readTrajectories, type ReadOptions } from "../labels/stream.js";
import type { Trajectory } from "../types/trajectory.js";
import { FEATURE_NAMES, features } from "./features.js";
import { MODEL_SCHEMA, fitLogistic, logit, sigmoid, type ModelFile } from "./model.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

export interface Example {
  x: number[];
  y: boolean;
  /** task (instance id): the unit of cross-validation folds and bootstrap */
  task: string;
  /** scaffold family: used only to split leave-one-scaffold-out folds, never as a feature */
  family: string;
  key: string;
}

export function family(t: Trajectory): string {
  return t.source.format.startsWith("openhands") ? "openhands" : t.source.format;
}

/** Labelled examples from trajectories (unlabelled ones are skipped and counted). */
export async function collectExamples(inputs: string[], opts: ReadOptions = {}): Promise<{ examples: Example[]; unlabelled: number; errors: string[] }> {
  const examples: Example[] = [];
  const errors: string[] = [];
  let unlabelled = 0;
  for await (const ev of readTrajectories(inputs, opts)) {
    if (ev.type === "error") errors.push(ev.error.describe());
    if (ev.type !== "trajectory") continue;
    const t = ev.trajectory;
    if (!t.label) {
      unlabelled++;
      continue;
    }
    examples.push({ x: features(t, analyze(t)), y: t.label.resolved, task: t.instance_id ?? t.id, family: family(t), key: t.id });
  }
  return { examples, unlabelled, errors };
}

export interface Validation {
  n: number;
  positives: number;
  tasks: number;
  auc: Interval;
  ece: Interval;
  brier: Interval;
  /** best-of-N share of the random-to-oracle gap closed, per N */
  bestOfN: { n: number; tasks: number; random: number; reward: number; oracle: number; gapClosed: Interval }[];
}

/** Metrics of held-out predictions, with bootstrap intervals over tasks. */
export function validate(preds: { p: number; e: Example }[], b = 1000): Validation {
  const tasks = new Map<string, { p: number; e: Example }[]>();
  for (const x of preds) tasks.set(x.e.task, [...(tasks.get(x.e.task) ?? []), x]);
  const groups = [...tasks.values()];
  const flat = (gs: typeof groups): Scored[] => gs.flat().map((x) => ({ score: x.p, label: x.e.y }));
  const attempts = (gs: typeof groups) => gs.map((g) => g.map((x) => ({ score: x.p, label: x.e.y, key: x.e.key })));
  const maxN = Math.max(0, ...groups.map((g) => g.length));
  const best: Validation["bestOfN"] = [];
  for (let n = 2; n <= maxN; n++) {
    const pt = bestOfN(attempts(groups), n);
    if (!pt.tasks) continue;
    const eligible = groups.filter((g) => g.length >= n);
    best.push({ n, tasks: pt.tasks, random: pt.random, reward: pt.reward, oracle: pt.oracle, gapClosed: bootstrap(eligible, (gs) => bestOfN(attempts(gs), n).gapClosed, b) });
  }
  return {
    n: preds.length,
    positives: preds.filter((x) => x.e.y).length,
    tasks: groups.length,
    auc: bootstrap(groups, (gs) => rocAuc(flat(gs)), b),
    ece: bootstrap(groups, (gs) => ece(flat(gs)), b),
    brier: bootstrap(groups, (gs) => brier(flat(gs)), b),
    bestOfN: best,
  };
}

/** Out-of-fold log-odds from k folds split by task. */
export function crossValidatedLogits(ex: Example[], folds = 5, l2 = 1, seed = 1): number[] {
  const tasks = [...new Set(ex.map((e) => e.task))];
  const r = rng(seed);
  const order = tasks.map((t) => ({ t, k: r() })).sort((a, b) => a.k - b.k);
  const fold = new Map(order.map((o, i) => [o.t, i % folds]));
  const z = new Array<number>(ex.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const train = ex.filter((e) => fold.get(e.task) !== f);
    if (!train.length || train.every((e) => e.y) || train.every((e) => !e.y)) continue;
    const m = fitLogistic(train.map((e) => e.x), train.map((e) => e.y), l2);
    ex.forEach((e, i) => {
      if (fold.get(e.task) === f) z[i] = logit(m, e.x).z;
    });
  }
  return z;
}


export interface TrainResult {
  model: ModelFile;
  cv: Validation;
  cvByFamily: { family: string; metrics: Validation }[];
  loso: { family: string; metrics: Validation }[];
}

export function train(ex: Example[], o: { folds?: number; l2?: number; bootstrap?: number; sources?: Record<string, number> } = {}): TrainResult {
  const folds = o.folds ?? 5;
  const l2 = o.l2 ?? 1;
  const b = o.bootstrap ?? 1000;
  // grouped CV: out-of-fold log-odds, Platt calibration fitted on them (so calibration is out-of-sample too)
  const z = crossValidatedLogits(ex, folds, l2);
  const cal = fitPlatt(z.map((v, i) => ({ score: v, label: ex[i].y })));
  // the reported CV numbers calibrate each fold's predictions with Platt fitted on the other folds' logits
  const oof = crossCalibrated(ex, z, folds);
  const preds = ex.map((e, i) => ({ p: oof[i], e }));
  const families = [...new Set(ex.map((e) => e.family))].sort();
  const cvByFamily = families.map((f) => ({ family: f, metrics: validate(preds.filter((x) => x.e.family === f), b) }));
  const loso = families.map((f) => {
    const trainSet = ex.filter((e) => e.family !== f);
    const test = ex.filter((e) => e.family === f);
    const zTrain = crossValidatedLogits(trainSet, folds, l2);
    const c = fitPlatt(zTrain.map((v, i) => ({ score: v, label: trainSet[i].y })));
    const m = fitLogistic(trainSet.map((e) => e.x), trainSet.map((e) => e.y), l2);
    return { family: f, metrics: validate(test.map((e) => ({ p: sigmoid(c.a * logit(m, e.x).z + c.b), e })), b) };
  });
  const full = fitLogistic(ex.map((e) => e.x), ex.map((e) => e.y), l2);
  const cv = validate(preds, b);
  const model: ModelFile = {
    schema: MODEL_SCHEMA,
    version: `${VERSION}+${new Date().toISOString().slice(0, 10)}`,
    features: FEATURE_NAMES,
    mean: full.mean,
    std: full.std,
    weights: full.weights,
    bias: full.bias,
    l2,
    calibration: cal,
    training: {
      examples: ex.length,
      positives: ex.filter((e) => e.y).length,
      tasks: new Set(ex.map((e) => e.task)).size,
      families: Object.fromEntries(families.map((f) => [f, ex.filter((e) => e.family === f).length])),
      folds,
      ...(o.sources ? { sources: o.sources } : {}),
    },
    cv: { auc: cv.auc, ece: cv.ece, brier: cv.brier, loso: Object.fromEntries(loso.map((l) => [l.family, { auc: l.metrics.auc.value, ece: l.metrics.ece.value }])) },
  };
  return { model, cv, cvByFamily, loso };
}

/** Calibrate each fold's out-of-fold logits with Platt fitted on the other folds' logits. */
function crossCalibrated(ex: Example[], z: number[], folds: number, seed = 1): number[] {
  const tasks = [...new Set(ex.map((e) => e.task))];
  const r = rng(seed + 7);
  const order = tasks.map((t) => ({ t, k: r() })).sort((a, b) => a.k - b.k);
  const fold = new Map(order.map((o, i) => [o.t, i % folds]));
  const out = new Array<number>(ex.length).fill(0.5);
  for (let f = 0; f < folds; f++) {
    const idx = ex.map((_, i) => i);
    const c = fitPlatt(idx.filter((i) => fold.get(ex[i].task) !== f).map((i) => ({ score: z[i], label: ex[i].y })));
    for (const i of idx) if (fold.get(ex[i].task) === f) out[i] = sigmoid(c.a * z[i] + c.b);
  }
  return out;
}
