/** `rubricate select`: best-of-N per task, written as SWE-bench predictions. */
import { checkInputs } from "../export/targets.js";
import { readTrajectories } from "../labels/stream.js";
import { readFileSync } from "node:fs";
import { parseIds, predictionPatch } from "../select/patch.js";
import { selectBest } from "../select/select.js";
import type { RewardMode } from "../score/reward.js";
import { jsonlWriter, note, type JsonlWriter } from "./output.js";
import { scoresFor, type ScoresSource } from "./scores.js";
import { steps } from "./progress.js";

export interface SelectCliOptions extends ScoresSource {
  output: string;
  choices?: string;
  reward: RewardMode;
  alpha: number;
  modelName: string;
  /** keep only tasks whose instance id this file lists (e.g. one benchmark's) */
  ids?: string;
}

export async function runSelect(inputs: string[], o: SelectCliOptions): Promise<number> {
  checkInputs("--scores", o.scores); // a missing scores file is a usage error, before any output is made
  // every output checked and locked before any work
  const claims = { inputs: [...inputs, ...(o.scores ?? [])] };
  const preds = jsonlWriter(o.output, false, claims);
  let chosen: JsonlWriter | null = null;
  try {
    chosen = o.choices ? jsonlWriter(o.choices, false, claims) : null;
    return await selectInto(inputs, o, preds, chosen);
  } finally {
    await preds.close();
    await chosen?.close();
  }
}

async function selectInto(
  inputs: string[],
  o: SelectCliOptions,
  preds: JsonlWriter,
  chosen: JsonlWriter | null,
): Promise<number> {
  const keep = o.ids ? parseIds(readFileSync(o.ids, "utf8"), o.ids) : null;
  const scored = await scoresFor(inputs, o);
  const errors = scored.errors;
  const records = keep
    ? scored.records.filter((r) => r.instance_id !== null && keep.has(r.instance_id))
    : scored.records;
  if (keep)
    note(`select: ${records.length} of ${scored.records.length} records are of the ${keep.size} ids in ${o.ids}`);
  const choices = selectBest(records, { mode: o.reward, alpha: o.alpha });
  const wanted = new Map(choices.map((c) => [c.trajectory_id, c]));
  let found = 0;
  let resolved = 0;
  let labelled = 0;
  {
    const bar = steps("select: writing", "inputs", !o.quiet);
    try {
      for await (const ev of readTrajectories(inputs, {
        labels: o.labels,
        autoLabels: o.autoLabels,
        onProgress: bar.onProgress,
      })) {
        if (ev.type !== "trajectory") continue;
        const c = wanted.get(ev.trajectory.id);
        if (!c) continue;
        wanted.delete(ev.trajectory.id);
        found++;
        const t = ev.trajectory;
        await preds.write({
          instance_id: c.instance_id,
          model_name_or_path: o.modelName,
          model_patch: predictionPatch(t.patch),
        });
        if (c.resolved !== null) {
          labelled++;
          if (c.resolved) resolved++;
        }
        await chosen?.write({ ...c, source: t.source });
      }
    } finally {
      bar.stop();
    }
  }
  note(
    `select (${o.reward}): ${choices.length} tasks, ${found} predictions written${labelled ? `; ${resolved} of ${labelled} labelled picks resolved (${((100 * resolved) / labelled).toFixed(1)}%)` : ""}`,
  );
  if (wanted.size) note(`warning: ${wanted.size} chosen trajectories were not found in the inputs`);
  return errors || wanted.size ? 1 : 0;
}
