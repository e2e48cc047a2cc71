/** `rubricate ingest` and `rubricate inspect`: read trajectories. */
import { type Command, Option } from "commander";
import { FORMAT_NAMES } from "../../scaffolds/formats.js";
import { wholeNumber } from "../numbers.js";
import { addExamples, collectList } from "./common.js";

// a folder holding one run (inspect reads a file or a folder)
const ONE_RUN = "examples/mini-swe-agent/run-b/pagerlite__pagerlite-17";

export function registerIngest(program: Command): void {
  const cmd = program
    .command("ingest")
    .summary("read trajectories in any supported format into canonical JSONL")
    .description(
      "Read agent trajectories (files, folders or globs) and write one canonical trajectory per line. " +
        `Formats are detected automatically: ${FORMAT_NAMES.join(", ")}. ` +
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
    .addOption(new Option("--max-errors <n>", "errors listed in the summary").default(20).argParser(wholeNumber(0)));
  addExamples(cmd, [
    ["npx rubricate ingest examples/ -o trajectories.jsonl", "every example run, labels from the reports beside it"],
    [
      "npx rubricate ingest 'examples/mini-swe-agent/run-a/**/*.traj.json' --no-auto-labels",
      "a quoted glob, JSONL on stdout, no labels",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runIngest } = await import("../ingest.js");
    process.exitCode = await runIngest(inputs, o);
  });
}

export function registerInspect(program: Command): void {
  const cmd = program
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
    .option("--json", "print the canonical trajectory as JSON on stdout instead of the tables (no file)")
    .option(
      "--scores <file>",
      "ScoreRecords (repeatable): show each criterion's verdict on the steps it cites as evidence",
      collectList,
    )
    .option("--color", "colour the verdicts (default: when stdout is a terminal)")
    .option("--no-color", "no colours");
  addExamples(cmd, [
    [`npx rubricate inspect ${ONE_RUN}`, "format, steps, patch and label of one run"],
    ["npx rubricate inspect examples/openhands/output.jsonl --limit 1 --json", "the first record as canonical JSON"],
    [
      `npx rubricate inspect ${ONE_RUN} --scores scores.jsonl`,
      "the verdicts on the steps (scores.jsonl from 'npx rubricate score examples/ -o scores.jsonl')",
    ],
  ]).action(async (input: string, o) => {
    const { runInspect } = await import("../inspect.js");
    process.exitCode = await runInspect(input, o);
  });
}
