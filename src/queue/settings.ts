/**
 * A run's settings, recorded once when it is submitted so that every worker, on any machine,
 * scores with exactly the same rubric, judge and outcome model: the rubric's source text (its hash
 * checked when a worker loads it), the judge's configuration without its API keys (workers read
 * their own, from the variable the key came from), the outcome model's path and content hash.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { JudgeConfig } from "../judge/config.js";
import { parseRubric } from "../rubric/load.js";
import type { Rubric } from "../rubric/schema.js";

export const RunSettingsSchema = z.object({
  run: z.string(),
  rubricate: z.string(),
  created: z.string(),
  rubric: z.object({ source: z.string(), file: z.string(), id: z.string(), version: z.string(), hash: z.string() }),
  /** the judge, without API keys; null: no judge */
  judge: z.unknown().nullable(),
  /** the outcome model file and its sha256; null: none (or the judge decides outcome criteria) */
  outcome: z.object({ path: z.string(), sha256: z.string() }).nullable(),
  labels: z.array(z.string()),
  autoLabels: z.boolean(),
  /** folders (real paths) under which workers may read inputs */
  roots: z.array(z.string()),
  /** the inputs as given, read from `cwd` (so records name files as `score` there would) */
  inputs: z.array(z.string()),
  /** the folder the run was submitted from: workers read relative paths from it (a shared file system at the same place) */
  cwd: z.string(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The judge configuration as stored: no API keys. */
export function storedJudge(config: JudgeConfig | null): JudgeConfig | null {
  if (!config) return null;
  return { ...config, panel: config.panel.map(({ apiKey: _key, ...m }) => m) };
}

/** The stored judge configuration with this machine's API keys (from the variables the run named, else the default ones). */
export function judgeWithKeys(stored: unknown, env: NodeJS.ProcessEnv = process.env): JudgeConfig | null {
  if (!stored) return null;
  const c = stored as JudgeConfig;
  return {
    ...c,
    panel: c.panel.map((m) => {
      const key = m.apiKeyEnv ? env[m.apiKeyEnv] : (env.RUBRICATE_API_KEY ?? env.OPENAI_API_KEY);
      if (m.apiKeyEnv && key === undefined)
        throw new Error(`the run's judge reads its API key from ${m.apiKeyEnv}, which is not set on this worker`);
      return key === undefined ? m : { ...m, apiKey: key };
    }),
  };
}

/** The run's rubric, checked against the hash it was submitted with. */
export function rubricOf(s: RunSettings): Rubric {
  const rubric = parseRubric(s.rubric.source, s.rubric.file);
  if (rubric.hash !== s.rubric.hash)
    throw new Error(
      `run ${s.run}: the rubric's hash is ${rubric.hash} here, ${s.rubric.hash} when submitted (different rubricate versions?)`,
    );
  return rubric;
}
