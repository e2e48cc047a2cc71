/**
 * The rubric language. A rubric is a list of criteria, each encouraging or
 * discouraging one behaviour and decided by code (`check`), by an LLM
 * (`judge`) or by an outcome predictor (`outcome`), plus aggregation settings.
 */
import { z } from "zod";

export const POLARITIES = ["encourage", "discourage"] as const;
export const SEVERITIES = ["critical", "major", "minor"] as const;
export const KINDS = ["check", "judge", "outcome"] as const;

export const ConditionSchema = z
  .object({
    /** only for trajectories that end with a non-empty patch */
    has_patch: z.boolean().optional(),
    /** only for trajectories that edited a source file */
    edited_source: z.boolean().optional(),
    /** only for trajectories whose exit status says they submitted */
    submitted: z.boolean().optional(),
  })
  .strict();
export type Condition = z.infer<typeof ConditionSchema>;

export const CriterionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "use lower-case letters, digits, '-' and '_'"),
    title: z.string().min(1),
    /** the question the criterion answers, written so a judge could answer it */
    question: z.string().min(1),
    polarity: z.enum(POLARITIES),
    weight: z.number().finite().positive(),
    severity: z.enum(SEVERITIES).default("major"),
    kind: z.enum(KINDS),
    /** name of the programmatic check (kind: check) */
    check: z.string().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    when: ConditionSchema.optional(),
    /** why the behaviour matters (documentation) */
    why: z.string().optional(),
  })
  .strict();
export type Criterion = z.infer<typeof CriterionSchema>;

export const AggregationSchema = z
  .object({
    method: z.enum(["weighted"]).default("weighted"),
    /** a critical criterion judged bad sets the score to `veto_score` */
    veto: z.boolean().default(true),
    veto_score: z.number().min(0).max(1).default(0),
  })
  .strict();
export type Aggregation = z.infer<typeof AggregationSchema>;

export const RubricSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "use lower-case letters, digits, '.', '-' and '_'"),
    version: z.union([z.string(), z.number()]).transform(String),
    description: z.string().default(""),
    aggregation: AggregationSchema.default({ method: "weighted", veto: true, veto_score: 0 }),
    criteria: z.array(CriterionSchema).min(1),
  })
  .strict();
export type RubricInput = z.input<typeof RubricSchema>;

export interface Rubric extends z.infer<typeof RubricSchema> {
  /** sha256 of the validated rubric's canonical JSON (first 16 hex digits) */
  hash: string;
  /** where it was loaded from: a file path, or `builtin:<id>` */
  origin: string;
}
