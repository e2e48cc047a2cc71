/** `rubricate filter`: keep the trajectories worth fine-tuning on; dropped ones go to a side file with the reason. */
import { checkInputs } from "../export/targets.js";
import { readTrajectories } from "../labels/stream.js";
import { decide, filterReport, type FilterReport, type Policy } from "../select/filter.js";
import { claimOutput, jsonlWriter, note, writeText, type JsonlWriter } from "./output.js";
import { scoresFor, type ScoresSource } from "./scores.js";
import { steps } from "./progress.js";

export interface FilterCliOptions extends ScoresSource {
  output: string;
  dropped?: string;
  report?: string;
  policy: Policy;
  threshold: number;
  perTask?: number;
  coverage?: boolean;
}

export async function runFilter(inputs: string[], o: FilterCliOptions): Promise<number> {
  checkInputs("--scores", o.scores); // a missing scores file is a usage error, before any output is made
  // every output checked and locked before any work
  const claims = { inputs: [...inputs, ...(o.scores ?? [])] };
  const report = o.report ? claimOutput(o.report, claims) : null;
  let kept, dropped;
  try {
    kept = jsonlWriter(o.output, false, claims);
    try {
      dropped = jsonlWriter(o.dropped ?? o.output.replace(/(\.jsonl)?$/, ".dropped.jsonl"), false, claims);
    } catch (e) {
      await kept.close();
      throw e;
    }
  } catch (e) {
    report?.release();
    throw e;
  }
  try {
    return await filterInto(inputs, o, kept, dropped);
  } finally {
    await kept.close();
    await dropped.close();
    report?.release();
  }
}

async function filterInto(
  inputs: string[],
  o: FilterCliOptions,
  kept: JsonlWriter,
  dropped: JsonlWriter,
): Promise<number> {
  const { records, errors } = await scoresFor(inputs, o);
  const opts = { policy: o.policy, threshold: o.threshold, perTask: o.perTask, coverage: o.coverage };
  const decisions = decide(records, opts);
  let written = 0;
  let unscored = 0;
  let failed = 0;
  {
    const bar = steps("filter: writing", "inputs", !o.quiet);
    try {
      for await (const ev of readTrajectories(inputs, {
        labels: o.labels,
        autoLabels: o.autoLabels,
        onProgress: bar.onProgress,
      })) {
        if (ev.type === "error") failed++;
        if (ev.type !== "trajectory") continue;
        const t = ev.trajectory;
        const d = decisions.get(t.id);
        if (d?.kept) {
          await kept.write(t);
          written++;
        } else {
          if (!d) unscored++;
          await dropped.write({
            ...t,
            filter: { kept: false, reason: d?.reason ?? "no score record for this trajectory" },
          });
        }
      }
    } finally {
      bar.stop();
    }
  }
  const rep = filterReport(records, decisions, opts);
  note(renderFilter(rep));
  if (unscored) note(`${unscored} trajectories had no score record (dropped with that reason)`);
  if (written !== rep.kept)
    note(`warning: ${rep.kept} records were kept but ${written} matching trajectories were found in the inputs`);
  if (o.report) writeText(o.report, JSON.stringify(rep, null, 2) + "\n");
  return errors || failed ? 1 : 0;
}

export function renderFilter(rep: FilterReport): string {
  const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(0)}%`);
  const w = Math.max(28, ...rep.criteria.map((c) => c.behaviour.length + 2));
  const lines = [
    `filter (${rep.policy}${rep.policy === "terminal" ? "" : `, threshold ${rep.threshold}`}): kept ${rep.kept} of ${rep.total}, dropped ${rep.dropped}; tasks covered ${rep.tasks.after} of ${rep.tasks.before}`,
    ...Object.entries(rep.reasons)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  dropped: ${k}: ${v}`),
    "",
    `${"behaviour".padEnd(w)} ${"present: before".padStart(16)} ${"after".padStart(7)}`,
    ...rep.criteria.map(
      (c) =>
        `${`${c.polarity === "encourage" ? "+" : "-"} ${c.behaviour}`.padEnd(w)} ${pct(c.before).padStart(16)} ${pct(c.after).padStart(7)}`,
    ),
  ];
  return lines.join("\n");
}
