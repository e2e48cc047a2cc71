/** `rubricate report`: one self-contained HTML file with the summary, the plots and a trajectory viewer. */
import { MixedRubricsError } from "../report/collect.js";
import { buildReport } from "../report/build.js";
import { IngestError } from "../io/error.js";
import { note } from "./output.js";

export interface ReportCliOptions {
  output: string;
  trajectories?: string[];
  filterReport?: string;
  rubric?: string;
  title?: string;
  maxMb: number;
  sideFolder?: boolean;
  bootstrap: number;
  quiet?: boolean;
}

/** Phases and counts on stderr: one updating line on a terminal, a line per phase otherwise. */
function phases() {
  const tty = process.stderr.isTTY === true;
  let last = "";
  let at = 0;
  return {
    update(phase: string, done: number, total: number) {
      if (!tty) {
        if (phase !== last) process.stderr.write(`${phase}…\n`);
      } else if (phase !== last || Date.now() - at > 100 || done === total) {
        process.stderr.write(`\r\x1b[K${phase} ${done}/${total}`);
        at = Date.now();
      }
      last = phase;
    },
    stop() {
      if (tty && last) process.stderr.write("\r\x1b[K");
    },
  };
}

export async function runReport(scores: string[], o: ReportCliOptions): Promise<number> {
  const bar = o.quiet ? null : phases();
  const t0 = Date.now();
  try {
    const res = await buildReport(o.output, {
      scores,
      trajectories: o.trajectories,
      filterReport: o.filterReport,
      rubric: o.rubric,
      title: o.title,
      maxMb: o.maxMb,
      sideFolder: o.sideFolder,
      bootstrap: o.bootstrap,
      onProgress: (phase, done, total) => bar?.update(phase, done, total),
    });
    bar?.stop();
    for (const e of res.errors.slice(0, 20)) note(`error: ${e.describe()}`);
    if (res.errors.length > 20) note(`… and ${res.errors.length - 20} more errors`);
    if (!o.quiet) {
      const a = res.analysis;
      note(
        `report: ${res.records} trajectories (${a.labelled} labelled) -> ${o.output}, ${(res.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (res.sideFolder)
        note(
          `  trajectory bodies in ${res.sideFolder}/ (${res.store.chunks} files, ${(res.store.storedBytes / 1e6).toFixed(1)} MB): keep it next to the report`,
        );
      note(`  plots: ${res.charts.length ? res.charts.join(", ") : `none (${a.noOutcome})`}`);
      if (o.trajectories?.length)
        note(
          `  steps shown for ${res.store.bodies - res.withoutSteps} trajectories; ${res.withoutSteps} scored trajectories not found in the inputs; ${res.unscored} inputs without a score record`,
        );
      if (res.store.cutTexts)
        note(
          `  ${res.store.cutTexts} long texts cut to fit --max-mb ${o.maxMb} (in ${res.store.cutBodies} trajectories)`,
        );
      if (res.collected.leftOut) note(`  ${res.collected.leftOut} records of other rubrics left out`);
    }
    return res.errors.length ? 1 : 0;
  } catch (e) {
    bar?.stop();
    if (e instanceof MixedRubricsError) note(`report: ${e.message}`);
    else if (e instanceof IngestError) note(`report: ${e.describe()}`);
    else note(`report: ${(e as Error).message}`);
    return 1;
  }
}
