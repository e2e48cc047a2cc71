/** Building the judge a `score` run uses: config, backends (limits, cache), start-up probe. */
import { OpenAICompatible } from "../judge/backend.js";
import { JudgeCache, cachedBackend } from "../judge/cache.js";
import { readJudgeConfig, resolveJudge, type JudgeConfig, type JudgeFlags } from "../judge/config.js";
import { limitedBackend } from "../judge/limit.js";
import { loadPrices } from "../judge/prices.js";
import { judgeProvider, type JudgeProvider } from "../judge/provider.js";
import { renderTranscript } from "../judge/render.js";
import { loadCounter } from "../judge/tokens.js";
import type { Rubric } from "../rubric/schema.js";
import { note } from "./output.js";

export interface BuiltJudge {
  config: JudgeConfig;
  provider: JudgeProvider;
  cache: JudgeCache | null;
  close(): void;
}

/** The judge from flags, --judge-config and the environment; null when none is configured. Probes each server unless told not to. */
export async function buildJudge(flags: JudgeFlags, configPath: string | undefined, rubric: Rubric, quiet: boolean): Promise<BuiltJudge | null> {
  const config = resolveJudge(flags, configPath ? readJudgeConfig(configPath) : undefined);
  if (!config) return null;
  if (config.samples > 1 && config.mode !== "rubric" && !quiet)
    note(`note: --samples applies to rubric mode; in ${config.mode} mode the YES/NO probability already comes from the model's logprobs, so one call per model is made`);
  const prices = loadPrices(config.prices);
  const counter = loadCounter(config.tokenizer);
  const cache = config.cache ? new JudgeCache(config.cache) : null;
  const backends = [];
  for (const m of config.panel) {
    const http = new OpenAICompatible({ baseURL: m.url, model: m.model, dialect: m.dialect, apiKey: m.apiKey, timeoutMs: config.timeoutMs, maxRetries: config.retries });
    if (config.probe) {
      const cap = await http.probe().catch((e: Error) => {
        throw new Error(`judge server ${m.url} (model ${m.model}) failed the start-up probe: ${e.message} (use --no-probe to skip it)`);
      });
      if (cap.modelListed === false) throw new Error(`judge server ${m.url} does not serve model ${m.model}; it lists: ${cap.models!.slice(0, 20).join(", ")}`);
      if (!quiet) note(`judge ${m.model} at ${m.url} (${m.dialect}): ${cap.models ? `${cap.models.length} model${cap.models.length === 1 ? "" : "s"} listed` : "no models list"}, logprobs ${cap.logprobs ? "yes" : "NO"}, n ${cap.n ? "in one request" : "as separate requests"}, ${cap.latencyMs} ms for one token`);
      if (!cap.logprobs && (config.mode !== "rubric" || config.outcome))
        note(`warning: ${m.model} returned no logprobs; YES/NO questions fall back to the answer word (values 0 or 1, not probabilities)`);
    }
    const limited = limitedBackend(http, { concurrency: config.concurrency, rpm: config.rpm, tpm: config.tpm });
    // the key covers the whole request (prompt, schema, sampling) and the model; the rubric hash keeps rubrics apart
    backends.push(cache ? cachedBackend(limited, cache, rubric.hash) : limited);
  }
  const provider = judgeProvider(backends, {
    mode: config.mode,
    outcome: config.outcome,
    rubric: rubric.criteria,
    maxPromptTokens: config.maxPromptTokens,
    maxTokens: config.maxTokens,
    samples: config.samples,
    temperature: config.temperature,
    aggregate: config.aggregate,
    prices,
    render: (t, max) => renderTranscript(t, max, counter),
  });
  return { config, provider, cache, close: () => cache?.close() };
}
