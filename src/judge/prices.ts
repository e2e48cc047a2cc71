/**
 * Token prices (US dollars per million tokens) for cost accounting. The
 * built-in table holds a few hosted models' list prices as published when this
 * was written; they change, so `--prices <file>` (YAML or JSON, the same shape)
 * overrides or extends it. Self-hosted models have no price: their cost is
 * reported as unknown, never as 0.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import type { Usage } from "./backend.js";

export const Price = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /** cached input tokens; defaults to the input price */
  cached_input: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof Price>;
const PriceTable = z.record(z.string(), Price);

export const DEFAULT_PRICES: Record<string, Price> = {
  "gpt-4o": { input: 2.5, output: 10, cached_input: 1.25 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cached_input: 0.075 },
  "gpt-4.1": { input: 2, output: 8, cached_input: 0.5 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6, cached_input: 0.1 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4, cached_input: 0.025 },
  "o4-mini": { input: 1.1, output: 4.4, cached_input: 0.275 },
  "gpt-5": { input: 1.25, output: 10, cached_input: 0.125 },
  "gpt-5-mini": { input: 0.25, output: 2, cached_input: 0.025 },
  "gpt-5-nano": { input: 0.05, output: 0.4, cached_input: 0.005 },
};

/** Read a price file (model -> {input, output, cached_input} per million tokens) over the defaults. */
export function loadPrices(path?: string): Record<string, Price> {
  if (!path) return { ...DEFAULT_PRICES };
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: cannot read the price table: ${(e as Error).message}`);
  }
  const r = PriceTable.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(
      `${path}: ${i.path.join(".") || "(top)"}: ${i.message}; expected a mapping of model name to {input, output, cached_input} dollars per million tokens`,
    );
  }
  return { ...DEFAULT_PRICES, ...r.data };
}

/** The price of a model: exact name, else the name without a provider prefix or date suffix. */
export function priceOf(table: Record<string, Price>, model: string): Price | null {
  const bare = model.replace(/^.*\//, "");
  return table[model] ?? table[bare] ?? table[bare.replace(/-\d{4}-\d{2}-\d{2}$/, "")] ?? null;
}

/** Dollars for some usage; cached prompt tokens are billed at the cached price. Null when the model has no price. */
export function costOf(price: Price | null, u: Usage): number | null {
  if (!price) return null;
  const fresh = Math.max(0, u.prompt - u.cached);
  return (fresh * price.input + u.cached * (price.cached_input ?? price.input) + u.completion * price.output) / 1e6;
}
