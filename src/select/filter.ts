/**
 * Filtering trajectories for rejection-sampling fine-tuning. Decisions are made
 * from ScoreRecords alone: `terminal` keeps resolved trajectories (the usual
 * baseline), `rubric` keeps those whose rubric score clears a threshold with no
 * veto, `hybrid` needs both. Optional per-task cap and task coverage.
 */
import { behaviourName } from "../checks/behaviour.js";
import type { ScoreRecord } from "../types/score.js";
import { POLICIES, type Policy } from "./names.js";

export { POLICIES, type Policy };

export interface FilterOptions {
  policy: Policy;
  threshold: number;
  /** keep at most this many per task, best score first */
  perTask?: number;
  /** for tasks left with nothing, keep the best trajectory that meets the policy's hard conditions */
  coverage?: boolean;
}

export interface Decision {
  kept: boolean;
  reason: string;
}

const byScore = (a: ScoreRecord, b: ScoreRecord) =>
  (b.score ?? -1) - (a.score ?? -1) || (a.trajectory_id < b.trajectory_id ? -1 : 1);

/** Why a record fails the policy, or null when it passes. */
function failure(r: ScoreRecord, o: FilterOptions): string | null {
  if (r.error) return `score error: ${r.error}`;
  const needLabel = o.policy !== "rubric";
  if (needLabel && !r.label) return "no outcome label";
  if (needLabel && !r.label!.resolved) return "unresolved";
  if (o.policy === "terminal") return null;
  if (r.vetoed_by.length) return `vetoed by ${r.vetoed_by.join(", ")}`;
  if (r.score === null) return "no criterion decided";
  if (r.score < o.threshold) return `score ${r.score.toFixed(3)} below ${o.threshold}`;
  return null;
}

/** Hard conditions that coverage may not relax: resolved (for label policies), no veto, no error. */
function hard(r: ScoreRecord, o: FilterOptions): boolean {
  if (r.error || r.score === null) return false;
  if (o.policy !== "rubric" && !r.label?.resolved) return false;
  return o.policy === "terminal" || r.vetoed_by.length === 0;
}

export function decide(records: ScoreRecord[], o: FilterOptions): Map<string, Decision> {
  const out = new Map<string, Decision>();
  const tasks = new Map<string, ScoreRecord[]>();
  for (const r of records) {
    const f = failure(r, o);
    out.set(r.trajectory_id, f ? { kept: false, reason: f } : { kept: true, reason: "passes" });
    const k = r.instance_id ?? r.trajectory_id;
    tasks.set(k, [...(tasks.get(k) ?? []), r]);
  }
  for (const rs of tasks.values()) {
    const kept = rs.filter((r) => out.get(r.trajectory_id)!.kept).sort(byScore);
    const cap = o.perTask;
    if (cap !== undefined) {
      kept
        .slice(cap)
        .forEach((r, i) =>
          out.set(r.trajectory_id, { kept: false, reason: `over the per-task cap of ${cap} (rank ${cap + i + 1})` }),
        );
    }
    if (o.coverage && kept.length === 0) {
      const best = rs.filter((r) => hard(r, o)).sort(byScore)[0];
      if (best)
        out.set(best.trajectory_id, {
          kept: true,
          reason: "kept for task coverage (best that meets the hard conditions)",
        });
    }
  }
  return out;
}

export interface FilterReport {
  policy: Policy;
  threshold: number;
  total: number;
  kept: number;
  dropped: number;
  tasks: { before: number; after: number };
  reasons: Record<string, number>;
  /**
   * for each criterion: how often its behaviour was present among all scored trajectories and
   * among the kept ones; `behaviour` names that behaviour (see checks/behaviour.ts)
   */
  criteria: { id: string; behaviour: string; polarity: string; before: number | null; after: number | null }[];
}

export function filterReport(records: ScoreRecord[], decisions: Map<string, Decision>, o: FilterOptions): FilterReport {
  const kept = records.filter((r) => decisions.get(r.trajectory_id)?.kept);
  const reasons: Record<string, number> = {};
  for (const d of decisions.values()) {
    if (d.kept) continue;
    const key = d.reason
      .replace(/score [\d.]+ below/, "score below")
      .replace(/\(rank \d+\)/, "")
      .replace(/vetoed by .*/, "vetoed")
      .trim();
    reasons[key] = (reasons[key] ?? 0) + 1;
  }
  const rate = (rs: ScoreRecord[], id: string) => {
    const cs = rs
      .map((r) => r.criteria.find((c) => c.id === id))
      .filter((c) => c && c.status === "decided" && c.value !== null);
    return cs.length ? cs.filter((c) => c!.value! >= 0.5).length / cs.length : null;
  };
  const ids = records.find((r) => r.criteria.length)?.criteria ?? [];
  return {
    policy: o.policy,
    threshold: o.threshold,
    total: records.length,
    kept: kept.length,
    dropped: records.length - kept.length,
    tasks: {
      before: new Set(records.map((r) => r.instance_id)).size,
      after: new Set(kept.map((r) => r.instance_id)).size,
    },
    reasons,
    criteria: ids.map((c) => ({
      id: c.id,
      behaviour: behaviourName({
        id: c.id,
        polarity: c.polarity,
        by: records.flatMap((r) => r.criteria).find((x) => x.id === c.id && x.by.startsWith("check:"))?.by,
      }),
      polarity: c.polarity,
      before: rate(records, c.id),
      after: rate(kept, c.id),
    })),
  };
}
