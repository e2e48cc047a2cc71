/**
 * The numbers later stages read off a ScoreRecord, each in one place: the behaviour score, the
 * calibrated probability of resolution, and the test outcome.
 */
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";

/** The rubric's behaviour score (null for an error record or when nothing was decided). */
export function behaviour(r: ScoreRecord): number | null {
  return r.score;
}

/**
 * p(resolved): the calibrated probability from the outcome model. Today it is the value of the
 * record's decided criterion of kind "outcome"; a top-level `p_resolved` field, when records
 * carry one, takes its place here and nowhere else.
 */
export function pResolved(r: ScoreRecord): number | null {
  const top = (r as { p_resolved?: unknown }).p_resolved;
  if (typeof top === "number" && Number.isFinite(top)) return top;
  const c = r.criteria.find((x) => x.kind === "outcome" && x.status === "decided" && x.value !== null);
  return c ? c.value : null;
}

/** The test outcome: the trajectory's own label first, else the one its score record carries. */
export function resolvedOf(t: Trajectory | null, r: ScoreRecord | undefined): boolean | null {
  if (t?.label) return t.label.resolved;
  if (r?.label) return r.label.resolved;
  return null;
}
