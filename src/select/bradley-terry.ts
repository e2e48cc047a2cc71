/**
 * Bradley–Terry strengths from pairwise outcomes: P(i beats j) = σ(θ_i − θ_j). Outcomes may be
 * soft (a probability that i won, e.g. a judge's p(A)), so each comparison adds p to i's wins and
 * 1 − p to j's. Fitted by Hunter's minorise–maximise iteration, with a prior: every player also
 * plays `prior` games against a reference of strength θ = 0 and wins half of them, which keeps
 * strengths finite when a player wins (or loses) every comparison and anchors the scale.
 */

export interface Outcome {
  /** indices of the two players */
  i: number;
  j: number;
  /** probability that i beat j, in [0, 1] */
  p: number;
}

export interface FitOptions {
  /** games against the reference per player (default 1) */
  prior?: number;
  iterations?: number;
  tolerance?: number;
}

/** Log-strengths θ of `n` players (0 for a player without comparisons). */
export function fitBradleyTerry(n: number, outcomes: Outcome[], o: FitOptions = {}): number[] {
  const prior = o.prior ?? 1;
  const wins = new Array<number>(n).fill(prior / 2);
  const games: number[][] = Array.from({ length: n }, () => []);
  for (const { i, j, p } of outcomes) {
    if (i === j || !(p >= 0 && p <= 1)) throw new Error(`bad comparison ${i} vs ${j}: p = ${p}`);
    wins[i] += p;
    wins[j] += 1 - p;
    games[i].push(j);
    games[j].push(i);
  }
  let pi = new Array<number>(n).fill(1);
  for (let it = 0; it < (o.iterations ?? 1000); it++) {
    const next = pi.map((v, i) => {
      let d = prior / (v + 1);
      for (const j of games[i]) d += 1 / (v + pi[j]);
      return wins[i] / d;
    });
    const change = Math.max(0, ...next.map((v, i) => Math.abs(Math.log(v) - Math.log(pi[i]))));
    pi = next;
    if (change < (o.tolerance ?? 1e-10)) break;
  }
  return pi.map((v) => Math.log(v));
}

/** P(i beats j) under the fitted strengths. */
export function winProbability(thetaI: number, thetaJ: number): number {
  return 1 / (1 + Math.exp(thetaJ - thetaI));
}
