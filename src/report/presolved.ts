/**
 * p(resolved) of a ScoreRecord, read in one place: the record's own `p_resolved` when it carries
 * one (planned for the ScoreRecord), else the decided criterion of kind "outcome". Its goodness is
 * taken (the value for an encouraged criterion such as swe-default's predicted-resolution), so a
 * rubric that asks the outcome question the other way round still yields p(resolved).
 */
import type { ScoreRecord } from "../types/score.js";

export type WithPResolved = Pick<ScoreRecord, "criteria"> & { p_resolved?: number | null };

export function pResolved(r: WithPResolved): number | null {
  if (typeof r.p_resolved === "number" && Number.isFinite(r.p_resolved)) return r.p_resolved;
  const c = r.criteria.find((x) => x.kind === "outcome" && x.status === "decided");
  return c?.goodness ?? null;
}
