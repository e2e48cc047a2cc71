/**
 * Judge configuration from three places, in this order of precedence:
 * command-line flags, a config file (`--judge-config`, YAML or JSON), then
 * environment variables (RUBRICATE_JUDGE_URL, RUBRICATE_JUDGE_MODEL; the API
 * key from the variable the config names, else RUBRICATE_API_KEY or
 * OPENAI_API_KEY). API keys are read from the environment only, so they are
 * never in a file rubricate writes.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { addSecret } from "../io/redact.js";
import { locate } from "../io/yamlzod.js";
import { DIALECTS } from "./backend.js";
import { JUDGE_MODES } from "./judge.js";
import { AGGREGATES } from "./panel.js";

const Member = z.strictObject({
  url: z.string().url().optional(),
  model: z.string().min(1),
  dialect: z.enum(DIALECTS).optional(),
  /** name of the environment variable holding this server's API key */
  api_key_env: z.string().optional(),
});

export const JudgeConfigFile = z.strictObject({
  url: z.string().url().optional(),
  model: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  dialect: z.enum(DIALECTS).optional(),
  api_key_env: z.string().optional(),
  mode: z.enum(JUDGE_MODES).optional(),
  outcome: z.boolean().optional(),
  concurrency: z.number().int().positive().optional(),
  rpm: z.number().positive().optional(),
  tpm: z.number().positive().optional(),
  samples: z.number().int().positive().max(64).optional(),
  temperature: z.number().min(0).max(2).optional(),
  aggregate: z.enum(AGGREGATES).optional(),
  max_prompt_tokens: z.number().int().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  tokenizer: z.string().optional(),
  cache: z.union([z.string(), z.literal(false)]).optional(),
  repair_cache: z.boolean().optional(),
  prices: z.string().optional(),
  timeout_s: z.number().positive().optional(),
  retries: z.number().int().min(0).optional(),
  probe: z.boolean().optional(),
  panel: z.array(Member).min(1).optional(),
});
export type JudgeConfigFile = z.infer<typeof JudgeConfigFile>;

export interface PanelMember {
  url: string;
  model: string;
  dialect: (typeof DIALECTS)[number];
  apiKey?: string;
  /** the environment variable the key was read from (so a worker on another machine reads its own) */
  apiKeyEnv?: string;
}

export interface JudgeConfig {
  panel: PanelMember[];
  mode: (typeof JUDGE_MODES)[number];
  outcome: boolean;
  concurrency: number;
  rpm?: number;
  tpm?: number;
  samples: number;
  temperature?: number;
  aggregate: (typeof AGGREGATES)[number];
  maxPromptTokens: number;
  maxTokens: number;
  tokenizer?: string;
  /** cache database path, or null for no cache */
  cache: string | null;
  /** a cache that fails its integrity check at open is moved aside and rebuilt (else the run refuses) */
  repairCache: boolean;
  prices?: string;
  timeoutMs: number;
  retries: number;
  probe: boolean;
}

/** The default cache file: $XDG_CACHE_HOME/rubricate/judge-cache.jsonl (else ~/.cache/...). */
export function defaultCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "rubricate", "judge-cache.jsonl");
}

/** Read and validate a judge config file; errors name the file, the line and the field. */
export function readJudgeConfig(path: string): JudgeConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read the judge config: ${(e as Error).message}`);
  }
  const located = locate(text);
  if (Array.isArray(located))
    throw new Error(located.map((p) => `${path}:${p.line}:${p.col}: not valid YAML or JSON: ${p.message}`).join("\n"));
  const r = JudgeConfigFile.safeParse(located.raw ?? {});
  if (!r.success) {
    const problems = located.problems(r.error.issues, JudgeConfigFile).sort((a, b) => a.line - b.line || a.col - b.col);
    throw new Error(
      problems.map((p) => `${path}:${p.line}:${p.col}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"),
    );
  }
  return r.data;
}

/** Flags as given on the command line (undefined when not given). */
export type JudgeFlags = Partial<Omit<JudgeConfigFile, "model" | "panel">> & { model?: string[] };

const keyFrom = (name: string | undefined, env: NodeJS.ProcessEnv): string | undefined => {
  if (!name) return env.RUBRICATE_API_KEY ?? env.OPENAI_API_KEY;
  const v = env[name];
  if (v === undefined) throw new Error(`the judge config names the API key variable ${name}, but it is not set`);
  return v;
};

/** Merge flags over the file over the environment; null when no judge is configured anywhere. */
export function resolveJudge(
  flags: JudgeFlags,
  file?: JudgeConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): JudgeConfig | null {
  const f = file ?? {};
  const url = flags.url ?? f.url ?? env.RUBRICATE_JUDGE_URL;
  const models = flags.model?.length
    ? flags.model
    : f.model !== undefined
      ? [f.model].flat()
      : env.RUBRICATE_JUDGE_MODEL
        ? env.RUBRICATE_JUDGE_MODEL.split(",")
        : [];
  const dialect = flags.dialect ?? f.dialect ?? "openai";
  let panel: PanelMember[];
  if (f.panel && !flags.model?.length) {
    panel = f.panel.map((m, i) => {
      const u = m.url ?? url;
      if (!u) throw new Error(`judge panel member ${i + 1} (${m.model}) has no url and no default url is set`);
      return {
        url: u,
        model: m.model,
        dialect: m.dialect ?? dialect,
        apiKey: keyFrom(m.api_key_env ?? f.api_key_env, env),
        ...((m.api_key_env ?? f.api_key_env) ? { apiKeyEnv: (m.api_key_env ?? f.api_key_env)! } : {}),
      };
    });
  } else {
    if (!url && !models.length) return null;
    if (!url)
      throw new Error(
        "a judge model was given but no server: pass --judge <url> (or set url in --judge-config, or RUBRICATE_JUDGE_URL)",
      );
    if (!models.length)
      throw new Error(
        "--judge needs --model (or model in --judge-config, or RUBRICATE_JUDGE_MODEL): the model name the server serves",
      );
    const apiKey = keyFrom(flags.api_key_env ?? f.api_key_env, env);
    const apiKeyEnv = flags.api_key_env ?? f.api_key_env;
    panel = models.map((model) => ({ url, model: model.trim(), dialect, apiKey, ...(apiKeyEnv ? { apiKeyEnv } : {}) }));
  }
  // every configured key is redacted from whatever rubricate writes
  for (const m of panel) addSecret(m.apiKey);
  const cache = flags.cache ?? f.cache;
  return {
    panel,
    mode: flags.mode ?? f.mode ?? "rubric",
    outcome: flags.outcome ?? f.outcome ?? false,
    concurrency: flags.concurrency ?? f.concurrency ?? 8,
    rpm: flags.rpm ?? f.rpm,
    tpm: flags.tpm ?? f.tpm,
    samples: flags.samples ?? f.samples ?? 1,
    temperature: flags.temperature ?? f.temperature,
    aggregate: flags.aggregate ?? f.aggregate ?? "mean",
    maxPromptTokens: flags.max_prompt_tokens ?? f.max_prompt_tokens ?? 24000,
    maxTokens: flags.max_tokens ?? f.max_tokens ?? 2048,
    tokenizer: flags.tokenizer ?? f.tokenizer,
    cache: cache === false ? null : (cache ?? defaultCachePath(env)),
    repairCache: flags.repair_cache ?? f.repair_cache ?? false,
    prices: flags.prices ?? f.prices,
    timeoutMs: (flags.timeout_s ?? f.timeout_s ?? 300) * 1000,
    retries: flags.retries ?? f.retries ?? 4,
    probe: flags.probe ?? f.probe ?? true,
  };
}
