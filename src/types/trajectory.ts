/**
 * The canonical trajectory: every input format is read into this one shape.
 *
 * The conversation is kept as OpenAI-style chat messages with `tool_calls`; text
 * actions (fenced bash blocks, SWE-agent commands, XML function calls) become
 * pseudo tool calls marked `synthetic: true`. Steps are derived from messages and
 * point back at them by index. Outcome labels live only in `label` and are never
 * part of the messages.
 */
import { z } from "zod";
import { ActionSchema, RUN_ENDINGS } from "./action.js";

export const TRAJECTORY_SCHEMA = "rubricate.trajectory/1";

/**
 * The name of a format rubricate reads ("sweagent-traj", "mini-swe-agent", "claude-code"...): set
 * by the scaffold folder whose adapter read the file (`src/scaffolds/registry.ts` lists them all).
 */
export type FormatName = string;

export const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
  /** true when the call was parsed out of message text rather than sent as a tool call */
  synthetic: z.boolean().optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const ROLES = ["system", "user", "assistant", "tool"] as const;
export type Role = (typeof ROLES)[number];

export const MessageSchema = z.object({
  role: z.enum(ROLES),
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  reasoning_content: z.string().optional(),
  /** in-context demonstration shown to the agent, not the agent's own work */
  demo: z.boolean().optional(),
  /** training mask from the source dataset (nebius `mask`), when present */
  train: z.boolean().optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export const StepSchema = z.object({
  index: z.number().int().nonnegative(),
  /** index into `messages` of the assistant message holding the action */
  message_index: z.number().int().nonnegative(),
  /** index into `messages` of the observation answering it, or null */
  observation_index: z.number().int().nonnegative().nullable(),
  thought: z.string(),
  tool: z.string(),
  /** parsed tool arguments (an object), or null when arguments were not JSON */
  args: z.record(z.string(), z.unknown()).nullable(),
  /** the raw action: the command line, or the tool arguments string */
  action: z.string(),
  tool_call_id: z.string(),
  observation: z.string().nullable(),
  /** what the step did, in the vocabulary shared by every scaffold (set at ingest by the scaffold's folder) */
  act: ActionSchema.optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const TestStatusSchema = z.record(
  z.string(),
  z.object({ success: z.array(z.string()), failure: z.array(z.string()) }),
);

export const LabelSchema = z.object({
  resolved: z.boolean(),
  /** where the label came from: file (and field) */
  origin: z.string(),
  tests: TestStatusSchema.optional(),
});
export type Label = z.infer<typeof LabelSchema>;

export const StatsSchema = z.object({
  cost: z.number().optional(),
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  api_calls: z.number().optional(),
  duration_s: z.number().optional(),
});
export type Stats = z.infer<typeof StatsSchema>;

export const SourceSchema = z.object({
  format: z.string().min(1),
  /** format variant, e.g. "0.x", "1.1", "transitions" */
  variant: z.string(),
  file: z.string(),
  /** 1-based line or row number inside `file` for multi-record files */
  line: z.number().int().positive().optional(),
  scaffold: z.string(),
  model: z.string().nullable(),
  run: z.string().nullable(),
});
export type Source = z.infer<typeof SourceSchema>;

export const TrajectorySchema = z.object({
  schema: z.literal(TRAJECTORY_SCHEMA),
  id: z.string(),
  instance_id: z.string().nullable(),
  source: SourceSchema,
  task: z.string().nullable(),
  messages: z.array(MessageSchema),
  steps: z.array(StepSchema),
  patch: z.string().nullable(),
  exit_status: z.string().nullable(),
  stats: StatsSchema,
  label: LabelSchema.nullable(),
  /** tool schemas offered to the agent, when the source records them */
  tools: z.array(z.unknown()).optional(),
  /**
   * the folder the agent's repository is checked out in, when the log says and it is not one of
   * the sandbox roots every path is read against (/testbed, /workspace/<repo>...): a session run
   * in a user's own project
   */
  root: z.string().optional(),
  /** how the run ended, read from `exit_status` by the scaffold that wrote it (set at ingest) */
  ending: z.enum(RUN_ENDINGS).optional(),
  /** whether the agent had a tool that runs code (scaffolds that only search and edit have none; set at ingest) */
  can_run: z.boolean().optional(),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;
