/**
 * Scoring one trajectory against a rubric: conditions, programmatic checks,
 * judge and outcome criteria (through deciders; unscored with a typed reason
 * when none is configured), goodness by polarity, aggregation, provenance.
 */
import { injectionFindings } from "../analyze/injection.js";
import { createRequire } from "node:module";
import { analyze, type Facts } from "../analyze/facts.js";
import { CHECKS, type RunContext } from "../checks/index.js";
import { stepCount } from "../checks/process.js";
import type { Condition, Criterion, Rubric } from "../rubric/schema.js";
import type { Decider, Verdict } from "../types/decider.js";
import { SCORE_SCHEMA, type CriterionResult, type JudgeUsage, type ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { aggregate } from "./aggregate.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

export interface ScoreOptions {
  /** decides `judge` criteria (an LLM judge) */
  judge?: Decider<Facts, Criterion>;
  /** decides `outcome` criteria (the outcome model, or a judge asked whether the patch will pass) */
  outcome?: Decider<Facts, Criterion>;
  /** what checks that compare a trajectory with its run need */
  run?: RunContext;
}

function holds(when: Condition | undefined, f: Facts): string | null {
  if (!when) return null;
  if (when.has_patch !== undefined && when.has_patch !== f.patch.files.length > 0)
    return `only for trajectories ${when.has_patch ? "with" : "without"} a patch`;
  if (when.edited_source !== undefined && when.edited_source !== f.sourceEdits.length > 0)
    return `only for trajectories that ${when.edited_source ? "edited" : "did not edit"} source files`;
  if (when.submitted !== undefined && when.submitted !== (f.exit === "submitted"))
    return `only for trajectories that ${when.submitted ? "submitted" : "did not submit"}`;
  return null;
}

/**
 * A criterion's result: the criterion's fields, then the verdict's with its goodness (the value
 * mapped through the criterion's polarity: 1 is good). Built field by field: an object spread
 * costs V8 microseconds per result, a large share of a check run.
 */
function resultOf(c: Criterion, v: Verdict): CriterionResult {
  const { status, value, evidence, explanation, reason, by } = v;
  const g = goodness(c, value);
  const r: CriterionResult =
    reason === undefined
      ? {
          id: c.id,
          kind: c.kind,
          polarity: c.polarity,
          weight: c.weight,
          severity: c.severity,
          status,
          value,
          goodness: g,
          evidence,
          explanation,
          by,
        }
      : {
          id: c.id,
          kind: c.kind,
          polarity: c.polarity,
          weight: c.weight,
          severity: c.severity,
          status,
          value,
          goodness: g,
          evidence,
          explanation,
          reason,
          by,
        };
  if (v.agreement !== undefined) r.agreement = v.agreement;
  if (v.spread !== undefined) r.spread = v.spread;
  if (v.votes !== undefined) r.votes = v.votes;
  return r;
}

/** The question p(resolved) answers, asked of the outcome decider when the rubric has no outcome criterion. */
const RESOLVED: Criterion = {
  id: "p_resolved",
  title: "Resolves the task",
  question: "Will this patch pass the hidden tests that check the issue is resolved?",
  polarity: "encourage",
  weight: 1,
  severity: "minor",
  kind: "outcome",
};

export function goodness(c: Pick<Criterion, "polarity">, value: number | null): number | null {
  return value === null ? null : c.polarity === "encourage" ? value : 1 - value;
}

/** Score one trajectory. Check errors become unscored criteria, never a crash of the run. */
export async function scoreTrajectory(t: Trajectory, rubric: Rubric, opts: ScoreOptions = {}): Promise<ScoreRecord> {
  const facts = analyze(t);
  const results = new Map<string, CriterionResult>();
  const pending: { judge: Criterion[]; outcome: Criterion[] } = { judge: [], outcome: [] };
  for (const c of rubric.criteria) {
    const skip = holds(c.when, facts);
    if (skip) {
      results.set(
        c.id,
        resultOf(c, { status: "not_applicable", value: null, evidence: [], explanation: skip, by: "condition" }),
      );
      continue;
    }
    if (c.kind === "check") results.set(c.id, resultOf(c, checkVerdict(c, facts, t, opts.run ?? {})));
    else pending[c.kind].push(c);
  }
  let usage: JudgeUsage | undefined;
  for (const kind of ["judge", "outcome"] as const) {
    const decider = kind === "judge" ? opts.judge : opts.outcome;
    const list = pending[kind];
    if (!list.length) continue;
    const decided = decider ? await decider.decide(t, facts, list) : null;
    if (decided?.usage) usage = usage ? sumUsage(usage, decided.usage) : decided.usage;
    for (const c of list) {
      const v = decided?.verdicts.get(c.id);
      if (v) results.set(c.id, resultOf(c, v));
      else {
        const reason = kind === "judge" ? "no_judge" : "no_outcome_model";
        const explanation = decider
          ? `${decider.name} gave no verdict`
          : kind === "judge"
            ? "no judge configured (--judge)"
            : "no outcome model or judge configured";
        results.set(
          c.id,
          resultOf(c, {
            status: "unscored",
            value: null,
            evidence: [],
            explanation,
            reason: decider ? "judge_error" : reason,
            by: decider?.name ?? "none",
          }),
        );
      }
    }
  }
  const criteria = rubric.criteria.map((c) => results.get(c.id)!);
  const { score, vetoed_by } = aggregate(criteria, rubric.aggregation);
  // p(resolved): the rubric's outcome criteria, or (a rubric without one) the outcome decider asked directly
  let resolved = criteria.find((c) => c.kind === "outcome" && c.status === "decided") ?? null;
  if (!resolved && opts.outcome && !rubric.criteria.some((c) => c.kind === "outcome")) {
    const d = await opts.outcome.decide(t, facts, [RESOLVED]);
    if (d.usage) usage = usage ? sumUsage(usage, d.usage) : d.usage;
    const v = d.verdicts.get(RESOLVED.id);
    if (v?.status === "decided") resolved = resultOf(RESOLVED, v);
  }
  const record: ScoreRecord = {
    schema: SCORE_SCHEMA,
    trajectory_id: t.id,
    instance_id: t.instance_id,
    source: t.source,
    label: t.label,
    rubric: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    score,
    p_resolved: resolved?.value ?? null,
    decided: count(criteria, "decided"),
    unscored: count(criteria, "unscored"),
    not_applicable: count(criteria, "not_applicable"),
    vetoed_by,
    // (what excessive_steps counts, so that a run's median is taken over the same numbers)
    steps: stepCount(facts, t),
    criteria,
    provenance: { rubricate: VERSION, judge: opts.judge?.provenance ?? null, p_resolved: resolved?.by ?? null },
  };
  if (usage) record.usage = usage;
  const findings = injectionFindings(t);
  if (findings.length) record.injection = { count: findings.length, findings: findings.slice(0, MAX_FINDINGS) };
  return record;
}

/** Injection findings listed in a record (all are counted). */
const MAX_FINDINGS = 10;

/** The usage of two decisions about one trajectory (one judge asked about judge and outcome criteria). */
function sumUsage(a: JudgeUsage, b: JudgeUsage): JudgeUsage {
  return {
    requests: a.requests + b.requests,
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    cache_hits: a.cache_hits + b.cache_hits,
    cost_usd: a.cost_usd === null || b.cost_usd === null ? null : a.cost_usd + b.cost_usd,
    ...((a.transcript ?? b.transcript) ? { transcript: (a.transcript ?? b.transcript)! } : {}),
  };
}

function count(criteria: CriterionResult[], status: CriterionResult["status"]): number {
  let n = 0;
  for (const c of criteria) if (c.status === status) n++;
  return n;
}

/** A check criterion's verdict: present (1), absent (0), or not applicable. */
function checkVerdict(c: Criterion, f: Facts, t: Trajectory, run: RunContext): Verdict {
  const def = CHECKS.get(c.check!)!;
  const by = `check:${def.name}`;
  try {
    const r = def.run(f, t, c.params ?? def.params.parse({}), run);
    if (r.present === null)
      return { status: "not_applicable", value: null, evidence: r.evidence, explanation: r.explanation, by };
    return { status: "decided", value: r.present ? 1 : 0, evidence: r.evidence, explanation: r.explanation, by };
  } catch (e) {
    return {
      status: "unscored",
      value: null,
      evidence: [],
      explanation: `check failed: ${(e as Error).message}`,
      reason: "check_error",
      by,
    };
  }
}

/** A record for a trajectory whose scoring failed: the reason, no score, and the run goes on. */
export function errorRecord(t: Trajectory, rubric: Rubric, error: unknown): ScoreRecord {
  return {
    schema: SCORE_SCHEMA,
    trajectory_id: t.id,
    instance_id: t.instance_id,
    source: t.source,
    label: t.label,
    rubric: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    score: null,
    p_resolved: null,
    decided: 0,
    unscored: rubric.criteria.length,
    not_applicable: 0,
    vetoed_by: [],
    steps: t.steps.length,
    criteria: [],
    provenance: { rubricate: VERSION, judge: null, p_resolved: null },
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
