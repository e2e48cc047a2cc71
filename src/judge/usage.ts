/**
 * Usage metering as a wrapper around a backend: each response carries its cost (from the price
 * table), and a meter keeps the run's totals (requests, tokens, dollars, cache hits) for progress
 * and summaries. What one trajectory cost is added up by the judge from its responses
 * (`addUsage`) and returned with its verdicts.
 */
import type { JudgeUsage } from "../types/score.js";
import type { ChatResponse, JudgeBackend } from "./backend.js";
import { costOf, priceOf, type Price } from "./prices.js";

/** A run's totals. */
export interface JudgeStats {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheHits: number;
  /** dollars, null when a model has no price */
  cost: number | null;
  /** criteria the judge could not decide */
  failures: number;
}

export function newStats(): JudgeStats {
  return { requests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheHits: 0, cost: 0, failures: 0 };
}

export function emptyUsage(): JudgeUsage {
  return { requests: 0, prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, cache_hits: 0, cost_usd: 0 };
}

const plus = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

/** A backend whose responses carry their cost and whose spend is added to `stats`. */
export function meteredBackend(
  inner: JudgeBackend,
  o: { prices?: Record<string, Price>; stats: JudgeStats },
): JudgeBackend {
  const price = o.prices ? priceOf(o.prices, inner.model) : null;
  return {
    model: inner.model,
    async chat(req) {
      const res = await inner.chat(req);
      const st = o.stats;
      if (res.cacheHit) {
        st.cacheHits++;
        return { ...res, cost: 0 };
      }
      const cost = costOf(price, res.usage);
      st.requests++;
      st.promptTokens += res.usage.prompt;
      st.completionTokens += res.usage.completion;
      st.cachedTokens += res.usage.cached;
      st.cost = plus(st.cost, cost);
      return { ...res, cost };
    },
  };
}

/** Add one response to a trajectory's usage (a cache hit is free and counted apart). */
export function addUsage(u: JudgeUsage, res: ChatResponse): void {
  if (res.cacheHit) {
    u.cache_hits++;
    return;
  }
  u.requests++;
  u.prompt_tokens += res.usage.prompt;
  u.completion_tokens += res.usage.completion;
  u.cached_tokens += res.usage.cached;
  u.cost_usd = plus(u.cost_usd, res.cost ?? null);
}
