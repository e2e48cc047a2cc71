/**
 * What the command files share: list and number parsers, the option groups several commands
 * take, the Examples section every command shows, and the hidden old spellings of renamed flags.
 * Light on purpose: nothing here loads a stage of the library.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { DIALECTS } from "../../judge/names.js";
import { numberIn, wholeNumber } from "../numbers.js";

export const collectList = (v: string, prev: string[] = []) => [...prev, v];

export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
};

/** One example: a command line that runs from the project root, and what it does. */
export type Example = [command: string, note?: string];

const EXAMPLES = new WeakMap<Command, Example[]>();

/** The examples given to `cmd` (for tests and docs). */
export function examplesOf(cmd: Command): Example[] {
  return EXAMPLES.get(cmd) ?? [];
}

/** The help width: the terminal's, else $COLUMNS, else 80 (commander's default). */
export function helpWidth(stream: NodeJS.WriteStream): number | undefined {
  if (stream.isTTY) return stream.columns;
  const n = Number(process.env.COLUMNS);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Adds an Examples section after the help, laid out for the help's width: a note beside its
 * command when both fit on one line, else above it; a long command is broken between words with
 * a trailing backslash, so every line can be pasted into a shell.
 */
export function addExamples(cmd: Command, list: Example[]): Command {
  EXAMPLES.set(cmd, list);
  return cmd.addHelpText("after", (context) => {
    const width = (context.error ? helpWidth(process.stderr) : helpWidth(process.stdout)) ?? 80;
    return `\nExamples:\n${list.flatMap(([command, note]) => layOut(command, note, width)).join("\n")}`;
  });
}

function layOut(command: string, note: string | undefined, width: number): string[] {
  const line = `  ${command}`;
  if (!note) return wrapCommand(command, width);
  if (line.length + 5 + note.length <= width) return [`${line}   # ${note}`];
  return [...wrapWords(note, width - 4).map((l) => `  # ${l}`), ...wrapCommand(command, width)];
}

/** `text` in lines of at most `width` columns, broken between words. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const w of text.split(/\s+/)) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** A command on lines of at most `width` columns, broken between shell words (never inside quotes). */
function wrapCommand(command: string, width: number): string[] {
  const words = command.match(/(?:'[^']*'|"[^"]*"|\S)+/g) ?? [];
  // a flag stays on the line of its value
  const chunks: string[] = [];
  for (const w of words) {
    const last = chunks.length ? chunks[chunks.length - 1]! : "";
    if (last.startsWith("-") && !last.includes(" ") && !w.startsWith("-")) chunks[chunks.length - 1] = `${last} ${w}`;
    else chunks.push(w);
  }
  const [first = "", ...rest] = chunks;
  const lines: string[] = [];
  let cur = `  ${first}`;
  for (const w of rest) {
    // room for " \" at the end of a broken line
    if (cur.length + 1 + w.length + 2 > width) {
      lines.push(`${cur} \\`);
      cur = `      ${w}`;
    } else cur += ` ${w}`;
  }
  lines.push(cur);
  return lines;
}

/**
 * A side report written as JSON to a file: `--json <file>` on every command, the command's old
 * spelling kept working but hidden from the help. The value reaches the action under `key`.
 */
export function sideReport(cmd: Command, description: string, oldFlag?: string): Command {
  cmd.option("--json <file>", description);
  if (oldFlag) cmd.addOption(new Option(`${oldFlag} <file>`, `old spelling of --json`).hideHelp());
  return cmd;
}

/** The side report's file from `--json` or the old spelling (`--json` wins). */
export function sideReportOf(o: Record<string, unknown>, oldKey: string): string | undefined {
  return (o.json as string | undefined) ?? (o[oldKey] as string | undefined);
}

/** The options that reach a judge server, for commands other than score that ask a judge (select, rubric induce). */
export const judgeServerOptions = (c: Command) =>
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
    .option("--cache <file>", "judge answer cache (a JSONL file; default $XDG_CACHE_HOME/rubricate/judge-cache.jsonl)")
    .option("--no-cache", "do not read or write the judge cache")
    .option("--prices <file>", "token prices over the built-in table")
    .addOption(new Option("--retries <n>", "retries of a judge request (default 4)").argParser(wholeNumber(0, 100)))
    .addOption(
      new Option("--timeout <s>", "seconds before a judge request times out (default 300)").argParser(numberIn(0.001)),
    )
    .option("--no-probe", "skip the start-up probe of the judge server");

/** Where a command's ScoreRecords come from: --scores files, or scoring the inputs here with --rubric. */
export const scoreSourceOptions = (c: Command) =>
  c
    .option(
      "--scores <file>",
      "ScoreRecords from 'rubricate score' (repeatable); without it the inputs are scored here with --rubric",
      collectList,
    )
    .option("-r, --rubric <id|file>", "rubric used when no --scores are given", "swe-default")
    .option("--labels <path>", "label file or folder (see ingest); repeatable", collectList)
    .option("--no-auto-labels", "do not look for label files beside each run");
