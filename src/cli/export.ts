/** `rubricate export`: SFT datasets from trajectories (usually the output of `filter`). */
import { readFileSync } from "node:fs";
import type { ExportFormat } from "../export/formats.js";
import type { ToolStyle } from "../export/render.js";
import { readScoreMap } from "../export/scores.js";
import { checkSft, exportSft, type SftReport } from "../export/sft.js";
import type { CallText } from "../export/sharegpt.js";
import { checkInputs, checkTrajectoryInputs } from "../export/targets.js";
import type { ScoreRecord } from "../types/score.js";
import { note } from "./output.js";

export interface ExportCliOptions {
  output: string;
  format: ExportFormat;
  toolStyle: ToolStyle;
  arguments?: "string" | "object";
  systemPrompt?: string;
  scores?: string[];
  zeroWeight?: string;
  weights?: boolean;
  keepDemos?: boolean;
  labels?: string[];
  autoLabels: boolean;
  callText?: CallText;
  datasetName?: string;
  force?: boolean;
  quiet?: boolean;
}

/** A line on stderr that counts trajectories as they are read (terminals only). */
export function counter(
  label: string,
  enabled: boolean,
  unit = "trajectories",
): { tick(n: number): void; done(): void } {
  if (!enabled || !process.stderr.isTTY) return { tick() {}, done() {} };
  let shown = 0;
  return {
    tick(n) {
      if (n - shown >= 25) {
        shown = n;
        process.stderr.write(`\r${label}: ${n} ${unit} read`);
      }
    },
    done() {
      if (shown) process.stderr.write("\r\x1b[K");
    },
  };
}

/** Score records from --scores files (checked to exist first); bad lines are reported. */
export async function scoresFromFiles(
  files: string[] | undefined,
): Promise<{ scores: Map<string, ScoreRecord>; errors: number }> {
  if (!files?.length) return { scores: new Map(), errors: 0 };
  const { scores, errors } = await readScoreMap(files);
  errors.slice(0, 20).forEach((e) => note(`error: ${e}`));
  if (errors.length > 20) note(`... and ${errors.length - 20} more score-file errors`);
  return { scores, errors: errors.length };
}

export function renderSftReport(r: SftReport): string {
  const lines = [
    `export (${r.format}, tool calls ${r.toolStyle}): ${r.written} of ${r.read} trajectories written -> ${r.files.join(", ")}`,
    `  labels: ${r.labels.resolved} resolved, ${r.labels.unresolved} unresolved, ${r.labels.unknown} unknown` +
      (r.labels.fromScores ? ` (${r.labels.fromScores} taken from the score records)` : ""),
    `  by scaffold: ${Object.entries(r.byScaffold)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  ];
  if (r.zeroed) lines.push(`  ${r.zeroed} assistant turns weighted 0`);
  if (r.refusedTurns)
    lines.push(`  ${r.refusedTurns} turns with several text actions the scaffold refused, kept as text`);
  if (r.unansweredCalls)
    lines.push(
      `  ${r.unansweredCalls} calls the source never answered, answered with what the step recorded (or empty)`,
    );
  if (r.datasetInfo) {
    const d = r.datasetInfo;
    const what = d.added.length ? "added" : d.replaced.length ? "replaced" : "unchanged";
    lines.push(`  LLaMA-Factory: dataset '${d.name}' ${what} in ${d.path}`);
  }
  if (r.skipped.length) {
    lines.push(`  skipped ${r.skipped.length}:`);
    for (const s of r.skipped.slice(0, 20)) lines.push(`    ${s.file}: ${s.reason}`);
    if (r.skipped.length > 20) lines.push(`    ... and ${r.skipped.length - 20} more`);
  }
  for (const e of r.errors.slice(0, 20)) lines.push(`  error: ${e}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join("\n");
}

export async function runExport(inputs: string[], o: ExportCliOptions): Promise<number> {
  checkTrajectoryInputs(inputs);
  checkInputs("--scores", o.scores);
  checkInputs("--system-prompt", o.systemPrompt ? [o.systemPrompt] : []);
  const base = {
    output: o.output,
    format: o.format,
    toolStyle: o.toolStyle,
    datasetName: o.datasetName,
    force: o.force,
  };
  checkSft(base);
  const systemPrompt = o.systemPrompt ? readFileSync(o.systemPrompt, "utf8") : undefined;
  const { scores, errors } = await scoresFromFiles(o.scores);
  const zeroWeight = (o.zeroWeight ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bar = counter("export", !o.quiet);
  const report = await exportSft(inputs, {
    ...base,
    arguments: o.arguments,
    systemPrompt,
    scores,
    zeroWeight: scores.size ? zeroWeight : [],
    weights: o.weights,
    keepDemos: o.keepDemos,
    labels: o.labels,
    autoLabels: o.autoLabels,
    callText: o.callText,
    progress: (n) => bar.tick(n),
  });
  bar.done();
  note(renderSftReport(report));
  return errors || report.errors.length || report.skipped.length ? 1 : 0;
}
