/** `rubricate filter` and `rubricate select`: keep the trajectories worth training on, pick the best of N. */
import { type Command, Option } from "commander";
import { POLICIES } from "../../select/names.js";
import { REWARD_MODES } from "../../score/reward.js";
import { judgeFlagsOf } from "../judgeflags.js";
import { numberIn, wholeNumber } from "../numbers.js";
import { addExamples, judgeServerOptions, scoreSourceOptions, sideReport, sideReportOf } from "./common.js";

export function registerFilter(program: Command): void {
  const cmd = program
    .command("filter")
    .summary("keep the trajectories worth fine-tuning on (rejection sampling by tests, rubric or both)")
    .description(
      "Policies: terminal = keep resolved trajectories (the usual baseline); rubric = rubric score >= threshold and no veto; " +
        "hybrid = resolved and rubric score >= threshold and no veto. Kept trajectories are written as canonical JSONL; " +
        "dropped ones go to a side file with the reason. Prints kept/dropped counts, tasks covered and each criterion's " +
        "fire rate before and after filtering.",
    )
    .argument("<inputs...>", "trajectory files or folders (the same ones that were scored)")
    .requiredOption("-o, --output <file>", "kept trajectories (canonical JSONL)")
    .option("--dropped <file>", "dropped trajectories with the reason (default: <output>.dropped.jsonl)");
  sideReport(cmd, "also write the filter report as JSON to this file (for 'report --filter-report')", "--report")
    .addOption(new Option("--policy <p>", "filter policy").choices([...POLICIES]).default("hybrid"))
    .addOption(new Option("--threshold <x>", "minimum rubric score").default(0.8).argParser(numberIn(0, 1)))
    .addOption(new Option("--per-task <k>", "keep at most k per task, best first").argParser(wholeNumber(1)))
    .option("--coverage", "keep the best qualifying trajectory of tasks that would otherwise lose all")
    .option("-q, --quiet", "no progress bar");
  scoreSourceOptions(cmd);
  addExamples(cmd, [
    [
      "npx rubricate filter examples/ --scores scores.jsonl -o kept.jsonl",
      "resolved and well-behaved (scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl')",
    ],
    [
      "npx rubricate filter examples/ --policy rubric --threshold 0.7 --per-task 1 --json filter.json -o kept.jsonl",
      "score here with the built-in rubric, best one per task, and the report as JSON",
    ],
    ["npx rubricate filter examples/ --scores scores.jsonl --policy terminal --coverage -o kept.jsonl"],
  ]).action(async (inputs: string[], o) => {
    const { runFilter } = await import("../filter.js");
    process.exitCode = await runFilter(inputs, { ...o, report: sideReportOf(o, "report") });
  });
}

export function registerSelect(program: Command): void {
  const cmd = program
    .command("select")
    .summary("pick the best of N attempts per task and write SWE-bench predictions")
    .description(
      "For each task, rank its attempts by a reward (p(resolved) by default, or the behaviour score, or a mix) and write the " +
        "best attempt's patch as a SWE-bench prediction (instance_id, model_name_or_path, model_patch), ready for the " +
        "SWE-bench harness. With --judge-pairwise an LLM judge compares the attempts two at a time instead.",
    )
    .argument("<inputs...>", "trajectory files or folders")
    .requiredOption("-o, --output <file>", "predictions JSONL (instance_id, model_name_or_path, model_patch)");
  sideReport(cmd, "also write each choice with its reward and source, as JSON lines, to this file", "--choices")
    .addOption(
      new Option("--reward <mode>", "reward to rank by: resolved = p(resolved), rubric = the behaviour score")
        .choices([...REWARD_MODES])
        .default("resolved"),
    )
    .addOption(new Option("--alpha <x>", "rubric weight in the linear reward").default(0.5).argParser(numberIn(0, 1)))
    .option("--model-name <name>", "model_name_or_path written into the predictions", "rubricate-best-of-n")
    .option(
      "--ids <file>",
      "keep only these instance ids (one per line, or JSONL/JSON rows with instance_id), e.g. one benchmark's",
    )
    .option(
      "--judge-pairwise",
      "pick by comparing the attempts two at a time with an LLM judge (both orders; Bradley-Terry; at most 2·N·log2 N pairs per task), combined with p(resolved)",
    )
    .option(
      "--comparisons <file>",
      "with --judge-pairwise: write every comparison (JSONL) for 'rubricate eval --pairwise'",
    )
    .option("--pairwise-only", "with --judge-pairwise: rank by the comparisons alone, without p(resolved)")
    .option("-q, --quiet", "no progress bar or judge probe report");
  scoreSourceOptions(judgeServerOptions(cmd));
  addExamples(cmd, [
    [
      "npx rubricate select examples/ --scores scores.jsonl -o preds.jsonl",
      "scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl'",
    ],
    ["npx rubricate select examples/ --reward linear --alpha 0.3 --json choices.jsonl -o preds.jsonl"],
    [
      "npx rubricate select examples/ --scores scores.jsonl --judge-pairwise --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --dialect vllm --comparisons comparisons.jsonl -o preds.jsonl",
      "compare attempts with an LLM judge",
    ],
  ]).action(async (inputs: string[], o) => {
    const opts = { ...o, choices: sideReportOf(o, "choices") };
    if (o.judgePairwise) {
      if (o.ids)
        throw new Error("--ids does not go with --judge-pairwise yet: filter the inputs or the scores instead");
      const { runPairwiseSelect } = await import("../pairwise.js");
      process.exitCode = await runPairwiseSelect(inputs, { ...opts, judgeFlags: judgeFlagsOf(o) });
    } else if (o.judge || o.model || o.judgeConfig || o.comparisons || o.pairwiseOnly)
      throw new Error("the judge options of select (--judge, --model, --comparisons...) go with --judge-pairwise");
    else {
      const { runSelect } = await import("../select.js");
      process.exitCode = await runSelect(inputs, opts);
    }
  });
}
