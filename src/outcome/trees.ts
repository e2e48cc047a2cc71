/**
 * Gradient-boosted regression trees for a binary outcome: each round fits a
 * depth-limited tree to the log-loss gradients (Newton leaf values
 * −G/(H+λ), shrunk by the learning rate), on a seeded subsample of rows and
 * features. Splits are searched over at most `bins` quantile thresholds per
 * feature. The forest is plain data (arrays of numbers) so it saves as JSON.
 */
import { rng } from "../eval/metrics.js";

export interface TreeParams {
  rounds: number;
  depth: number;
  /** shrinkage applied to every leaf */
  rate: number;
  /** share of rows each tree sees */
  subsample: number;
  /** share of features each tree may split on */
  colsample: number;
  /** L2 penalty on leaf values (the λ of −G/(H+λ)) */
  lambda: number;
  /** least hessian sum (≈ p(1−p)·rows) in a child */
  minChildWeight: number;
  /** least rows in a child */
  minLeaf: number;
  /** candidate thresholds per feature */
  bins: number;
  seed: number;
}

export const DEFAULT_TREE_PARAMS: TreeParams = {
  rounds: 300,
  depth: 3,
  rate: 0.03,
  subsample: 0.8,
  colsample: 0.6,
  lambda: 5,
  minChildWeight: 3,
  minLeaf: 10,
  bins: 32,
  seed: 1,
};

/**
 * One tree as parallel arrays over its nodes (node 0 is the root). A leaf has
 * feature −1. `value` is the node's shrunk Newton value: at a leaf what the
 * tree adds to the log-odds; at an inner node what it would add if the tree
 * stopped there (used to attribute a prediction to features).
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface Forest {
  /** log-odds before any tree */
  base: number;
  trees: Tree[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Up to `bins` thresholds per feature: midpoints between distinct values, or quantiles of them. */
export function thresholds(X: number[][], bins: number): number[][] {
  const d = X[0]?.length ?? 0;
  const out: number[][] = [];
  for (let j = 0; j < d; j++) {
    const vals = X.map((r) => r[j]).sort((a, b) => a - b);
    const distinct = vals.filter((v, i) => i === 0 || v !== vals[i - 1]);
    const cuts: number[] = [];
    if (distinct.length <= bins) {
      for (let k = 1; k < distinct.length; k++) cuts.push((distinct[k - 1] + distinct[k]) / 2);
    } else {
      for (let k = 1; k < bins; k++) {
        const q = vals[Math.floor((k * vals.length) / bins)];
        const i = distinct.indexOf(q);
        const c = i > 0 ? (distinct[i - 1] + q) / 2 : q;
        if (!cuts.length || c > cuts[cuts.length - 1]) cuts.push(c);
      }
    }
    out.push(cuts);
  }
  return out;
}

/** Bin of a value: how many thresholds lie below it (so `x <= cuts[b]` iff bin <= b). */
function binOf(cuts: number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
}

/** Fit a forest to 0/1 outcomes. Deterministic for a given `seed`. */
export function fitTrees(X: number[][], y: boolean[], params: Partial<TreeParams> = {}): Forest {
  const p = { ...DEFAULT_TREE_PARAMS, ...params };
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const pos = y.filter(Boolean).length;
  const base = Math.log((pos + 0.5) / (n - pos + 0.5));
  const cuts = thresholds(X, p.bins);
  const B = X.map((r) => r.map((v, j) => binOf(cuts[j], v)));
  const margin = new Array<number>(n).fill(base);
  const g = new Array<number>(n).fill(0);
  const h = new Array<number>(n).fill(0);
  const rand = rng(p.seed);
  const trees: Tree[] = [];
  for (let round = 0; round < p.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const q = sigmoid(margin[i]);
      g[i] = q - (y[i] ? 1 : 0);
      h[i] = Math.max(q * (1 - q), 1e-6);
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (rand() < p.subsample) rows.push(i);
    const cols: number[] = [];
    for (let j = 0; j < d; j++) if (rand() < p.colsample) cols.push(j);
    if (!cols.length) cols.push(Math.floor(rand() * d));
    const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    grow(tree, rows, 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i] += leafValue(tree, X[i]);

    function grow(t: Tree, idx: number[], depth: number): number {
      let G = 0;
      let H = 0;
      for (const i of idx) {
        G += g[i];
        H += h[i];
      }
      const node = t.feature.length;
      t.feature.push(-1);
      t.threshold.push(0);
      t.left.push(-1);
      t.right.push(-1);
      t.value.push((-G / (H + p.lambda)) * p.rate);
      if (depth >= p.depth || idx.length < 2 * p.minLeaf) return node;
      const s = bestSplit(idx, G, H);
      if (!s) return node;
      const L: number[] = [];
      const R: number[] = [];
      for (const i of idx) (B[i][s.feature] <= s.bin ? L : R).push(i);
      t.feature[node] = s.feature;
      t.threshold[node] = cuts[s.feature][s.bin];
      t.left[node] = grow(t, L, depth + 1);
      t.right[node] = grow(t, R, depth + 1);
      return node;
    }

    function bestSplit(idx: number[], G: number, H: number): Split | null {
      const parent = (G * G) / (H + p.lambda);
      let best: Split | null = null;
      for (const j of cols) {
        const k = cuts[j].length + 1;
        if (k < 2) continue;
        const hg = new Float64Array(k);
        const hh = new Float64Array(k);
        const hc = new Int32Array(k);
        for (const i of idx) {
          const b = B[i][j];
          hg[b] += g[i];
          hh[b] += h[i];
          hc[b]++;
        }
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < k - 1; b++) {
          gl += hg[b];
          hl += hh[b];
          cl += hc[b];
          const cr = idx.length - cl;
          if (cl < p.minLeaf || hl < p.minChildWeight) continue;
          if (cr < p.minLeaf || H - hl < p.minChildWeight) break;
          const gain = (gl * gl) / (hl + p.lambda) + ((G - gl) * (G - gl)) / (H - hl + p.lambda) - parent;
          if (gain > 1e-9 && (!best || gain > best.gain)) best = { feature: j, bin: b, gain };
        }
      }
      return best;
    }
  }
  return { base, trees };
}

/** What one tree adds to the log-odds of `x`. */
export function leafValue(t: Tree, x: number[]): number {
  let k = 0;
  while (t.feature[k] >= 0) k = x[t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
  return t.value[k];
}

/** Log-odds of `x` (before calibration). */
export function forestMargin(f: Forest, x: number[]): number {
  let z = f.base;
  for (const t of f.trees) z += leafValue(t, x);
  return z;
}

/**
 * Log-odds with each feature's share of it (Saabas attribution: along the path
 * every split moves the value from the node's to the child's, and the move is
 * credited to the split's feature). The shares and the root values add up to z.
 */
export function forestContributions(f: Forest, x: number[]): { z: number; contributions: number[] } {
  const contributions = new Array<number>(x.length).fill(0);
  let z = f.base;
  for (const t of f.trees) {
    let k = 0;
    z += t.value[0];
    while (t.feature[k] >= 0) {
      const next = x[t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
      contributions[t.feature[k]] += t.value[next] - t.value[k];
      z += t.value[next] - t.value[k];
      k = next;
    }
  }
  return { z, contributions };
}

/** How many splits of the forest use each feature (for reports). */
export function splitCounts(f: Forest, d: number): number[] {
  const c = new Array<number>(d).fill(0);
  for (const t of f.trees) for (const j of t.feature) if (j >= 0) c[j]++;
  return c;
}

const round = (v: number, digits: number) => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(digits)));

/** The forest with thresholds and values kept to `digits` significant digits (a smaller file; the same splits on real data). */
export function roundForest(f: Forest, digits = 7): Forest {
  return {
    base: round(f.base, digits),
    trees: f.trees.map((t) => ({
      ...t,
      threshold: t.threshold.map((v) => round(v, digits)),
      value: t.value.map((v) => round(v, digits)),
    })),
  };
}

/**
 * A forest in flat typed arrays for fast prediction: per node its feature (−1 at a leaf),
 * threshold, children (absolute node numbers) and value, and the trees' roots. Sums are taken in
 * the same order as `forestMargin`, so results are identical.
 */
export interface PackedForest {
  base: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export function packForest(f: Forest): PackedForest {
  const total = f.trees.reduce((s, t) => s + t.feature.length, 0);
  const p: PackedForest = {
    base: f.base,
    roots: new Int32Array(f.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let at = 0;
  f.trees.forEach((t, k) => {
    p.roots[k] = at;
    for (let i = 0; i < t.feature.length; i++) {
      p.feature[at + i] = t.feature[i];
      p.threshold[at + i] = t.threshold[i];
      p.left[at + i] = t.left[i] < 0 ? -1 : at + t.left[i];
      p.right[at + i] = t.right[i] < 0 ? -1 : at + t.right[i];
      p.value[at + i] = t.value[i];
    }
    at += t.feature.length;
  });
  return p;
}

export function packedMargin(f: PackedForest, x: number[]): number {
  const { feature, threshold, left, right, value, roots } = f;
  let z = f.base;
  for (let k = 0; k < roots.length; k++) {
    let o = roots[k];
    for (let j = feature[o]; j >= 0; j = feature[o]) o = x[j] <= threshold[o] ? left[o] : right[o];
    z += value[o];
  }
  return z;
}

/** `forestContributions` on a packed forest. */
export function packedContributions(f: PackedForest, x: number[]): { z: number; contributions: number[] } {
  const { feature, threshold, left, right, value, roots } = f;
  const contributions = new Array<number>(x.length).fill(0);
  let z = f.base;
  for (let k = 0; k < roots.length; k++) {
    let o = roots[k];
    z += value[o];
    for (let j = feature[o]; j >= 0; j = feature[o]) {
      const next = x[j] <= threshold[o] ? left[o] : right[o];
      contributions[j] += value[next] - value[o];
      z += value[next] - value[o];
      o = next;
    }
  }
  return { z, contributions };
}
