/**
 * Rewards from ScoreRecords: p(resolved) (the default: a calibrated probability that the attempt
 * solved its task), the rubric's behaviour score alone, the terminal (test) reward alone, a
 * linear mix, or stratified (the rubric orders trajectories only within the resolved and within
 * the unresolved group, so a resolved trajectory always outranks an unresolved one); and per-task
 * group normalisation for GRPO-style training.
 */
import type { ScoreRecord } from "../types/score.js";

export const REWARD_MODES = ["resolved", "rubric", "terminal", "linear", "stratified"] as const;
export type RewardMode = (typeof REWARD_MODES)[number];

export interface RewardOptions {
  mode: RewardMode;
  /** weight of the rubric score in `linear` (the test outcome gets 1 − alpha) */
  alpha?: number;
}

/**
 * p(resolved) of a record: its `p_resolved`, or for records written before that field existed the
 * value of its decided outcome criterion; null when nothing predicted it.
 */
export function pResolved(r: Pick<ScoreRecord, "p_resolved" | "criteria">): number | null {
  if (r.p_resolved !== undefined) return r.p_resolved;
  return r.criteria.find((c) => c.kind === "outcome" && c.status === "decided")?.value ?? null;
}

/** The reward of one record, or null when its inputs are missing (no score, or no label for terminal modes). */
export function reward(
  r: Pick<ScoreRecord, "score" | "label" | "p_resolved" | "criteria">,
  o: RewardOptions,
): number | null {
  const terminal = r.label ? (r.label.resolved ? 1 : 0) : null;
  switch (o.mode) {
    case "resolved":
      return pResolved(r);
    case "rubric":
      return r.score;
    case "terminal":
      return terminal;
    case "linear": {
      if (r.score === null || terminal === null) return null;
      const a = o.alpha ?? 0.5;
      return a * r.score + (1 - a) * terminal;
    }
    case "stratified":
      if (r.score === null || terminal === null) return null;
      // resolved in [0.5, 1], unresolved in [0, 0.499]: never equal, never reordered across groups
      return terminal ? 0.5 + 0.5 * r.score : 0.499 * r.score;
  }
}

/**
 * One criterion's value oriented so that 1 is good (its goodness), e.g. the
 * judge's p(YES) to "will this patch pass the hidden tests?"; null when the
 * record has no decided value for it.
 */
export function criterionValue(r: Pick<ScoreRecord, "criteria">, id: string): number | null {
  return r.criteria.find((c) => c.id === id)?.goodness ?? null;
}

/** (x − mean) / std over the attempts at each task; 0 where a task's rewards are all equal. */
export function groupNormalize(items: { task: string; value: number }[]): number[] {
  const by = new Map<string, number[]>();
  for (const it of items) by.set(it.task, [...(by.get(it.task) ?? []), it.value]);
  const stats = new Map(
    [...by].map(([k, xs]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
      return [k, { mean, sd }];
    }),
  );
  return items.map((it) => {
    const { mean, sd } = stats.get(it.task)!;
    return sd > 1e-12 ? (it.value - mean) / sd : 0;
  });
}
