/** Reading ScoreRecord JSONL files back, validated, with errors naming file and line. */
import { jsonlLines, parseJson } from "../io/read.js";
import { IngestError } from "../io/error.js";
import { ScoreRecordSchema, type ScoreRecord } from "../types/score.js";

export type ScoresEvent = { type: "record"; record: ScoreRecord } | { type: "error"; error: IngestError };

export async function* readScores(files: string[]): AsyncGenerator<ScoresEvent> {
  for (const file of files) {
    try {
      let seen = 0;
      for await (const item of jsonlLines(file)) {
        if ("error" in item) {
          yield { type: "error", error: item.error };
          continue;
        }
        seen++;
        try {
          const value = parseJson(item.bytes.toString("utf8"), file, item.line);
          const r = ScoreRecordSchema.safeParse(value);
          if (!r.success) {
            const i = r.error.issues[0];
            throw new IngestError(
              file,
              `not a ScoreRecord (from 'rubricate score'): ${i.message}`,
              item.line,
              i.path.join("."),
            );
          }
          yield { type: "record", record: r.data };
        } catch (e) {
          yield { type: "error", error: e instanceof IngestError ? e : new IngestError(file, String(e), item.line) };
        }
      }
      if (!seen) yield { type: "error", error: new IngestError(file, "no score records (empty file)") };
    } catch (e) {
      yield { type: "error", error: new IngestError(file, (e as Error).message) };
    }
  }
}
