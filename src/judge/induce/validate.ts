/**
 * The label-consistency filter: each candidate criterion, asked of trajectories from tasks held
 * aside from the proposals, is kept only when its verdicts agree with the labels — its goodness
 * (the verdict through its polarity) ranks resolved attempts above unresolved ones (AUC), within
 * a task as well as overall. The labels are used here only, after the judge has answered.
 */

export interface Observation {
  task: string;
  resolved: boolean;
  /** the verdict through the criterion's polarity: 1 good, 0 bad; null when not decided */
  goodness: number | null;
}

export interface CandidateStats {
  decided: number;
  resolved: number;
  unresolved: number;
  /** asked but not decided (unclear, missing, failed) */
  unscored: number;
  /** P(goodness of a resolved attempt > that of an unresolved one), ties half */
  auc: number | null;
  /** the same, over pairs of attempts at one task only */
  consistency: number | null;
  /** such within-task pairs */
  pairs: number;
  /** share resolved among attempts it calls good / share resolved among all decided */
  lift: number | null;
}

/** P(x > y) over all pairs, ties half. */
function above(xs: number[], ys: number[]): number | null {
  if (!xs.length || !ys.length) return null;
  let s = 0;
  for (const x of xs) for (const y of ys) s += x > y ? 1 : x === y ? 0.5 : 0;
  return s / (xs.length * ys.length);
}

export function candidateStats(obs: Observation[]): CandidateStats {
  const decided = obs.filter((o) => o.goodness !== null);
  const pos = decided.filter((o) => o.resolved).map((o) => o.goodness!);
  const neg = decided.filter((o) => !o.resolved).map((o) => o.goodness!);
  const byTask = new Map<string, Observation[]>();
  for (const o of decided) byTask.set(o.task, [...(byTask.get(o.task) ?? []), o]);
  let within = 0;
  let pairs = 0;
  for (const os of byTask.values()) {
    const r = os.filter((o) => o.resolved).map((o) => o.goodness!);
    const u = os.filter((o) => !o.resolved).map((o) => o.goodness!);
    const a = above(r, u);
    if (a === null) continue;
    within += a * r.length * u.length;
    pairs += r.length * u.length;
  }
  const good = decided.filter((o) => o.goodness! >= 0.5);
  const base = decided.length ? pos.length / decided.length : 0;
  return {
    decided: decided.length,
    resolved: pos.length,
    unresolved: neg.length,
    unscored: obs.length - decided.length,
    auc: above(pos, neg),
    consistency: pairs ? within / pairs : null,
    pairs,
    lift: good.length && base > 0 ? good.filter((o) => o.resolved).length / good.length / base : null,
  };
}

export interface KeepRule {
  /** least AUC on the held-aside attempts (default 0.6) */
  minAuc: number;
  /** least decided held-aside attempts, of which some resolved and some not (default 8) */
  minDecided: number;
}

/** Why a candidate is dropped, or null when it is kept. */
export function dropReason(s: CandidateStats, rule: KeepRule): string | null {
  if (s.decided < rule.minDecided) return `decided on ${s.decided} held-aside attempts (fewer than ${rule.minDecided})`;
  if (!s.resolved || !s.unresolved) return "the held-aside attempts it decided are all of one outcome";
  if (s.auc! < rule.minAuc) return `AUC ${s.auc!.toFixed(3)} below ${rule.minAuc}`;
  if (s.consistency !== null && s.consistency <= 0.5)
    return `within-task consistency ${s.consistency.toFixed(3)} is no better than chance`;
  return null;
}
