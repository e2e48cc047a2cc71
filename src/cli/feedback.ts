/** `rubricate feedback`: hindsight feedback (failed criteria in words, with evidence steps) per trajectory. */
import { exportFeedback } from "../export/feedback.js";
import { checkInputs, checkTargets, checkTrajectoryInputs, UsageError } from "../export/targets.js";
import { loadRubric } from "../rubric/load.js";
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
  const rubric = o.rubric ? loadRubric(o.rubric) : undefined;
  const { scores, errors } = await scoresFromFiles(o.scores);
  const bar = counter("feedback", !o.quiet);
  const r = await exportFeedback(inputs, {
    output: o.output,
    scores,
    rubric,
    all: o.all,
    labels: o.labels,
    autoLabels: o.autoLabels,
    progress: (n) => bar.tick(n),
  });
  bar.done();
  const lines = [
    `feedback: ${r.written} rows -> ${r.output} (${r.clean} trajectories failed no criterion${o.all ? "" : ", not written"})`,
    ...r.byCriterion.map(([id, n]) => `  ${id.padEnd(28)} ${String(n).padStart(5)}`),
  ];
  if (r.unscored) lines.push(`  warning: ${r.unscored} trajectories read have no score record (no feedback)`);
  for (const e of r.errors.slice(0, 20)) lines.push(`  error: ${e}`);
  if (r.errors.length > 20) lines.push(`  ... and ${r.errors.length - 20} more input errors`);
  note(lines.join("\n"));
  return errors || r.errors.length ? 1 : 0;
}
