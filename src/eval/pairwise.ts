/**
 * Best-of-N, pairwise against pointwise, on the same tasks: the pointwise pick by a reward of
 * each record; the pairwise pick by Bradley–Terry strengths fitted from the comparisons
 * `select --judge-pairwise` wrote; and the two combined (strength + logit p(resolved)). Only
 * tasks whose attempts all have a pointwise value, a label and a comparison answered count, so
 * every column is over the same attempts. Strengths come from all of a task's comparisons; for a
 * subset of N attempts the pick is the strongest in it.
 */
import { IngestError } from "../io/error.js";
import { jsonlLines, parseJson } from "../io/read.js";
import { combined, ComparisonSchema, flipRate, strengths, type Comparison } from "../select/pairwise.js";
import { pResolved } from "../score/reward.js";
import type { ScoreRecord } from "../types/score.js";
import { ci, f3, table } from "./format.js";
import { bestOfN, bootstrap, type Attempt, type Interval } from "./metrics.js";

/** Read comparison JSONL files; each bad line is an error naming its file and line. */
export async function readComparisons(files: string[]): Promise<{ comparisons: Comparison[]; errors: IngestError[] }> {
  const comparisons: Comparison[] = [];
  const errors: IngestError[] = [];
  for (const file of files) {
    try {
      for await (const item of jsonlLines(file)) {
        if ("error" in item) {
          errors.push(item.error);
          continue;
        }
        try {
          const r = ComparisonSchema.safeParse(parseJson(item.bytes.toString("utf8"), file, item.line));
          if (r.success) comparisons.push(r.data);
          else {
            const i = r.error.issues[0];
            errors.push(
              new IngestError(
                file,
                `not a comparison (from 'select --judge-pairwise --comparisons'): ${i.message}`,
                item.line,
                i.path.join("."),
              ),
            );
          }
        } catch (e) {
          errors.push(e instanceof IngestError ? e : new IngestError(file, String(e), item.line));
        }
      }
    } catch (e) {
      errors.push(new IngestError(file, (e as Error).message));
    }
  }
  return { comparisons, errors };
}

export interface PairwiseRow {
  n: number;
  tasks: number;
  random: number;
  oracle: number;
  pointwise: Interval;
  pairwise: Interval;
  /** strength + logit p(resolved); null when not every attempt has p(resolved) */
  combined: Interval | null;
}

export interface PairwiseReport {
  tasks: number;
  attempts: number;
  comparisons: number;
  flips: { both: number; flipped: number; rate: number | null };
  /** tasks left out: an attempt without a label, a pointwise value or an answered comparison */
  excluded: number;
  rows: PairwiseRow[];
}

interface TaskData {
  point: Attempt[];
  pair: Attempt[];
  both: Attempt[] | null;
}

export function evaluatePairwise(
  records: ScoreRecord[],
  comparisons: Comparison[],
  o: { value: (r: ScoreRecord) => number | null; bootstrap?: number; seed?: number },
): PairwiseReport {
  const byTask = new Map<string, ScoreRecord[]>();
  for (const r of records)
    if (r.instance_id && !r.error) byTask.set(r.instance_id, [...(byTask.get(r.instance_id) ?? []), r]);
  const cmp = new Map<string, Comparison[]>();
  for (const c of comparisons) cmp.set(c.instance_id, [...(cmp.get(c.instance_id) ?? []), c]);
  const tasks: TaskData[] = [];
  const used: Comparison[] = [];
  let excluded = 0;
  for (const [instance, cs] of cmp) {
    const rs = byTask.get(instance) ?? [];
    const answered = new Set(cs.filter((c) => c.p !== null).flatMap((c) => [c.a, c.b]));
    const ok = rs.length >= 2 && rs.every((r) => r.label && o.value(r) !== null && answered.has(r.trajectory_id));
    if (!ok) {
      excluded++;
      continue;
    }
    used.push(...cs);
    const ids = rs.map((r) => r.trajectory_id);
    const theta = strengths(ids, cs);
    const c = combined(theta, rs.map(pResolved));
    const at = (score: (i: number) => number): Attempt[] =>
      rs.map((r, i) => ({ score: score(i), label: r.label!.resolved, key: r.trajectory_id }));
    tasks.push({
      point: at((i) => o.value(rs[i])!),
      pair: at((i) => theta[i]),
      both: c.withPrior ? at((i) => c.score[i]) : null,
    });
  }
  const maxN = Math.max(0, ...tasks.map((t) => t.point.length));
  const b = o.bootstrap ?? 1000;
  const seed = o.seed ?? 1;
  const rows: PairwiseRow[] = [];
  const withPrior = tasks.length > 0 && tasks.every((t) => t.both);
  for (let n = 2; n <= maxN; n++) {
    const eligible = tasks.filter((t) => t.point.length >= n);
    if (!eligible.length) continue;
    const pick = (k: "point" | "pair" | "both") =>
      bootstrap(
        eligible,
        (gs) =>
          bestOfN(
            gs.map((g) => g[k]!),
            n,
          ).reward,
        b,
        seed,
      );
    const base = bestOfN(
      eligible.map((t) => t.point),
      n,
    );
    rows.push({
      n,
      tasks: eligible.length,
      random: base.random,
      oracle: base.oracle,
      pointwise: pick("point"),
      pairwise: pick("pair"),
      combined: withPrior ? pick("both") : null,
    });
  }
  return {
    tasks: tasks.length,
    attempts: tasks.reduce((a, t) => a + t.point.length, 0),
    comparisons: used.length,
    flips: flipRate(used),
    excluded,
    rows,
  };
}

export function renderPairwise(rep: PairwiseReport, pointwise: string): string {
  const f = rep.flips;
  const out = [
    `Pairwise vs pointwise best-of-N on the same ${rep.tasks} tasks (${rep.attempts} attempts, ${rep.comparisons} comparisons in both orders; ${rep.excluded} tasks left out: an attempt without a label, a ${pointwise} value or an answered comparison)`,
    `order flips: ${f.flipped} of ${f.both} comparisons with both orders answered${f.rate === null ? "" : ` (${(100 * f.rate).toFixed(1)}%)`}`,
    table([
      ["N", "tasks", "random", `pointwise (${pointwise})`, "pairwise", "pairwise + p(resolved)", "oracle"],
      ...rep.rows.map((r) => [
        String(r.n),
        String(r.tasks),
        f3(r.random),
        ci(r.pointwise),
        ci(r.pairwise),
        r.combined ? ci(r.combined) : "-",
        f3(r.oracle),
      ]),
    ]),
  ];
  return out.join("\n");
}
