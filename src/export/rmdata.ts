/**
 * Reward-model training data (SWE-RM's recipe, see select/rmdata.ts) written to a folder:
 *   classify/train.jsonl, classify/validation.jsonl   {text, label: 1|0, ...}  a classifier, or a
 *                                                      generative YES/NO verifier, reads `text`
 *   pairs/train.jsonl, pairs/validation.jsonl          {chosen, rejected, ...}  TRL RewardTrainer
 *                                                      (preference, implicit prompt)
 *   mixture.json                                       the plan: counts per group and split
 * Each text is the trajectory within a token budget that keeps the task's head, the end of the
 * run and the patch (transcript.ts). Labels are the test outcomes (from the trajectories or their
 * score records); they are the targets here and appear in no text.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCounter } from "../judge/tokens.js";
import { readTrajectories } from "../labels/stream.js";
import { spread } from "../select/pairs.js";
import { patchKey, planRm, type RmPlan, type Sample } from "../select/rmdata.js";
import { resolvedOf } from "../select/signals.js";
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { JsonlFile } from "./jsonl.js";
import { Spool } from "./spool.js";
import { UsageError } from "./targets.js";
import { transcript } from "./transcript.js";

import { MIX_BY } from "./names.js";

export { MIX_BY };
export type MixBy = (typeof MIX_BY)[number];

export interface RmDataOptions {
  /** output folder */
  output: string;
  ratio: number;
  mixBy: MixBy;
  mixture?: Map<string, number>;
  /** without a mixture: the ratio within each --mix-by group (default) or over all samples */
  balance?: "group" | "all";
  validation: number;
  seed: string;
  maxTokens: number;
  /** token counter spec (see loadCounter): o200k by default, or a model's tokenizer.json */
  tokenizer?: string;
  pairsPerTask: number;
  scores?: Map<string, ScoreRecord>;
  labels?: string[];
  autoLabels?: boolean;
  force?: boolean;
  progress?: (read: number) => void;
}

export interface RmDataReport extends Omit<RmPlan, "train" | "validation"> {
  output: string;
  files: string[];
  read: number;
  unlabelled: number;
  errors: string[];
  rows: { train: number; validation: number };
  pairs: { train: number; validation: number };
  tokens: { max: number; mean: number; cut: number; tokenizer: string };
  mixBy: MixBy;
  ratio: number;
  /** how the ratio was met: within each group, over all samples, or by the mixture */
  balance: "group" | "all" | "mixture";
}

export function groupOf(t: Trajectory, by: MixBy): string {
  if (by === "model") return t.source.model ?? "(unknown model)";
  if (by === "run") return t.source.run ?? "(unknown run)";
  if (by === "format") return `${t.source.format} ${t.source.variant}`;
  return t.source.scaffold;
}

/** Parse "a=2,b=1" into target shares. */
export function parseMixture(spec: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = part.lastIndexOf("=");
    const share = Number(part.slice(at + 1));
    if (at < 1 || !(share >= 0)) throw new UsageError(`--mixture: expected name=share, got ${JSON.stringify(part)}`);
    out.set(part.slice(0, at).trim(), share);
  }
  if (![...out.values()].some((v) => v > 0)) throw new UsageError("--mixture: no group with a share above 0");
  return out;
}

const FILES = [
  "classify/train.jsonl",
  "classify/validation.jsonl",
  "pairs/train.jsonl",
  "pairs/validation.jsonl",
  "mixture.json",
];

export function checkRmTarget(output: string, force?: boolean): void {
  if (existsSync(output) && readdirSync(output).length && !force)
    throw new UsageError(`output folder ${output} is not empty (use --force to overwrite its files)`);
}

interface Stored {
  text: string;
  tokens: number;
  instance_id: string | null;
  cut: boolean;
}

export async function exportRmData(inputs: string[], o: RmDataOptions): Promise<RmDataReport> {
  checkRmTarget(o.output, o.force);
  const counter = loadCounter(o.tokenizer);
  const spool = new Spool<Stored>();
  const samples: Sample[] = [];
  const errors: string[] = [];
  let read = 0;
  let unlabelled = 0;
  try {
    for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
      if (ev.type === "error") {
        errors.push(ev.error.describe());
        continue;
      }
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      o.progress?.(++read);
      const label = resolvedOf(t, o.scores?.get(t.id));
      if (label === null) {
        unlabelled++;
        continue;
      }
      const tr = transcript(t, { maxTokens: o.maxTokens, counter });
      spool.put(t.id, {
        text: tr.text,
        tokens: tr.tokens,
        instance_id: t.instance_id,
        cut: tr.omittedTurns > 0 || tr.cut,
      });
      samples.push({
        id: t.id,
        task: t.instance_id ?? t.id,
        label,
        group: groupOf(t, o.mixBy),
        patch: patchKey(t.patch),
      });
    }
    const plan = planRm(samples, o);
    mkdirSync(join(o.output, "classify"), { recursive: true });
    mkdirSync(join(o.output, "pairs"), { recursive: true });
    const rows = { train: 0, validation: 0 };
    const pairs = { train: 0, validation: 0 };
    const tokens: number[] = [];
    let cut = 0;
    for (const split of ["train", "validation"] as const) {
      const chosen = plan[split];
      const out = new JsonlFile(join(o.output, "classify", `${split}.jsonl`));
      try {
        for (const s of chosen) {
          const x = spool.get(s.id);
          tokens.push(x.tokens);
          if (x.cut) cut++;
          await out.write({
            text: x.text,
            label: s.label ? 1 : 0,
            trajectory_id: s.id,
            instance_id: x.instance_id,
            group: s.group,
            tokens: x.tokens,
          });
          rows[split]++;
        }
      } finally {
        await out.close();
      }
      const byTask = new Map<string, Sample[]>();
      for (const s of chosen) byTask.set(s.task, [...(byTask.get(s.task) ?? []), s]);
      const pout = new JsonlFile(join(o.output, "pairs", `${split}.jsonl`));
      try {
        for (const task of [...byTask.keys()].sort()) {
          const xs = byTask.get(task)!;
          const candidates = xs
            .filter((p) => p.label)
            .flatMap((p) => xs.filter((n) => !n.label).map((n) => ({ a: p.id, b: n.id, rank: 0, gap: 0 })));
          for (const c of spread(candidates, o.pairsPerTask)) {
            await pout.write({
              chosen: spool.get(c.a).text,
              rejected: spool.get(c.b).text,
              instance_id: task,
              chosen_id: c.a,
              rejected_id: c.b,
            });
            pairs[split]++;
          }
        }
      } finally {
        await pout.close();
      }
    }
    const { train: _t, validation: _v, ...rest } = plan;
    const report: RmDataReport = {
      ...rest,
      output: o.output,
      files: FILES.map((f) => join(o.output, f)),
      read,
      unlabelled,
      errors,
      rows,
      pairs,
      tokens: {
        max: tokens.length ? Math.max(...tokens) : 0,
        mean: tokens.length ? tokens.reduce((a, b) => a + b, 0) / tokens.length : 0,
        cut,
        tokenizer: counter.name,
      },
      mixBy: o.mixBy,
      ratio: o.ratio,
      balance: o.mixture?.size ? "mixture" : (o.balance ?? "group"),
    };
    writeFileSync(join(o.output, "mixture.json"), JSON.stringify(report, null, 2) + "\n");
    return report;
  } finally {
    spool.close();
  }
}
