/** `rubricate calibrate`: fit a calibrator, report cross-validated ECE before/after, save it. */
import { crossValidate, fit } from "../eval/calibrate.js";
import { readScores } from "../eval/read.js";
import { criterionValue, reward, type RewardMode } from "../score/reward.js";
import { counter } from "./export.js";
import { claimOutput, note, writeText } from "./output.js";

export interface CalibrateCliOptions {
  output: string;
  method: "platt" | "isotonic";
  reward: RewardMode;
  folds: number;
  criterion?: string;
  quiet?: boolean;
}

export async function runCalibrate(files: string[], o: CalibrateCliOptions): Promise<number> {
  const lock = claimOutput(o.output, { inputs: files }); // checked before any work
  try {
    return await calibrate(files, o);
  } finally {
    lock?.release();
  }
}

async function calibrate(files: string[], o: CalibrateCliOptions): Promise<number> {
  const items: { score: number; label: boolean; task: string }[] = [];
  const rubrics = new Set<string>();
  let errors = 0;
  let read = 0;
  const bar = counter("calibrate", !o.quiet, "records");
  for await (const ev of readScores(files)) {
    bar.tick(++read);
    if (ev.type === "error") {
      if (++errors <= 20) note(`error: ${ev.error.describe()}`);
      continue;
    }
    const r = ev.record;
    const v = o.criterion ? criterionValue(r, o.criterion) : reward(r, { mode: o.reward });
    if (!r.label || v === null) continue;
    rubrics.add(`${r.rubric.id}@${r.rubric.version}#${r.rubric.hash}`);
    items.push({ score: v, label: r.label.resolved, task: r.instance_id ?? r.trajectory_id });
  }
  bar.done();
  if (items.length < 10 || items.every((i) => i.label) || items.every((i) => !i.label)) {
    note(`calibrate: need at least 10 labelled records with both outcomes (have ${items.length})`);
    return 1;
  }
  if (rubrics.size > 1)
    note(`warning: the scores come from ${rubrics.size} different rubrics: ${[...rubrics].join(", ")}`);
  const cv = crossValidate(o.method, items, o.folds);
  const c = fit(o.method, items, {
    records: items.length,
    positives: items.filter((i) => i.label).length,
    tasks: new Set(items.map((i) => i.task)).size,
    rubrics: [...rubrics],
    reward: o.criterion ? `criterion:${o.criterion}` : o.reward,
  });
  c.file.cv = cv as unknown as Record<string, unknown>;
  writeText(o.output, JSON.stringify(c.file, null, 2) + "\n");
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  note(
    `calibrate (${o.method}): ${items.length} records; ${cv.folds}-fold cross-validation by task: ECE ${f(cv.before.ece)} -> ${f(cv.after.ece)}, Brier ${f(cv.before.brier)} -> ${f(cv.after.brier)}; saved ${o.output}`,
  );
  return errors ? 1 : 0;
}
