/** `rubricate eval`: how well a scores file predicts the test outcomes. */
import { readScores } from "../eval/read.js";
import { evaluate, renderReport } from "../eval/report.js";
import { criterionValue, reward, type RewardMode } from "../score/reward.js";
import type { ScoreRecord } from "../types/score.js";
import { claimOutput, note, writeText } from "./output.js";
import { steps } from "./progress.js";

export interface EvalCliOptions {
  json?: string;
  reward: RewardMode;
  alpha: number;
  threshold: number;
  bins: number;
  bootstrap: number;
  groupBy: string;
  calibrator?: string;
  /** evaluate one criterion's value instead of a reward */
  criterion?: string;
  /** one table of every metric, as wide as it needs (default: within 100 columns) */
  wide?: boolean;
  quiet?: boolean;
}

export async function runEval(files: string[], o: EvalCliOptions): Promise<number> {
  const lock = o.json ? claimOutput(o.json, { inputs: files }) : null; // checked before any work
  try {
    return await evalInto(files, o);
  } finally {
    lock?.release();
  }
}

async function evalInto(files: string[], o: EvalCliOptions): Promise<number> {
  const records: ScoreRecord[] = [];
  let errors = 0;
  for await (const ev of readScores(files)) {
    if (ev.type === "record") records.push(ev.record);
    else {
      errors++;
      if (errors <= 20) note(`error: ${ev.error.describe()}`);
    }
  }
  if (!records.length) {
    note("eval: no score records read");
    return 1;
  }
  if (o.criterion && !records.some((r) => criterionValue(r, o.criterion!) !== null)) {
    note(
      `eval: no record has a decided value for criterion ${o.criterion}; criteria in these records: ${[...new Set(records.flatMap((r) => r.criteria.map((c) => c.id)))].join(", ")}`,
    );
    return 1;
  }
  let calibrate: ((x: number) => number) | undefined;
  if (o.calibrator) {
    const { loadCalibrator } = await import("../eval/calibrate.js");
    calibrate = loadCalibrator(o.calibrator).apply;
  }
  const bar = steps("eval: intervals", "parts", !o.quiet && o.bootstrap > 0);
  let rep: ReturnType<typeof evaluate>;
  try {
    rep = evaluate(records, {
      onProgress: bar.onProgress,
      value: (r) => {
        const v = o.criterion ? criterionValue(r, o.criterion) : reward(r, { mode: o.reward, alpha: o.alpha });
        return v === null || !calibrate ? v : calibrate(v);
      },
      threshold: o.threshold,
      bins: o.bins,
      bootstrap: o.bootstrap,
      groupBy: o.groupBy.split(",").filter(Boolean) as ("format" | "scaffold" | "model" | "run")[],
    });
  } finally {
    bar.stop();
  }
  if (rep.overall.n === 0) {
    // say which half is missing: the labels, or the value the reward reads
    const what = o.criterion ? `criterion ${o.criterion}` : `the ${o.reward} reward`;
    const why =
      o.criterion || o.reward !== "resolved"
        ? records.every((r) => r.score === null) && !o.criterion
          ? " (every behaviour score is null: no behaviour criterion was decided; see each criterion's reason in the records)"
          : ""
        : " (no p(resolved): scored with --no-outcome-model? use --reward rubric for the behaviour score)";
    note(
      rep.labelled === 0
        ? `eval: none of the ${rep.records} records has an outcome label; give labels to 'rubricate score' with --labels`
        : `eval: no record has a score to evaluate: ${rep.labelled} labelled records, none with a value for ${what}${why}`,
    );
    return 1;
  }
  process.stdout.write(renderReport(rep, { wide: o.wide }) + "\n");
  if (o.json) writeText(o.json, JSON.stringify(rep, null, 2) + "\n");
  return errors ? 1 : 0;
}
