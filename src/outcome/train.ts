/**
 * Training and validating the outcome model. Every learner (the baseline —
 * rubricate 0.1's features with logistic regression —, logistic regression,
 * boosted trees, their blend) is judged on the same folds: grouped
 * cross-validation (folds split by task, so attempts at one task are never in
 * train and test at once) and leave-one-scaffold-out. The kind with the best
 * mean of pooled CV AUC and mean LOSO AUC is shipped, fitted on all the data,
 * with a Platt calibration fitted on its out-of-fold log-odds (so its output
 * is a calibrated probability without a separate step). An ablation drops
 * each feature group in turn.
 */
import { createRequire } from "node:module";
import { analyze } from "../analyze/facts.js";
import { fitPlatt } from "../eval/calibrate.js";
import { reliability, rocAuc, type Bin, type Interval } from "../eval/metrics.js";
import { readTrajectories, type ReadOptions } from "../labels/stream.js";
import type { Trajectory } from "../types/trajectory.js";
import { baselineFeatures } from "./baseline.js";
import {
  blendLearner,
  crossCalibrated,
  logisticLearner,
  outOfFold,
  project,
  treesLearner,
  type Example,
  type Learner,
} from "./cv.js";
import { validate, type Prediction, type Validation } from "./evaluate.js";
import { FEATURE_GROUPS, FEATURE_GROUP_OF, FEATURE_NAMES, features } from "./features.js";
import { MODEL_SCHEMA, fitLogistic, sigmoid, type ModelFileV2, type ModelKind } from "./model.js";
import { DEFAULT_TREE_PARAMS, fitTrees, roundForest, type TreeParams } from "./trees.js";

export type { Example } from "./cv.js";
export { validate, type Validation } from "./evaluate.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

/** Scaffold family: used only to split leave-one-scaffold-out folds and to report, never as a feature. */
export function family(t: Trajectory): string {
  return t.source.format.startsWith("openhands") ? "openhands" : t.source.format;
}

export interface Collected {
  /** current features */
  examples: Example[];
  /** the same trajectories with the baseline's features */
  baseline: Example[];
  unlabelled: number;
  errors: string[];
}

/** Labelled examples from trajectories (unlabelled ones are skipped and counted). */
export async function collectExamples(inputs: string[], opts: ReadOptions = {}): Promise<Collected> {
  const examples: Example[] = [];
  const baseline: Example[] = [];
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
    const f = analyze(t);
    const e = { y: t.label.resolved, task: t.instance_id ?? t.id, family: family(t), key: t.id };
    examples.push({ ...e, x: features(t, f) });
    baseline.push({ ...e, x: baselineFeatures(t, f) });
  }
  return { examples, baseline, unlabelled, errors };
}

/** Out-of-fold log-odds of k folds split by task (logistic regression; kept for callers of 0.1). */
export function crossValidatedLogits(ex: Example[], folds = 5, l2 = 1, seed = 1): number[] {
  return outOfFold(ex, logisticLearner(l2), folds, seed);
}

export interface TrainOptions {
  folds?: number;
  l2?: number;
  bootstrap?: number;
  trees?: Partial<TreeParams>;
  /** tasks counted for best-of-N selection (e.g. SWE-bench Lite); all when undefined */
  selectTasks?: Set<string>;
  /** the baseline's examples (same trajectories, rubricate 0.1's features), for the comparison */
  baseline?: Example[];
  /** drop each feature group in turn and report the AUCs (costs about eight more trainings) */
  ablation?: boolean;
  sources?: Record<string, number>;
  /** a line of progress (for stderr) */
  onProgress?: (line: string) => void;
}

/** AUCs of one learner on one feature set, on the shared folds. */
export interface Comparison {
  name: string;
  kind: ModelKind;
  features: number;
  cv: Validation;
  /** grouped-CV AUC within each family */
  within: { family: string; auc: number | null }[];
  /** AUC on each held-out family, trained on the others */
  loso: { family: string; auc: number | null }[];
}

export interface Ablation {
  /** feature group left out, or "" for none */
  group: string;
  features: number;
  cvAuc: number | null;
  within: { family: string; auc: number | null }[];
  loso: { family: string; auc: number | null }[];
}

export interface TrainResult {
  model: ModelFileV2;
  kind: ModelKind;
  families: string[];
  cv: Validation;
  cvByFamily: { family: string; metrics: Validation }[];
  loso: { family: string; metrics: Validation }[];
  comparisons: Comparison[];
  ablation: Ablation[];
  /** the reliability diagram of the grouped-CV held-out predictions: ten equal-width bins */
  reliability: Bin[];
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const auc = (preds: { p: number; y: boolean }[]) => rocAuc(preds.map((x) => ({ score: x.p, label: x.y })));

/** Mean of the pooled CV AUC and the mean LOSO AUC: how the shipped kind is chosen. */
export function selectionScore(c: Pick<Comparison, "cv" | "loso">): number {
  return ((c.cv.auc.value ?? 0) + (mean(c.loso.map((l) => l.auc)) ?? 0)) / 2;
}

export function train(all: Example[], o: TrainOptions = {}): TrainResult {
  const folds = o.folds ?? 5;
  const l2 = o.l2 ?? 1;
  const b = o.bootstrap ?? 1000;
  const treeParams = { ...DEFAULT_TREE_PARAMS, ...o.trees };
  const say = o.onProgress ?? (() => {});
  const families = [...new Set(all.map((e) => e.family))].sort();
  const vopts = { b, selectTasks: o.selectTasks };
  const learners: Record<ModelKind, Learner> = {
    logistic: logisticLearner(l2),
    trees: treesLearner(treeParams),
    blend: blendLearner(l2, treeParams),
  };

  /** Held-out AUCs: within each family from grouped CV, and leave-one-family-out. */
  const losoAuc = (ex: Example[], learner: Learner, keep?: number[]) =>
    families.map((fam) => {
      const tr = ex.filter((e) => e.family !== fam);
      const te = ex.filter((e) => e.family === fam);
      if (!te.length || tr.every((e) => e.y) || tr.every((e) => !e.y)) return { family: fam, auc: null };
      const score = learner.fit(
        tr.map((e) => project(e.x, keep)),
        tr.map((e) => e.y),
      );
      return { family: fam, auc: auc(te.map((e) => ({ p: score(project(e.x, keep)), y: e.y }))) };
    });
  const withinAuc = (ex: Example[], p: number[]) =>
    families.map((fam) => ({
      family: fam,
      auc: auc(ex.flatMap((e, i) => (e.family === fam ? [{ p: p[i], y: e.y }] : []))),
    }));

  const oof = new Map<ModelKind, number[]>();
  const comparisons: Comparison[] = [];
  const compare = (name: string, kind: ModelKind, ex: Example[]) => {
    say(`train: ${name}: grouped ${folds}-fold CV and leave-one-scaffold-out (${families.length} scaffolds)`);
    const z = outOfFold(ex, learners[kind], folds);
    const p = crossCalibrated(ex, z, folds);
    const cv = validate(
      ex.map((e, i) => ({ p: p[i], e })),
      vopts,
    );
    comparisons.push({
      name,
      kind,
      features: ex[0].x.length,
      cv,
      within: withinAuc(ex, p),
      loso: losoAuc(ex, learners[kind]),
    });
    return z;
  };
  if (o.baseline?.length) compare("baseline: 0.1 features, logistic", "logistic", o.baseline);
  for (const kind of ["logistic", "trees", "blend"] as ModelKind[]) oof.set(kind, compare(kind, kind, all));

  const current = comparisons.filter((c) => c.features === FEATURE_NAMES.length && !c.name.startsWith("baseline"));
  const best = current.reduce((a, c) => (selectionScore(c) > selectionScore(a) ? c : a));
  const kind = best.kind;
  const learner = learners[kind];

  // the chosen kind's reported numbers: held-out predictions calibrated on other folds only
  const z = oof.get(kind)!;
  const p = crossCalibrated(all, z, folds);
  const preds: Prediction[] = all.map((e, i) => ({ p: p[i], e }));
  const cv = best.cv;
  const cvByFamily = families.map((f) => ({
    family: f,
    metrics: validate(
      preds.filter((x) => x.e.family === f),
      vopts,
    ),
  }));
  say(`train: ${kind}: leave-one-scaffold-out with calibration fitted on the other scaffolds' held-out predictions`);
  const loso = families.map((fam) => {
    const tr = all.filter((e) => e.family !== fam);
    const te = all.filter((e) => e.family === fam);
    const zTr = outOfFold(tr, learner, folds);
    const c = fitPlatt(zTr.map((v, i) => ({ score: v, label: tr[i].y })));
    const score = learner.fit(
      tr.map((e) => e.x),
      tr.map((e) => e.y),
    );
    return {
      family: fam,
      metrics: validate(
        te.map((e) => ({ p: sigmoid(c.a * score(e.x) + c.b), e })),
        vopts,
      ),
    };
  });

  const ablation: Ablation[] = [];
  if (o.ablation) {
    ablation.push({
      group: "",
      features: FEATURE_NAMES.length,
      cvAuc: best.cv.auc.value,
      within: best.within,
      loso: best.loso,
    });
    for (const g of FEATURE_GROUPS) {
      say(`train: ablation: ${kind} without the ${g} features`);
      const keep = FEATURE_GROUP_OF.flatMap((x, j) => (x === g ? [] : [j]));
      const zg = outOfFold(all, learner, folds, 1, keep);
      ablation.push({
        group: g,
        features: keep.length,
        cvAuc: auc(all.map((e, i) => ({ p: zg[i], y: e.y }))),
        within: withinAuc(all, zg),
        loso: losoAuc(all, learner, keep),
      });
    }
  }

  say(`train: fitting the ${kind} model on all ${all.length} trajectories`);
  const X = all.map((e) => e.x);
  const y = all.map((e) => e.y);
  const lin = kind === "trees" ? null : fitLogistic(X, y, l2);
  const forest = kind === "logistic" ? null : roundForest(fitTrees(X, y, treeParams));
  const cal = fitPlatt(z.map((v, i) => ({ score: v, label: all[i].y })));
  const short = (i: Interval) => ({ value: i.value, lo: i.lo, hi: i.hi });
  const model: ModelFileV2 = {
    schema: MODEL_SCHEMA,
    kind,
    version: `${VERSION}+${new Date().toISOString().slice(0, 10)}`,
    features: FEATURE_NAMES,
    logistic: lin ? { ...lin, l2 } : null,
    trees: forest ? { ...forest, params: { ...treeParams } } : null,
    calibration: cal,
    training: {
      examples: all.length,
      positives: all.filter((e) => e.y).length,
      tasks: new Set(all.map((e) => e.task)).size,
      families: Object.fromEntries(families.map((f) => [f, all.filter((e) => e.family === f).length])),
      folds,
      chosen: `${kind}: best mean of pooled CV AUC and mean leave-one-scaffold-out AUC among ${current.map((c) => c.kind).join(", ")}`,
      ...(o.sources ? { sources: o.sources } : {}),
    },
    cv: {
      auc: short(cv.auc),
      ece: short(cv.ece),
      brier: short(cv.brier),
      within: Object.fromEntries(cvByFamily.map((f) => [f.family, f.metrics.auc.value])),
      loso: Object.fromEntries(loso.map((l) => [l.family, { auc: l.metrics.auc.value, ece: l.metrics.ece.value }])),
    },
  };
  const bins = reliability(
    preds.map((x) => ({ score: x.p, label: x.e.y })),
    10,
  );
  return { model, kind, families, cv, cvByFamily, loso, comparisons, ablation, reliability: bins };
}

/** Mean of per-scaffold AUCs (scaffolds without both outcomes left out). */
export function meanAuc(xs: { auc: number | null }[]): number | null {
  return mean(xs.map((x) => x.auc));
}
