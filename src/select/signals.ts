/**
 * The numbers later stages read off a ScoreRecord, each in one place: the behaviour score and the
 * test outcome (p(resolved) is `pResolved` in score/reward.ts).
 */
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";

/** The rubric's behaviour score (null for an error record or when nothing was decided). */
export function behaviour(r: ScoreRecord): number | null {
  return r.score;
}

/** The test outcome: the trajectory's own label first, else the one its score record carries. */
export function resolvedOf(t: Trajectory | null, r: ScoreRecord | undefined): boolean | null {
  if (t?.label) return t.label.resolved;
  if (r?.label) return r.label.resolved;
  return null;
}
