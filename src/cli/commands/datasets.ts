/** `rubricate export`, `pairs`, `rm-data` and `feedback`: training data from trajectories. */
import { type Command, Option } from "commander";
import { CALL_TEXT, EXPORT_FORMATS, MIX_BY, PAIR_LAYOUTS, TOOL_STYLES } from "../../export/names.js";
import { numberIn } from "../numbers.js";
import { addExamples, collectList, positiveInt, scoreSourceOptions, sideReport, sideReportOf } from "./common.js";

const SCORES_FROM = "scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl'";

export function registerExport(program: Command): void {
  const cmd = program
    .command("export")
    .summary("write an SFT dataset (OpenAI, TRL, ShareGPT/LLaMA-Factory, Parquet)")
    .description(
      "Turn trajectories (usually the output of 'filter') into a fine-tuning dataset in the layout its trainer documents. " +
        "Tool calls are kept native (every call answered by a tool message with its id; text actions of text-based " +
        "scaffolds become calls answered by their observation) or written into the text as XML function calls or fenced " +
        "blocks. openai: messages/tools only, metadata in <output>.meta.jsonl; trl: messages, tools and metadata columns; " +
        "sharegpt: LLaMA-Factory turns (merged into dataset_info.json beside the output); parquet: TRL's layout as " +
        "nested list/struct columns. Labels come from the trajectories, else from --scores. With --scores, assistant " +
        "turns that the --zero-weight criteria name as evidence get weight 0 where the format has a weight. " +
        "A trajectory that cannot be written in the format is skipped with its reason. Existing outputs need --force.",
    )
    .argument("<inputs...>", "trajectory files or folders")
    .requiredOption("-o, --output <file>", "output file")
    .addOption(new Option("--format <f>", "dataset format").choices([...EXPORT_FORMATS]).default("openai"))
    .addOption(
      new Option("--tool-style <s>", "how tool calls are rendered").choices([...TOOL_STYLES]).default("native"),
    )
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
    .option("-q, --quiet", "no progress line");
  addExamples(cmd, [
    [
      "npx rubricate export kept.jsonl --scores scores.jsonl -o sft.jsonl",
      "kept.jsonl from 'npx rubricate filter examples/ --scores scores.jsonl -o kept.jsonl'",
    ],
    [
      "npx rubricate export examples/ --format sharegpt -o data/rubricate_sft.jsonl",
      "then LLaMA-Factory's --dataset rubricate_sft --dataset_dir data",
    ],
    ["npx rubricate export examples/ --format parquet --scores scores.jsonl -o sft.parquet"],
    [
      "npx rubricate export examples/ --format trl --tool-style xml --force -o sft.jsonl",
      "tool calls written into the text as XML",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runExport } = await import("../export.js");
    process.exitCode = await runExport(inputs, o);
  });
}

export function registerPairs(program: Command): void {
  const cmd = program
    .command("pairs")
    .summary("preference pairs from the N attempts at each task (TRL DPO or KTO; JSONL or Parquet)")
    .description(
      "Within the attempts at one task that share a prompt: chosen = resolved, not vetoed and within --margin of the " +
        "task's best behaviour score; rejected = unresolved (an outcome pair), vetoed (a veto pair), or resolved and at " +
        "least --margin below the chosen one (a behaviour pair). At most --per-task pairs per task: outcome pairs first, " +
        "then veto, then behaviour, larger score gaps first, each attempt reused only when needed. dpo rows hold prompt, " +
        "chosen, rejected (conversational, tool calls answered as in export) and a tools column; kto rows hold prompt, " +
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
    .option("--keep-demos", "keep in-context demonstration messages");
  sideReport(cmd, "also write the report (with every pair's ids, kind and margins) as JSON to this file", "--report")
    .option("--force", "overwrite existing outputs")
    .option("-q, --quiet", "no progress line");
  scoreSourceOptions(cmd);
  addExamples(cmd, [
    ["npx rubricate pairs examples/ --scores scores.jsonl -o dpo.jsonl", SCORES_FROM],
    ["npx rubricate pairs examples/ --scores scores.jsonl --layout kto --per-task 8 -o kto.parquet"],
    [
      "npx rubricate pairs examples/ --margin 0.2 --json pairs.json --force -o dpo.jsonl",
      "scored here with the built-in rubric; the report as JSON",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runPairs } = await import("../pairs.js");
    process.exitCode = await runPairs(inputs, { ...o, report: sideReportOf(o, "report") });
  });
}

export function registerRmData(program: Command): void {
  const cmd = program
    .command("rm-data")
    .summary("reward-model training data: classification rows and pairs, SWE-RM's recipe")
    .description(
      "Labelled trajectories as reward-model data: identical patches of one task merged (a patch seen with both outcomes " +
        "dropped as label noise), a positive:negative --ratio (SWE-RM uses about 2:1), an optional policy/scaffold " +
        "--mixture (the largest set with exactly those shares), a train/validation split by task, and each trajectory as " +
        "a text within --max-tokens that keeps the task's head, the end of the run and the final patch. Writes " +
        "<folder>/classify/{train,validation}.jsonl (text, label), <folder>/pairs/{train,validation}.jsonl (chosen, " +
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
    .addOption(
      new Option("--pairs-per-task <k>", "at most k pairs per task and split").default(4).argParser(positiveInt),
    )
    .option("--scores <file>", "ScoreRecords, for labels the trajectories do not carry; repeatable", collectList)
    .option("--labels <path>", "label file or folder; repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run")
    .option("--force", "overwrite the files in a non-empty output folder")
    .option("-q, --quiet", "no progress line");
  addExamples(cmd, [
    ["npx rubricate rm-data examples/ -o rm/", "labels from the reports beside the runs"],
    ["npx rubricate rm-data examples/ --scores scores.jsonl --ratio 1:1 --mix-by run --force -o rm/", SCORES_FROM],
    ["npx rubricate rm-data examples/ --max-tokens 8192 --tokenizer cl100k --validation 0.3 --force -o rm/"],
  ]).action(async (inputs: string[], o) => {
    const { runRmData } = await import("../rmdata.js");
    process.exitCode = await runRmData(inputs, o);
  });
}

export function registerFeedback(program: Command): void {
  const cmd = program
    .command("feedback")
    .summary("hindsight feedback: the criteria each trajectory failed, in words, with the evidence steps")
    .description(
      "For each scored trajectory, the rubric criteria it failed (decided, goodness below 0.5; outcome predictions left " +
        "out), most severe first, each as a sentence to the policy with its evidence steps, e.g. 'you edited the source " +
        "without first running anything that shows the bug (step 4)'. Writes JSONL rows {trajectory_id, instance_id, " +
        "score, failed: [{criterion, title, severity, steps, guidance, explanation, actions}], feedback}. With inputs, the " +
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
    .option("-q, --quiet", "no progress line");
  addExamples(cmd, [
    ["npx rubricate feedback examples/ --scores scores.jsonl -o feedback.jsonl", SCORES_FROM],
    [
      "npx rubricate feedback --scores scores.jsonl --all --force -o feedback.jsonl",
      "from the score records alone, every trajectory",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runFeedback } = await import("../feedback.js");
    process.exitCode = await runFeedback(inputs, o);
  });
}
