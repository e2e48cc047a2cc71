/** `rubricate queue submit|status|collect|retry|cancel` and `rubricate worker`: scoring on many workers through Redis. */
import { type Command, Option } from "commander";
import { addJudgeOptions, judgeFlagsOf } from "../judgeflags.js";
import { addExamples, collectList, positiveInt } from "./common.js";

const REDIS = "--redis redis://127.0.0.1:6379";
const queueCli = () => import("../queue.js");

export function registerQueue(program: Command): void {
  const queue = program
    .command("queue")
    .summary("score across many workers: submit a run to Redis, watch it, collect its records")
    .description(
      "Scoring spread over any number of workers on any number of machines, through a BullMQ queue in Redis. " +
        "'queue submit' records the run's settings once and queues one job per input (large JSONL/Parquet files split " +
        "into row ranges); 'rubricate worker' processes jobs; 'queue collect' writes each trajectory's record once, in " +
        "the order and bytes 'rubricate score' would write for the same inputs.",
    );
  addExamples(queue, [
    [`npx rubricate queue submit examples/ ${REDIS} --run demo`, "queue the inputs and return"],
    [`npx rubricate worker ${REDIS} --jobs 2`, "on each machine, until Ctrl-C"],
    [`npx rubricate queue status demo ${REDIS} --watch`, "progress, rates, failures"],
    [`npx rubricate queue collect demo ${REDIS} -o scores.jsonl`, "the records, as 'score' writes them"],
  ]);

  const submit = queue
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
    .option(
      "--outcome-model <file>",
      "outcome model for 'outcome' criteria (default: the model shipped with rubricate)",
    )
    .option("--no-outcome-model", "leave 'outcome' criteria unscored (no outcome model)")
    .addOption(
      new Option("--rows-per-job <n>", "records per job of large JSONL/Parquet files")
        .default(500)
        .argParser(positiveInt),
    )
    .addOption(
      new Option("--attempts <n>", "attempts per job before it counts as failed").default(3).argParser(positiveInt),
    );
  addJudgeOptions(submit);
  addExamples(submit, [
    [`npx rubricate queue submit examples/ ${REDIS} --run demo`],
    [
      `npx rubricate queue submit examples/ ${REDIS} --run demo-judged --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --rpm 600`,
      "with a judge; the rate limit holds across all workers",
    ],
  ]).action(async (inputs: string[], o) => {
    const { runSubmit } = await queueCli();
    process.exitCode = await runSubmit(inputs, { ...o, judgeFlags: judgeFlagsOf(o) });
  });

  const status = queue
    .command("status")
    .description("a run's progress: jobs done, pending and failed (with reasons), per-worker counts, the rate")
    .argument("<run>", "the run's name")
    .requiredOption("--redis <url>", "Redis server")
    .option("--watch", "print again every 2 s until no job is pending")
    .option("--json", "print the status as JSON on stdout instead of the table (no file)");
  addExamples(status, [
    [`npx rubricate queue status demo ${REDIS}`],
    [`npx rubricate queue status demo ${REDIS} --watch`, "until no job is pending"],
    [`npx rubricate queue status demo ${REDIS} --json`, "for scripts"],
  ]).action(async (run: string, o) => {
    const { runStatus } = await queueCli();
    process.exitCode = await runStatus(run, o);
  });

  const collect = queue
    .command("collect")
    .description("write a finished run's ScoreRecords, each trajectory once, in input order")
    .argument("<run>", "the run's name")
    .requiredOption("--redis <url>", "Redis server")
    .option("-o, --output <file>", "write ScoreRecords here instead of stdout")
    .option("--partial", "write what is done even if some jobs have no result (they are listed)")
    .option("-q, --quiet", "no summary");
  addExamples(collect, [
    [`npx rubricate queue collect demo ${REDIS} -o scores.jsonl`],
    [`npx rubricate queue collect demo ${REDIS} --partial -o partial.jsonl`, "what is done so far"],
  ]).action(async (run: string, o) => {
    const { runCollect } = await queueCli();
    process.exitCode = await runCollect(run, o);
  });

  const retry = queue
    .command("retry")
    .description("queue a run's failed jobs again")
    .argument("<run>", "the run's name")
    .requiredOption("--redis <url>", "Redis server");
  addExamples(retry, [[`npx rubricate queue retry demo ${REDIS}`]]).action(async (run: string, o) => {
    const { runRetry } = await queueCli();
    process.exitCode = await runRetry(run, o);
  });

  const cancel = queue
    .command("cancel")
    .description("cancel a run: queued jobs removed, workers skip the rest; results so far are kept")
    .argument("<run>", "the run's name")
    .requiredOption("--redis <url>", "Redis server");
  addExamples(cancel, [[`npx rubricate queue cancel demo ${REDIS}`]]).action(async (run: string, o) => {
    const { runCancel } = await queueCli();
    process.exitCode = await runCancel(run, o);
  });
}

export function registerWorker(program: Command): void {
  const cmd = program
    .command("worker")
    .summary("process queued scoring jobs (see 'queue')")
    .description(
      "Pull jobs of any run from the Redis queue and score them with the run's settings. A worker killed mid-job loses " +
        "nothing: its job goes to another worker once its lock expires. Judge answers are cached in Redis, shared by all " +
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
    .option("--no-shared-cache", "use each machine's judge cache file instead of the one in Redis")
    .option("-q, --quiet", "no log of jobs");
  addExamples(cmd, [
    [`npx rubricate worker ${REDIS}`, "until Ctrl-C"],
    ["npx rubricate worker --redis redis://queue-host:6379 --jobs 8 --id gpu-box", "eight processes on this machine"],
  ]).action(async (o) => {
    const { runWorker } = await queueCli();
    process.exitCode = await runWorker(o);
  });
}
