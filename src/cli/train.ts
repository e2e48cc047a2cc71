/** `rubricate train`: fit the outcome model on labelled trajectories, print grouped-CV and leave-one-scaffold-out results. */
import { writeFileSync } from "node:fs";
import { collectExamples, train, type Validation } from "../outcome/train.js";
import { ci, f3, table } from "../eval/format.js";
import { note } from "./output.js";

export interface TrainCliOptions {
  output: string;
  labels?: string[];
  autoLabels: boolean;
  folds: number;
  l2: number;
  bootstrap: number;
}


function row(name: string, v: Validation): string[] {
  const gap = (n: number) => v.bestOfN.find((b) => b.n === n);
  const g2 = gap(2);
  const gmax = v.bestOfN.at(-1);
  return [name, String(v.n), String(v.positives), String(v.tasks), ci(v.auc), ci(v.ece), f3(v.brier.value), g2 ? ci(g2.gapClosed) : "-", gmax ? `${ci(gmax.gapClosed)} (N=${gmax.n})` : "-"];
}


export async function runTrain(inputs: string[], o: TrainCliOptions): Promise<number> {
  const { examples, unlabelled, errors } = await collectExamples(inputs, { labels: o.labels, autoLabels: o.autoLabels });
  for (const e of errors.slice(0, 20)) note(`error: ${e}`);
  if (examples.length < 20 || examples.every((e) => e.y) || examples.every((e) => !e.y)) {
    note(`train: need at least 20 labelled trajectories with both outcomes (have ${examples.length}; ${unlabelled} unlabelled skipped)`);
    return 1;
  }
  const res = train(examples, { folds: o.folds, l2: o.l2, bootstrap: o.bootstrap });
  writeFileSync(o.output, JSON.stringify(res.model, null, 2) + "\n");
  const header = ["", "n", "resolved", "tasks", "ROC-AUC", "ECE", "Brier", "best-of-2 gap closed", "best-of-max gap closed"];
  process.stdout.write(
    [
      `outcome model: ${examples.length} labelled trajectories (${unlabelled} unlabelled skipped), ${res.model.features.length} behaviour features, L2 ${o.l2}`,
      `${o.folds}-fold cross-validation split by task (held-out predictions, Platt-calibrated on the other folds); 95% task-bootstrap intervals`,
      table([header, row("grouped CV: all", res.cv), ...res.cvByFamily.map((f) => row(`grouped CV: ${f.family}`, f.metrics))]),
      "",
      "leave-one-scaffold-out (trained on the other scaffolds only)",
      table([header, ...res.loso.map((f) => row(`held out: ${f.family}`, f.metrics))]),
      "",
      `saved ${o.output} (version ${res.model.version})`,
    ].join("\n") + "\n",
  );
  return errors.length ? 1 : 0;
}
