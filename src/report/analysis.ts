/**
 * What a report says about a set of ScoreRecords: counts, provenance, unscored criteria by reason,
 * and, when records carry outcome labels, the evaluation of p(resolved) (read by `pResolved`, as eval
 * and select read it) and of the behaviour score (AUC, calibration, best-of-N with bootstrap
 * intervals, from `eval/`) plus the ROC curves.
 */
import { evaluate, type CriterionStats } from "../eval/report.js";
import {
  bestOfN,
  bootstrap,
  ece,
  rocAuc,
  type Attempt,
  type Bin,
  type Interval,
  type Scored,
} from "../eval/metrics.js";
import type { ScoreRecord } from "../types/score.js";
import { pResolved } from "../score/reward.js";

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

/** One evaluated number (p(resolved) or the behaviour score) against the outcome labels. */
export interface Series {
  key: "score" | "p_resolved";
  label: string;
  n: number;
  positives: number;
  tasks: number;
  auc: Interval;
  ece: Interval;
  prAuc: number | null;
  brier: number | null;
  reliability: Bin[];
  bestOfN: {
    n: number;
    tasks: number;
    random: Interval;
    oracle: Interval;
    reward: Interval;
    gapClosed: number | null;
  }[];
  scaffolds: { name: string; n: number; positives: number; auc: Interval; ece: number | null }[];
  criteria: CriterionStats[];
  roc: RocPoint[];
}

export interface Analysis {
  records: number;
  tasks: number;
  labelled: number;
  resolved: number;
  errors: number;
  vetoed: number;
  withScore: number;
  withP: number;
  meanScore: { resolved: number | null; unresolved: number | null; all: number | null };
  meanP: { resolved: number | null; unresolved: number | null; all: number | null };
  /** what decided p(resolved) (`provenance.p_resolved`), with its record count */
  pDeciders: { by: string; records: number }[];
  scaffolds: { name: string; records: number; resolved: number; unresolved: number; unlabelled: number }[];
  rubricate: string[];
  judges: { text: string; records: number }[];
  deciders: { kind: string; by: string; decisions: number }[];
  criteria: {
    id: string;
    kind: string;
    polarity: string;
    decided: number;
    fired: number;
    na: number;
    unscored: number;
  }[];
  unscored: { reason: string; count: number; criteria: { id: string; count: number }[] }[];
  usage: {
    requests: number;
    promptTokens: number;
    completionTokens: number;
    cacheHits: number;
    cost: number | null;
  } | null;
  /** the evaluated numbers (empty without labels) */
  series: Series[];
  /** why there are no outcome plots, when there are none */
  noOutcome: string | null;
}

/** ROC curve points from the highest threshold down (tied scores enter together). */
export function rocCurve(xs: Scored[]): RocPoint[] {
  const pos = xs.filter((x) => x.label).length;
  const neg = xs.length - pos;
  if (!pos || !neg) return [];
  const sorted = [...xs].sort((a, b) => b.score - a.score);
  const out: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; ) {
    const t = sorted[i].score;
    while (i < sorted.length && sorted[i].score === t) {
      if (sorted[i].label) tp++;
      else fp++;
      i++;
    }
    out.push({ fpr: fp / neg, tpr: tp / pos, threshold: t });
  }
  return out;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function count<K>(m: Map<K, number>, k: K, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

export interface AnalysisOptions {
  bootstrap?: number;
  seed?: number;
  bins?: number;
}

export function analyse(records: ScoreRecord[], o: AnalysisOptions = {}): Analysis {
  const labelled = records.filter((r) => r.label);
  const resolved = labelled.filter((r) => r.label!.resolved).length;
  const scaffolds = new Map<string, { records: number; resolved: number; unresolved: number; unlabelled: number }>();
  const judges = new Map<string, number>();
  const rubricate = new Set<string>();
  const deciders = new Map<string, { kind: string; by: string; decisions: number }>();
  const criteria = new Map<string, Analysis["criteria"][number]>();
  const reasons = new Map<string, Map<string, number>>();
  const pBy = new Map<string, number>();
  let usage: Analysis["usage"] = null;
  for (const r of records) {
    const s = scaffolds.get(r.source.scaffold) ?? { records: 0, resolved: 0, unresolved: 0, unlabelled: 0 };
    scaffolds.set(r.source.scaffold, s);
    s.records++;
    if (!r.label) s.unlabelled++;
    else if (r.label.resolved) s.resolved++;
    else s.unresolved++;
    rubricate.add(r.provenance.rubricate);
    if (pResolved(r) !== null) count(pBy, r.provenance.p_resolved ?? "(not named: a record from before p_resolved)");
    if (r.provenance.judge !== null && r.provenance.judge !== undefined)
      count(judges, JSON.stringify(r.provenance.judge));
    for (const c of r.criteria) {
      let e = criteria.get(c.id);
      if (!e)
        criteria.set(
          c.id,
          (e = { id: c.id, kind: c.kind, polarity: c.polarity, decided: 0, fired: 0, na: 0, unscored: 0 }),
        );
      if (c.status === "decided") {
        e.decided++;
        if ((c.value ?? 0) >= 0.5) e.fired++;
        const key = `${c.kind}\u0000${c.by}`;
        const d = deciders.get(key) ?? { kind: c.kind, by: c.by, decisions: 0 };
        d.decisions++;
        deciders.set(key, d);
      } else if (c.status === "not_applicable") e.na++;
      else {
        e.unscored++;
        const reason = c.reason ?? "(no reason given)";
        if (!reasons.has(reason)) reasons.set(reason, new Map());
        count(reasons.get(reason)!, c.id);
      }
    }
    if (r.usage) {
      usage ??= { requests: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0, cost: 0 };
      usage.requests += r.usage.requests;
      usage.promptTokens += r.usage.prompt_tokens;
      usage.completionTokens += r.usage.completion_tokens;
      usage.cacheHits += r.usage.cache_hits;
      usage.cost = usage.cost === null || r.usage.cost_usd === null ? null : usage.cost + r.usage.cost_usd;
    }
  }
  const scoreOf = (rs: ScoreRecord[]) => mean(rs.map((r) => r.score).filter((x): x is number => x !== null));
  const pOf = (rs: ScoreRecord[]) => mean(rs.map(pResolved).filter((x): x is number => x !== null));
  const base: Omit<Analysis, "series" | "noOutcome"> = {
    records: records.length,
    tasks: new Set(records.map((r) => r.instance_id ?? r.trajectory_id)).size,
    labelled: labelled.length,
    resolved,
    errors: records.filter((r) => r.error).length,
    vetoed: records.filter((r) => r.vetoed_by.length).length,
    withScore: records.filter((r) => r.score !== null).length,
    withP: records.filter((r) => pResolved(r) !== null).length,
    meanScore: {
      all: scoreOf(records),
      resolved: scoreOf(labelled.filter((r) => r.label!.resolved)),
      unresolved: scoreOf(labelled.filter((r) => !r.label!.resolved)),
    },
    meanP: {
      all: pOf(records),
      resolved: pOf(labelled.filter((r) => r.label!.resolved)),
      unresolved: pOf(labelled.filter((r) => !r.label!.resolved)),
    },
    pDeciders: [...pBy].map(([by, n]) => ({ by, records: n })).sort((a, b) => b.records - a.records),
    scaffolds: [...scaffolds].map(([name, s]) => ({ name, ...s })).sort((a, b) => b.records - a.records),
    rubricate: [...rubricate].sort(),
    judges: [...judges].map(([text, n]) => ({ text, records: n })).sort((a, b) => b.records - a.records),
    deciders: [...deciders.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.by.localeCompare(b.by)),
    criteria: [...criteria.values()],
    unscored: [...reasons]
      .map(([reason, m]) => ({
        reason,
        count: [...m.values()].reduce((a, b) => a + b, 0),
        criteria: [...m].map(([id, n]) => ({ id, count: n })).sort((a, b) => b.count - a.count),
      }))
      .sort((a, b) => b.count - a.count),
    usage,
  };
  const why = noOutcomeReason(records, labelled.length, resolved);
  if (why) return { ...base, series: [], noOutcome: why };
  const series: Series[] = [];
  const values: [Series["key"], string, (r: ScoreRecord) => number | null][] = [
    ["p_resolved", "p(resolved)", pResolved],
    ["score", "behaviour score", (r) => r.score],
  ];
  for (const [key, label, value] of values) {
    const x = evaluateSeries(records, value, o);
    if (x) series.push({ key, label, ...x });
  }
  return {
    ...base,
    series,
    noOutcome: series.length
      ? null
      : "no labelled record has a p(resolved) or a behaviour score (every record is an error or decided nothing)",
  };
}

function noOutcomeReason(records: ScoreRecord[], labelled: number, resolved: number): string | null {
  if (!records.length) return "there are no records";
  if (!labelled)
    return `none of the ${records.length} records carries an outcome label, so nothing can be compared with the test outcomes (give labels to 'rubricate score' with --labels, e.g. a SWE-bench report.json)`;
  if (resolved === 0 || resolved === labelled)
    return `all ${labelled} labelled records are ${resolved ? "resolved" : "unresolved"}: ROC, calibration and best-of-N need both outcomes`;
  return null;
}

interface Item extends Attempt {
  task: string;
  scaffold: string;
}

/** N values whose best-of-N gets an interval: every N up to 10, then a few more up to the largest. */
export function bestOfNs(max: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= Math.min(10, max); n++) out.push(n);
  for (let n = 16; n < max; n *= 2) out.push(n);
  if (max > 10) out.push(max);
  return out;
}

/**
 * The metrics of one value, from eval/: point values, reliability bins, best-of-N and criterion
 * statistics from `evaluate`; 95% percentile bootstrap intervals over tasks (metrics' `bootstrap`)
 * only for the numbers the report shows with one (AUC, ECE, the best-of-N pick, AUC per scaffold).
 */
function evaluateSeries(
  records: ScoreRecord[],
  value: (r: ScoreRecord) => number | null,
  o: AnalysisOptions,
): Omit<Series, "key" | "label"> | null {
  const items: Item[] = [];
  for (const r of records) {
    const v = r.label ? value(r) : null;
    if (v === null || !Number.isFinite(v)) continue;
    items.push({
      score: v,
      label: r.label!.resolved,
      key: r.trajectory_id,
      task: r.instance_id ?? r.trajectory_id,
      scaffold: r.source.scaffold,
    });
  }
  if (!items.length) return null;
  const b = o.bootstrap ?? 1000;
  const seed = o.seed ?? 1;
  const bins = o.bins ?? 10;
  const point = evaluate(records, { value, bootstrap: 0, groupBy: [], bins, seed });
  const byTask = (xs: Item[]) => [...group(xs, (x) => x.task).values()];
  const tasks = byTask(items);
  const ci = (gs: Item[][], f: (xs: Item[]) => number | null) => bootstrap(gs, (g) => f(g.flat()), b, seed);
  const ns = new Set(bestOfNs(point.bestOfN.length ? point.bestOfN[point.bestOfN.length - 1].n : 0));
  return {
    n: items.length,
    positives: items.filter((x) => x.label).length,
    tasks: tasks.length,
    auc: ci(tasks, rocAuc),
    ece: ci(tasks, (xs) => ece(xs, bins, "equal-width")),
    prAuc: point.overall.prAuc.value,
    brier: point.overall.brier.value,
    reliability: point.reliability,
    bestOfN: point.bestOfN
      .filter((p) => ns.has(p.n))
      .map((p) => ({
        n: p.n,
        tasks: p.tasks,
        gapClosed: p.gapClosed.value,
        // a task's share of each resolve rate does not depend on the other tasks: computed once
        // per task, each resample only averages them (bestOfN over the resample, up to rounding)
        ...perTask(
          tasks.filter((t) => t.length >= p.n).map((t) => bestOfN([t], p.n)),
          { random: p.random, oracle: p.oracle, reward: p.reward.value },
          b,
          seed,
        ),
      })),
    scaffolds: [...group(items, (x) => x.scaffold)]
      .sort((x, y) => (x[0] < y[0] ? -1 : 1))
      .map(([name, xs]) => ({
        name,
        n: xs.length,
        positives: xs.filter((x) => x.label).length,
        auc: ci(byTask(xs), rocAuc),
        ece: ece(xs, bins, "equal-width"),
      })),
    criteria: point.criteria,
    roc: rocCurve(items),
  };
}

/** Bootstrap intervals of the mean over tasks of each per-task best-of-N rate; the point values are eval's. */
function perTask(
  shares: { random: number; oracle: number; reward: number }[],
  point: { random: number; oracle: number; reward: number | null },
  b: number,
  seed: number,
): { random: Interval; oracle: Interval; reward: Interval } {
  const ci = (k: "random" | "oracle" | "reward"): Interval => ({
    ...bootstrap(
      shares.map((s) => s[k]),
      (vs) => vs.reduce((x, y) => x + y, 0) / vs.length,
      b,
      seed,
    ),
    value: point[k],
  });
  return { random: ci("random"), oracle: ci("oracle"), reward: ci("reward") };
}

function group<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}
