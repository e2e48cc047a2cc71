/** `rubricate score`: one ScoreRecord per trajectory. */
import { type Command, Option } from "commander";
import { addJudgeOptions, judgeFlagsOf } from "../judgeflags.js";
import { wholeNumber } from "../numbers.js";
import { addExamples, collectList } from "./common.js";

export function registerScore(program: Command): void {
  const cmd = program
    .command("score")
    .summary("score trajectories against a rubric (one ScoreRecord per line)")
    .description(
      "Read trajectories (any format ingest reads), decide each rubric criterion, and write one ScoreRecord per trajectory: " +
        "per-criterion verdicts with evidence steps, the aggregate score, provenance and the label when known. " +
        "Without a judge, judge criteria are reported as unscored and the score uses the criteria that were decided. " +
        "Ends with a table of how often each behaviour was present, split by resolved / unresolved trajectories.",
    )
    .argument("<inputs...>", "trajectory files, folders or quoted globs")
    .option("-r, --rubric <id|file>", "built-in rubric id or a rubric YAML file", "swe-default")
    .option("-o, --output <file>", "write ScoreRecords here instead of stdout")
    .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run")
    .option("--no-run-context", "skip the first pass that finds each run's usual length (for excessive_steps)")
    .option(
      "--outcome-model <file>",
      "outcome model for 'outcome' criteria (default: the model shipped with rubricate)",
    )
    .option("--no-outcome-model", "leave 'outcome' criteria unscored (no outcome model)")
    .addOption(
      new Option(
        "--jobs <n>",
        "worker threads for checks and the outcome model (not with --judge); default: one per 100 MB of input, at most one per idle core",
      ).argParser(wholeNumber(1, 256)),
    );
  addJudgeOptions(cmd)
    .option(
      "--judge-critic",
      "add the adversarial critic (criterion critic-failure): the judge names the likeliest way the patch fails, then checks that claim (2 requests per trajectory with a patch)",
    )
    .option(
      "--resume",
      "continue a killed run: keep the records already in -o and score only the missing trajectories (and those whose judge requests failed)",
    )
    .option(
      "--allow-unjudged",
      "a judge that answers nothing is no error: score with the other criteria (default: stop, exit 1)",
    )
    .option("-q, --quiet", "no progress bar or summary")
    .addOption(new Option("--max-errors <n>", "errors listed in the summary").default(20).argParser(wholeNumber(0)));
  addExamples(cmd, [
    ["npx rubricate score examples/ -o scores.jsonl", "checks and the shipped outcome model, no judge"],
    [
      "npx rubricate score examples/ --rubric rubrics/swe-default.yaml --no-outcome-model --jobs 2 -o checks.jsonl",
      "a rubric file, checks only, on two threads",
    ],
    [
      "npx rubricate score examples/ --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --dialect vllm --judge-critic -o scores.jsonl",
      "with an LLM judge served by vLLM",
    ],
    ["npx rubricate score examples/ --resume -o scores.jsonl", "finish a run that was stopped"],
  ]).action(async (inputs: string[], o) => {
    const { runScore } = await import("../score.js");
    process.exitCode = await runScore(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
  });
}
