/** `rubricate train`: fit the outcome model. */
import { type Command, Option } from "commander";
import { numberIn, wholeNumber } from "../numbers.js";
import { addExamples, collectList } from "./common.js";

export function registerTrain(program: Command): void {
  const cmd = program
    .command("train")
    .summary("train the execution-free outcome model on labelled trajectories")
    .description(
      "Fit a regularised logistic regression on behaviour features (step kinds, check verdicts, test-run results, " +
        "errors, patch statistics, exit status; never scaffold, model, run or path) to predict whether a trajectory's " +
        "patch passes the hidden tests. Prints grouped cross-validation (folds split by task) and leave-one-scaffold-out " +
        "AUC, ECE, Brier and best-of-N gap closed with bootstrap intervals, and saves a small JSON model for --outcome-model.",
    )
    .argument("<inputs...>", "labelled trajectory files or folders")
    .requiredOption("-o, --output <file>", "model JSON file")
    .option("--labels <path>", "label file or folder; repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run")
    .addOption(new Option("--folds <k>", "cross-validation folds").default(5).argParser(wholeNumber(2, 100)))
    .addOption(new Option("--l2 <x>", "L2 penalty on standardised weights").default(1).argParser(numberIn(0)))
    .addOption(
      new Option("--bootstrap <n>", "bootstrap resamples for intervals").default(1000).argParser(wholeNumber(0)),
    )
    .option("-q, --quiet", "no progress on stderr");
  addExamples(cmd, [
    [
      "npx rubricate train runs/ -o outcome-model.json",
      "runs/: your labelled runs; it needs at least 20 labelled trajectories with both outcomes (examples/ has 8)",
    ],
    ["npx rubricate train runs/ --labels runs/report.json --folds 10 --bootstrap 200 -o outcome-model.json"],
    ["npx rubricate score examples/ --outcome-model outcome-model.json -o scores.jsonl", "then score with it"],
  ]).action(async (inputs: string[], o) => {
    const { runTrain } = await import("../train.js");
    process.exitCode = await runTrain(inputs, o);
  });
}
