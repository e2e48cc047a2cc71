/**
 * `rubricate select --judge-pairwise`: best of N per task by pairwise comparisons (both orders,
 * Bradley–Terry, combined with p(resolved) when every attempt has one), written as SWE-bench
 * predictions; each comparison to --comparisons for `eval --pairwise`.
 */
import { predictionPatch } from "../select/patch.js";
import { evaluatePairwise, readComparisons, renderPairwise } from "../eval/pairwise.js";
import { readScores } from "../eval/read.js";
import { buildBackends } from "../judge/build.js";
import { readJudgeConfig, resolveJudge, type JudgeFlags } from "../judge/config.js";
import { loadPrices } from "../judge/prices.js";
import { pairwiseJudge } from "../judge/protocols/pairwise.js";
import { renderTranscript } from "../judge/render.js";
import { loadCounter } from "../judge/tokens.js";
import { readTrajectories } from "../labels/stream.js";
import { loadRubric } from "../rubric/load.js";
import { combined, flipRate, rankTask, type Comparison } from "../select/pairwise.js";
import { pResolved, reward, type RewardMode } from "../score/reward.js";
import type { ScoreRecord } from "../types/score.js";
import type { Source } from "../types/trajectory.js";
import { jsonlWriter, note } from "./output.js";
import { scoresFor, type ScoresSource } from "./scores.js";

export interface PairwiseSelectOptions extends ScoresSource {
  output: string;
  choices?: string;
  comparisons?: string;
  reward: RewardMode;
  alpha: number;
  modelName: string;
  /** rank by the comparisons alone, without p(resolved) */
  pairwiseOnly?: boolean;
  judgeFlags: JudgeFlags;
  judgeConfig?: string;
  quiet?: boolean;
}

interface Kept {
  text: string;
  patch: string;
  source: Source;
}

export async function runPairwiseSelect(inputs: string[], o: PairwiseSelectOptions): Promise<number> {
  const rubric = loadRubric(o.rubric);
  const config = resolveJudge(o.judgeFlags, o.judgeConfig ? readJudgeConfig(o.judgeConfig) : undefined);
  if (!config)
    throw new Error("--judge-pairwise needs a judge: give --judge <url> and --model <name> (or a --judge-config)");
  const counter = loadCounter(config.tokenizer);
  const prices = loadPrices(config.prices);
  const { records, errors } = await scoresFor(inputs, o);
  const tasks = new Map<string, ScoreRecord[]>();
  for (const r of records) {
    if (!r.instance_id || r.error) continue;
    tasks.set(r.instance_id, [...(tasks.get(r.instance_id) ?? []), r]);
  }
  const multi = new Set(
    [...tasks.values()].filter((rs) => rs.length > 1).flatMap((rs) => rs.map((r) => r.trajectory_id)),
  );
  const wanted = new Set([...tasks.values()].flatMap((rs) => rs.map((r) => r.trajectory_id)));
  // each attempt rendered once, in half the prompt budget: two share one prompt
  const kept = new Map<string, Kept>();
  for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
    if (ev.type !== "trajectory" || !wanted.has(ev.trajectory.id) || kept.has(ev.trajectory.id)) continue;
    const t = ev.trajectory;
    const text = multi.has(t.id) ? renderTranscript(t, Math.floor(config.maxPromptTokens / 2), counter).text : "";
    kept.set(t.id, { text, patch: t.patch ?? "", source: t.source });
  }
  const missing = [...wanted].filter((id) => !kept.has(id));
  if (missing.length) note(`warning: ${missing.length} scored trajectories were not found in the inputs; left out`);

  const { backends, cache } = await buildBackends(config, rubric, o.quiet ? undefined : note);
  const judge = pairwiseJudge(backends, { criteria: rubric.criteria, prices });
  const preds = jsonlWriter(o.output);
  const chosen = o.choices ? jsonlWriter(o.choices) : null;
  const compared = o.comparisons ? jsonlWriter(o.comparisons) : null;
  const all: Comparison[] = [];
  let written = 0;
  let resolved = 0;
  let labelled = 0;
  let fallback = 0;
  try {
    const list = [...tasks].sort(([a], [b]) => (a < b ? -1 : 1));
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const [instance, rs] = list[next++];
        const present = rs.filter((r) => kept.has(r.trajectory_id));
        if (!present.length) continue;
        const ids = present.map((r) => r.trajectory_id);
        const ranking =
          ids.length > 1
            ? await rankTask(
                instance,
                ids,
                (a, b) => judge.ask(kept.get(a)!.text, kept.get(b)!.text),
                judge.name,
                async (c) => {
                  all.push(c);
                  await compared?.write(c);
                },
              )
            : null;
        const answered = ranking?.comparisons.some((c) => c.p !== null) ?? false;
        const point = present.map((r) => reward(r, { mode: o.reward, alpha: o.alpha }));
        const prior = o.pairwiseOnly ? null : present.map((r) => pResolved(r));
        const c = ranking && answered ? combined(ranking.strength, prior) : null;
        if (ranking && !answered) fallback++;
        // the pick: the highest combined score; ties (and tasks without comparisons) by the pointwise reward, then id
        const score = c ? c.score : point.map((p) => p ?? Number.NEGATIVE_INFINITY);
        let best = 0;
        for (let i = 1; i < present.length; i++) {
          const d = score[i] - score[best] || (point[i] ?? -1) - (point[best] ?? -1);
          if (d > 0 || (d === 0 && ids[i] < ids[best])) best = i;
        }
        const r = present[best];
        const how = !ranking
          ? "only attempt"
          : !answered
            ? `pointwise ${o.reward} (no comparison answered)`
            : c!.withPrior
              ? "pairwise strength + logit p(resolved)"
              : "pairwise strength";
        await preds.write({
          instance_id: instance,
          model_name_or_path: o.modelName,
          model_patch: predictionPatch(kept.get(r.trajectory_id)!.patch),
        });
        written++;
        if (r.label) {
          labelled++;
          if (r.label.resolved) resolved++;
        }
        await chosen?.write({
          instance_id: instance,
          trajectory_id: r.trajectory_id,
          reward: Number.isFinite(score[best]) ? score[best] : null,
          candidates: present.length,
          resolved: r.label ? r.label.resolved : null,
          how,
          comparisons: ranking?.comparisons.length ?? 0,
          ranking: present.map((x, i) => ({
            trajectory_id: x.trajectory_id,
            strength: ranking ? ranking.strength[i] : null,
            p_resolved: pResolved(x),
            score: Number.isFinite(score[i]) ? score[i] : null,
          })),
          source: kept.get(r.trajectory_id)!.source,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(config.concurrency, 8)) }, worker));
  } finally {
    await preds.close();
    await chosen?.close();
    await compared?.close();
    cache?.close();
  }
  const f = flipRate(all);
  const st = judge.stats;
  note(
    `select (pairwise, rubric ${rubric.id}): ${tasks.size} tasks, ${all.length} comparisons in both orders (${st.requests} requests, ${st.cacheHits} cache hits, ${st.promptTokens} prompt tokens); ` +
      `order flips ${f.flipped} of ${f.both}${f.rate === null ? "" : ` (${(100 * f.rate).toFixed(1)}%)`}; ${written} predictions written` +
      (labelled
        ? `; ${resolved} of ${labelled} labelled picks resolved (${((100 * resolved) / labelled).toFixed(1)}%)`
        : ""),
  );
  if (fallback) note(`warning: ${fallback} tasks got no comparison answered and were picked by the pointwise reward`);
  if (st.failures) note(`warning: ${st.failures} ordered comparisons got no answer from the judge`);
  return errors || missing.length ? 1 : 0;
}

/** `rubricate eval --pairwise <comparisons>`: best-of-N of the pairwise pick against the pointwise reward's, on the same tasks. */
export async function runPairwiseEval(
  files: string[],
  o: { pairwise: string[]; reward: RewardMode; alpha: number; bootstrap: number },
): Promise<number> {
  const records: ScoreRecord[] = [];
  for await (const ev of readScores(files)) if (ev.type === "record") records.push(ev.record);
  const { comparisons, errors } = await readComparisons(o.pairwise);
  for (const e of errors.slice(0, 20)) note(`error: ${e.describe()}`);
  if (!comparisons.length) {
    note(`eval --pairwise: no comparisons read from ${o.pairwise.join(", ")}`);
    return 1;
  }
  const rep = evaluatePairwise(records, comparisons, {
    value: (r) => reward(r, { mode: o.reward, alpha: o.alpha }),
    bootstrap: o.bootstrap,
  });
  process.stdout.write(`\n${renderPairwise(rep, o.reward)}\n`);
  if (!rep.tasks)
    note("eval --pairwise: no task had labels, pointwise values and answered comparisons for all its attempts");
  return errors.length || !rep.tasks ? 1 : 0;
}
