/**
 * The `rubricate` program: every command registered, none of their work loaded. Each command's
 * action imports its module when it runs, so `--version`, `--help` and a command's start pay
 * only for what that command needs (see bench/startup.ts).
 */
import { Command, Help, type Option } from "commander";
import { createRequire } from "node:module";
import { helpWidth } from "./commands/common.js";
import { registerFeedback, registerExport, registerPairs, registerRmData } from "./commands/datasets.js";
import { registerCalibrate, registerEval, registerReport } from "./commands/evaluate.js";
import { registerQueue, registerWorker } from "./commands/queue.js";
import { registerIngest, registerInspect } from "./commands/read.js";
import { registerRubric } from "./commands/rubric.js";
import { registerScore } from "./commands/score.js";
import { registerFilter, registerSelect } from "./commands/select.js";
import { registerServe } from "./commands/serve.js";
import { registerTrain } from "./commands/train.js";

const pkg = createRequire(import.meta.url)("../../../package.json") as { version: string };

/** The program with every command; `main.ts` parses the command line with it, tests walk it. */
export function buildProgram(): Command {
  const program = new Command()
    .name("rubricate")
    .description("Judge coding-agent trajectories against rubrics and turn the verdicts into rewards.")
    .version(pkg.version)
    .showHelpAfterError("(run with --help for usage)")
    // help wraps to the terminal, or to $COLUMNS when the output is not one (commander: 80)
    .configureOutput({
      getOutHelpWidth: () => helpWidth(process.stdout) ?? 80,
      getErrHelpWidth: () => helpWidth(process.stderr) ?? 80,
    })
    // options that must be given say so
    .configureHelp({
      // wrap option descriptions at narrow widths too (commander: only when 40 columns are left)
      minWidthToWrap: 24,
      optionDescription(option: Option): string {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `${text} (required)` : text;
      },
    })
    // usage errors (unknown flag, a value out of range) exit 2; commander has printed the message
    .exitOverride();
  for (const register of [
    registerIngest,
    registerInspect,
    registerReport,
    registerScore,
    registerEval,
    registerFilter,
    registerSelect,
    registerCalibrate,
    registerExport,
    registerPairs,
    registerRmData,
    registerFeedback,
    registerTrain,
    registerServe,
    registerQueue,
    registerWorker,
    registerRubric,
  ])
    register(program);
  return program;
}
