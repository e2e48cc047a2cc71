/**
 * rubricate's own canonical JSONL: validated against the schema and returned
 * unchanged, so ingest -> write -> ingest round-trips byte for byte.
 */
import { TRAJECTORY_SCHEMA, TrajectorySchema, type Trajectory } from "../../types/trajectory.js";
import { IngestError, type RecordAdapter } from "../types.js";

export const canonicalAdapter: RecordAdapter = {
  format: "rubricate",
  detect(value) {
    return !!value && typeof value === "object" && (value as Record<string, unknown>).schema === TRAJECTORY_SCHEMA;
  },
  read(value, ctx) {
    const r = TrajectorySchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new IngestError(ctx.file, issue.message, ctx.line, issue.path.join("."));
    }
    return value as Trajectory;
  },
};
