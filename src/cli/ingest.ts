/** `rubricate ingest`: stream canonical JSONL from any supported input. */
import { readTrajectories } from "../labels/stream.js";
import type { IngestError } from "../io/error.js";
import { jsonlWriter, note } from "./output.js";
import { progress } from "./progress.js";

export interface IngestCliOptions {
  output?: string;
  labels?: string[];
  autoLabels: boolean;
  strict?: boolean;
  quiet?: boolean;
  maxErrors: number;
}

export async function runIngest(inputs: string[], o: IngestCliOptions): Promise<number> {
  const out = jsonlWriter(o.output, false, { inputs }); // checked and locked before any work
  // no bar on a terminal that also shows the records: the two would overwrite each other
  const recordsOnTerminal = (!o.output || o.output === "-") && process.stdout.isTTY === true;
  const bar = progress("ingest", !o.quiet && process.stderr.isTTY === true && !recordsOnTerminal);
  const byFormat = new Map<string, number>();
  const errors: IngestError[] = [];
  let files = 0;
  let n = 0;
  let labelled = 0;
  let resolved = 0;
  let skipped = 0;
  const skips: { file: string; reason: string }[] = [];
  try {
    for await (const ev of readTrajectories(inputs, {
      labels: o.labels,
      autoLabels: o.autoLabels,
      onProgress: (done, total) => {
        files = total;
        if (done === 0) bar.total(total);
        else bar.tick({ trajectories: n, errors: errors.length });
      },
    })) {
      if (ev.type === "trajectory") {
        const t = ev.trajectory;
        n++;
        const key = `${t.source.format} ${t.source.variant}`.trim();
        byFormat.set(key, (byFormat.get(key) ?? 0) + 1);
        if (t.label) {
          labelled++;
          if (t.label.resolved) resolved++;
        }
        await out.write(t);
      } else if (ev.type === "error") {
        errors.push(ev.error);
        if (o.strict) break;
      } else {
        skipped++;
        if (ev.reason !== "not a trajectory") skips.push({ file: ev.file, reason: ev.reason });
      }
    }
  } finally {
    bar.stop();
    await out.close();
  }
  if (!o.quiet) {
    note(
      `ingest: ${files} inputs, ${n} trajectories, ${labelled} labelled (${resolved} resolved, ${labelled - resolved} unresolved), ${skipped} files skipped (${skipped - skips.length} not trajectories, ${skips.length} read with another or already read), ${errors.length} errors`,
    );
    for (const [k, v] of [...byFormat].sort()) note(`  ${k.padEnd(32)} ${v}`);
    for (const s of skips.slice(0, o.maxErrors)) note(`  skipped: ${s.file}: ${s.reason}`);
    if (skips.length > o.maxErrors) note(`  ... and ${skips.length - o.maxErrors} more skipped`);
    for (const e of errors.slice(0, o.maxErrors)) note(`  error: ${e.describe()}`);
    if (errors.length > o.maxErrors) note(`  ... and ${errors.length - o.maxErrors} more errors`);
    if (o.strict && errors.length) note("ingest: stopped at the first error (--strict)");
  }
  return errors.length ? 1 : 0;
}
