/**
 * Preference pairs from the N attempts at one task, decided from outcomes and rubric scores.
 *
 * Within a group of attempts that share a task and a prompt (so a trainer can put them under one
 * prompt), an attempt is
 *  - good: resolved, not vetoed, and within `margin` of the best behaviour score among the group's
 *    resolved, unvetoed attempts ("resolved and best behaviour");
 *  - bad: unresolved, or vetoed, or resolved but more than `margin` below that best;
 *  - neither: no outcome label, or resolved with no behaviour score.
 * A pair is a good attempt (chosen) and a bad one (rejected): an `outcome` pair when the rejected
 * one is unresolved, a `veto` pair when it was vetoed, a `behaviour` pair when both resolved and
 * the chosen one's score is at least `margin` higher. Pairs per task are capped; the cap takes
 * outcome pairs first, then veto, then behaviour, larger score gaps first, spreading the uses of
 * each attempt (no attempt is used twice while another could be used once).
 */

export interface Attempt {
  id: string;
  task: string;
  /** attempts pair only within a group (task + prompt) */
  group: string;
  resolved: boolean | null;
  vetoed: boolean;
  score: number | null;
  /** p(resolved), reported with the pairs */
  p: number | null;
}

export type Standing = "good" | "bad" | null;
export const PAIR_KINDS = ["outcome", "veto", "behaviour"] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export interface Pair {
  task: string;
  group: string;
  chosen: string;
  rejected: string;
  kind: PairKind;
  /** behaviour score of chosen minus rejected */
  margin: number | null;
  /** p(resolved) of chosen minus rejected, when both have one */
  p_margin: number | null;
}

export interface PairOptions {
  /** score gap that makes a behaviour difference clear */
  margin: number;
  /** at most this many pairs per task (over all its prompt groups) */
  perTask: number;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Each attempt's standing within its group. */
export function standings(attempts: Attempt[], margin: number): Map<string, Standing> {
  const out = new Map<string, Standing>();
  const best = new Map<string, number>();
  for (const a of attempts) {
    if (a.resolved === true && !a.vetoed && a.score !== null)
      best.set(a.group, Math.max(best.get(a.group) ?? -Infinity, a.score));
  }
  for (const a of attempts) {
    let s: Standing = null;
    if (a.vetoed || a.resolved === false) s = "bad";
    else if (a.resolved === true && a.score !== null) {
      const top = best.get(a.group)!;
      s = a.score >= top - margin - 1e-12 ? "good" : "bad";
    }
    out.set(a.id, s);
  }
  return out;
}

export interface Candidate {
  a: string;
  b: string;
  /** lower is taken first */
  rank: number;
  /** larger is taken first among equal ranks */
  gap: number;
}

/**
 * Take up to `cap` candidates in order (rank, then gap, then ids), spreading uses: in round r an
 * item may be used at most r times.
 */
export function spread<T extends Candidate>(candidates: T[], cap: number): T[] {
  const sorted = [...candidates].sort(
    (x, y) => x.rank - y.rank || y.gap - x.gap || (x.a + x.b < y.a + y.b ? -1 : x.a + x.b > y.a + y.b ? 1 : 0),
  );
  const uses = new Map<string, number>();
  const taken = new Set<T>();
  for (let round = 1; taken.size < cap && taken.size < sorted.length; round++) {
    let progressed = false;
    for (const c of sorted) {
      if (taken.size >= cap) break;
      if (taken.has(c) || (uses.get(c.a) ?? 0) >= round || (uses.get(c.b) ?? 0) >= round) continue;
      taken.add(c);
      uses.set(c.a, (uses.get(c.a) ?? 0) + 1);
      uses.set(c.b, (uses.get(c.b) ?? 0) + 1);
      progressed = true;
    }
    if (!progressed && round > sorted.length) break;
  }
  return sorted.filter((c) => taken.has(c));
}

export function choosePairs(attempts: Attempt[], o: PairOptions): Pair[] {
  const stand = standings(attempts, o.margin);
  const groups = new Map<string, Attempt[]>();
  for (const a of attempts) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  const byTask = new Map<string, (Candidate & { pair: Pair })[]>();
  for (const [group, members] of groups) {
    const good = members.filter((a) => stand.get(a.id) === "good").sort(byId);
    const bad = members.filter((a) => stand.get(a.id) === "bad").sort(byId);
    for (const g of good) {
      for (const b of bad) {
        const kind: PairKind = b.vetoed ? "veto" : b.resolved === false ? "outcome" : "behaviour";
        const margin = g.score !== null && b.score !== null ? g.score - b.score : null;
        if (kind === "behaviour" && (margin === null || margin < o.margin - 1e-12)) continue;
        const p_margin = g.p !== null && b.p !== null ? g.p - b.p : null;
        const list = byTask.get(g.task) ?? [];
        list.push({
          a: g.id,
          b: b.id,
          rank: PAIR_KINDS.indexOf(kind),
          gap: margin ?? 0,
          pair: { task: g.task, group, chosen: g.id, rejected: b.id, kind, margin, p_margin },
        });
        byTask.set(g.task, list);
      }
    }
  }
  const pairs: Pair[] = [];
  for (const task of [...byTask.keys()].sort()) {
    for (const c of spread(byTask.get(task)!, o.perTask)) pairs.push(c.pair);
  }
  return pairs;
}

export interface PairReport {
  attempts: number;
  /** attempts left out: no outcome label, or resolved with no behaviour score */
  undecided: number;
  good: number;
  bad: number;
  tasks: number;
  /** tasks whose attempts fall into more than one prompt group */
  splitTasks: number;
  tasksWithPairs: number;
  pairs: number;
  /** number of tasks with k pairs, by k */
  perTask: Record<string, number>;
  kinds: Record<PairKind, { pairs: number; margin: Summary | null; p_margin: Summary | null }>;
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  mean: number;
  max: number;
}

export function summary(xs: number[]): Summary | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    n: s.length,
    min: s[0],
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    max: s[s.length - 1],
  };
}

export function pairReport(attempts: Attempt[], pairs: Pair[], margin: number): PairReport {
  const stand = standings(attempts, margin);
  const tasks = new Map<string, Set<string>>();
  for (const a of attempts) tasks.set(a.task, (tasks.get(a.task) ?? new Set()).add(a.group));
  const per = new Map<string, number>();
  for (const p of pairs) per.set(p.task, (per.get(p.task) ?? 0) + 1);
  const perTask: Record<string, number> = {};
  for (const t of tasks.keys()) {
    const k = String(per.get(t) ?? 0);
    perTask[k] = (perTask[k] ?? 0) + 1;
  }
  const kinds = Object.fromEntries(
    PAIR_KINDS.map((k) => {
      const ps = pairs.filter((p) => p.kind === k);
      return [
        k,
        {
          pairs: ps.length,
          margin: summary(ps.flatMap((p) => (p.margin === null ? [] : [p.margin]))),
          p_margin: summary(ps.flatMap((p) => (p.p_margin === null ? [] : [p.p_margin]))),
        },
      ];
    }),
  ) as PairReport["kinds"];
  const values = [...stand.values()];
  return {
    attempts: attempts.length,
    undecided: values.filter((s) => s === null).length,
    good: values.filter((s) => s === "good").length,
    bad: values.filter((s) => s === "bad").length,
    tasks: tasks.size,
    splitTasks: [...tasks.values()].filter((g) => g.size > 1).length,
    tasksWithPairs: per.size,
    pairs: pairs.length,
    perTask,
    kinds,
  };
}
