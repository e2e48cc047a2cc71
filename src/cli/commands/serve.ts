/** `rubricate serve`: serve rewards to RL trainers over HTTP. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { REWARD_MODES } from "../../score/reward.js";
import { addJudgeOptions } from "../judgeflags.js";
import { addExamples, helpWidth, wrapWords } from "./common.js";

const collect = (v: string, prev: string[] = []) => [...prev, v];
const whole = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
  return n;
};
const number = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
};
const positive = (v: string) => {
  const n = number(v);
  if (n <= 0) throw new InvalidArgumentError("expected a number above 0");
  return n;
};

// after the Examples: a request to try, and where the rest is documented
const ROUTES =
  "Routes: POST /get_reward (OpenRLHF), POST /v1/score (rich), GET /healthz, GET /metrics, GET /v1/rubrics. " +
  "Trainer set-up (OpenRLHF, verl, TRL, slime) and every response field: docs/serve.md.";
const tryIt = (context: { error: boolean }) =>
  [
    "",
    "Try it (from another shell):",
    "  curl -s localhost:8787/get_reward \\",
    "       -H 'content-type: application/json' \\",
    `       -d '{"query": ["<|im_start|>user\\nFix the bug<|im_end|>\\n<|im_start|>assistant\\nDone.<|im_end|>"]}'`,
    "",
    ...wrapWords(ROUTES, (helpWidth(context.error ? process.stderr : process.stdout) ?? 80) - 1),
  ].join("\n");

/** Add `rubricate serve` to the program. */
export function registerServe(program: Command): void {
  const cmd = program
    .command("serve")
    .summary("serve rewards to RL trainers over HTTP (OpenRLHF protocol, rich JSON, Prometheus metrics)")
    .description(
      [
        "Score rollouts sent over HTTP against a rubric and answer with rewards.",
        "POST /get_reward speaks OpenRLHF's remote reward protocol (chat-templated text: ChatML/Qwen, Llama 3, role-prefixed lines); " +
          "POST /v1/score takes OpenAI messages, templated text or any trajectory format rubricate reads, and answers per criterion, with group statistics.",
        "The reward is p(resolved) (the `resolved` mode, as in eval and select) unless --reward says otherwise. A rollout that cannot be read, judged or scored in time gets --fallback-reward " +
          "and its error; the rest of its batch is unaffected. When the queue is full, requests get 429 with Retry-After.",
        "With RUBRICATE_TOKEN set, every route but /healthz requires 'Authorization: Bearer <token>'; without it the server listens only on loopback.",
      ].join("\n\n"),
    )
    .option(
      "-r, --rubric <id|file>",
      "rubric to serve (repeatable; the first is the default, requests name others by id)",
      collect,
    )
    .option(
      "--outcome-model <file>",
      "outcome model for 'outcome' criteria (default: the model shipped with rubricate)",
    )
    .option("--no-outcome-model", "leave 'outcome' criteria to the judge (--judge-outcome) or unscored")
    .addOption(
      new Option(
        "--reward <mode>",
        "how a record becomes the reward: resolved = p(resolved), rubric = the behaviour score, terminal / linear / stratified mix in the test outcome sent as `resolved` (as in eval and select)",
      )
        .choices([...REWARD_MODES])
        .default("resolved"),
    )
    .addOption(new Option("--alpha <x>", "rubric weight in the linear reward").default(0.5).argParser(number))
    .addOption(
      new Option("--fallback-reward <x>", "reward of a rollout that could not be scored").default(0).argParser(number),
    )
    .option("--host <host>", "address to listen on (beyond loopback only with RUBRICATE_TOKEN set)", "127.0.0.1")
    .addOption(new Option("--port <n>", "port (0: any free port)").default(8787).argParser(whole(0)))
    .addOption(
      new Option(
        "--max-queue <n>",
        "rollouts admitted and not yet scored before requests get 429 with Retry-After (default 64; with a judge 32 per judge request in flight)",
      ).argParser(whole(1)),
    )
    .addOption(
      new Option(
        "--max-wait <s>",
        "also answer 429 when the rollouts already admitted would take longer than this to score at the recent rate (bounds latency under overload; default: no bound)",
      ).argParser(positive),
    )
    .addOption(
      new Option("--workers <n>", "worker threads that score rollouts (0: the server's own thread)")
        .default(0)
        .argParser(whole(0)),
    )
    .addOption(
      new Option(
        "--score-concurrency <n>",
        "rollouts scored at once (default: twice the judge's concurrency; 1 without a judge)",
      ).argParser(whole(1)),
    )
    .addOption(
      new Option("--deadline <s>", "longest a request may take; rollouts not scored by then get the fallback")
        .default(120)
        .argParser(positive),
    )
    .addOption(
      new Option("--cache-size <n>", "scored rollouts kept in memory (0: none)").default(4096).argParser(whole(0)),
    )
    .addOption(new Option("--max-body-mb <n>", "largest request body").default(32).argParser(positive))
    .addOption(
      new Option("--max-depth <n>", "deepest nesting of JSON objects and arrays in a body")
        .default(64)
        .argParser(whole(1)),
    )
    .addOption(
      new Option("--log-level <level>", "server log on stderr")
        .choices(["silent", "error", "warn", "info", "debug"])
        .default("warn"),
    );
  addJudgeOptions(cmd);
  addExamples(cmd, [
    ["npx rubricate serve", "reward p(resolved) from the shipped outcome model, on 127.0.0.1:8787"],
    ["npx rubricate serve --reward rubric --workers 2", "reward the behaviour score, scored on two worker threads"],
    [
      "npx rubricate serve --judge http://127.0.0.1:8000/v1 --model Qwen/Qwen3-32B --dialect vllm --concurrency 32",
      "with an LLM judge",
    ],
    [
      "npx rubricate serve --host 0.0.0.0 --port 8787",
      "beyond loopback: set RUBRICATE_TOKEN first, e.g. export RUBRICATE_TOKEN=$(openssl rand -hex 16)",
    ],
  ])
    .addHelpText("after", tryIt)
    .action(async (o) => {
      const { runServe } = await import("../serve.js");
      process.exitCode = await runServe(o);
    });
}
