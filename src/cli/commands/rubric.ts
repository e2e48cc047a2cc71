/** `rubricate rubric list|show|lint|induce`: the rubrics. */
import { type Command, Option } from "commander";
import { judgeFlagsOf } from "../judgeflags.js";
import { numberIn, wholeNumber } from "../numbers.js";
import { addExamples, collectList, judgeServerOptions, positiveInt } from "./common.js";

const rubricCli = () => import("../rubric.js");

export function registerRubric(program: Command): void {
  const rubric = program
    .command("rubric")
    .summary("list, show, check and induce rubrics")
    .description(
      "A rubric is a YAML list of criteria (programmatic checks, judge questions, outcome predictions) with weights and vetoes. " +
        "List the built-in ones, show what a rubric checks and why, lint a rubric file, or induce judge criteria from labelled attempts.",
    );
  addExamples(rubric, [
    ["npx rubricate rubric list"],
    ["npx rubricate rubric show swe-default"],
    ["npx rubricate rubric lint rubrics/swe-default.yaml"],
  ]);

  const list = rubric.command("list").description("list the built-in rubrics");
  addExamples(list, [["npx rubricate rubric list"]]).action(async () => {
    process.exitCode = (await rubricCli()).runRubric("list");
  });

  const show = rubric
    .command("show")
    .description("show a rubric's criteria, their checks and why they matter")
    .argument("<id|file>", "built-in rubric id or YAML file");
  addExamples(show, [
    ["npx rubricate rubric show swe-default", "a built-in rubric"],
    ["npx rubricate rubric show rubrics/swe-default.yaml", "a rubric file"],
  ]).action(async (id: string) => {
    process.exitCode = (await rubricCli()).runRubric("show", id);
  });

  const lint = rubric
    .command("lint")
    .description("validate a rubric file: fields, allowed values, check names and parameters, duplicate ids")
    .argument("<file>", "rubric YAML file");
  addExamples(lint, [["npx rubricate rubric lint rubrics/swe-default.yaml", "exit 0 when the file is valid"]]).action(
    async (file: string) => {
      process.exitCode = (await rubricCli()).runRubric("lint", file);
    },
  );

  const induce = rubric
    .command("induce")
    .summary("induce judge criteria from labelled attempts, kept when they agree with held-aside labels")
    .description(
      "Induce judge criteria from labelled attempts: the judge proposes criteria from contrasting pairs of attempts at one task " +
        "(one resolved, one not; it is never told which), near-duplicates are merged, and each candidate is kept only when its " +
        "verdicts agree with the labels on held-aside tasks. Writes a rubric YAML with each criterion's AUC and lift in comments. " +
        "Requests: one per pair to propose, one per held-aside attempt to validate (per judge model).",
    )
    .argument("<inputs...>", "labelled trajectory files or folders (several attempts per task)")
    .requiredOption("-o, --output <file>", "rubric YAML to write")
    .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run")
    .option("--id <id>", "id of the induced rubric", "induced")
    .addOption(
      new Option("--holdout <x>", "share of contrasting tasks held aside for the filter")
        .default(0.5)
        .argParser(numberIn(0, 1)),
    )
    .addOption(
      new Option("--max-pairs <n>", "most contrasting pairs asked for proposals").default(20).argParser(positiveInt),
    )
    .addOption(
      new Option("--max-candidates <n>", "most merged candidates validated").default(12).argParser(positiveInt),
    )
    .addOption(
      new Option("--max-validate <n>", "most held-aside attempts the candidates are asked about")
        .default(80)
        .argParser(positiveInt),
    )
    .addOption(
      new Option("--min-auc <x>", "least held-aside AUC of a kept criterion").default(0.6).argParser(numberIn(0, 1)),
    )
    .addOption(
      new Option("--min-decided <n>", "least held-aside attempts a kept criterion decided")
        .default(8)
        .argParser(positiveInt),
    )
    .addOption(new Option("--seed <n>", "seed of the task split and pair order").default(1).argParser(wholeNumber(0)))
    .option("-q, --quiet", "no judge probe report");
  judgeServerOptions(induce);
  addExamples(induce, [
    [
      "npx rubricate rubric induce examples/ --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --dialect vllm -o induced.yaml",
      "labels from the reports beside the runs",
    ],
    ["npx rubricate rubric lint induced.yaml", "then check it"],
    [
      "npx rubricate score examples/ --rubric induced.yaml --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B -o scores.jsonl",
      "and score with it",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runInduce } = await import("../induce.js");
    process.exitCode = await runInduce(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
  });
}
