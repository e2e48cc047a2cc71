/** Reading ScoreRecord JSONL files back, validated, with errors naming file and line. */
import { jsonlLines, parseJson } from "../io/read.js";
import { IngestError } from "../io/error.js";
import { ingest } from "../ingest/pipeline.js";
import { ScoreRecordSchema, type ScoreRecord } from "../types/score.js";

export type ScoresEvent = { type: "record"; record: ScoreRecord } | { type: "error"; error: IngestError };

/**
 * Score records from JSONL files. A file whose first two lines are not score records (trajectories,
 * a label table, a JSON file) is one error saying what it holds, not one error a line.
 */
export async function* readScores(files: string[]): AsyncGenerator<ScoresEvent> {
  for (const file of files) {
    try {
      let seen = 0;
      let first: IngestError | null = null; // line 1's error, held until line 2 shows whether the file holds records at all
      for await (const item of jsonlLines(file)) {
        if ("error" in item) {
          yield { type: "error", error: item.error };
          continue;
        }
        seen++;
        const ev = recordOf(item.bytes, file, item.line);
        if (ev.type === "record" && first) {
          yield { type: "error", error: first };
          first = null;
        }
        if (ev.type === "error" && seen === 1) first = ev.error;
        else if (ev.type === "error" && seen === 2 && first) {
          yield { type: "error", error: await notScores(file, first) };
          first = null;
          break;
        } else yield ev;
      }
      if (first) yield { type: "error", error: await notScores(file, first) };
      if (!seen) yield { type: "error", error: new IngestError(file, "no score records (empty file)") };
    } catch (e) {
      yield { type: "error", error: new IngestError(file, (e as Error).message) };
    }
  }
}

function recordOf(bytes: Buffer, file: string, line: number): ScoresEvent {
  try {
    const value = parseJson(bytes.toString("utf8"), file, line);
    const r = ScoreRecordSchema.safeParse(value);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new IngestError(file, `not a ScoreRecord (from 'rubricate score'): ${i.message}`, line, i.path.join("."));
    }
    return { type: "record", record: r.data };
  } catch (e) {
    return { type: "error", error: e instanceof IngestError ? e : new IngestError(file, String(e), line) };
  }
}

/** The one error for a file that holds no score records: what it holds instead, when that can be told. */
async function notScores(file: string, first: IngestError): Promise<IngestError> {
  const expected = "expected the ScoreRecord JSONL that 'rubricate score' writes";
  const found = await holds(file);
  if (found === "trajectories")
    return new IngestError(
      file,
      `it holds trajectories, not score records; ${expected} (score them first: rubricate score ${file} -o scores.jsonl)`,
    );
  if (found === "labels")
    return new IngestError(
      file,
      `it looks like a label table (instance_id, resolved), not score records; ${expected} (labels go to 'rubricate score --labels')`,
    );
  return new IngestError(file, `not score records (${first.describe()}); ${expected}`);
}

/** Whether the file holds trajectories or a label table (read as trajectories would be), else null. */
async function holds(file: string): Promise<"trajectories" | "labels" | null> {
  try {
    for await (const ev of ingest([file])) {
      if (ev.type === "trajectory") return "trajectories";
      if (ev.type === "error" && /label table/.test(ev.error.message)) return "labels";
      return null;
    }
  } catch {
    // not readable as trajectories either
  }
  return null;
}
