/**
 * A regularised logistic regression on standardised behaviour features,
 * fitted by Newton's method (L2 penalty, intercept unpenalised), with Platt
 * calibration on out-of-fold predictions and a small versioned JSON format.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const MODEL_SCHEMA = "rubricate.outcome-model/1";

export const ModelFileSchema = z.object({
  schema: z.literal(MODEL_SCHEMA),
  version: z.string(),
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
  l2: z.number(),
  calibration: z.object({ a: z.number(), b: z.number() }).nullable(),
  training: z.record(z.string(), z.unknown()),
  cv: z.record(z.string(), z.unknown()).optional(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

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

export function loadModel(path: string): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: cannot read outcome model: ${(e as Error).message}`);
  }
  const r = ModelFileSchema.safeParse(value);
  if (!r.success) throw new Error(`${path}: not an outcome model (from 'rubricate train'): ${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message}`);
  const m = r.data;
  if (m.weights.length !== m.features.length || m.mean.length !== m.features.length || m.std.length !== m.features.length) {
    throw new Error(`${path}: outcome model has ${m.features.length} features but ${m.weights.length} weights`);
  }
  return m;
}
