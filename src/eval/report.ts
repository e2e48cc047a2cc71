/**
 * The evaluation report over labelled ScoreRecords: discrimination,
 * calibration and best-of-N overall and per group, per-criterion statistics,
 * with task-bootstrap 95% intervals and the counts behind every number.
 */
import type { ScoreRecord } from "../types/score.js";
import { reward } from "../score/reward.js";
import { DEFAULTS } from "../score/defaults.js";
import { ci, f3, pct, table } from "./format.js";
import {
  accuracy,
  bestOfN,
  bootstrap,
  brier,
  ece,
  logLoss,
  prAuc,
  reliability,
  rocAuc,
  type Attempt,
  type Bin,
  type Interval,
  type Scored,
} from "./metrics.js";

export interface EvalOptions {
  /** the value to evaluate for each record (default: the default reward, p(resolved), as `rubricate eval`) */
  value?: (r: ScoreRecord) => number | null;
  threshold?: number;
  bins?: number;
  bootstrap?: number;
  seed?: number;
  /** group by these source fields */
  groupBy?: ("format" | "scaffold" | "model" | "run")[];
}

export interface Discrimination {
  n: number;
  positives: number;
  tasks: number;
  auc: Interval;
  prAuc: Interval;
  accuracy: Interval;
  ece: Interval;
  eceMass: Interval;
  brier: Interval;
  logLoss: Interval;
}

export interface CriterionStats {
  id: string;
  kind: string;
  polarity: string;
  decided: number;
  firedResolved: number | null;
  firedUnresolved: number | null;
  /** how many times more often it fires on resolved than on unresolved trajectories */
  ratio: number | null;
  /** AUC of the criterion's goodness against the outcome */
  auc: number | null;
}

export interface EvalReport {
  records: number;
  labelled: number;
  /** records left out: no label, no value (error records, nothing decided) */
  excluded: { unlabelled: number; noValue: number };
  threshold: number;
  overall: Discrimination;
  reliability: Bin[];
  bestOfN: { n: number; tasks: number; random: number; reward: Interval; oracle: number; gapClosed: Interval }[];
  groups: { by: string; name: string; metrics: Discrimination }[];
  criteria: CriterionStats[];
}

interface Item extends Scored {
  task: string;
  key: string;
  r: ScoreRecord;
}

function byTask(items: Item[]): Item[][] {
  const m = new Map<string, Item[]>();
  for (const it of items) m.set(it.task, [...(m.get(it.task) ?? []), it]);
  return [...m.values()];
}

function discrimination(items: Item[], o: Required<Omit<EvalOptions, "value" | "groupBy">>): Discrimination {
  const tasks = byTask(items);
  const ci = (f: (xs: Scored[]) => number | null) => bootstrap(tasks, (gs) => f(gs.flat()), o.bootstrap, o.seed);
  return {
    n: items.length,
    positives: items.filter((x) => x.label).length,
    tasks: tasks.length,
    auc: ci(rocAuc),
    prAuc: ci(prAuc),
    accuracy: ci((xs) => accuracy(xs, o.threshold)),
    ece: ci((xs) => ece(xs, o.bins, "equal-width")),
    eceMass: ci((xs) => ece(xs, o.bins, "equal-mass")),
    brier: ci(brier),
    logLoss: ci(logLoss),
  };
}

export function evaluate(records: ScoreRecord[], opts: EvalOptions = {}): EvalReport {
  const o = {
    threshold: opts.threshold ?? 0.5,
    bins: opts.bins ?? 10,
    bootstrap: opts.bootstrap ?? 1000,
    seed: opts.seed ?? 1,
  };
  // by default what `rubricate eval` evaluates: the default reward (p(resolved))
  const value = opts.value ?? ((r: ScoreRecord) => reward(r, { mode: DEFAULTS.reward, alpha: DEFAULTS.alpha }));
  const items: Item[] = [];
  let unlabelled = 0;
  let noValue = 0;
  for (const r of records) {
    if (!r.label) {
      unlabelled++;
      continue;
    }
    const v = value(r);
    if (v === null || !Number.isFinite(v)) {
      noValue++;
      continue;
    }
    items.push({ score: v, label: r.label.resolved, task: r.instance_id ?? r.trajectory_id, key: r.trajectory_id, r });
  }
  const tasks = byTask(items);
  const maxN = Math.max(0, ...tasks.map((t) => t.length));
  const best: EvalReport["bestOfN"] = [];
  for (let n = 1; n <= maxN; n++) {
    const asAttempts = (ts: Item[][]): Attempt[][] =>
      ts.map((t) => t.map((x) => ({ score: x.score, label: x.label, key: x.key })));
    const point = bestOfN(asAttempts(tasks), n);
    if (point.tasks === 0) continue;
    const eligible = tasks.filter((t) => t.length >= n);
    best.push({
      n,
      tasks: point.tasks,
      random: point.random,
      oracle: point.oracle,
      reward: bootstrap(eligible, (gs) => bestOfN(asAttempts(gs), n).reward, o.bootstrap, o.seed),
      gapClosed: bootstrap(eligible, (gs) => bestOfN(asAttempts(gs), n).gapClosed, o.bootstrap, o.seed),
    });
  }
  const groups: EvalReport["groups"] = [];
  for (const by of opts.groupBy ?? ["format", "scaffold"]) {
    const m = new Map<string, Item[]>();
    for (const it of items) {
      const k = String(it.r.source[by] ?? "(none)");
      m.set(k, [...(m.get(k) ?? []), it]);
    }
    for (const [name, xs] of [...m].sort()) groups.push({ by, name, metrics: discrimination(xs, o) });
  }
  return {
    records: records.length,
    labelled: records.length - unlabelled,
    excluded: { unlabelled, noValue },
    threshold: o.threshold,
    overall: discrimination(items, o),
    reliability: reliability(items, o.bins, "equal-width"),
    bestOfN: best,
    groups,
    criteria: criterionStats(records),
  };
}

function criterionStats(records: ScoreRecord[]): CriterionStats[] {
  const m = new Map<
    string,
    { c: ScoreRecord["criteria"][number]; xs: Scored[]; fired: [number, number]; n: [number, number] }
  >();
  for (const r of records) {
    if (!r.label) continue;
    for (const c of r.criteria) {
      let e = m.get(c.id);
      if (!e) m.set(c.id, (e = { c, xs: [], fired: [0, 0], n: [0, 0] }));
      if (c.status !== "decided" || c.goodness === null || c.value === null) continue;
      const g = r.label.resolved ? 0 : 1;
      e.n[g]++;
      if (c.value >= 0.5) e.fired[g]++;
      e.xs.push({ score: c.goodness, label: r.label.resolved });
    }
  }
  return [...m.values()].map(({ c, xs, fired, n }) => {
    const fr = n[0] ? fired[0] / n[0] : null;
    const fu = n[1] ? fired[1] / n[1] : null;
    return {
      id: c.id,
      kind: c.kind,
      polarity: c.polarity,
      decided: xs.length,
      firedResolved: fr,
      firedUnresolved: fu,
      ratio: fr !== null && fu !== null && fu > 0 ? fr / fu : null,
      auc: rocAuc(xs),
    };
  });
}

/** The report as readable text. */
export function renderReport(rep: EvalReport): string {
  const d = rep.overall;
  const out: string[] = [];
  out.push(
    `${rep.records} records: ${d.n} evaluated (${d.positives} resolved, ${d.n - d.positives} unresolved) over ${d.tasks} tasks; excluded ${rep.excluded.unlabelled} unlabelled, ${rep.excluded.noValue} without a score`,
  );
  out.push("95% intervals: percentile bootstrap over tasks", "");
  out.push("Discrimination and calibration");
  const rowOf = (name: string, m: Discrimination) => [
    name,
    String(m.n),
    String(m.positives),
    ci(m.auc),
    ci(m.prAuc),
    f3(m.accuracy.value),
    ci(m.ece),
    f3(m.eceMass.value),
    f3(m.brier.value),
    f3(m.logLoss.value),
  ];
  out.push(
    table([
      [
        "",
        "n",
        "resolved",
        "ROC-AUC",
        "PR-AUC",
        `acc@${rep.threshold}`,
        "ECE (10 equal-width)",
        "ECE mass",
        "Brier",
        "log loss",
      ],
      rowOf("overall", d),
      ...rep.groups.map((g) => rowOf(`${g.by}: ${g.name}`, g.metrics)),
    ]),
  );
  out.push("", "Best-of-N (expected resolve rate of the pick over all subsets of N attempts per task)");
  out.push(
    table([
      ["N", "tasks", "random", "reward pick", "oracle", "gap closed"],
      ...rep.bestOfN.map((b) => [
        String(b.n),
        String(b.tasks),
        f3(b.random),
        ci(b.reward),
        f3(b.oracle),
        ci(b.gapClosed),
      ]),
    ]),
  );
  out.push("", "Reliability (equal-width bins)");
  out.push(
    table([
      ["bin", "n", "mean score", "resolved share"],
      ...rep.reliability
        .filter((b) => b.count)
        .map((b) => [`${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`, String(b.count), f3(b.confidence), f3(b.accuracy)]),
    ]),
  );
  out.push(
    "",
    "Criteria (fired = behaviour present; ratio = fire rate on resolved / on unresolved; AUC of the criterion's goodness)",
  );
  out.push(
    table([
      ["criterion", "kind", "decided", "fired: resolved", "unresolved", "ratio", "AUC"],
      ...rep.criteria.map((c) => [
        `${c.polarity === "encourage" ? "+" : "-"} ${c.id}`,
        c.kind,
        String(c.decided),
        pct(c.firedResolved),
        pct(c.firedUnresolved),
        c.ratio === null ? "-" : c.ratio.toFixed(2),
        f3(c.auc),
      ]),
    ]),
  );
  return out.join("\n");
}
