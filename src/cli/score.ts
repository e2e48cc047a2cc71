/** `rubricate score`: score trajectories against a rubric, one ScoreRecord per line. */
import { loadRubric } from "../rubric/load.js";
import { initShell } from "../analyze/shell.js";
import type { IngestError } from "../ingest/types.js";
import { needsRunContext, runContext, scoreStream } from "../score/stream.js";
import { ScoreSummary } from "../score/summary.js";
import { jsonlWriter, note } from "./output.js";
import { progress } from "./progress.js";

export interface ScoreCliOptions {
  rubric: string;
  output?: string;
  labels?: string[];
  autoLabels: boolean;
  runContext: boolean;
  quiet?: boolean;
  maxErrors: number;
}

export async function runScore(inputs: string[], o: ScoreCliOptions): Promise<number> {
  const rubric = loadRubric(o.rubric);
  await initShell();
  const ctx = o.runContext && needsRunContext(rubric) ? await runContext(inputs) : undefined;
  const out = jsonlWriter(o.output);
  const bar = progress("score", !o.quiet && process.stderr.isTTY === true);
  const summary = new ScoreSummary();
  const errors: IngestError[] = [];
  try {
    for await (const ev of scoreStream(inputs, {
      rubric,
      labels: o.labels,
      autoLabels: o.autoLabels,
      run: ctx,
      onProgress: (done, total) => (done === 0 ? bar.total(total) : bar.tick({ trajectories: summary.records, errors: errors.length })),
    })) {
      if (ev.type === "record") {
        summary.add(ev.record);
        await out.write(ev.record);
      } else if (ev.type === "error") errors.push(ev.error);
    }
  } finally {
    bar.stop();
    await out.close();
  }
  if (!o.quiet) {
    note(`rubric ${rubric.id} ${rubric.version} (${rubric.hash}), ${rubric.criteria.length} criteria`);
    note(summary.table());
    if (errors.length) note(`${errors.length} inputs could not be read:`);
    for (const e of errors.slice(0, o.maxErrors)) note(`  error: ${e.describe()}`);
    if (errors.length > o.maxErrors) note(`  ... and ${errors.length - o.maxErrors} more`);
  }
  return errors.length || summary.errors ? 1 : 0;
}
