/**
 * Pairwise best-of-N: the N attempts at a task compared two at a time, each pair in both orders
 * (the position bias of one order cancels the other's), aggregated by a Bradley–Terry fit. Every
 * pair is compared while that is within 2·N·log2 N comparisons (N ≤ 17); beyond, a Swiss
 * tournament pairs attempts of similar current strength that have not met, round after round,
 * until the budget is spent. The pick combines the strengths with p(resolved) when every attempt
 * has one: strength + logit(p(resolved)), two independent pieces of evidence on one log-odds scale.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { fitBradleyTerry } from "./bradley-terry.js";

/** One comparison of two attempts (trajectory ids) at a task, as written to --comparisons and read by eval. */
export const ComparisonSchema = z.object({
  instance_id: z.string(),
  a: z.string(),
  b: z.string(),
  /** P(a is better) with a shown first (as A); null when that order got no answer */
  p_a_first: z.number().min(0).max(1).nullable(),
  /** P(a is better) with a shown second (as B) */
  p_a_second: z.number().min(0).max(1).nullable(),
  /** P(a is better than b): the mean of the orders answered; null when neither was */
  p: z.number().min(0).max(1).nullable(),
  /** the position won in both orders, not an attempt: each order preferred a different attempt */
  flipped: z.boolean().nullable(),
  /** tournament round (0 for an all-pairs comparison) */
  round: z.number().int().nonnegative(),
  by: z.string(),
  note: z.string(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** P(first better) for an ordered pair of attempts (by trajectory id). */
export type AskOrder = (first: string, second: string) => Promise<{ p: number | null; note: string }>;

/** Comparisons (each pair in both orders) allowed for N attempts: every pair, at most ⌊2·N·log2 N⌋. */
export function comparisonBudget(n: number): number {
  if (n < 2) return 0;
  return Math.min((n * (n - 1)) / 2, Math.floor(2 * n * Math.log2(n)));
}

export interface TaskRanking {
  instance_id: string;
  /** trajectory ids, in the order of `strength` */
  ids: string[];
  comparisons: Comparison[];
  /** Bradley–Terry log-strength of each attempt */
  strength: number[];
  budget: number;
}

/** Compare one pair in both orders. */
async function compare(instance: string, a: string, b: string, round: number, ask: AskOrder, by: string) {
  const [first, second] = await Promise.all([ask(a, b), ask(b, a)]);
  const pFirst = first.p;
  const pSecond = second.p === null ? null : 1 - second.p;
  const ps = [pFirst, pSecond].filter((x): x is number => x !== null);
  const flipped =
    pFirst === null || pSecond === null ? null : (pFirst > 0.5 && pSecond < 0.5) || (pFirst < 0.5 && pSecond > 0.5);
  const c: Comparison = {
    instance_id: instance,
    a,
    b,
    p_a_first: pFirst,
    p_a_second: pSecond,
    p: ps.length ? ps.reduce((x, y) => x + y, 0) / ps.length : null,
    flipped,
    round,
    by,
    note: `${a} first: ${first.note} | ${b} first: ${second.note}`,
  };
  return c;
}

/** Strengths of `ids` from comparisons (those with a p). */
export function strengths(ids: string[], comparisons: Comparison[]): number[] {
  const at = new Map(ids.map((id, i) => [id, i]));
  const outcomes = comparisons.flatMap((c) => {
    const i = at.get(c.a);
    const j = at.get(c.b);
    return c.p === null || i === undefined || j === undefined ? [] : [{ i, j, p: c.p }];
  });
  return fitBradleyTerry(ids.length, outcomes);
}

const hashOf = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Rank the attempts `ids` at task `instance`. `ask` answers one ordered pair; comparisons of a
 * round run at once (the judge's limits decide how many requests are in flight).
 */
export async function rankTask(
  instance: string,
  ids: string[],
  ask: AskOrder,
  by: string,
  onComparison: (c: Comparison) => void | Promise<void> = () => {},
): Promise<TaskRanking> {
  const n = ids.length;
  const budget = comparisonBudget(n);
  const comparisons: Comparison[] = [];
  const run = async (pairs: [number, number][], round: number) => {
    const done = await Promise.all(pairs.map(([i, j]) => compare(instance, ids[i], ids[j], round, ask, by)));
    for (const c of done) {
      comparisons.push(c);
      await onComparison(c);
    }
  };
  if (budget === (n * (n - 1)) / 2) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
    await run(pairs, 0);
  } else {
    const met = new Set<string>();
    // the first round's order is a fixed shuffle (by hash), so the pairing does not follow input order
    const tiebreak = ids.map((id) => hashOf(`${instance}\n${id}`));
    let theta = new Array<number>(n).fill(0);
    for (let round = 1; comparisons.length < budget; round++) {
      const order = ids.map((_, i) => i).sort((x, y) => theta[y] - theta[x] || (tiebreak[x] < tiebreak[y] ? -1 : 1));
      const used = new Set<number>();
      const pairs: [number, number][] = [];
      for (let k = 0; k < order.length; k++) {
        const i = order[k];
        if (used.has(i)) continue;
        for (let m = k + 1; m < order.length; m++) {
          const j = order[m];
          if (used.has(j) || met.has(`${Math.min(i, j)},${Math.max(i, j)}`)) continue;
          pairs.push([i, j]);
          used.add(i).add(j);
          met.add(`${Math.min(i, j)},${Math.max(i, j)}`);
          break;
        }
      }
      if (!pairs.length) break;
      await run(pairs.slice(0, budget - comparisons.length), round);
      theta = strengths(ids, comparisons);
    }
  }
  return { instance_id: instance, ids, comparisons, strength: strengths(ids, comparisons), budget };
}

const logit = (p: number) => {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
};

/**
 * The pick's score for each attempt: its strength, plus logit p(resolved) when every attempt has
 * one (`prior` null or with a null: strengths alone).
 */
export function combined(
  strength: number[],
  prior?: (number | null)[] | null,
): { score: number[]; withPrior: boolean } {
  const withPrior = !!prior && prior.length === strength.length && prior.every((p) => p !== null);
  return {
    score: strength.map((s, i) => s + (withPrior ? logit(prior![i]!) : 0)),
    withPrior,
  };
}

/** Comparisons with both orders answered, and how many of them flipped with the order. */
export function flipRate(comparisons: Comparison[]): { both: number; flipped: number; rate: number | null } {
  const both = comparisons.filter((c) => c.flipped !== null);
  const flipped = both.filter((c) => c.flipped).length;
  return { both: both.length, flipped, rate: both.length ? flipped / both.length : null };
}
