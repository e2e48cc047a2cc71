/** The contract of a programmatic check: facts in, verdict with evidence out. */
import type { z } from "zod";
import type { Facts } from "../analyze/facts.js";
import type { Trajectory } from "../types/trajectory.js";

export interface CheckResult {
  /**
   * Whether the behaviour the check looks for is present. `null` = the question
   * does not apply to this trajectory (e.g. "verified after the last edit" when
   * nothing was edited).
   */
  present: boolean | null;
  /** step indices that show it */
  evidence: number[];
  /** one line saying why */
  explanation: string;
}

/** Context about the whole run, for checks that compare a trajectory with its peers. */
export interface RunContext {
  /** median number of steps of the trajectories of the same run, by run name */
  medianSteps?: Map<string, number>;
  /** number of trajectories of each run */
  runSize?: Map<string, number>;
}

export interface CheckDef<P extends z.ZodType = z.ZodType> {
  name: string;
  /**
   * the behaviour a present verdict means, in a few words, for summary tables ("no patch
   * submitted"): a criterion's id often names the good behaviour its check finds the absence of;
   * without it, the check's name in words
   */
  present?: string;
  /** what the check detects, for `rubric show` and docs */
  description: string;
  params: P;
  run(facts: Facts, t: Trajectory, params: z.infer<P>, ctx: RunContext): CheckResult;
}

export function defineCheck<P extends z.ZodType>(def: CheckDef<P>): CheckDef<P> {
  return def;
}

export function result(present: boolean | null, evidence: number[], explanation: string): CheckResult {
  return {
    present,
    evidence: evidence.length < 2 ? [...evidence] : [...new Set(evidence)].sort((a, b) => a - b),
    explanation,
  };
}
