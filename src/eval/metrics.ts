/**
 * Metrics of a reward against test outcomes: discrimination (ROC-AUC, PR-AUC,
 * accuracy), calibration (ECE with equal-width and equal-mass bins, Brier, log
 * loss, reliability table), best-of-N selection (exact expectation over random
 * subsets), and percentile bootstrap confidence intervals.
 */

export interface Scored {
  score: number;
  label: boolean;
}

/** ROC-AUC as the Mann-Whitney statistic (ties count one half). null when one class is empty. */
export function rocAuc(xs: Scored[]): number | null {
  const pos = xs.filter((x) => x.label).length;
  const neg = xs.length - pos;
  if (!pos || !neg) return null;
  const sorted = [...xs].sort((a, b) => a.score - b.score);
  let rankSumPos = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j
    for (let k = i; k < j; k++) if (sorted[k].label) rankSumPos += avgRank;
    i = j;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** PR-AUC as average precision (tied scores enter together). null without positives. */
export function prAuc(xs: Scored[]): number | null {
  const pos = xs.filter((x) => x.label).length;
  if (!pos) return null;
  const sorted = [...xs].sort((a, b) => b.score - a.score);
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) {
      if (sorted[j].label) tp++;
      else fp++;
      j++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    i = j;
  }
  return ap;
}

export function accuracy(xs: Scored[], threshold = 0.5): number | null {
  if (!xs.length) return null;
  return xs.filter((x) => x.score >= threshold === x.label).length / xs.length;
}

export function brier(xs: Scored[]): number | null {
  if (!xs.length) return null;
  return xs.reduce((s, x) => s + (x.score - (x.label ? 1 : 0)) ** 2, 0) / xs.length;
}

export function logLoss(xs: Scored[], eps = 1e-6): number | null {
  if (!xs.length) return null;
  return (
    -xs.reduce((s, x) => {
      const p = Math.min(1 - eps, Math.max(eps, x.score));
      return s + (x.label ? Math.log(p) : Math.log(1 - p));
    }, 0) / xs.length
  );
}

export interface Bin {
  lo: number;
  hi: number;
  count: number;
  /** mean predicted probability */
  confidence: number;
  /** observed share of positives */
  accuracy: number;
}

/** Reliability bins: `equal-width` over [0, 1], or `equal-mass` (same count per bin, ties kept together). */
export function reliability(xs: Scored[], bins = 10, kind: "equal-width" | "equal-mass" = "equal-width"): Bin[] {
  const groups: Scored[][] = [];
  if (kind === "equal-width") {
    for (let b = 0; b < bins; b++) groups.push([]);
    for (const x of xs) groups[Math.min(bins - 1, Math.max(0, Math.floor(x.score * bins)))].push(x);
  } else {
    const sorted = [...xs].sort((a, b) => a.score - b.score);
    const per = sorted.length / bins;
    let cur: Scored[] = [];
    for (let i = 0; i < sorted.length; i++) {
      cur.push(sorted[i]);
      const boundary = Math.round(per * (groups.length + 1));
      if (i + 1 >= boundary && (i + 1 === sorted.length || sorted[i + 1].score !== sorted[i].score)) {
        groups.push(cur);
        cur = [];
      }
    }
    if (cur.length) groups.push(cur);
  }
  return groups.map((g, b) => {
    const lo = kind === "equal-width" ? b / bins : g.length ? g[0].score : 0;
    const hi = kind === "equal-width" ? (b + 1) / bins : g.length ? g[g.length - 1].score : 0;
    return {
      lo,
      hi,
      count: g.length,
      confidence: g.length ? g.reduce((s, x) => s + x.score, 0) / g.length : 0,
      accuracy: g.length ? g.filter((x) => x.label).length / g.length : 0,
    };
  });
}

/** Expected calibration error: Σ (n_b / n) |accuracy_b − confidence_b|. */
export function ece(xs: Scored[], bins = 10, kind: "equal-width" | "equal-mass" = "equal-width"): number | null {
  if (!xs.length) return null;
  return reliability(xs, bins, kind).reduce(
    (s, b) => s + (b.count / xs.length) * Math.abs(b.accuracy - b.confidence),
    0,
  );
}

/** log C(n, k) */
function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

function choose(n: number, k: number): number {
  return k < 0 || k > n ? 0 : Math.exp(logChoose(n, k));
}

export interface Attempt {
  score: number;
  label: boolean;
  /** deterministic tie-break: the smaller key wins among equal scores */
  key: string;
}

export interface BestOfNPoint {
  n: number;
  /** tasks with at least n attempts */
  tasks: number;
  /** expected resolve rate of the reward's pick in a random subset of n attempts */
  reward: number;
  /** expected resolve rate of a random pick */
  random: number;
  /** expected rate of "any attempt in the subset resolved" */
  oracle: number;
  /** (reward − random) / (oracle − random); null when the oracle equals random */
  gapClosed: number | null;
}

/**
 * Best-of-N for one N, as the exact expectation over all subsets of size N of
 * each task's attempts (the limit of averaging over random subsets).
 */
export function bestOfN(tasks: Attempt[][], n: number): BestOfNPoint {
  let reward = 0;
  let random = 0;
  let oracle = 0;
  let count = 0;
  for (const attempts of tasks) {
    const m = attempts.length;
    if (m < n) continue;
    count++;
    const r = attempts.filter((a) => a.label).length;
    random += r / m;
    oracle += 1 - choose(m - r, n) / choose(m, n);
    // rank k (0 = best) is the pick when it is in the subset and no better-ranked attempt is
    const ranked = [...attempts].sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const total = logChoose(m, n);
    ranked.forEach((a, k) => {
      if (a.label) reward += Math.exp(logChoose(m - 1 - k, n - 1) - total);
    });
  }
  const rw = count ? reward / count : 0;
  const rd = count ? random / count : 0;
  const or = count ? oracle / count : 0;
  return {
    n,
    tasks: count,
    reward: rw,
    random: rd,
    oracle: or,
    gapClosed: or - rd > 1e-12 ? (rw - rd) / (or - rd) : null,
  };
}

/** A seeded PRNG (mulberry32) so bootstrap intervals are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  value: number | null;
  lo: number | null;
  hi: number | null;
}

/**
 * Percentile bootstrap over groups (tasks): resample groups with replacement
 * `b` times, recompute the statistic, take the 2.5th and 97.5th percentiles.
 */
export function bootstrap<G>(groups: G[], stat: (gs: G[]) => number | null, b = 1000, seed = 1): Interval {
  const value = stat(groups);
  if (value === null || groups.length < 2 || b < 1) return { value, lo: null, hi: null };
  const rand = rng(seed);
  const vals: number[] = [];
  for (let i = 0; i < b; i++) {
    const sample: G[] = [];
    for (let j = 0; j < groups.length; j++) sample.push(groups[Math.floor(rand() * groups.length)]);
    const v = stat(sample);
    if (v !== null && Number.isFinite(v)) vals.push(v);
  }
  if (vals.length < b / 2) return { value, lo: null, hi: null };
  vals.sort((x, y) => x - y);
  const q = (p: number) => vals[Math.min(vals.length - 1, Math.max(0, Math.floor(p * (vals.length - 1))))];
  return { value, lo: q(0.025), hi: q(0.975) };
}

export interface SelectionPoint {
  /** tasks (groups of attempts) counted */
  tasks: number;
  /** mean resolve rate of the top-scored attempt (attempts tied at the top share the pick) */
  reward: number;
  /** mean resolve rate of a random attempt */
  random: number;
  /** mean rate of "some attempt resolved" */
  oracle: number;
  /** (reward − random) / (oracle − random); null when the oracle equals random */
  gapClosed: number | null;
}

/**
 * Picking one attempt per task among all of its attempts by score: how much of
 * the gap between a random pick and an oracle the score closes. Attempts tied
 * at the top score are picked with equal chance (no tie-break by key).
 */
export function selectBest(tasks: Scored[][]): SelectionPoint {
  let reward = 0;
  let random = 0;
  let oracle = 0;
  let count = 0;
  for (const attempts of tasks) {
    if (!attempts.length) continue;
    count++;
    const top = Math.max(...attempts.map((a) => a.score));
    const picked = attempts.filter((a) => a.score === top);
    reward += picked.filter((a) => a.label).length / picked.length;
    random += attempts.filter((a) => a.label).length / attempts.length;
    oracle += attempts.some((a) => a.label) ? 1 : 0;
  }
  const rw = count ? reward / count : 0;
  const rd = count ? random / count : 0;
  const or = count ? oracle / count : 0;
  return {
    tasks: count,
    reward: rw,
    random: rd,
    oracle: or,
    gapClosed: or - rd > 1e-12 ? (rw - rd) / (or - rd) : null,
  };
}
