/**
 * Which run an evaluation file belongs to. Evaluation files (reports of a whole
 * run, per-instance reports and logs) only label trajectories of their own run:
 * the same instance is attempted by many runs, and one run's verdict says
 * nothing about another's attempt.
 *
 * A file's run is the folder it sits in, skipping the folders that evaluation
 * tools put inside a run (`results/`, `logs/`, `new_eval_results/`,
 * `sb-cli-reports/`, `trajs/`, one folder per instance …); a SWE-bench harness
 * log under `logs/run_evaluation/<run>/…` belongs to `<run>`. A harness or
 * sb-cli summary also names its run at the end of the file name
 * (`<model>.<run>.json`, `<dataset>__<split>__<run>.json`).
 */
import { basename, dirname, sep } from "node:path";

/** Folders that evaluation tools create inside a run folder. */
const INSIDE_RUN =
  /^(logs?|results?|reports?|evals?|eval_outputs|evaluation_results|\w*eval_results|sb-cli-reports|trajs|[\w.-]*\.swebench_eval\.logs)$/i;

/** The run an evaluation file at `absFile` belongs to, by its location; null at the file-system root. */
export function runOfFile(absFile: string, instances: Iterable<string> = []): string | null {
  const parts = dirname(absFile).split(sep);
  const at = parts.lastIndexOf("run_evaluation");
  if (at >= 0 && at + 1 < parts.length && parts[at + 1]) return parts[at + 1];
  const ids = new Set(instances);
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    if (!p || INSIDE_RUN.test(p) || ids.has(p) || ids.has(p.replace(/^instance_/, ""))) continue;
    return p;
  }
  return null;
}

/** True when a run summary's file name ends with the run's name (`<model>.<run>.json`, `…__<run>.json`). */
export function fileNamesRun(absFile: string, run: string): boolean {
  const name = basename(absFile);
  return name.endsWith(`.${run}.json`) || name.endsWith(`__${run}.json`);
}
