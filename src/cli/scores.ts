/** Scores for filter/select: read from --scores files, or computed by scoring the inputs (no judge). */
import { readScores } from "../eval/read.js";
import { loadRubric } from "../rubric/load.js";
import { scoreStream } from "../score/stream.js";
import { outcomeProvider } from "../outcome/provider.js";
import { outcomeModelPath } from "./score.js";
import type { ScoreRecord } from "../types/score.js";
import { note } from "./output.js";
import { steps } from "./progress.js";

export interface ScoresSource {
  scores?: string[];
  rubric: string;
  labels?: string[];
  autoLabels: boolean;
  quiet?: boolean;
}

export async function scoresFor(
  inputs: string[],
  o: ScoresSource,
): Promise<{ records: ScoreRecord[]; errors: number }> {
  const records: ScoreRecord[] = [];
  let errors = 0;
  if (o.scores?.length) {
    for await (const ev of readScores(o.scores)) {
      if (ev.type === "record") records.push(ev.record);
      else if (++errors <= 20) note(`error: ${ev.error.describe()}`);
    }
    return { records, errors };
  }
  const rubric = loadRubric(o.rubric);
  const model = outcomeModelPath(undefined);
  const outcome = model ? outcomeProvider(model) : undefined;
  note(
    `scoring the inputs with rubric ${rubric.id}${outcome ? " and the shipped outcome model" : ""} (no --scores given)`,
  );
  const bar = steps("scoring", "inputs", !o.quiet);
  try {
    for await (const ev of scoreStream(inputs, {
      rubric,
      labels: o.labels,
      autoLabels: o.autoLabels,
      outcome,
      onProgress: bar.onProgress,
    })) {
      if (ev.type === "record") records.push(ev.record);
      else if (ev.type === "error" && ++errors <= 20) note(`error: ${ev.error.describe()}`);
    }
  } finally {
    bar.stop();
  }
  return { records, errors };
}
