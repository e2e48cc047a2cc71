/** Score records by trajectory id, read from `--scores` files; bad lines are listed, not fatal. */
import { readScores } from "../eval/read.js";
import type { ScoreRecord } from "../types/score.js";

export async function readScoreMap(files: string[]): Promise<{ scores: Map<string, ScoreRecord>; errors: string[] }> {
  const scores = new Map<string, ScoreRecord>();
  const errors: string[] = [];
  for await (const ev of readScores(files)) {
    if (ev.type === "record") scores.set(ev.record.trajectory_id, ev.record);
    else errors.push(ev.error.describe());
  }
  return { scores, errors };
}
