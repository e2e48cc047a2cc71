#!/usr/bin/env node
/** The `rubricate` command line: parses flags and calls the library. */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { numberIn, wholeNumber } from "./numbers.js";
import { DIALECTS } from "../judge/backend.js";
import { addJudgeOptions, judgeFlagsOf } from "./judgeflags.js";
import { runCancel, runCollect, runRetry, runStatus, runSubmit, runWorker } from "./queue.js";
import { JUDGE_MODES } from "../judge/judge.js";
import { AGGREGATES } from "../judge/panel.js";
import { createRequire } from "node:module";
import { FORMATS } from "../scaffolds/registry.js";
import { runIngest } from "./ingest.js";
import { runInspect } from "./inspect.js";
import { runRubric } from "./rubric.js";
import { runScore } from "./score.js";
import { runEval } from "./eval.js";
import { runFilter } from "./filter.js";
import { runSelect } from "./select.js";
import { runPairwiseEval, runPairwiseSelect } from "./pairwise.js";
import { runInduce } from "./induce.js";
import { runCalibrate } from "./calibrate.js";
import { POLICIES } from "../select/filter.js";
import { runExport } from "./export.js";
import { runTrain } from "./train.js";
import { registerServe } from "./serve.js";
import { EXPORT_FORMATS } from "../export/formats.js";
import { TOOL_STYLES } from "../export/render.js";
import { CALL_TEXT } from "../export/sharegpt.js";
import { PAIR_LAYOUTS } from "../export/pairs.js";
import { runPairs } from "./pairs.js";
import { MIX_BY } from "../export/rmdata.js";
import { runRmData } from "./rmdata.js";
import { runFeedback } from "./feedback.js";
import { REWARD_MODES } from "../score/reward.js";

const pkg = createRequire(import.meta.url)("../../../package.json") as { version: string };
const collectList = (v: string, prev: string[] = []) => [...prev, v];
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
};

const program = new Command()
  .name("rubricate")
  .description("Judge coding-agent trajectories against rubrics and turn the verdicts into rewards.")
  .version(pkg.version)
  .showHelpAfterError("(run with --help for usage)")
  // usage errors (unknown flag, a value out of range) exit 2; commander has printed the message
  .exitOverride();

program
  .command("ingest")
  .summary("read trajectories in any supported format into canonical JSONL")
  .description(
    "Read agent trajectories (files, folders or globs) and write one canonical trajectory per line.\n" +
      `Formats are detected automatically: ${FORMATS.join(", ")}.\n` +
      "Outcome labels are joined from --labels files and from SWE-bench reports / eval logs found beside a run.",
  )
  .argument("<inputs...>", "trajectory files, folders (walked recursively) or quoted globs")
  .option("-o, --output <file>", "write JSONL here instead of stdout")
  .option(
    "--labels <path>",
    "label file or folder: report.json, run summary (resolved_ids), results.json, eval logs, or a JSONL/CSV table with instance_id,resolved[,trajectory]; repeatable",
    collectList,
  )
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--strict", "stop at the first bad input")
  .option("-q, --quiet", "no progress bar or summary")
  .addOption(new Option("--max-errors <n>", "errors listed in the summary").default(20).argParser(wholeNumber(0)))
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate ingest examples/ -o trajectories.jsonl\n  rubricate ingest 'runs/**/*.traj' --labels runs/report.json > all.jsonl",
  )
  .action(async (inputs: string[], o) => {
    process.exitCode = await runIngest(inputs, o);
  });

program
  .command("inspect")
  .summary("show what rubricate reads from one input")
  .description(
    "Show the detected format, task, a table of steps (tool, action, observation size), the patch and the label.",
  )
  .argument("<input>", "a trajectory file or folder")
  .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside the run")
  .addOption(
    new Option("--limit <n>", "trajectories to show from a multi-record file").default(3).argParser(wholeNumber(1)),
  )
  .addOption(new Option("--width <n>", "width of the action column").default(100).argParser(wholeNumber(20)))
  .option("--json", "print the canonical trajectory as JSON")
  .option(
    "--scores <file>",
    "ScoreRecords (repeatable): show each criterion's verdict on the steps it cites as evidence",
    collectList,
  )
  .option("--color", "colour the verdicts (default: when stdout is a terminal)")
  .option("--no-color", "no colours")
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate inspect runs/django__django-11099.traj\n  rubricate inspect runs/django__django-11099.traj --scores scores.jsonl | less -R",
  )
  .action(async (input: string, o) => {
    process.exitCode = await runInspect(input, o);
  });

program
  .command("report")
  .summary("write one self-contained HTML report: summary, plots and a trajectory viewer")
  .description(
    "Read ScoreRecords (from 'rubricate score') and write one HTML file that opens from disk with no network:\n" +
      "a summary (counts, rubric, judge and model provenance, unscored criteria by reason); plots rendered to SVG\n" +
      "(ROC with AUC, reliability with ECE, best-of-N, criterion fire rates by outcome, AUC per scaffold; they need\n" +
      "labels); a table of trajectories to sort, filter and search; each trajectory's steps with the verdicts on them;\n" +
      "and the attempts at each task side by side with the pick marked. Records of different rubrics are never mixed.",
  )
  .argument("<scores...>", "ScoreRecord JSONL files")
  .requiredOption("-o, --output <file>", "the HTML file to write")
  .option(
    "--trajectories <inputs...>",
    "the scored trajectory files or folders, to show their steps (any format ingest reads)",
  )
  .option("--filter-report <file>", "a filter report from 'rubricate filter --report', shown as a before/after table")
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
  .option("-q, --quiet", "no progress or summary on stderr")
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate report scores.jsonl -o report.html\n  rubricate report scores.jsonl --trajectories runs/ -o report.html\n  rubricate report scores.jsonl --trajectories runs/ --filter-report filter.json --rubric swe-default@1.0.0 -o report.html\n  rubricate report big-scores.jsonl --trajectories big-runs/ --side-folder -o big.html   # writes big.html and big_files/",
  )
  .action(async (scores: string[], o) => {
    // loaded on use: the charting libraries are large and no other command needs them
    const { runReport } = await import("./report.js");
    process.exitCode = await runReport(scores, o);
  });

const scoreCommand = program
  .command("score")
  .summary("score trajectories against a rubric (one ScoreRecord per line)")
  .description(
    "Read trajectories (any format ingest reads), decide each rubric criterion, and write one ScoreRecord per trajectory:\n" +
      "per-criterion verdicts with evidence steps, the aggregate score, provenance and the label when known.\n" +
      "Without a judge, judge criteria are reported as unscored and the score uses the criteria that were decided.\n" +
      "Ends with a table of how often each criterion fired, split by resolved / unresolved trajectories.",
  )
  .argument("<inputs...>", "trajectory files, folders or quoted globs")
  .option("-r, --rubric <id|file>", "built-in rubric id or a rubric YAML file", "swe-default")
  .option("-o, --output <file>", "write ScoreRecords here instead of stdout")
  .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--no-run-context", "skip the first pass that finds each run's usual length (for excessive_steps)")
  .option("--outcome-model <file>", "outcome model for 'outcome' criteria (default: the model shipped with rubricate)")
  .option("--no-outcome-model", "leave 'outcome' criteria unscored (no outcome model)")
  .addOption(
    new Option(
      "--jobs <n>",
      "worker threads for checks and the outcome model (not with --judge); default: one per 100 MB of input, at most one per idle core",
    ).argParser(wholeNumber(1, 256)),
  );
addJudgeOptions(scoreCommand)
  .option(
    "--judge-critic",
    "add the adversarial critic (criterion critic-failure): the judge names the likeliest way the patch fails, then checks that claim (2 requests per trajectory with a patch)",
  )
  .option(
    "--resume",
    "continue a killed run: keep the records already in -o and score only the missing trajectories (and those whose judge requests failed)",
  )
  .option("-q, --quiet", "no progress bar or summary")
  .addOption(new Option("--max-errors <n>", "errors listed in the summary").default(20).argParser(wholeNumber(0)))
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate score examples/ -o scores.jsonl\n  rubricate score runs/ --rubric my-rubric.yaml --labels runs/results.json\n" +
      "  rubricate score runs/ --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --dialect vllm --judge-critic -o scores.jsonl",
  )
  .action(async (inputs: string[], o) => {
    const judgeFlags = judgeFlagsOf(o);
    process.exitCode = await runScore(inputs, { ...o, judgeFlags });
  });

program
  .command("eval")
  .summary("measure how well scores predict test outcomes (AUC, ECE, best-of-N)")
  .description(
    "Read ScoreRecords (from 'rubricate score') that carry labels and report, overall and per group:\n" +
      "ROC-AUC, PR-AUC, accuracy at a threshold; ECE (equal-width and equal-mass bins), Brier, log loss, the reliability table;\n" +
      "best-of-N resolve rate of the reward's pick vs random and oracle for N = 1..max attempts per task, and the share of the gap closed;\n" +
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
  .option("--json <file>", "also write the full report as JSON")
  .option(
    "--pairwise <file>",
    "comparisons from 'select --judge-pairwise --comparisons': also report best-of-N of the pairwise pick vs the pointwise reward on the same tasks (repeatable)",
    collectList,
  )
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate eval scores.jsonl\n  rubricate eval scores.jsonl --reward rubric --group-by model --json report.json\n" +
      "  rubricate eval scores.jsonl --criterion critic-failure\n" +
      "  rubricate eval scores.jsonl --pairwise comparisons.jsonl",
  )
  .action(async (files: string[], o) => {
    process.exitCode = await runEval(files, o);
    if (o.pairwise) process.exitCode = Math.max(Number(process.exitCode), await runPairwiseEval(files, o));
  });

/** The options that reach a judge server, for commands other than score that ask a judge (select, rubric induce). */
const judgeServerOptions = (c: Command) =>
  c
    .option("--judge <url>", "OpenAI-compatible judge server (env RUBRICATE_JUDGE_URL)")
    .option("--model <name>", "judge model (env RUBRICATE_JUDGE_MODEL); repeat for a panel", collectList)
    .option("--judge-config <file>", "judge settings in YAML or JSON (see docs/judge.md); flags override it")
    .addOption(new Option("--dialect <d>", "server dialect (default openai)").choices(DIALECTS))
    .addOption(
      new Option("--concurrency <n>", "judge requests in flight per server (default 8)").argParser(positiveInt),
    )
    .addOption(new Option("--rpm <n>", "judge requests per minute per server").argParser(positiveInt))
    .addOption(new Option("--tpm <n>", "estimated tokens per minute per server").argParser(positiveInt))
    .addOption(
      new Option("--max-prompt-tokens <n>", "token budget of a judge prompt's trajectories (default 24000)").argParser(
        positiveInt,
      ),
    )
    .option("--tokenizer <spec>", "count tokens with o200k, cl100k, or a model's tokenizer.json")
    .option("--cache <file>", "judge answer cache (SQLite; default $XDG_CACHE_HOME/rubricate/judge.sqlite)")
    .option("--no-cache", "do not read or write the judge cache")
    .option("--prices <file>", "token prices over the built-in table")
    .addOption(new Option("--retries <n>", "retries of a judge request (default 4)").argParser(wholeNumber(0, 100)))
    .addOption(
      new Option("--timeout <s>", "seconds before a judge request times out (default 300)").argParser(numberIn(0.001)),
    )
    .option("--no-probe", "skip the start-up probe of the judge server");

const scoreSourceOptions = (c: Command) =>
  c
    .option(
      "--scores <file>",
      "ScoreRecords from 'rubricate score' (repeatable); without it the inputs are scored here with --rubric",
      collectList,
    )
    .option("-r, --rubric <id|file>", "rubric used when no --scores are given", "swe-default")
    .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run");

scoreSourceOptions(
  program
    .command("filter")
    .summary("keep the trajectories worth fine-tuning on (rejection sampling by tests, rubric or both)")
    .description(
      "Policies: terminal = keep resolved trajectories (the usual baseline); rubric = rubric score >= threshold and no veto;\n" +
        "hybrid = resolved and rubric score >= threshold and no veto. Kept trajectories are written as canonical JSONL;\n" +
        "dropped ones go to a side file with the reason. Prints kept/dropped counts, tasks covered and each criterion's\n" +
        "fire rate before and after filtering.",
    )
    .argument("<inputs...>", "trajectory files or folders (the same ones that were scored)")
    .requiredOption("-o, --output <file>", "kept trajectories (canonical JSONL)")
    .option("--dropped <file>", "dropped trajectories with the reason (default: <output>.dropped.jsonl)")
    .option("--report <file>", "write the filter report as JSON")
    .addOption(new Option("--policy <p>", "filter policy").choices([...POLICIES]).default("hybrid"))
    .addOption(new Option("--threshold <x>", "minimum rubric score").default(0.8).argParser(numberIn(0, 1)))
    .addOption(new Option("--per-task <k>", "keep at most k per task, best first").argParser(wholeNumber(1)))
    .option("--coverage", "keep the best qualifying trajectory of tasks that would otherwise lose all"),
).action(async (inputs: string[], o) => {
  process.exitCode = await runFilter(inputs, o);
});

scoreSourceOptions(
  judgeServerOptions(
    program
      .command("select")
      .summary("pick the best of N attempts per task and write SWE-bench predictions")
      .argument("<inputs...>", "trajectory files or folders")
      .requiredOption("-o, --output <file>", "predictions JSONL (instance_id, model_name_or_path, model_patch)")
      .option("--choices <file>", "also write each choice with its reward and source")
      .addOption(
        new Option("--reward <mode>", "reward to rank by: resolved = p(resolved), rubric = the behaviour score")
          .choices([...REWARD_MODES])
          .default("resolved"),
      )
      .addOption(new Option("--alpha <x>", "rubric weight in the linear reward").default(0.5).argParser(numberIn(0, 1)))
      .option("--model-name <name>", "model_name_or_path written into the predictions", "rubricate-best-of-n")
      .option(
        "--judge-pairwise",
        "pick by comparing the attempts two at a time with an LLM judge (both orders; Bradley-Terry; at most 2·N·log2 N pairs per task), combined with p(resolved)",
      )
      .option(
        "--comparisons <file>",
        "with --judge-pairwise: write every comparison (JSONL) for 'rubricate eval --pairwise'",
      )
      .option("--pairwise-only", "with --judge-pairwise: rank by the comparisons alone, without p(resolved)")
      .option("-q, --quiet", "no judge probe report")
      .addHelpText(
        "after",
        "\nExamples:\n  rubricate select runs/ --scores scores.jsonl -o preds.jsonl\n" +
          "  rubricate select runs/ --scores scores.jsonl --judge-pairwise --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B \\\n" +
          "    --dialect vllm --comparisons comparisons.jsonl --choices choices.jsonl -o preds.jsonl",
      ),
  ),
).action(async (inputs: string[], o) => {
  if (o.judgePairwise) process.exitCode = await runPairwiseSelect(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
  else if (o.judge || o.model || o.judgeConfig || o.comparisons || o.pairwiseOnly)
    throw new Error("the judge options of select (--judge, --model, --comparisons...) go with --judge-pairwise");
  else process.exitCode = await runSelect(inputs, o);
});

program
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
  .action(async (files: string[], o) => {
    process.exitCode = await runCalibrate(files, o);
  });

program
  .command("export")
  .summary("write an SFT dataset (OpenAI, TRL, ShareGPT/LLaMA-Factory, Parquet)")
  .description(
    "Turn trajectories (usually the output of 'filter') into a fine-tuning dataset in the layout its trainer documents.\n" +
      "Tool calls are kept native (every call answered by a tool message with its id; text actions of text-based\n" +
      "scaffolds become calls answered by their observation) or written into the text as XML function calls or fenced\n" +
      "blocks. openai: messages/tools only, metadata in <output>.meta.jsonl; trl: messages, tools and metadata columns;\n" +
      "sharegpt: LLaMA-Factory turns (merged into dataset_info.json beside the output); parquet: TRL's layout as\n" +
      "nested list/struct columns. Labels come from the trajectories, else from --scores. With --scores, assistant\n" +
      "turns that the --zero-weight criteria name as evidence get weight 0 where the format has a weight.\n" +
      "A trajectory that cannot be written in the format is skipped with its reason. Existing outputs need --force.",
  )
  .argument("<inputs...>", "trajectory files or folders")
  .requiredOption("-o, --output <file>", "output file")
  .addOption(new Option("--format <f>", "dataset format").choices([...EXPORT_FORMATS]).default("openai"))
  .addOption(new Option("--tool-style <s>", "how tool calls are rendered").choices([...TOOL_STYLES]).default("native"))
  .addOption(
    new Option(
      "--arguments <a>",
      "tool-call arguments as a JSON string or an object (default: string; object for trl)",
    ).choices(["string", "object"]),
  )
  .option("--system-prompt <file>", "replace the system prompt with this file's text")
  .option("--scores <file>", "ScoreRecords (labels, score columns, --zero-weight); repeatable", collectList)
  .option(
    "--zero-weight <ids>",
    "comma-separated discouraged criteria whose evidence steps get weight 0",
    "no-loops,no-failed-edit-streaks",
  )
  .option("--weights", "write weight 1 on every other assistant message")
  .option("--keep-demos", "keep in-context demonstration messages")
  .addOption(
    new Option(
      "--call-text <how>",
      "sharegpt: the assistant's text beside a call as 'text<tool_call>json</tool_call>' (inline; LLaMA-Factory >= 0.9.4) or in <think> tags (think; older versions too)",
    )
      .choices([...CALL_TEXT])
      .default("inline"),
  )
  .option("--dataset-name <name>", "sharegpt: the dataset's name in dataset_info.json (default: the output's name)")
  .option("--labels <path>", "label file or folder; repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--force", "overwrite existing outputs (and a dataset_info.json entry of the same name)")
  .option("-q, --quiet", "no progress line")
  .addHelpText(
    "after",
    "\nExamples:\n" +
      "  rubricate export kept.jsonl --format openai --scores scores.jsonl -o sft.jsonl\n" +
      "  rubricate export kept.jsonl --format sharegpt -o data/rubricate_sft.jsonl   # then --dataset rubricate_sft --dataset_dir data\n" +
      "  rubricate export kept.jsonl --format parquet --scores scores.jsonl -o sft.parquet\n" +
      "  rubricate export kept.jsonl --format trl --tool-style xml --system-prompt prompt.txt -o sft.jsonl",
  )
  .action(async (inputs: string[], o) => {
    process.exitCode = await runExport(inputs, o);
  });

scoreSourceOptions(
  program
    .command("pairs")
    .summary("preference pairs from the N attempts at each task (TRL DPO or KTO; JSONL or Parquet)")
    .description(
      "Within the attempts at one task that share a prompt: chosen = resolved, not vetoed and within --margin of the\n" +
        "task's best behaviour score; rejected = unresolved (an outcome pair), vetoed (a veto pair), or resolved and at\n" +
        "least --margin below the chosen one (a behaviour pair). At most --per-task pairs per task: outcome pairs first,\n" +
        "then veto, then behaviour, larger score gaps first, each attempt reused only when needed. dpo rows hold prompt,\n" +
        "chosen, rejected (conversational, tool calls answered as in export) and a tools column; kto rows hold prompt,\n" +
        "completion and label for the attempts of those pairs. Prints pairs per task and the margins.",
    )
    .argument("<inputs...>", "trajectory files or folders (the same ones that were scored)")
    .requiredOption("-o, --output <file>", "pairs file (.jsonl, or .parquet for nested Parquet columns)")
    .addOption(new Option("--layout <l>", "TRL dataset layout").choices([...PAIR_LAYOUTS]).default("dpo"))
    .addOption(
      new Option("--format <f>", "file format (default: from the output's extension)").choices(["jsonl", "parquet"]),
    )
    .addOption(
      new Option("--margin <x>", "behaviour-score gap that makes two resolved attempts a pair")
        .default(0.1)
        .argParser(numberIn(0, 1)),
    )
    .addOption(new Option("--per-task <k>", "at most k pairs per task").default(4).argParser(positiveInt))
    .option("--system-prompt <file>", "replace the system prompt with this file's text")
    .option("--keep-demos", "keep in-context demonstration messages")
    .option("--report <file>", "also write the report (with every pair's ids, kind and margins) as JSON")
    .option("--force", "overwrite existing outputs")
    .option("-q, --quiet", "no progress line")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  rubricate pairs runs/ --scores scores.jsonl -o dpo.jsonl\n" +
        "  rubricate pairs runs/ --scores scores.jsonl --layout kto --per-task 8 -o kto.parquet\n" +
        "  rubricate pairs runs/ --scores scores.jsonl --margin 0.2 --report pairs-report.json -o dpo.jsonl",
    ),
).action(async (inputs: string[], o) => {
  process.exitCode = await runPairs(inputs, o);
});

program
  .command("rm-data")
  .summary("reward-model training data: classification rows and pairs, SWE-RM's recipe")
  .description(
    "Labelled trajectories as reward-model data: identical patches of one task merged (a patch seen with both outcomes\n" +
      "dropped as label noise), a positive:negative --ratio (SWE-RM uses about 2:1), an optional policy/scaffold\n" +
      "--mixture (the largest set with exactly those shares), a train/validation split by task, and each trajectory as\n" +
      "a text within --max-tokens that keeps the task's head, the end of the run and the final patch. Writes\n" +
      "<folder>/classify/{train,validation}.jsonl (text, label), <folder>/pairs/{train,validation}.jsonl (chosen,\n" +
      "rejected) and <folder>/mixture.json, and prints the mixture table.",
  )
  .argument("<inputs...>", "labelled trajectory files or folders")
  .requiredOption("-o, --output <folder>", "output folder")
  .option("--ratio <p:n>", "positives per negative, e.g. 2:1", "2:1")
  .addOption(new Option("--mix-by <field>", "what the mixture is over").choices([...MIX_BY]).default("scaffold"))
  .option("--mixture <shares>", "target shares, e.g. 'SWE-agent=2,autocoderover=1' (groups not named are left out)")
  .addOption(
    new Option(
      "--balance <how>",
      "without --mixture, meet --ratio within each --mix-by group (so the group does not predict the label) or over all samples",
    )
      .choices(["group", "all"])
      .default("group"),
  )
  .addOption(
    new Option("--validation <share>", "share of tasks held out for validation")
      .default(0.1)
      .argParser(numberIn(0, 0.9)),
  )
  .option("--seed <text>", "seed of the sampling and the split", "rubricate")
  .addOption(new Option("--max-tokens <n>", "token budget of one text").default(32768).argParser(positiveInt))
  .option("--tokenizer <spec>", "count tokens with o200k (default), cl100k, or a model's tokenizer.json")
  .addOption(new Option("--pairs-per-task <k>", "at most k pairs per task and split").default(4).argParser(positiveInt))
  .option("--scores <file>", "ScoreRecords, for labels the trajectories do not carry; repeatable", collectList)
  .option("--labels <path>", "label file or folder; repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--force", "overwrite the files in a non-empty output folder")
  .option("-q, --quiet", "no progress line")
  .addHelpText(
    "after",
    "\nExamples:\n" +
      "  rubricate rm-data runs/ --labels runs/index.jsonl -o rm/\n" +
      "  rubricate rm-data runs/ --scores scores.jsonl --ratio 2:1 --mix-by model --mixture 'gpt-4o=1,deepseek=1' -o rm/\n" +
      "  rubricate rm-data runs/ --labels labels.jsonl --max-tokens 65536 --tokenizer models/qwen3/tokenizer.json -o rm/",
  )
  .action(async (inputs: string[], o) => {
    process.exitCode = await runRmData(inputs, o);
  });

program
  .command("feedback")
  .summary("hindsight feedback: the criteria each trajectory failed, in words, with the evidence steps")
  .description(
    "For each scored trajectory, the rubric criteria it failed (decided, goodness below 0.5; outcome predictions left\n" +
      "out), most severe first, each as a sentence to the policy with its evidence steps, e.g. 'you edited the source\n" +
      "without first running anything that shows the bug (step 4)'. Writes JSONL rows {trajectory_id, instance_id,\n" +
      "score, failed: [{criterion, title, severity, steps, guidance, explanation, actions}], feedback}. With inputs, the\n" +
      "evidence steps' actions are added; without, the score records alone are read.",
  )
  .argument("[inputs...]", "trajectory files or folders (optional: adds each evidence step's action)")
  .requiredOption("-o, --output <file>", "feedback JSONL")
  .option("--scores <file>", "ScoreRecords from 'rubricate score' (required); repeatable", collectList)
  .option("-r, --rubric <id|file>", "rubric for the criteria's titles (default: the records' built-in rubric)")
  .option("--all", "also write trajectories that failed no criterion (with empty feedback)")
  .option("--labels <path>", "label file or folder; repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--force", "overwrite an existing output")
  .option("-q, --quiet", "no progress line")
  .addHelpText(
    "after",
    "\nExamples:\n" +
      "  rubricate feedback runs/ --scores scores.jsonl -o feedback.jsonl\n" +
      "  rubricate feedback --scores scores.jsonl --all -o feedback.jsonl",
  )
  .action(async (inputs: string[], o) => {
    process.exitCode = await runFeedback(inputs, o);
  });

program
  .command("train")
  .summary("train the execution-free outcome model on labelled trajectories")
  .description(
    "Fit a regularised logistic regression on behaviour features (step kinds, check verdicts, test-run results,\n" +
      "errors, patch statistics, exit status; never scaffold, model, run or path) to predict whether a trajectory's\n" +
      "patch passes the hidden tests. Prints grouped cross-validation (folds split by task) and leave-one-scaffold-out\n" +
      "AUC, ECE, Brier and best-of-N gap closed with bootstrap intervals, and saves a small JSON model for --outcome-model.",
  )
  .argument("<inputs...>", "labelled trajectory files or folders")
  .requiredOption("-o, --output <file>", "model JSON file")
  .option("--labels <path>", "label file or folder; repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .addOption(new Option("--folds <k>", "cross-validation folds").default(5).argParser(wholeNumber(2, 100)))
  .addOption(new Option("--l2 <x>", "L2 penalty on standardised weights").default(1).argParser(numberIn(0)))
  .addOption(new Option("--bootstrap <n>", "bootstrap resamples for intervals").default(1000).argParser(wholeNumber(0)))
  .action(async (inputs: string[], o) => {
    process.exitCode = await runTrain(inputs, o);
  });

registerServe(program);

const queue = program
  .command("queue")
  .summary("score across many workers: submit a run to Redis, watch it, collect its records")
  .description(
    "Scoring spread over any number of workers on any number of machines, through a BullMQ queue in Redis.\n" +
      "'queue submit' records the run's settings once and queues one job per input (large JSONL/Parquet files split\n" +
      "into row ranges); 'rubricate worker' processes jobs; 'queue collect' writes each trajectory's record once, in\n" +
      "the order and bytes 'rubricate score' would write for the same inputs.",
  )
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate queue submit runs/ --redis redis://127.0.0.1:6379 --run nightly\n" +
      "  rubricate worker --redis redis://127.0.0.1:6379 --jobs 4      (on each machine)\n" +
      "  rubricate queue status nightly --redis redis://127.0.0.1:6379 --watch\n" +
      "  rubricate queue collect nightly --redis redis://127.0.0.1:6379 -o scores.jsonl",
  );
const submitCommand = queue
  .command("submit")
  .description(
    "queue a run: one job per input, the run's settings recorded once; submitting again adds only what is missing",
  )
  .argument("<inputs...>", "trajectory files, folders or quoted globs (paths workers can read: a shared file system)")
  .requiredOption("--redis <url>", "Redis server, e.g. redis://127.0.0.1:6379")
  .requiredOption("--run <name>", "the run's name (letters, digits, '.', '_', '-')")
  .option("-r, --rubric <id|file>", "built-in rubric id or a rubric YAML file", "swe-default")
  .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
  .option("--no-auto-labels", "do not look for label files beside each run")
  .option("--outcome-model <file>", "outcome model for 'outcome' criteria (default: the model shipped with rubricate)")
  .option("--no-outcome-model", "leave 'outcome' criteria unscored (no outcome model)")
  .addOption(
    new Option("--rows-per-job <n>", "records per job of large JSONL/Parquet files")
      .default(500)
      .argParser(positiveInt),
  )
  .addOption(
    new Option("--attempts <n>", "attempts per job before it counts as failed").default(3).argParser(positiveInt),
  );
addJudgeOptions(submitCommand).action(async (inputs: string[], o) => {
  process.exitCode = await runSubmit(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
});
queue
  .command("status")
  .description("a run's progress: jobs done, pending and failed (with reasons), per-worker counts, the rate")
  .argument("<run>", "the run's name")
  .requiredOption("--redis <url>", "Redis server")
  .option("--watch", "print again every 2 s until no job is pending")
  .option("--json", "print the status as JSON on stdout")
  .action(async (run: string, o) => {
    process.exitCode = await runStatus(run, o);
  });
queue
  .command("collect")
  .description("write a finished run's ScoreRecords, each trajectory once, in input order")
  .argument("<run>", "the run's name")
  .requiredOption("--redis <url>", "Redis server")
  .option("-o, --output <file>", "write ScoreRecords here instead of stdout")
  .option("--partial", "write what is done even if some jobs have no result (they are listed)")
  .option("-q, --quiet", "no summary")
  .action(async (run: string, o) => {
    process.exitCode = await runCollect(run, o);
  });
queue
  .command("retry")
  .description("queue a run's failed jobs again")
  .argument("<run>", "the run's name")
  .requiredOption("--redis <url>", "Redis server")
  .action(async (run: string, o) => {
    process.exitCode = await runRetry(run, o);
  });
queue
  .command("cancel")
  .description("cancel a run: queued jobs removed, workers skip the rest; results so far are kept")
  .argument("<run>", "the run's name")
  .requiredOption("--redis <url>", "Redis server")
  .action(async (run: string, o) => {
    process.exitCode = await runCancel(run, o);
  });

program
  .command("worker")
  .summary("process queued scoring jobs (see 'queue')")
  .description(
    "Pull jobs of any run from the Redis queue and score them with the run's settings. A worker killed mid-job loses\n" +
      "nothing: its job goes to another worker once its lock expires. Judge answers are cached in Redis, shared by all\n" +
      "workers, and the run's --rpm/--tpm limits hold across all of them.",
  )
  .requiredOption("--redis <url>", "Redis server")
  .addOption(
    new Option("--concurrency <n>", "jobs in progress at once in each process").default(1).argParser(positiveInt),
  )
  .addOption(
    new Option("--jobs <n>", "worker processes on this machine (one core each)").default(1).argParser(positiveInt),
  )
  .option("--id <name>", "this worker's name in the run's per-worker counts (default: host:pid)")
  .addOption(
    new Option("--lock-seconds <s>", "a job whose worker stops renewing its lock this long goes to another worker")
      .default(30)
      .argParser(positiveInt),
  )
  .option("--no-shared-cache", "use each machine's SQLite judge cache instead of the one in Redis")
  .option("-q, --quiet", "no log of jobs")
  .addHelpText(
    "after",
    "\nExamples:\n  rubricate worker --redis redis://127.0.0.1:6379\n  rubricate worker --redis redis://queue-host:6379 --jobs 8",
  )
  .action(async (o) => {
    process.exitCode = await runWorker(o);
  });

const rubric = program.command("rubric").description("list, show and check rubrics");
rubric
  .command("list")
  .description("list the built-in rubrics")
  .action(() => {
    process.exitCode = runRubric("list");
  });
rubric
  .command("show")
  .description("show a rubric's criteria, their checks and why they matter")
  .argument("<id|file>", "built-in rubric id or YAML file")
  .action((id: string) => {
    process.exitCode = runRubric("show", id);
  });
rubric
  .command("lint")
  .description("validate a rubric file: fields, allowed values, check names and parameters, duplicate ids")
  .argument("<file>", "rubric YAML file")
  .action((file: string) => {
    process.exitCode = runRubric("lint", file);
  });

judgeServerOptions(
  rubric
    .command("induce")
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
    .option("-q, --quiet", "no judge probe report")
    .addHelpText(
      "after",
      "\nExamples:\n  rubricate rubric induce runs/ --labels runs/results.json --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B -o induced.yaml\n" +
        "  rubricate rubric lint induced.yaml && rubricate score runs/ --rubric induced.yaml --judge ... -o scores.jsonl",
    ),
).action(async (inputs: string[], o) => {
  process.exitCode = await runInduce(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
});

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2; // --help and --version end with 0
    return;
  }
  process.stderr.write(`rubricate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
