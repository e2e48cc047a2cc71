/** `rubricate feedback`: hindsight feedback (failed criteria in words, with evidence steps) per trajectory. */
import { hindsight, type Feedback } from "../export/feedback.js";
import { JsonlFile } from "../export/jsonl.js";
import { checkInputs, checkTargets, checkTrajectoryInputs, UsageError } from "../export/targets.js";
import { readTrajectories } from "../labels/stream.js";
import { builtinRubricIds, loadRubric } from "../rubric/load.js";
import type { Rubric } from "../rubric/schema.js";
import type { ScoreRecord } from "../types/score.js";
import { counter, scoresFromFiles } from "./export.js";
import { note } from "./output.js";

export interface FeedbackCliOptions {
  output: string;
  scores?: string[];
  rubric?: string;
  all?: boolean;
  labels?: string[];
  autoLabels: boolean;
  force?: boolean;
  quiet?: boolean;
}

export async function runFeedback(inputs: string[], o: FeedbackCliOptions): Promise<number> {
  if (!o.scores?.length) throw new UsageError("--scores is required: feedback is read from score records");
  checkTrajectoryInputs(inputs);
  checkInputs("--scores", o.scores);
  checkTargets([o.output], o.force);
  const given = o.rubric ? loadRubric(o.rubric) : undefined;
  const rubrics = new Map<string, Rubric | undefined>();
  const rubricOf = (r: ScoreRecord): Rubric | undefined => {
    if (given) return given;
    if (!rubrics.has(r.rubric.id))
      rubrics.set(r.rubric.id, builtinRubricIds().includes(r.rubric.id) ? loadRubric(r.rubric.id) : undefined);
    return rubrics.get(r.rubric.id);
  };
  const { scores, errors } = await scoresFromFiles(o.scores);
  const out = new JsonlFile(o.output);
  let written = 0;
  let clean = 0;
  let inputErrors = 0;
  const byCriterion = new Map<string, number>();
  const emit = async (fb: Feedback) => {
    if (!fb.failed.length) {
      clean++;
      if (!o.all) return;
    }
    for (const f of fb.failed) byCriterion.set(f.criterion, (byCriterion.get(f.criterion) ?? 0) + 1);
    await out.write(fb);
    written++;
  };
  try {
    if (inputs.length) {
      const bar = counter("feedback", !o.quiet);
      let read = 0;
      for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
        if (ev.type === "error") {
          if (++inputErrors <= 20) note(`error: ${ev.error.describe()}`);
          continue;
        }
        if (ev.type !== "trajectory") continue;
        bar.tick(++read);
        const rec = scores.get(ev.trajectory.id);
        if (rec && !rec.error) await emit(hindsight(rec, ev.trajectory, rubricOf(rec)));
      }
      bar.done();
    } else {
      for (const rec of scores.values()) if (!rec.error) await emit(hindsight(rec, null, rubricOf(rec)));
    }
  } finally {
    await out.close();
  }
  const top = [...byCriterion].sort((a, b) => b[1] - a[1]);
  note(
    `feedback: ${written} rows -> ${o.output} (${clean} trajectories failed no criterion${o.all ? "" : ", not written"})\n` +
      top.map(([id, n]) => `  ${id.padEnd(28)} ${String(n).padStart(5)}`).join("\n"),
  );
  return errors || inputErrors ? 1 : 0;
}
