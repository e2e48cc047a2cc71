/**
 * Criterion values -> the behaviour score: weighted mean of goodness over decided behaviour
 * criteria (check and judge), critical criteria veto. Outcome criteria predict the test result,
 * not behaviour: they make `p_resolved`, never part of this score.
 */
import type { Aggregation } from "../rubric/schema.js";
import type { CriterionResult } from "../types/score.js";

export interface Aggregate {
  score: number | null;
  vetoed_by: string[];
}

/**
 * score = Σ w·g / Σ w over decided behaviour criteria, where g = value for encouraged
 * behaviours and 1 − value for discouraged ones (equivalently Σ w·c / Σ|w| with
 * c signed by polarity, shifted into [0, 1]). A decided critical criterion with
 * g < 0.5 vetoes: the score becomes `veto_score`. With no decided criterion the
 * score is null (never a silent 0).
 */
export function aggregate(results: CriterionResult[], agg: Aggregation): Aggregate {
  let num = 0;
  let den = 0;
  const vetoed_by: string[] = [];
  for (const r of results) {
    if (r.status !== "decided" || r.goodness === null || r.kind === "outcome") continue;
    num += r.weight * r.goodness;
    den += r.weight;
    if (agg.veto && r.severity === "critical" && r.goodness < 0.5) vetoed_by.push(r.id);
  }
  if (den === 0) return { score: null, vetoed_by };
  if (vetoed_by.length) return { score: agg.veto_score, vetoed_by };
  return { score: num / den, vetoed_by };
}
