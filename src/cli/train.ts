/**
 * `rubricate train`: fit the outcome model on labelled trajectories and print how it does on
 * held-out data: grouped CV (pooled and within each scaffold), leave-one-scaffold-out, best-of-N
 * selection, the learners compared on the same folds (with the 0.1 baseline), and an ablation.
 */
import { f3, table } from "../eval/format.js";
import type { Interval } from "../eval/metrics.js";
import { modelJson } from "../outcome/model.js";
import { liteTasks, type Selection, type Validation } from "../outcome/evaluate.js";
import { FEATURE_GROUPS } from "../outcome/features.js";
import { collectExamples, meanAuc, selectionScore, train, type TrainResult } from "../outcome/train.js";
import { claimOutput, note, writeText } from "./output.js";
import { steps } from "./progress.js";

export interface TrainCliOptions {
  output: string;
  labels?: string[];
  autoLabels: boolean;
  folds: number;
  l2: number;
  bootstrap: number;
  quiet?: boolean;
}

/** 0.866 [.846,.884] */
function ci(i: Interval): string {
  if (i.value === null) return "-";
  const s = (x: number | null) => (x === null ? "-" : x.toFixed(3).replace(/^(-?)0\./, "$1."));
  return i.lo === null ? f3(i.value) : `${f3(i.value)} [${s(i.lo)},${s(i.hi)}]`;
}

function metricsRow(name: string, v: Validation): string[] {
  return [name, String(v.n), String(v.positives), String(v.tasks), ci(v.auc), ci(v.ece), f3(v.brier.value)];
}

function selectionRow(name: string, s: Selection | null): string[] {
  if (!s) return [name, "0", "-", "-", "-", "-"];
  return [name, String(s.groups), String(s.attempts), f3(s.random), f3(s.reward), ci(s.gapClosed)];
}

const METRICS_HEADER = ["", "n", "resolved", "tasks", "ROC-AUC", "ECE", "Brier"];
const SELECTION_HEADER = ["", "groups", "attempts", "random", "picked", "gap closed"];

/** .885 (three decimals, no leading zero: narrow columns) */
const d3 = (x: number | null | undefined) =>
  x === null || x === undefined ? "-" : x.toFixed(3).replace(/^(-?)0\./, "$1.");

const ABBREV: Record<string, string> = {
  autocoderover: "acr",
  "mini-swe-agent": "mini",
  moatless: "moatl",
  openhands: "ohands",
  "sweagent-traj": "swe-ag",
};
const abbrev = (f: string) => ABBREV[f] ?? f.slice(0, 6);

/** Words of a line re-flowed to at most `width` columns, later lines indented. */
function wrap(text: string, width = 100): string[] {
  const out: string[] = [];
  let cur = "";
  for (const w of text.split(" ")) {
    if (cur && cur.length + 1 + w.length > width) {
      out.push(cur);
      cur = "  " + w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

export function renderTrain(
  res: TrainResult,
  o: { examples: number; unlabelled: number; output: string; folds: number; lite: boolean },
): string {
  const fams = res.families;
  const counts = (res.model.training.families ?? {}) as Record<string, number>;
  const shipped = (c: { name: string; kind: string }) => c.kind === res.kind && !c.name.startsWith("baseline");
  const lines: string[] = [
    `outcome model: ${o.examples} labelled trajectories (${o.unlabelled} unlabelled skipped), ${res.model.features.length} features in ${FEATURE_GROUPS.length} groups`,
    ...wrap(`scaffolds: ${fams.map((f) => `${abbrev(f)} = ${f} (${counts[f]})`).join(", ")}`),
    `held-out figures: ${o.folds}-fold CV split by task, Platt-calibrated on the other folds; [95% task-bootstrap]`,
    `best-of-N: one pick per ${o.lite ? "SWE-bench Lite task" : "task"} with mixed outcomes;`,
    "  gap closed = (picked - random) / (1 - random)",
    "",
    "learners on the same folds (baseline = rubricate 0.1's features and logistic regression)",
    table([
      ["grouped CV", "ROC-AUC", "ECE", "Brier", "best-of-N all", "best-of-N within"],
      ...res.comparisons.map((c) => [
        c.name + (shipped(c) ? " *" : ""),
        ci(c.cv.auc),
        d3(c.cv.ece.value),
        d3(c.cv.brier.value),
        d3(c.cv.selectAll?.gapClosed.value),
        d3(c.cv.selectWithin?.gapClosed.value),
      ]),
    ]),
    "",
    "AUC by scaffold: 'in' = grouped CV inside the scaffold; 'LOSO' = trained on the other scaffolds",
    table([
      ["", ...fams.map(abbrev), "mean"],
      ...res.comparisons.flatMap((c) => [
        [`${c.name}: in`, ...c.within.map((w) => d3(w.auc)), d3(meanAuc(c.within))],
        [`${c.name}: LOSO`, ...c.loso.map((l) => d3(l.auc)), d3(meanAuc(c.loso))],
      ]),
    ]),
    `* shipped: ${res.kind}, best mean of pooled CV AUC and mean LOSO AUC`,
    "  (" +
      res.comparisons
        .filter((c) => !c.name.startsWith("baseline"))
        .map((c) => `${c.kind} ${d3(selectionScore(c))}`)
        .join(", ") +
      ")",
    "",
    `grouped CV, ${res.kind} (held-out predictions)`,
    table([METRICS_HEADER, metricsRow("all", res.cv), ...res.cvByFamily.map((f) => metricsRow(f.family, f.metrics))]),
    "",
    `leave-one-scaffold-out, ${res.kind} (trained and calibrated on the other scaffolds only)`,
    table([METRICS_HEADER, ...res.loso.map((f) => metricsRow(`held out: ${f.family}`, f.metrics))]),
    "",
    `best-of-N, ${res.kind}: groups = ${o.lite ? "SWE-bench Lite tasks" : "tasks"} with mixed outcomes; one pick among all of a task's`,
    "attempts ('all'), or among one scaffold's attempts at the task ('within')",
    table([
      SELECTION_HEADER,
      selectionRow("grouped CV: all", res.cv.selectAll),
      selectionRow("grouped CV: within", res.cv.selectWithin),
      ...res.cvByFamily.map((f) => selectionRow(`  within ${f.family}`, f.metrics.selectWithin)),
      ...res.loso.map((f) => selectionRow(`LOSO: within ${f.family}`, f.metrics.selectWithin)),
    ]),
  ];
  lines.push(
    "",
    `reliability of p(resolved), ${res.kind} (grouped-CV held-out predictions, ten equal-width bins)`,
    table([
      ["predicted", "n", "mean predicted", "resolved share", "gap"],
      ...res.reliability
        .filter((b) => b.count > 0)
        .map((b) => [
          `${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`,
          String(b.count),
          f3(b.confidence),
          f3(b.accuracy),
          f3(b.accuracy - b.confidence),
        ]),
    ]),
  );
  if (res.ablation.length) {
    lines.push(
      "",
      `ablation, ${res.kind}: AUC without each feature group (held-out log-odds; lower = the group helps)`,
      table([
        ["without", "n", "CV", "in:", ...fams.map(abbrev), "LOSO:", ...fams.map(abbrev)],
        ...res.ablation.map((a) => [
          a.group || "(none)",
          String(a.features),
          d3(a.cvAuc),
          d3(meanAuc(a.within)),
          ...a.within.map((w) => d3(w.auc)),
          d3(meanAuc(a.loso)),
          ...a.loso.map((l) => d3(l.auc)),
        ]),
      ]),
      "(in: = grouped CV inside each scaffold, LOSO: = held out; their first column is the mean)",
    );
  }
  lines.push("", `saved ${o.output} (${res.kind}, version ${res.model.version})`);
  return lines.join("\n") + "\n";
}

export async function runTrain(inputs: string[], o: TrainCliOptions): Promise<number> {
  const lock = claimOutput(o.output, { inputs }); // checked before any work
  try {
    return await trainInto(inputs, o);
  } finally {
    lock?.release();
  }
}

async function trainInto(inputs: string[], o: TrainCliOptions): Promise<number> {
  const say = o.quiet ? () => {} : note;
  say(`train: reading and analysing ${inputs.join(", ")}`);
  const bar = steps("train: reading", "inputs", !o.quiet);
  let collected: Awaited<ReturnType<typeof collectExamples>>;
  try {
    collected = await collectExamples(inputs, {
      labels: o.labels,
      autoLabels: o.autoLabels,
      onProgress: bar.onProgress,
    });
  } finally {
    bar.stop();
  }
  const { examples, baseline, unlabelled, errors } = collected;
  for (const e of errors.slice(0, 20)) note(`error: ${e}`);
  if (examples.length < 20 || examples.every((e) => e.y) || examples.every((e) => !e.y)) {
    note(
      `train: need at least 20 labelled trajectories with both outcomes (have ${examples.length}; ${unlabelled} unlabelled skipped)`,
    );
    return 1;
  }
  say(`train: ${examples.length} labelled trajectories`);
  const lite = liteTasks(o.labels ?? []);
  const res = train(examples, {
    folds: o.folds,
    l2: o.l2,
    bootstrap: o.bootstrap,
    baseline,
    ablation: true,
    selectTasks: lite ?? undefined,
    onProgress: say,
  });
  writeText(o.output, modelJson(res.model));
  process.stdout.write(
    renderTrain(res, { examples: examples.length, unlabelled, output: o.output, folds: o.folds, lite: lite !== null }),
  );
  return errors.length ? 1 : 0;
}
