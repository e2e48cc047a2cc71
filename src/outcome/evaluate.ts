/**
 * Metrics of held-out predictions, as research reports execution-free reward
 * models: ROC-AUC (discrimination), ECE and Brier (calibration), and best-of-N
 * selection (the share of the random-to-oracle gap closed by picking each
 * task's top-scored attempt), each with a 95% bootstrap interval over tasks.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { bootstrap, brier, ece, rocAuc, selectBest, type Interval, type Scored } from "../eval/metrics.js";
import type { Example } from "./cv.js";

export interface Prediction {
  p: number;
  e: Example;
}

export interface Selection {
  /** groups of attempts counted: tasks with mixed outcomes (within one scaffold, or across all) */
  groups: number;
  attempts: number;
  random: number;
  reward: number;
  gapClosed: Interval;
}

export interface Validation {
  n: number;
  positives: number;
  tasks: number;
  auc: Interval;
  ece: Interval;
  brier: Interval;
  /** picking one of all attempts at a task, over tasks with mixed outcomes */
  selectAll: Selection | null;
  /** picking one of one scaffold's attempts at a task, over (task, scaffold) pairs with mixed outcomes */
  selectWithin: Selection | null;
}

export interface ValidateOptions {
  /** bootstrap resamples */
  b?: number;
  /** tasks counted for selection (e.g. SWE-bench Lite); all tasks when undefined */
  selectTasks?: Set<string>;
}

function byKey<T>(xs: T[], key: (x: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return [...m.values()];
}

const scored = (g: Prediction[]): Scored[] => g.map((x) => ({ score: x.p, label: x.e.y }));
const mixed = (g: Prediction[]) => g.some((x) => x.e.y) && g.some((x) => !x.e.y);

function selection(preds: Prediction[], key: (x: Prediction) => string, b: number): Selection | null {
  // resampled by task: a task's scaffold groups travel together
  const groups = byKey(preds, key).filter(mixed);
  if (!groups.length) return null;
  const tasks = byKey(groups, (g) => g[0].e.task);
  const pt = selectBest(groups.map(scored));
  return {
    groups: groups.length,
    attempts: groups.reduce((s, g) => s + g.length, 0),
    random: pt.random,
    reward: pt.reward,
    gapClosed: bootstrap(tasks, (ts) => selectBest(ts.flat().map(scored)).gapClosed, b),
  };
}

/** Metrics of held-out predictions, with bootstrap intervals over tasks. */
export function validate(preds: Prediction[], o: ValidateOptions = {}): Validation {
  const b = o.b ?? 1000;
  const groups = byKey(preds, (x) => x.e.task);
  const flat = (gs: Prediction[][]) => scored(gs.flat());
  const forSelect = o.selectTasks ? preds.filter((x) => o.selectTasks!.has(x.e.task)) : preds;
  return {
    n: preds.length,
    positives: preds.filter((x) => x.e.y).length,
    tasks: groups.length,
    auc: bootstrap(groups, (gs) => rocAuc(flat(gs)), b),
    ece: bootstrap(groups, (gs) => ece(flat(gs)), b),
    brier: bootstrap(groups, (gs) => brier(flat(gs)), b),
    selectAll: selection(forSelect, (x) => x.e.task, b),
    selectWithin: selection(forSelect, (x) => `${x.e.task}\u0000${x.e.family}`, b),
  };
}

/**
 * Tasks a label index (`index.jsonl` rows with `instance_id` and `benchmark`,
 * or a folder holding one) marks as SWE-bench Lite, for restricting best-of-N
 * to them; null when no row names a benchmark. Read for evaluation only.
 */
export function liteTasks(labelPaths: string[]): Set<string> | null {
  const out = new Set<string>();
  let named = false;
  for (const p of labelPaths) {
    const file = existsSync(p) && statSync(p).isDirectory() ? join(p, "index.jsonl") : p;
    if (!file.endsWith(".jsonl") || !existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      let row: { instance_id?: unknown; benchmark?: unknown };
      try {
        row = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof row.benchmark !== "string" || typeof row.instance_id !== "string") continue;
      named = true;
      if (/^swe-?bench[-_ ]lite/i.test(row.benchmark)) out.add(row.instance_id);
    }
  }
  return named ? out : null;
}
