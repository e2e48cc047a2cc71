/**
 * Inputs given in the wrong place: a label table or a file of score records passed where
 * trajectories are read. Each is one clear error for the file ("did you mean --labels?") instead
 * of one "no known format" error per line.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a JSON value that is not a trajectory is, when it is something rubricate reads elsewhere; else null. */
export function misplacedRecord(value: unknown, file: string): string | null {
  if (!isObject(value)) return null;
  if (typeof value.schema === "string" && value.schema.startsWith("rubricate.score/"))
    return `this is a file of score records (from 'rubricate score'), not trajectories; did you mean --scores ${file}?`;
  const trajectoryFields = ["messages", "history", "trajectory", "steps", "events", "history_events", "conversations"];
  if ("instance_id" in value && "resolved" in value && !trajectoryFields.some((k) => Array.isArray(value[k])))
    return `this looks like a label table (instance_id, resolved), not trajectories; did you mean --labels ${file}?`;
  return null;
}

/** The same for the header line of a CSV/TSV file. */
export function misplacedTable(header: string, file: string): string | null {
  const cols = header
    .trim()
    .split(/[,\t]/)
    .map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
  return cols.includes("instance_id") && cols.includes("resolved")
    ? `this looks like a label table (instance_id, resolved), not trajectories; did you mean --labels ${file}?`
    : null;
}
