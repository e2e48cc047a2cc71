/**
 * `rubricate rubric induce`: a rubric of judge criteria induced from labelled attempts — proposed
 * by the judge from contrasting pairs, merged, kept only when their verdicts agree with the labels
 * on held-aside tasks — written as YAML with each criterion's measurements in comments.
 */
import { writeFileSync } from "node:fs";
import { f3, pct, table } from "../eval/format.js";
import { buildBackends } from "../judge/build.js";
import { readJudgeConfig, resolveJudge, type JudgeFlags } from "../judge/config.js";
import { induce, planInduction, type Sample } from "../judge/induce/index.js";
import { rubricYaml } from "../judge/induce/write.js";
import { loadPrices } from "../judge/prices.js";
import { renderTranscript } from "../judge/render.js";
import { loadCounter } from "../judge/tokens.js";
import { readTrajectories } from "../labels/stream.js";
import { note } from "./output.js";

export interface InduceCliOptions {
  output: string;
  labels?: string[];
  autoLabels: boolean;
  id: string;
  holdout: number;
  maxPairs: number;
  maxValidate: number;
  maxCandidates: number;
  minAuc: number;
  minDecided: number;
  seed: number;
  judgeFlags: JudgeFlags;
  judgeConfig?: string;
  quiet?: boolean;
}

export async function runInduce(inputs: string[], o: InduceCliOptions): Promise<number> {
  if (!(o.holdout > 0 && o.holdout < 1)) throw new Error(`--holdout must be between 0 and 1, got ${o.holdout}`);
  const config = resolveJudge(o.judgeFlags, o.judgeConfig ? readJudgeConfig(o.judgeConfig) : undefined);
  if (!config)
    throw new Error("rubric induce needs a judge: give --judge <url> and --model <name> (or a --judge-config)");
  const read = { labels: o.labels, autoLabels: o.autoLabels };
  // pass 1: which attempts are labelled, at which task
  const samples: Sample[] = [];
  let unlabelled = 0;
  let errors = 0;
  for await (const ev of readTrajectories(inputs, read)) {
    if (ev.type === "error") {
      if (++errors <= 20) note(`error: ${ev.error.describe()}`);
      continue;
    }
    if (ev.type !== "trajectory") continue;
    const t = ev.trajectory;
    if (!t.label || !t.instance_id) unlabelled++;
    else samples.push({ id: t.id, task: t.instance_id, resolved: t.label.resolved });
  }
  const plan = planInduction(samples, {
    holdout: o.holdout,
    maxPairs: o.maxPairs,
    maxValidate: o.maxValidate,
    seed: o.seed,
  });
  note(
    `induce: ${samples.length} labelled attempts at ${new Set(samples.map((s) => s.task)).size} tasks (${unlabelled} without a label or task left out); ` +
      `${plan.contrasting} tasks have a resolved and an unresolved attempt: ${plan.pairs.length} pairs propose, ${plan.held.length} attempts at ${plan.heldTasks} other tasks validate`,
  );
  if (!plan.pairs.length) {
    note("induce: no task has both a resolved and an unresolved attempt; give more attempts per task (and --labels)");
    return 1;
  }
  if (!plan.held.length) {
    note("induce: no labelled attempts left to hold aside for the label-consistency filter; give more tasks");
    return 1;
  }
  // pass 2: render the attempts the plan uses (pairs in half the budget, since two share a prompt)
  const counter = loadCounter(config.tokenizer);
  const inPair = new Set(plan.pairs.flatMap((p) => [p.first, p.second]));
  const inHeld = new Set(plan.held.map((s) => s.id));
  const texts = { pair: new Map<string, string>(), full: new Map<string, string>() };
  for await (const ev of readTrajectories(inputs, read)) {
    if (ev.type !== "trajectory") continue;
    const t = ev.trajectory;
    if (inPair.has(t.id) && !texts.pair.has(t.id))
      texts.pair.set(t.id, renderTranscript(t, Math.floor(config.maxPromptTokens / 2), counter).text);
    if (inHeld.has(t.id) && !texts.full.has(t.id))
      texts.full.set(t.id, renderTranscript(t, config.maxPromptTokens, counter).text);
  }
  const { backends, cache } = await buildBackends(config, { hash: "rubric-induce" }, o.quiet ? undefined : note);
  let result: Awaited<ReturnType<typeof induce>>;
  try {
    result = await induce(plan, (id, budget) => texts[budget].get(id) ?? "", backends, {
      minAuc: o.minAuc,
      minDecided: o.minDecided,
      maxCandidates: o.maxCandidates,
      maxTokens: config.maxTokens,
      prices: loadPrices(config.prices),
      onNote: note,
    });
  } finally {
    cache?.close();
  }
  for (const f of result.failedPairs.slice(0, 10)) note(`warning: no proposals from pair ${f}`);
  if (result.invalidProposals)
    note(`warning: ${result.invalidProposals} proposed items did not match the schema and were left out`);
  const st = result.stats;
  note(
    `induce judge: ${st.requests} requests, ${st.cacheHits} cache hits, ${st.promptTokens} prompt tokens, ${st.completionTokens} completion tokens`,
  );
  if (result.candidates.length)
    note(
      table([
        ["candidate", "kind", "support", "agree", "decided", "AUC", "within-task", "lift", "kept"],
        ...result.candidates.map((c) => [
          `${c.polarity === "encourage" ? "+" : "-"} ${c.id}`,
          c.kind,
          String(c.support),
          pct(c.support ? c.agreeing / c.support : null),
          String(c.stats.decided),
          f3(c.stats.auc),
          f3(c.stats.consistency),
          f3(c.stats.lift),
          c.dropped ? `no: ${c.dropped}` : "yes",
        ]),
      ]),
    );
  if (!result.kept.length) {
    note(
      `induce: no criterion passed the label-consistency filter (AUC ≥ ${o.minAuc} on ≥ ${o.minDecided} held-aside attempts); nothing written`,
    );
    return 1;
  }
  const models = config.panel.map((m) => m.model).join(", ");
  const { text, rubric } = rubricYaml(
    result.kept.map((c) => ({ candidate: c, stats: c.stats })),
    {
      id: o.id,
      description: `Judge criteria induced from ${samples.length} labelled attempts: proposed from contrasting pairs, kept when their verdicts agreed with the labels on held-aside tasks.`,
      header: [
        `${o.id}: induced by 'rubricate rubric induce' with judge ${models}.`,
        `${plan.pairs.length} contrasting pairs proposed ${result.proposals} criteria, merged into ${result.candidates.length} candidates;`,
        `each was asked of ${plan.held.length} attempts at ${plan.heldTasks} held-aside tasks, and kept when its verdicts`,
        `ranked resolved attempts above unresolved ones (AUC ≥ ${o.minAuc}, ≥ ${o.minDecided} decided, better than chance within tasks).`,
        `Kept ${result.kept.length} of ${result.candidates.length}. The figures above each criterion were measured on the held-aside attempts.`,
        "Labels chose the pairs and judged the candidates; no judge prompt contained one.",
        "",
      ],
    },
  );
  writeFileSync(o.output, text);
  note(
    `induce: wrote ${o.output}: rubric ${rubric.id} with ${rubric.criteria.length} judge criteria (hash ${rubric.hash})`,
  );
  return errors ? 1 : 0;
}
