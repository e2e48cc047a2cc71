/**
 * The evaluation report over labelled ScoreRecords: discrimination,
 * calibration and best-of-N overall and per group, per-criterion statistics,
 * with task-bootstrap 95% intervals and the counts behind every number.
 */
import { behaviourName } from "../checks/behaviour.js";
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
  /** called after each part with bootstrap intervals (overall, each N of best-of-N, each group) */
  onProgress?: (done: number, total: number) => void;
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
  /** the behaviour whose presence is counted (see checks/behaviour.ts) */
  behaviour: string;
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
  /** groups left out because they hold exactly the records of a group above (`format: moatless` and `scaffold: Moatless Tools`) */
  sameGroups: { by: string; name: string; sameAs: string }[];
  criteria: CriterionStats[];
  /** bootstrap resamples behind the intervals (0: no intervals) */
  bootstrap: number;
}

export interface RenderOptions {
  /** the widest line (default 100); tables wider than this are narrowed by cutting their first column */
  width?: number;
  /** one wide table of every metric and no cutting, as before (about 160 columns) */
  wide?: boolean;
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

function discrimination(
  items: Item[],
  o: Required<Omit<EvalOptions, "value" | "groupBy" | "onProgress">>,
): Discrimination {
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
  const grouped = (opts.groupBy ?? ["format", "scaffold"]).map((by) => {
    const m = new Map<string, Item[]>();
    for (const it of items) {
      const k = String(it.r.source[by] ?? "(none)");
      m.set(k, [...(m.get(k) ?? []), it]);
    }
    return { by, members: [...m].sort() };
  });
  const parts = 1 + maxN + grouped.reduce((a, g) => a + g.members.length, 0);
  let done = 0;
  const step = () => opts.onProgress?.(++done, parts);
  opts.onProgress?.(0, parts);
  const overall = discrimination(items, o);
  step();
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
    step();
  }
  const groups: EvalReport["groups"] = [];
  const sameGroups: EvalReport["sameGroups"] = [];
  // the records of a group (their ids) -> the group's name; a group of every record repeats "overall"
  const seen = new Map<string, string>([[items.map((x) => x.key).join("\n"), "overall"]]);
  for (const { by, members } of grouped) {
    for (const [name, xs] of members) {
      const ids = xs.map((x) => x.key).join("\n");
      const same = seen.get(ids);
      if (same) sameGroups.push({ by, name, sameAs: same });
      else {
        seen.set(ids, `${by}: ${name}`);
        groups.push({ by, name, metrics: discrimination(xs, o) });
      }
      step();
    }
  }
  return {
    records: records.length,
    labelled: records.length - unlabelled,
    excluded: { unlabelled, noValue },
    threshold: o.threshold,
    overall,
    reliability: reliability(items, o.bins, "equal-width"),
    bestOfN: best,
    groups,
    sameGroups,
    criteria: criterionStats(records),
    bootstrap: o.bootstrap,
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
      if (c.by.startsWith("check:")) e.c = c;
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
      behaviour: behaviourName(c),
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

/** The report as readable text, within `o.width` columns (100) unless `o.wide`. */
export function renderReport(rep: EvalReport, o: RenderOptions = {}): string {
  const width = o.wide ? Number.POSITIVE_INFINITY : (o.width ?? 100);
  const fit = (rows: string[][]) => table(o.wide ? rows : narrowed(rows, width));
  const d = rep.overall;
  const out: string[] = [];
  out.push(
    ...wrap(
      `${rep.records} records: ${d.n} evaluated (${d.positives} resolved, ${d.n - d.positives} unresolved) over ${d.tasks} tasks; excluded ${rep.excluded.unlabelled} unlabelled, ${rep.excluded.noValue} without a score`,
      width,
    ),
  );
  out.push(
    rep.bootstrap > 0
      ? `95% intervals: percentile bootstrap over tasks (${rep.bootstrap} resamples)`
      : "no intervals (--bootstrap 0)",
    "",
  );
  const named: [string, Discrimination][] = [
    ["overall", d],
    ...rep.groups.map((g): [string, Discrimination] => [`${g.by}: ${g.name}`, g.metrics]),
  ];
  const head = ["", "n", "resolved"];
  const counts = (name: string, m: Discrimination) => [name, String(m.n), String(m.positives)];
  const disc = ["ROC-AUC", "PR-AUC", `acc@${rep.threshold}`];
  const discOf = (m: Discrimination) => [ci(m.auc), ci(m.prAuc), f3(m.accuracy.value)];
  const cal = [`ECE (${rep.reliability.length} equal-width)`, "ECE mass", "Brier", "log loss"];
  const calOf = (m: Discrimination) => [ci(m.ece), f3(m.eceMass.value), f3(m.brier.value), f3(m.logLoss.value)];
  if (o.wide) {
    out.push("Discrimination and calibration");
    out.push(fit([[...head, ...disc, ...cal], ...named.map(([n, m]) => [...counts(n, m), ...discOf(m), ...calOf(m)])]));
  } else {
    out.push("Discrimination");
    out.push(fit([[...head, ...disc], ...named.map(([n, m]) => [...counts(n, m), ...discOf(m)])]));
    out.push("", "Calibration");
    out.push(fit([[...head, ...cal], ...named.map(([n, m]) => [...counts(n, m), ...calOf(m)])]));
  }
  if (rep.sameGroups.length)
    out.push(
      ...wrap(
        `(left out, the same records as a row above: ${rep.sameGroups.map((g) => `${g.by}: ${g.name} = ${g.sameAs}`).join("; ")})`,
        width,
      ),
    );
  out.push("", "Best-of-N (expected resolve rate of the pick over all subsets of N attempts per task)");
  out.push(
    fit([
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
    fit([
      ["bin", "n", "mean score", "resolved share"],
      ...rep.reliability
        .filter((b) => b.count)
        .map((b) => [`${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`, String(b.count), f3(b.confidence), f3(b.accuracy)]),
    ]),
  );
  out.push(
    "",
    ...wrap(
      "Behaviours: n = trajectories where it was decided; resolved / unresolved = share of those that show it; " +
        "ratio = resolved / unresolved; AUC of the criterion's goodness; in brackets the criterion's id where it names the opposite behaviour",
      width,
    ),
  );
  out.push(
    fit([
      ["behaviour (criterion)", "kind", "n", "resolved", "unresolved", "ratio", "AUC"],
      ...rep.criteria.map((c) => [
        `${c.polarity === "encourage" ? "+" : "-"} ${c.behaviour}`,
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

/** Words re-flowed to lines of at most `width` columns. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const w of text.split(" ")) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

/** Rows whose first column is cut (with "…") so that the table is at most `width` wide. */
function narrowed(rows: string[][], width: number): string[][] {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const total = w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
  if (total <= width) return rows;
  const first = Math.max(12, w[0] - (total - width));
  return rows.map((r) => [r[0].length > first ? `${r[0].slice(0, first - 1)}…` : r[0], ...r.slice(1)]);
}
