/**
 * The defaults the library and the CLI share, so that `scoreStream` and
 * `evaluate` called with no options give what `rubricate score` and
 * `rubricate eval` give.
 */
import type { Facts } from "../analyze/facts.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import type { Criterion } from "../rubric/schema.js";
import type { Decider } from "../types/decider.js";
import type { RewardMode } from "./reward.js";

export const DEFAULTS = {
  /** the built-in rubric */
  rubric: "swe-default",
  /** what `eval`, `select` and `calibrate` rank by: p(resolved) */
  reward: "resolved" as RewardMode,
  /** the rubric's weight in the `linear` reward */
  alpha: 0.5,
} as const;

/** The outcome model file used when none is named: the shipped one, when the package has it. */
export function defaultOutcomeModel(): string | null {
  return hasDefaultModel() ? DEFAULT_MODEL : null;
}

let shipped: (Decider<Facts, Criterion> & { model: unknown }) | null | undefined;

/** The shipped outcome model as a provider (loaded once), or null when the package has none. */
export function defaultOutcome(): Decider<Facts, Criterion> | null {
  if (shipped === undefined) {
    const path = defaultOutcomeModel();
    shipped = path ? outcomeProvider(path) : null;
  }
  return shipped;
}
