/** The judge's flags, shared by every command that can judge (score, queue submit). */
import { type Command, InvalidArgumentError, Option } from "commander";
import { AGGREGATES, DIALECTS, JUDGE_MODES } from "../judge/names.js";
import type { JudgeFlags } from "../judge/config.js";
import { numberIn, wholeNumber } from "./numbers.js";

const collectList = (v: string, prev: string[] = []) => [...prev, v];
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
};

export function addJudgeOptions(cmd: Command): Command {
  return cmd
    .option(
      "--judge <url>",
      "OpenAI-compatible server for judge criteria, e.g. http://127.0.0.1:8000/v1 (env RUBRICATE_JUDGE_URL; API key from RUBRICATE_API_KEY or OPENAI_API_KEY)",
    )
    .option(
      "--model <name>",
      "judge model name as the server knows it (env RUBRICATE_JUDGE_MODEL); repeat or comma-separate for a panel",
      collectList,
    )
    .option(
      "--judge-config <file>",
      "judge settings in YAML or JSON (url, model, dialect, mode, panel, limits, cache, prices...; see docs/judge.md); flags override it",
    )
    .addOption(
      new Option(
        "--judge-mode <mode>",
        "rubric: one JSON-schema call per trajectory; criterion: one YES/NO logprob call per criterion; outcome: only 'will the patch pass the hidden tests?' (default rubric)",
      ).choices(JUDGE_MODES),
    )
    .option("--judge-outcome", "let the judge decide outcome criteria too, instead of the outcome model")
    .addOption(
      new Option(
        "--dialect <d>",
        "server dialect: structured-output field, n support, thinking switch (default openai)",
      ).choices(DIALECTS),
    )
    .addOption(
      new Option(
        "--concurrency <n>",
        "trajectories judged at once, and requests in flight per server (default 8)",
      ).argParser(positiveInt),
    )
    .addOption(new Option("--rpm <n>", "at most this many judge requests per minute per server").argParser(positiveInt))
    .addOption(
      new Option("--tpm <n>", "at most this many (estimated) tokens per minute per server").argParser(positiveInt),
    )
    .addOption(
      new Option(
        "--samples <k>",
        "answers per judge call in rubric mode, combined by --aggregate, with agreement and spread (default 1)",
      ).argParser(positiveInt),
    )
    .addOption(
      new Option("--temperature <t>", "judge sampling temperature (default 0; 0.7 with --samples > 1)").argParser(
        Number,
      ),
    )
    .addOption(
      new Option("--aggregate <how>", "combine votes of a panel or of samples (default mean)").choices(AGGREGATES),
    )
    .addOption(
      new Option("--max-prompt-tokens <n>", "token budget of the rendered trajectory (default 24000)").argParser(
        positiveInt,
      ),
    )
    .option(
      "--tokenizer <spec>",
      "count tokens with o200k, cl100k, or a model's tokenizer.json (default: a fast o200k-based count)",
    )
    .option("--cache <file>", "judge answer cache (a JSONL file; default $XDG_CACHE_HOME/rubricate/judge-cache.jsonl)")
    .option("--no-cache", "do not read or write the judge cache")
    .option(
      "--repair-cache",
      "when the judge cache fails its integrity check at start, move it aside and rebuild it from the entries that can still be read (default: refuse to run)",
    )
    .option(
      "--prices <file>",
      "token prices (YAML/JSON: model -> {input, output, cached_input} dollars per million) over the built-in table",
    )
    .addOption(
      new Option(
        "--retries <n>",
        "retries of a judge request on 408/409/429/5xx, timeouts, connection errors and answers cut off or not JSON, with backoff and jitter, honouring Retry-After (default 4)",
      ).argParser(wholeNumber(0, 100)),
    )
    .addOption(
      new Option(
        "--timeout <s>",
        "seconds one attempt of a judge request may take, headers and body (default 300)",
      ).argParser(numberIn(0.001)),
    )
    .option("--no-probe", "skip the start-up probe of the judge server (models list, one-token logprobs request)");
}

/** The judge flags given on the command line (undefined where not given). */
export function judgeFlagsOf(o: Record<string, unknown>): JudgeFlags {
  return {
    url: o.judge as string | undefined,
    model: (o.model as string[] | undefined)?.flatMap((m) => m.split(",")).filter(Boolean),
    dialect: o.dialect as JudgeFlags["dialect"],
    mode: o.judgeMode as JudgeFlags["mode"],
    outcome: o.judgeOutcome as boolean | undefined,
    concurrency: o.concurrency as number | undefined,
    rpm: o.rpm as number | undefined,
    tpm: o.tpm as number | undefined,
    samples: o.samples as number | undefined,
    temperature: o.temperature as number | undefined,
    aggregate: o.aggregate as JudgeFlags["aggregate"],
    max_prompt_tokens: o.maxPromptTokens as number | undefined,
    tokenizer: o.tokenizer as string | undefined,
    // negatable flags: only an explicit --no-x overrides the config file
    cache: o.cache === false ? false : typeof o.cache === "string" ? o.cache : undefined,
    repair_cache: o.repairCache ? true : undefined,
    prices: o.prices as string | undefined,
    probe: o.probe === false ? false : undefined,
    retries: o.retries as number | undefined,
    timeout_s: o.timeout as number | undefined,
  };
}
