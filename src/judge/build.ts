/**
 * A judge built from its configuration (flags, a config file, the environment: `config.ts`):
 * for each model of the panel an HTTP backend, probed at start-up unless told not to, wrapped in
 * client-side limits and the answer cache; then the decider over the panel.
 */
import type { Rubric } from "../rubric/schema.js";
import { OpenAICompatible, type JudgeBackend } from "./backend.js";
import { byCloseness } from "../io/suggest.js";
import { JudgeCache, cachedBackend } from "./cache.js";
import type { JudgeConfig } from "./config.js";
import { judgeDecider, type JudgeDecider } from "./judge.js";
import { limitedBackend } from "./limit.js";
import { loadPrices } from "./prices.js";
import { renderTranscript } from "./render.js";
import { loadCounter } from "./tokens.js";

export interface BuiltJudge {
  config: JudgeConfig;
  decider: JudgeDecider;
  cache: JudgeCache | null;
  close(): void;
}

/**
 * `onNote` hears what the probe found and warnings (the CLI prints them on stderr); `wrap`, when
 * given, wraps each model's backend last (a queue worker adds limits and a cache shared with
 * other workers).
 */
export async function buildJudge(
  config: JudgeConfig,
  rubric: Rubric,
  onNote: (message: string) => void = () => {},
  wrap: (b: JudgeBackend) => JudgeBackend = (b) => b,
): Promise<BuiltJudge> {
  if (config.samples > 1 && config.mode !== "rubric")
    onNote(
      `note: --samples applies to rubric mode; in ${config.mode} mode the YES/NO probability already comes from the model's logprobs, so one call per model is made`,
    );
  const prices = loadPrices(config.prices);
  const counter = loadCounter(config.tokenizer);
  const { backends, cache } = await buildBackends(config, rubric, onNote, wrap);
  const decider = judgeDecider(backends, {
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
  return { config, decider, cache, close: () => cache?.close() };
}

/**
 * The panel's backends, each probed (unless told not to), limited and cached; for protocols that
 * compose them differently (pairwise comparisons, rubric induction); `wrap` as in buildJudge. The
 * caller closes the cache.
 */
export async function buildBackends(
  config: JudgeConfig,
  rubric: Pick<Rubric, "hash">,
  onNote: (message: string) => void = () => {},
  wrap: (b: JudgeBackend) => JudgeBackend = (b) => b,
): Promise<{ backends: JudgeBackend[]; cache: JudgeCache | null }> {
  const cache = config.cache ? new JudgeCache(config.cache, { repair: config.repairCache }) : null;
  if (cache?.repaired) onNote(`warning: ${cache.repaired}`);
  const backends: JudgeBackend[] = [];
  try {
    for (const m of config.panel) {
      const http = new OpenAICompatible({
        baseURL: m.url,
        model: m.model,
        dialect: m.dialect,
        apiKey: m.apiKey,
        timeoutMs: config.timeoutMs,
        maxRetries: config.retries,
      });
      if (config.probe) await probe(http, m.url, config, onNote);
      const limited = limitedBackend(http, { concurrency: config.concurrency, rpm: config.rpm, tpm: config.tpm });
      // the key covers the whole request (prompt, schema, sampling) and the model; the rubric hash keeps rubrics apart
      backends.push(wrap(cache ? cachedBackend(limited, cache, rubric.hash) : limited));
    }
  } catch (e) {
    cache?.close();
    throw e;
  }
  return { backends, cache };
}

/** The start-up probe: the server answers, serves the model, and says whether it gives logprobs. */
async function probe(
  http: OpenAICompatible,
  url: string,
  config: JudgeConfig,
  onNote: (message: string) => void,
): Promise<void> {
  const cap = await http.probe().catch((e: Error) => {
    throw new Error(
      `judge server ${url} (model ${http.model}) failed the start-up probe: ${e.message}; check the URL, that the server is up, and --model`,
    );
  });
  if (cap.modelListed === false) {
    const served = byCloseness(http.model, cap.models!);
    throw new Error(
      `judge server ${url} does not serve model ${http.model}; it serves (closest first): ${served.slice(0, 20).join(", ")}${served.length > 20 ? `, and ${served.length - 20} more` : ""}; pass one of them to --model`,
    );
  }
  onNote(
    `judge ${http.model} at ${url} (${http.dialect}): ${cap.models ? `${cap.models.length} model${cap.models.length === 1 ? "" : "s"} listed` : "no models list"}, logprobs ${cap.logprobs ? "yes" : "NO"}, n ${cap.n ? "in one request" : "as separate requests"}, ${cap.latencyMs} ms for one token`,
  );
  if (!cap.logprobs && (config.mode !== "rubric" || config.outcome))
    onNote(
      `warning: ${http.model} returned no logprobs; YES/NO questions fall back to the answer word (values 0 or 1, not probabilities)`,
    );
}
