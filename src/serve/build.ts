/**
 * A scoring service from plain settings: rubrics loaded, the judge built (and probed), the outcome
 * model loaded. Used by the server's thread and by each scoring worker thread.
 */
import { buildJudge, type BuiltJudge } from "../judge/build.js";
import type { JudgeConfig } from "../judge/config.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import { loadRubric } from "../rubric/load.js";
import type { Rubric } from "../rubric/schema.js";
import { ServeMetrics } from "./metrics.js";
import { RewardService, type ServeReward } from "./service.js";

/** What a scoring service is built from (plain data: it is also handed to worker threads). */
export interface ServiceSettings {
  /** rubric ids or files; the first is the default (default: swe-default) */
  rubrics?: string[];
  /** the judge (see `resolveJudge`); null: no judge */
  judge?: JudgeConfig | null;
  /** outcome model file; false: none; undefined: the shipped model */
  outcomeModel?: string | false;
  reward?: ServeReward;
  alpha?: number;
  fallback?: number;
  cacheSize?: number;
  /** rollouts admitted and not finished before requests get 429 (default 64; with a judge 32 per judge request in flight) */
  maxQueue?: number;
  /** refuse requests whose rollouts would wait longer than this many seconds at the recent scoring rate (default: no bound) */
  maxWaitS?: number | null;
  /** rollouts scored at once (default: twice the judge's concurrency, 1 without a judge) */
  concurrency?: number;
  /** the longest a request may take, in seconds (default 120) */
  deadlineS?: number;
  /** strings never shown in an answer (the token, judge API keys) */
  secrets?: string[];
}

export class ServeUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServeUsageError";
  }
}

export function loadRubrics(ids: string[] | undefined): Rubric[] {
  const rubrics = (ids?.length ? ids : ["swe-default"]).map((r) => loadRubric(r));
  const seen = new Set<string>();
  for (const r of rubrics) {
    if (seen.has(r.id)) throw new ServeUsageError(`two rubrics have the id '${r.id}'; requests name rubrics by id`);
    seen.add(r.id);
  }
  return rubrics;
}

/** Judge requests in flight at most, over the whole panel. */
export const judgeSlots = (j: JudgeConfig) => j.concurrency * j.panel.length;

/** Rollouts admitted and not finished before requests get 429. */
export const capacityOf = (s: ServiceSettings) => s.maxQueue ?? (s.judge ? 32 * judgeSlots(s.judge) : 64);

/** Settings that cannot give a reward: the default `resolved` reward with nothing to predict p(resolved). */
export function checkSettings(s: ServiceSettings): void {
  if ((s.reward ?? "resolved") === "resolved" && about(s).outcome === null)
    throw new ServeUsageError(
      "the resolved reward is p(resolved), and nothing here predicts it: give an outcome model (--outcome-model; the shipped one is used by default) or let the judge decide it (--judge-outcome), or choose --reward rubric for the behaviour score",
    );
}

/** A scoring service with its deciders. */
export async function buildService(
  s: ServiceSettings,
  hooks: { onNote?: (m: string) => void; onError?: (m: string) => void } = {},
): Promise<{ service: RewardService; judge: BuiltJudge | null }> {
  checkSettings(s);
  const rubrics = loadRubrics(s.rubrics);
  const judge = s.judge ? await buildJudge(s.judge, rubrics[0], hooks.onNote) : null;
  try {
    const judgeOutcome = !!judge && (judge.config.outcome || judge.config.mode === "outcome");
    const modelPath =
      judgeOutcome || s.outcomeModel === false ? null : (s.outcomeModel ?? (hasDefaultModel() ? DEFAULT_MODEL : null));
    const outcome = modelPath ? outcomeProvider(modelPath) : null;
    const service = new RewardService({
      rubrics,
      judge: judge?.decider ?? null,
      outcome: judgeOutcome ? judge!.decider : outcome,
      reward: s.reward,
      alpha: s.alpha,
      fallback: s.fallback,
      cacheSize: s.cacheSize,
      capacity: capacityOf(s),
      maxWaitS: s.maxWaitS,
      concurrency: s.concurrency ?? (s.judge ? 2 * judgeSlots(s.judge) : 1),
      deadlineMs: (s.deadlineS ?? 120) * 1000,
      metrics: new ServeMetrics(),
      secrets: s.secrets,
      onError: hooks.onError,
    });
    return { service, judge };
  } catch (e) {
    judge?.close();
    throw e;
  }
}

/** What /healthz and /v1/rubrics say about the deciders. */
export function about(s: ServiceSettings): { judge: string | null; outcome: string | null } {
  const j = s.judge;
  const judgeOutcome = !!j && (j.outcome || j.mode === "outcome");
  return {
    judge: j ? `${j.panel.map((m) => m.model).join("+")} (${j.mode} mode)` : null,
    outcome: judgeOutcome
      ? "judge"
      : s.outcomeModel === false
        ? null
        : (s.outcomeModel ?? (hasDefaultModel() ? "shipped outcome model" : null)),
  };
}
