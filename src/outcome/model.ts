/**
 * The outcome model's file and its learners' arithmetic. A model file is plain
 * JSON. Schema 1 (rubricate 0.1) holds a logistic regression on standardised
 * features; schema 2 says which `kind` of model it holds: a logistic
 * regression, gradient-boosted trees (`trees.ts`), or a blend (the mean of the
 * two log-odds). Both carry a Platt calibration fitted on out-of-fold
 * predictions, so what the model outputs is already a calibrated probability.
 * Logistic regression is fitted by Newton's method (L2 penalty, intercept
 * unpenalised).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { packForest, packedContributions, type Forest, type PackedForest } from "./trees.js";

export const MODEL_SCHEMA_V1 = "rubricate.outcome-model/1";
export const MODEL_SCHEMA = "rubricate.outcome-model/2";
export const MODEL_KINDS = ["logistic", "trees", "blend"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const Calibration = z.object({ a: z.number(), b: z.number() }).nullable();

const LogisticSchema = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
  l2: z.number(),
});

const TreeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(z.number()),
});

const ForestSchema = z.object({
  base: z.number(),
  trees: z.array(TreeSchema),
  params: z.record(z.string(), z.number()),
});

/** Schema 1: a logistic regression, its numbers at the top level. */
export const ModelFileV1Schema = z.object({
  schema: z.literal(MODEL_SCHEMA_V1),
  version: z.string(),
  features: z.array(z.string()),
  ...LogisticSchema.shape,
  calibration: Calibration,
  training: z.record(z.string(), z.unknown()),
  cv: z.record(z.string(), z.unknown()).optional(),
});

/** Schema 2: the kind of model and the parts it needs. */
export const ModelFileV2Schema = z.object({
  schema: z.literal(MODEL_SCHEMA),
  kind: z.enum(MODEL_KINDS),
  version: z.string(),
  features: z.array(z.string()),
  logistic: LogisticSchema.nullable(),
  trees: ForestSchema.nullable(),
  calibration: Calibration,
  training: z.record(z.string(), z.unknown()),
  cv: z.record(z.string(), z.unknown()).optional(),
});

export const ModelFileSchema = z.union([ModelFileV1Schema, ModelFileV2Schema]);
export type ModelFileV1 = z.infer<typeof ModelFileV1Schema>;
export type ModelFileV2 = z.infer<typeof ModelFileV2Schema>;
export type ModelFile = ModelFileV1 | ModelFileV2;

export interface Fitted {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Solve A x = b (A symmetric positive definite) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / (M[r][r] || 1e-12);
  }
  return x;
}

/** Fit L2-regularised logistic regression (penalty `l2` on standardised weights). */
export function fitLogistic(X: number[][], y: boolean[], l2 = 1): Fitted {
  const d = X[0]?.length ?? 0;
  const n = X.length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
  const std = Array.from({ length: d }, (_, j) => {
    const v = X.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  const Z = X.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
  // parameters: [bias, w_1..w_d]
  let theta = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const x = [1, ...Z[i]];
      const p = sigmoid(x.reduce((s, v, j) => s + v * theta[j], 0));
      const e = p - (y[i] ? 1 : 0);
      const w = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j <= d; j++) {
        g[j] += e * x[j];
        const wx = w * x[j];
        for (let k = j; k <= d; k++) H[j][k] += wx * x[k];
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) H[j][k] = H[k][j];
    for (let j = 1; j <= d; j++) {
      g[j] += l2 * theta[j];
      H[j][j] += l2;
    }
    const step = solve(H, g);
    theta = theta.map((t, j) => t - step[j]);
    if (step.reduce((s, v) => s + Math.abs(v), 0) < 1e-8) break;
  }
  return { mean, std, bias: theta[0], weights: theta.slice(1) };
}

/** Linear score (log-odds before calibration) and per-feature contributions. */
export function logit(m: Fitted, x: number[]): { z: number; contributions: number[] } {
  const contributions = x.map((v, j) => m.weights[j] * ((v - m.mean[j]) / m.std[j]));
  return { z: m.bias + contributions.reduce((a, b) => a + b, 0), contributions };
}

export function predict(m: Fitted, x: number[], cal: { a: number; b: number } | null = null): number {
  const { z } = logit(m, x);
  return cal ? sigmoid(cal.a * z + cal.b) : sigmoid(z);
}

/** Each model's forest packed for prediction, made on first use. */
const packs = new WeakMap<ModelFile, PackedForest>();

function packed(m: ModelFile): PackedForest {
  let p = packs.get(m);
  if (!p) {
    p = packForest((m as ModelFileV2).trees as Forest);
    packs.set(m, p);
  }
  return p;
}

/** The model's kind (a schema-1 file is a logistic regression). */
export function modelKind(m: ModelFile): ModelKind {
  return m.schema === MODEL_SCHEMA ? m.kind : "logistic";
}

function logisticPart(m: ModelFile): Fitted | null {
  if (m.schema === MODEL_SCHEMA_V1) return { mean: m.mean, std: m.std, weights: m.weights, bias: m.bias };
  return m.logistic;
}

/**
 * Log-odds before calibration and each feature's share of it: a logistic
 * regression's weighted standardised values, a forest's path attributions, a
 * blend's mean of the two.
 */
export function modelLogit(m: ModelFile, x: number[]): { z: number; contributions: number[] } {
  const lin = logisticPart(m);
  const kind = modelKind(m);
  if (kind === "logistic") return logit(lin!, x);
  if (kind === "trees") return packedContributions(packed(m), x);
  const a = logit(lin!, x);
  const b = packedContributions(packed(m), x);
  return { z: (a.z + b.z) / 2, contributions: a.contributions.map((c, j) => (c + b.contributions[j]) / 2) };
}

/** Calibrated p(resolved) of a feature vector. */
export function modelPredict(m: ModelFile, x: number[]): number {
  const { z } = modelLogit(m, x);
  const cal = m.calibration;
  return cal ? sigmoid(cal.a * z + cal.b) : sigmoid(z);
}

export function loadModel(path: string): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: cannot read outcome model: ${(e as Error).message}`);
  }
  const r = ModelFileSchema.safeParse(value);
  if (!r.success)
    throw new Error(
      `${path}: not an outcome model (from 'rubricate train'): ${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message}`,
    );
  const m = r.data;
  const d = m.features.length;
  const lin = logisticPart(m);
  if (lin && (lin.weights.length !== d || lin.mean.length !== d || lin.std.length !== d)) {
    throw new Error(`${path}: outcome model has ${d} features but ${lin.weights.length} weights`);
  }
  const kind = modelKind(m);
  if ((kind !== "trees" && !lin) || (kind !== "logistic" && !(m.schema === MODEL_SCHEMA && m.trees))) {
    throw new Error(
      `${path}: a '${kind}' outcome model lacks its ${!lin && kind !== "trees" ? "logistic" : "trees"} part`,
    );
  }
  if (m.schema === MODEL_SCHEMA && m.trees?.trees.some((t) => t.feature.some((j) => j >= d))) {
    throw new Error(`${path}: outcome model's trees split on a feature it does not list`);
  }
  return m;
}

/** A model file's text: one top-level field per line, a forest one tree per line (readable diffs, still plain JSON). */
export function modelJson(m: ModelFile): string {
  const fields = Object.entries(m).map(([k, v]) => {
    if (k === "trees" && v) {
      const f = v as { base: number; trees: unknown[]; params: unknown };
      const trees = f.trees.map((t) => `      ${JSON.stringify(t)}`).join(",\n");
      return `  "trees": {\n    "base": ${JSON.stringify(f.base)},\n    "params": ${JSON.stringify(f.params)},\n    "trees": [\n${trees}\n    ]\n  }`;
    }
    return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  return `{\n${fields.join(",\n")}\n}\n`;
}
