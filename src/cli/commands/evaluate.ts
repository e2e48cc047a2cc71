/** `rubricate eval`, `calibrate` and `report`: how well the scores predict outcomes. */
import { type Command, Option } from "commander";
import { REWARD_MODES } from "../../score/reward.js";
import { numberIn, wholeNumber } from "../numbers.js";
import { addExamples, collectList } from "./common.js";

export function registerReport(program: Command): void {
  const cmd = program
    .command("report")
    .summary("write one self-contained HTML report: summary, plots and a trajectory viewer")
    .description(
      "Read ScoreRecords (from 'rubricate score') and write one HTML file that opens from disk with no network: " +
        "a summary (counts, rubric, judge and model provenance, unscored criteria by reason); plots rendered to SVG " +
        "(ROC with AUC, reliability with ECE, best-of-N, criterion fire rates by outcome, AUC per scaffold; they need " +
        "labels); a table of trajectories to sort, filter and search; each trajectory's steps with the verdicts on them; " +
        "and the attempts at each task side by side with the pick marked. Records of different rubrics are never mixed.",
    )
    .argument("<scores...>", "ScoreRecord JSONL files")
    .requiredOption("-o, --output <file>", "the HTML file to write")
    .option(
      "--trajectories <inputs...>",
      "the scored trajectory files or folders, to show their steps (any format ingest reads)",
    )
    .option("--filter-report <file>", "the side report of 'rubricate filter --json', shown as a before/after table")
    .option("--rubric <hash|id@version>", "when the scores hold several rubrics, report on this one")
    .option("--title <text>", "the report's title")
    .addOption(
      new Option("--max-mb <n>", "size budget of the file: long texts are cut in the middle to stay within it")
        .default(45)
        .argParser(numberIn(0.001)),
    )
    .option(
      "--side-folder",
      "keep the trajectory bodies in a folder next to the report (<name>_files/), whole, instead of inside the file; for reports too large to keep every text within --max-mb",
    )
    .addOption(
      new Option("--bootstrap <n>", "bootstrap resamples for the intervals").default(1000).argParser(wholeNumber(0)),
    )
    .option("-q, --quiet", "no progress or summary on stderr");
  addExamples(cmd, [
    [
      "npx rubricate report scores.jsonl -o report.html",
      "scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl'",
    ],
    ["npx rubricate report scores.jsonl --trajectories examples/ -o report.html", "with each trajectory's steps"],
    [
      "npx rubricate report scores.jsonl --trajectories examples/ --filter-report filter.json --title 'Example runs' -o report.html",
      "with the before/after table of 'npx rubricate filter examples/ --scores scores.jsonl --json filter.json -o kept.jsonl'",
    ],
    [
      "npx rubricate report scores.jsonl --trajectories examples/ --side-folder -o report.html",
      "writes report.html and report_files/",
    ],
  ]).action(async (scores: string[], o) => {
    // loaded on use: the charting libraries are large and no other command needs them
    const { runReport } = await import("../report.js");
    process.exitCode = await runReport(scores, o);
  });
}

export function registerEval(program: Command): void {
  const cmd = program
    .command("eval")
    .summary("measure how well scores predict test outcomes (AUC, ECE, best-of-N)")
    .description(
      "Read ScoreRecords (from 'rubricate score') that carry labels and report, overall and per group: " +
        "ROC-AUC, PR-AUC, accuracy at a threshold; ECE (equal-width and equal-mass bins), Brier, log loss, the reliability table; " +
        "best-of-N resolve rate of the reward's pick vs random and oracle for N = 1..max attempts per task, and the share of the gap closed; " +
        "per-criterion fire rates and AUC. Every headline number has a 95% bootstrap interval over tasks.",
    )
    .argument("<scores...>", "ScoreRecord JSONL files")
    .addOption(
      new Option(
        "--reward <mode>",
        "which reward to evaluate: resolved = p(resolved), rubric = the behaviour score, terminal / linear / stratified mix in the test outcome",
      )
        .choices([...REWARD_MODES])
        .default("resolved"),
    )
    .addOption(new Option("--alpha <x>", "rubric weight in the linear reward").default(0.5).argParser(numberIn(0, 1)))
    .option("--calibrator <file>", "apply a calibrator from 'rubricate calibrate' first")
    .option(
      "--criterion <id>",
      "evaluate one criterion's value (1 = good) instead of a reward, e.g. the judge's p(YES) of predicted-resolution",
    )
    .addOption(new Option("--threshold <x>", "threshold for accuracy").default(0.5).argParser(numberIn(0, 1)))
    .addOption(new Option("--bins <n>", "calibration bins").default(10).argParser(wholeNumber(2, 1000)))
    .addOption(
      new Option("--bootstrap <n>", "bootstrap resamples (0 = no intervals)").default(1000).argParser(wholeNumber(0)),
    )
    .option("--group-by <fields>", "comma-separated source fields: format, scaffold, model, run", "format,scaffold")
    .option("--json <file>", "also write the full report as JSON to this file")
    .option("--wide", "one table of every metric, as wide as it needs (default: tables within 100 columns)")
    .option("-q, --quiet", "no progress bar")
    .option(
      "--pairwise <file>",
      "comparisons from 'select --judge-pairwise --comparisons': also report best-of-N of the pairwise pick vs the pointwise reward on the same tasks (repeatable)",
      collectList,
    );
  addExamples(cmd, [
    ["npx rubricate eval scores.jsonl", "scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl'"],
    ["npx rubricate eval scores.jsonl --reward rubric --group-by model --json eval.json", "also the report as JSON"],
    ["npx rubricate eval scores.jsonl --criterion critic-failure", "one criterion (needs scores from --judge-critic)"],
    [
      "npx rubricate eval scores.jsonl --pairwise comparisons.jsonl",
      "pairwise vs pointwise (comparisons.jsonl from 'select --judge-pairwise --comparisons')",
    ],
  ]).action(async (files: string[], o) => {
    const { runEval } = await import("../eval.js");
    process.exitCode = await runEval(files, o);
    if (o.pairwise) {
      const { runPairwiseEval } = await import("../pairwise.js");
      process.exitCode = Math.max(Number(process.exitCode), await runPairwiseEval(files, o));
    }
  });
}

export function registerCalibrate(program: Command): void {
  const cmd = program
    .command("calibrate")
    .summary("fit Platt or isotonic calibration of scores to outcomes")
    .description(
      "Fit a calibrator on labelled ScoreRecords, report task-grouped cross-validated ECE and Brier before/after, and save it for --calibrator.",
    )
    .argument("<scores...>", "labelled ScoreRecord JSONL files")
    .requiredOption("-o, --output <file>", "calibrator JSON file")
    .addOption(new Option("--method <m>", "calibration method").choices(["platt", "isotonic"]).default("platt"))
    .addOption(
      new Option("--reward <mode>", "which reward to calibrate: resolved = p(resolved), rubric = the behaviour score")
        .choices([...REWARD_MODES])
        .default("resolved"),
    )
    .addOption(
      new Option("--folds <k>", "cross-validation folds (split by task)").default(5).argParser(wholeNumber(2, 100)),
    )
    .option(
      "--criterion <id>",
      "calibrate one criterion's value (1 = good) instead of a reward, e.g. the judge's p(YES) of predicted-resolution",
    )
    .option("-q, --quiet", "no progress line");
  addExamples(cmd, [
    [
      "npx rubricate calibrate scores.jsonl -o calibrator.json",
      "Platt scaling of p(resolved); it needs at least 10 labelled records with both outcomes (examples/ has 8)",
    ],
    [
      "npx rubricate calibrate scores.jsonl --method isotonic --reward rubric --folds 3 -o calibrator.json",
      "isotonic calibration of the behaviour score",
    ],
    ["npx rubricate eval scores.jsonl --calibrator calibrator.json", "then evaluate the calibrated scores"],
  ]).action(async (files: string[], o) => {
    const { runCalibrate } = await import("../calibrate.js");
    process.exitCode = await runCalibrate(files, o);
  });
}
