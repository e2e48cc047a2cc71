/**
 * Calibration of scores into probabilities: Platt scaling (a logistic fit of
 * the outcome on the score) or isotonic regression (pool-adjacent-violators),
 * with a task-grouped cross-validated report and a small JSON file format.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { brier, ece, rng, type Scored } from "./metrics.js";

export const CALIBRATOR_SCHEMA = "rubricate.calibrator/1";

const FileSchema = z.object({
  schema: z.literal(CALIBRATOR_SCHEMA),
  method: z.enum(["platt", "isotonic"]),
  /** platt: [a, b] for sigmoid(a·x + b); isotonic: breakpoints */
  platt: z.object({ a: z.number(), b: z.number() }).optional(),
  isotonic: z.object({ x: z.array(z.number()), y: z.array(z.number()) }).optional(),
  fitted_on: z.record(z.string(), z.unknown()),
  cv: z.record(z.string(), z.unknown()).optional(),
});
export type CalibratorFile = z.infer<typeof FileSchema>;

export interface Calibrator {
  file: CalibratorFile;
  apply(x: number): number;
}

/** Platt scaling: logistic fit of the outcome on the score, by Newton's method with a backtracking line search and Platt's target smoothing. */
export function fitPlatt(xs: Scored[]): { a: number; b: number } {
  const pos = xs.filter((x) => x.label).length;
  const neg = xs.length - pos;
  const tPos = (pos + 1) / (pos + 2);
  const tNeg = 1 / (neg + 2);
  const loss = (a: number, b: number) => {
    let l = 0;
    for (const x of xs) {
      const z = a * x.score + b;
      const t = x.label ? tPos : tNeg;
      // log(1 + e^z) − t·z, computed stably
      l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return l;
  };
  let a = 0;
  let b = Math.log(tPos * pos + tNeg * neg + 1e-12) - Math.log(xs.length - (tPos * pos + tNeg * neg) + 1e-12);
  let cur = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0,
      gb = 0,
      haa = 1e-9,
      hab = 0,
      hbb = 1e-9;
    for (const x of xs) {
      const p = 1 / (1 + Math.exp(-(a * x.score + b)));
      const d = p - (x.label ? tPos : tNeg);
      const w = p * (1 - p);
      ga += d * x.score;
      gb += d;
      haa += w * x.score * x.score;
      hab += w * x.score;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-15)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > cur && step > 1e-8) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > cur) break;
    a -= step * da;
    b -= step * db;
    const done = cur - next < 1e-10;
    cur = next;
    if (done) break;
  }
  return { a, b };
}

/** Isotonic regression by pool-adjacent-violators; returns increasing breakpoints. */
export function fitIsotonic(xs: Scored[]): { x: number[]; y: number[] } {
  const sorted = [...xs].sort((p, q) => p.score - q.score);
  const blocks: { lo: number; hi: number; sum: number; n: number }[] = [];
  for (const s of sorted) {
    blocks.push({ lo: s.score, hi: s.score, sum: s.label ? 1 : 0, n: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.n < b.sum / b.n && a.hi !== b.lo) break;
      blocks.splice(blocks.length - 2, 2, { lo: a.lo, hi: b.hi, sum: a.sum + b.sum, n: a.n + b.n });
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (const b of blocks) {
    x.push(b.lo, b.hi);
    y.push(b.sum / b.n, b.sum / b.n);
  }
  return { x, y };
}

function interp(x: number, xs: number[], ys: number[]): number {
  if (!xs.length) return x;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[xs.length - 1]) return ys[ys.length - 1];
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = xs[hi] - xs[lo];
  return span > 0 ? ys[lo] + ((x - xs[lo]) / span) * (ys[hi] - ys[lo]) : ys[hi];
}

export function calibratorFrom(file: CalibratorFile): Calibrator {
  if (file.method === "platt") {
    const { a, b } = file.platt!;
    return { file, apply: (x) => 1 / (1 + Math.exp(-(a * x + b))) };
  }
  const { x, y } = file.isotonic!;
  return { file, apply: (v) => interp(v, x, y) };
}

export function fit(method: "platt" | "isotonic", xs: Scored[], fittedOn: Record<string, unknown>): Calibrator {
  const file: CalibratorFile = { schema: CALIBRATOR_SCHEMA, method, fitted_on: fittedOn };
  if (method === "platt") file.platt = fitPlatt(xs);
  else file.isotonic = fitIsotonic(xs);
  return calibratorFrom(file);
}

export interface CvReport {
  folds: number;
  n: number;
  before: { ece: number | null; brier: number | null };
  after: { ece: number | null; brier: number | null };
}

/** k-fold cross-validation with folds split by task: ECE and Brier of held-out predictions before and after. */
export function crossValidate(
  method: "platt" | "isotonic",
  items: (Scored & { task: string })[],
  folds = 5,
  seed = 1,
): CvReport {
  const tasks = [...new Set(items.map((i) => i.task))];
  const r = rng(seed);
  const order = tasks
    .map((t) => ({ t, k: r() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.t);
  const foldOf = new Map(order.map((t, i) => [t, i % folds]));
  const held: Scored[] = [];
  const raw: Scored[] = [];
  for (let f = 0; f < folds; f++) {
    const train = items.filter((i) => foldOf.get(i.task) !== f);
    const test = items.filter((i) => foldOf.get(i.task) === f);
    if (!test.length || !train.length) continue;
    const c = fit(method, train, {});
    for (const t of test) {
      held.push({ score: c.apply(t.score), label: t.label });
      raw.push({ score: Math.min(1, Math.max(0, t.score)), label: t.label });
    }
  }
  return {
    folds,
    n: held.length,
    before: { ece: ece(raw), brier: brier(raw) },
    after: { ece: ece(held), brier: brier(held) },
  };
}

export function loadCalibrator(path: string): Calibrator {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: cannot read calibrator: ${(e as Error).message}`);
  }
  const r = FileSchema.safeParse(value);
  if (!r.success)
    throw new Error(
      `${path}: not a calibrator file (from 'rubricate calibrate'): ${r.error.issues[0].path.join(".")}: ${r.error.issues[0].message}`,
    );
  if (r.data.method === "platt" && !r.data.platt) throw new Error(`${path}: platt calibrator without parameters`);
  if (r.data.method === "isotonic" && !r.data.isotonic)
    throw new Error(`${path}: isotonic calibrator without breakpoints`);
  return calibratorFrom(r.data);
}
