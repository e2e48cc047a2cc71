/**
 * Votes and how they combine: one judge's (or one sample's) answer about a criterion is a vote;
 * the votes of a panel of judges and of several samples combine by a reducer (mean of the values,
 * or the majority verdict) into one verdict, keeping their agreement and spread.
 */
import type { Verdict } from "../types/decider.js";

import { AGGREGATES } from "./names.js";

export { AGGREGATES };
export type Aggregate = (typeof AGGREGATES)[number];

/** One judge's (or one sample's) answer about one criterion. */
export interface Vote {
  by: string;
  value: number | null;
  evidence: number[];
  note: string;
  /** why there is no value (a failed request, a refusal, an unclear answer) */
  failure?: Verdict;
}

export function failedVote(by: string, v: Verdict): Vote {
  return { by, value: null, evidence: [], note: v.explanation, failure: v };
}

/** Combine votes: mean of values (or the majority verdict), with agreement and spread when there are several. */
export function combine(votes: Vote[], how: Aggregate): { value: number; agreement: number; spread: number } | null {
  const vs = votes.filter((v) => v.value !== null).map((v) => v.value!);
  if (!vs.length) return null;
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const high = vs.filter((v) => v >= 0.5).length;
  const agreement = Math.max(high, vs.length - high) / vs.length;
  const spread = Math.sqrt(vs.reduce((a, v) => a + (v - mean) ** 2, 0) / vs.length);
  const value = how === "majority" ? (high * 2 > vs.length ? 1 : high * 2 < vs.length ? 0 : 0.5) : mean;
  return { value, agreement, spread };
}

/**
 * The verdict of a criterion from its votes, or null when no vote has a value (the caller reports
 * the first failure). `detail` says what the explanation quotes of the votes; `note` is appended.
 */
export function settle(
  votes: Vote[],
  how: Aggregate,
  by: string,
  detail: (agreeing: Vote) => string,
  note = "",
): Verdict | null {
  const r = combine(votes, how);
  if (!r) return null;
  const agreeing = votes.filter((v) => v.value !== null && v.value >= 0.5 === r.value >= 0.5);
  const evidence = [...new Set(agreeing.flatMap((v) => v.evidence))].sort((x, y) => x - y);
  const many = votes.length > 1;
  const lost = votes.filter((v) => v.value === null).length;
  const head = many
    ? `${how} of ${votes.length - lost} votes = ${r.value.toFixed(3)} (agreement ${r.agreement.toFixed(2)}${lost ? `; ${lost} without a verdict` : ""}); `
    : "";
  return {
    status: "decided",
    value: r.value,
    evidence,
    explanation: head + detail(agreeing[0] ?? votes[0]) + note,
    by,
    ...(many
      ? { agreement: r.agreement, spread: r.spread, votes: votes.map((v) => ({ by: v.by, value: v.value })) }
      : {}),
  };
}
