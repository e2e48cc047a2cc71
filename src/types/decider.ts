/**
 * The one contract of everything that decides rubric criteria: the programmatic checks, an LLM
 * judge, the outcome model. A decider says whether each behaviour is present (a value in [0, 1]),
 * where (evidence steps) and why; `src/score/` alone turns that into goodness (by the criterion's
 * polarity) and a score (by the rubric's aggregation).
 */
import type { JudgeUsage, UNSCORED_REASONS } from "./score.js";
import type { Trajectory } from "./trajectory.js";

export type UnscoredReason = (typeof UNSCORED_REASONS)[number];

/** What a decider says about one criterion. */
export interface Verdict {
  /** decided: has a value; not_applicable: the question does not apply; unscored: could not be decided (`reason`) */
  status: "decided" | "not_applicable" | "unscored";
  /** the probability that the behaviour is present, in [0, 1] (0 or 1 for checks); null unless decided */
  value: number | null;
  /** step indices that show it */
  evidence: number[];
  explanation: string;
  reason?: UnscoredReason;
  /** what decided it: "check:<name>", "judge:<model>", "outcome-model:<version>" */
  by: string;
  /** with several votes (a judge panel or samples): share of votes on the majority side, their spread, each vote */
  agreement?: number;
  spread?: number;
  votes?: { by: string; value: number | null }[];
}

/** A decider's answer for one trajectory: a verdict per criterion it was asked about, and what it spent. */
export interface Decision {
  verdicts: Map<string, Verdict>;
  /** requests, tokens and dollars spent on this trajectory (deciders that call a model) */
  usage?: JudgeUsage;
}

/** Decides criteria of kind `C` from a trajectory and its facts `F` (the step analysis). */
export interface Decider<F = unknown, C extends { id: string } = { id: string }> {
  /** what to record as the decider when it gives no verdict, e.g. "judge:qwen3-32b" */
  name: string;
  /** written into each record (model, prompt hash, sampling parameters) */
  provenance?: unknown;
  decide(t: Trajectory, facts: F, criteria: C[]): Promise<Decision>;
}

/** A verdict that could not be reached. */
export function unscored(by: string, reason: UnscoredReason, explanation: string): Verdict {
  return { status: "unscored", value: null, evidence: [], explanation, reason, by };
}
