/**
 * Scoring one trajectory against a rubric: conditions, programmatic checks,
 * judge and outcome criteria (through providers; unscored with a typed reason
 * when none is configured), aggregation, provenance.
 */
import { createRequire } from "node:module";
import { analyze, type Facts } from "../analyze/facts.js";
import { CHECKS, type RunContext } from "../checks/index.js";
import type { Condition, Criterion, Rubric } from "../rubric/schema.js";
import { SCORE_SCHEMA, type CriterionResult, type ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { aggregate } from "./aggregate.js";

const VERSION = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

/** Something that decides judge or outcome criteria (an LLM judge, the outcome model). */
export interface CriterionProvider {
  /** what to record as the decider, e.g. "judge:qwen3-32b" */
  name: string;
  /** provenance written into each record (model, prompt hash, sampling parameters) */
  provenance?: unknown;
  decide(t: Trajectory, facts: Facts, criteria: Criterion[]): Promise<Map<string, Omit<CriterionResult, "id" | "kind" | "polarity" | "weight" | "severity">>>;
}

export interface ScoreOptions {
  judge?: CriterionProvider;
  outcome?: CriterionProvider;
  run?: RunContext;
}

function holds(when: Condition | undefined, f: Facts): string | null {
  if (!when) return null;
  if (when.has_patch !== undefined && when.has_patch !== f.patch.files.length > 0) return `only for trajectories ${when.has_patch ? "with" : "without"} a patch`;
  if (when.edited_source !== undefined && when.edited_source !== f.sourceEdits.length > 0) return `only for trajectories that ${when.edited_source ? "edited" : "did not edit"} source files`;
  if (when.submitted !== undefined && when.submitted !== (f.exit === "submitted")) return `only for trajectories that ${when.submitted ? "submitted" : "did not submit"}`;
  return null;
}

function base(c: Criterion): Pick<CriterionResult, "id" | "kind" | "polarity" | "weight" | "severity"> {
  return { id: c.id, kind: c.kind, polarity: c.polarity, weight: c.weight, severity: c.severity };
}

type Verdict = Omit<CriterionResult, "id" | "kind" | "polarity" | "weight" | "severity">;

/**
 * The criterion's fields then the verdict's, in that order. Built field by field: an object
 * spread (`{ ...base(c), status }`) costs V8 microseconds per result, a large share of a check run.
 */
function resultOf(c: Criterion, v: Verdict): CriterionResult {
  const { status, value, goodness, evidence, explanation, reason, by } = v;
  if (reason === undefined) return { id: c.id, kind: c.kind, polarity: c.polarity, weight: c.weight, severity: c.severity, status, value, goodness, evidence, explanation, by };
  return { id: c.id, kind: c.kind, polarity: c.polarity, weight: c.weight, severity: c.severity, status, value, goodness, evidence, explanation, reason, by };
}

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
      results.set(c.id, resultOf(c, { status: "not_applicable", value: null, goodness: null, evidence: [], explanation: skip, by: "condition" }));
      continue;
    }
    if (c.kind === "check") results.set(c.id, runCheck(c, facts, t, opts.run ?? {}));
    else pending[c.kind].push(c);
  }
  for (const kind of ["judge", "outcome"] as const) {
    const provider = kind === "judge" ? opts.judge : opts.outcome;
    const list = pending[kind];
    if (!list.length) continue;
    const decided = provider ? await provider.decide(t, facts, list) : new Map();
    for (const c of list) {
      const d = decided.get(c.id);
      if (d) results.set(c.id, { ...base(c), ...d });
      else {
        const reason = kind === "judge" ? "no_judge" : "no_outcome_model";
        const explanation = provider ? `${provider.name} gave no verdict` : kind === "judge" ? "no judge configured (--judge)" : "no outcome model or judge configured";
        results.set(c.id, resultOf(c, { status: "unscored", value: null, goodness: null, evidence: [], explanation, reason: provider ? "judge_error" : reason, by: provider?.name ?? "none" }));
      }
    }
  }
  const criteria = rubric.criteria.map((c) => results.get(c.id)!);
  const { score, vetoed_by } = aggregate(criteria, rubric.aggregation);
  return {
    schema: SCORE_SCHEMA,
    trajectory_id: t.id,
    instance_id: t.instance_id,
    source: t.source,
    label: t.label,
    rubric: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    score,
    decided: count(criteria, "decided"),
    unscored: count(criteria, "unscored"),
    not_applicable: count(criteria, "not_applicable"),
    vetoed_by,
    steps: t.steps.length,
    criteria,
    provenance: { rubricate: VERSION, judge: opts.judge?.provenance ?? null },
  };
}

function count(criteria: CriterionResult[], status: CriterionResult["status"]): number {
  let n = 0;
  for (const c of criteria) if (c.status === status) n++;
  return n;
}

function runCheck(c: Criterion, f: Facts, t: Trajectory, run: RunContext): CriterionResult {
  const def = CHECKS.get(c.check!)!;
  try {
    const r = def.run(f, t, c.params ?? def.params.parse({}), run);
    if (r.present === null) {
      return resultOf(c, { status: "not_applicable", value: null, goodness: null, evidence: r.evidence, explanation: r.explanation, by: `check:${def.name}` });
    }
    const value = r.present ? 1 : 0;
    return resultOf(c, { status: "decided", value, goodness: goodness(c, value), evidence: r.evidence, explanation: r.explanation, by: `check:${def.name}` });
  } catch (e) {
    return resultOf(c, { status: "unscored", value: null, goodness: null, evidence: [], explanation: `check failed: ${(e as Error).message}`, reason: "check_error", by: `check:${def.name}` });
  }
}

/** A record for a trajectory whose scoring failed: the reason, no score, and the run goes on. */
export function errorRecord(t: Trajectory, rubric: Rubric, error: unknown): ScoreRecord {
  return {
    schema: SCORE_SCHEMA, trajectory_id: t.id, instance_id: t.instance_id, source: t.source, label: t.label,
    rubric: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    score: null, decided: 0, unscored: rubric.criteria.length, not_applicable: 0, vetoed_by: [], steps: t.steps.length, criteria: [],
    provenance: { rubricate: VERSION, judge: null },
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
