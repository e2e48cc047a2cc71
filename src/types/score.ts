/**
 * ScoreRecord: one JSONL line per trajectory, the single artifact every stage
 * after `score` reads (filter, select, eval, export, report).
 */
import { z } from "zod";
import { LabelSchema, SourceSchema } from "./trajectory.js";

export const SCORE_SCHEMA = "rubricate.score/1";

/** Why a criterion has no value. Never a silent 0. */
export const UNSCORED_REASONS = [
  "no_judge",
  "no_outcome_model",
  "judge_error",
  "judge_unclear",
  "check_error",
  "context_too_long",
  "malformed_response",
  /** the judge's answer had no verdict for the criterion, even when asked again for it */
  "missing_verdict",
  "refused",
] as const;

export const CriterionResultSchema = z.object({
  id: z.string(),
  kind: z.enum(["check", "judge", "outcome"]),
  polarity: z.enum(["encourage", "discourage"]),
  weight: z.number(),
  severity: z.enum(["critical", "major", "minor"]),
  /** decided: has a value; not_applicable: its condition or question does not apply; unscored: could not be decided */
  status: z.enum(["decided", "not_applicable", "unscored"]),
  /** probability that the behaviour is present, in [0, 1] (0 or 1 for checks) */
  value: z.number().min(0).max(1).nullable(),
  /** value mapped through polarity: 1 is good, 0 is bad */
  goodness: z.number().min(0).max(1).nullable(),
  evidence: z.array(z.number().int().nonnegative()),
  explanation: z.string(),
  reason: z.enum(UNSCORED_REASONS).optional(),
  /** what decided it: "check:<name>", "judge:<model>", "outcome-model:<version>" */
  by: z.string(),
  /** with several votes (a judge panel or samples): share of votes on the majority side */
  agreement: z.number().min(0).max(1).optional(),
  /** with several votes: standard deviation of the votes' values */
  spread: z.number().min(0).optional(),
  votes: z.array(z.object({ by: z.string(), value: z.number().min(0).max(1).nullable() })).optional(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

/** What judging one trajectory cost: requests sent (cache hits are free and counted apart), tokens, dollars (null: no price). */
export const JudgeUsageSchema = z.object({
  requests: z.number().int().nonnegative(),
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative(),
  cache_hits: z.number().int().nonnegative(),
  cost_usd: z.number().nonnegative().nullable(),
  /** the rendered trajectory the judge read: its sha256, its size in tokens and the tokenizer that counted them */
  transcript: z
    .object({
      sha256: z.string(),
      tokens: z.number().int().nonnegative(),
      tokenizer: z.string(),
      cut_chars: z.number().int().nonnegative(),
      /** true: `tokens` is an upper bound (the UTF-8 bytes), the transcript being far within the budget and not counted */
      tokens_upper_bound: z.boolean().optional(),
    })
    .optional(),
});
export type JudgeUsage = z.infer<typeof JudgeUsageSchema>;

export const ScoreRecordSchema = z.object({
  schema: z.literal(SCORE_SCHEMA),
  trajectory_id: z.string(),
  instance_id: z.string().nullable(),
  source: SourceSchema,
  label: LabelSchema.nullable(),
  rubric: z.object({ id: z.string(), version: z.string(), hash: z.string() }),
  /**
   * the behaviour score in [0, 1]: the rubric's weighted verdicts on behaviour (check and judge
   * criteria; outcome criteria are p_resolved's job); null for an error record or when no
   * behaviour criterion was decided
   */
  score: z.number().min(0).max(1).nullable(),
  /**
   * p(resolved): a calibrated probability that the attempt resolved its task (the outcome model,
   * or the judge asked about the outcome); null when nothing predicted it. What `provenance.p_resolved` names decided it.
   */
  p_resolved: z.number().min(0).max(1).nullable().optional(),
  decided: z.number().int(),
  unscored: z.number().int(),
  not_applicable: z.number().int(),
  vetoed_by: z.array(z.string()),
  steps: z.number().int(),
  criteria: z.array(CriterionResultSchema),
  provenance: z.object({
    rubricate: z.string(),
    judge: z.unknown().nullable(),
    /** what decided p_resolved: "outcome-model:<version>", "judge:<model>"; null when nothing did */
    p_resolved: z.string().nullable().optional(),
  }),
  /** judge usage for this trajectory, when a judge was configured */
  usage: JudgeUsageSchema.optional(),
  /**
   * present when the trajectory's text tries to steer whoever grades it (addresses a judge,
   * imitates the judge's delimiters or a chat template, hides text, or is a bare "master key"
   * reply): how many findings, and the first few as "<where>: <what>". Set with or without a judge;
   * a judge reads that text neutralised.
   */
  injection: z.object({ count: z.number().int().positive(), findings: z.array(z.string()) }).optional(),
  error: z.string().optional(),
});
export type ScoreRecord = z.infer<typeof ScoreRecordSchema>;
