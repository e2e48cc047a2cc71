/** `rubricate pairs`: DPO / KTO preference data from the attempts at each task. */
import { readFileSync, writeFileSync } from "node:fs";
import { exportPairs, type PairLayout, type PairsReport, type RowFormat } from "../export/pairs.js";
import { checkInputs, checkTargets, checkTrajectoryInputs, UsageError } from "../export/targets.js";
import { PAIR_KINDS, type Summary } from "../select/pairs.js";
import type { ScoreRecord } from "../types/score.js";
import { counter } from "./export.js";
import { note } from "./output.js";
import { scoresFor } from "./scores.js";

export interface PairsCliOptions {
  output: string;
  layout: PairLayout;
  format?: RowFormat;
  margin: number;
  perTask: number;
  systemPrompt?: string;
  keepDemos?: boolean;
  scores?: string[];
  rubric: string;
  labels?: string[];
  autoLabels: boolean;
  report?: string;
  force?: boolean;
  quiet?: boolean;
}

const f3 = (x: number) => x.toFixed(3);
const margins = (s: Summary | null) => (s ? `${f3(s.min)} / ${f3(s.median)} / ${f3(s.mean)} / ${f3(s.max)}` : "-");

export function renderPairsReport(r: PairsReport, margin: number): string {
  const lines = [
    `pairs (${r.layout}): ${r.pairs} pairs from ${r.tasksWithPairs} of ${r.tasks} tasks, ${r.rows} rows -> ${r.output}`,
    `  attempts: ${r.attempts} scored (${r.read} read, ${r.unscored} without a score record): ${r.good} good ` +
      `(resolved, no veto, within ${margin} of the task's best score), ${r.bad} bad (unresolved, vetoed, or resolved ` +
      `and more than ${margin} below), ${r.undecided} undecided (no outcome label or no score)`,
  ];
  if (r.splitTasks)
    lines.push(`  ${r.splitTasks} tasks have attempts under different prompts (paired only within one prompt)`);
  lines.push(
    "",
    `  ${"kind".padEnd(10)} ${"pairs".padStart(6)}  ${"score margin min / median / mean / max".padEnd(40)}  p(resolved) margin min / median / mean / max`,
  );
  for (const k of PAIR_KINDS) {
    const x = r.kinds[k];
    lines.push(
      `  ${k.padEnd(10)} ${String(x.pairs).padStart(6)}  ${margins(x.margin).padEnd(40)}  ${margins(x.p_margin)}`,
    );
  }
  const per = Object.entries(r.perTask)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  lines.push("", `  tasks by number of pairs: ${per}`);
  if (r.skipped.length) {
    lines.push(`  skipped ${r.skipped.length}:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`    ${s.file}: ${s.reason}`);
  }
  for (const e of r.errors.slice(0, 20)) lines.push(`  error: ${e}`);
  if (r.unscored)
    lines.push(
      `  ${r.unscored === r.read ? "error" : "warning"}: ${r.unscored} of ${r.read} trajectories have no record in --scores ` +
        "(left out; were these the inputs that were scored?)",
    );
  return lines.join("\n");
}

export async function runPairs(inputs: string[], o: PairsCliOptions): Promise<number> {
  checkTrajectoryInputs(inputs);
  checkInputs("--scores", o.scores);
  checkInputs("--system-prompt", o.systemPrompt ? [o.systemPrompt] : []);
  checkTargets([o.output, ...(o.report ? [o.report] : [])], o.force);
  if (!(o.margin >= 0 && o.margin <= 1)) throw new UsageError("--margin: expected a number from 0 to 1");
  const systemPrompt = o.systemPrompt ? readFileSync(o.systemPrompt, "utf8") : undefined;
  const { records, errors } = await scoresFor(inputs, o);
  const scores = new Map<string, ScoreRecord>(records.map((r) => [r.trajectory_id, r]));
  const bar = counter("pairs", !o.quiet);
  const report = await exportPairs(inputs, {
    output: o.output,
    layout: o.layout,
    format: o.format,
    scores,
    margin: o.margin,
    perTask: o.perTask,
    systemPrompt,
    keepDemos: o.keepDemos,
    labels: o.labels,
    autoLabels: o.autoLabels,
    force: o.force,
    progress: (n) => bar.tick(n),
  });
  bar.done();
  note(renderPairsReport(report, o.margin));
  if (o.report) writeFileSync(o.report, JSON.stringify(report, null, 2) + "\n");
  const noneScored = report.read > 0 && report.unscored === report.read;
  return errors || report.errors.length || report.skipped.length || noneScored ? 1 : 0;
}
