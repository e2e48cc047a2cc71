/** `rubricate rm-data`: reward-model training data (classification rows and pairs) in SWE-RM's recipe. */
import { checkRmTarget, exportRmData, parseMixture, type MixBy, type RmDataReport } from "../export/rmdata.js";
import { checkInputs, checkTrajectoryInputs, UsageError } from "../export/targets.js";
import { counter, scoresFromFiles } from "./export.js";
import { note } from "./output.js";

export interface RmDataCliOptions {
  output: string;
  ratio: string;
  mixBy: MixBy;
  mixture?: string;
  balance: "group" | "all";
  validation: number;
  seed: string;
  maxTokens: number;
  tokenizer?: string;
  pairsPerTask: number;
  scores?: string[];
  labels?: string[];
  autoLabels: boolean;
  force?: boolean;
  quiet?: boolean;
}

/** "2:1", "2" or "1.5" as positives per negative. */
export function parseRatio(spec: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?)\s*)?$/.exec(spec);
  const r = m ? Number(m[1]) / Number(m[2] ?? 1) : Number.NaN;
  if (!(r > 0) || !Number.isFinite(r))
    throw new UsageError(`--ratio: expected positives:negatives such as 2:1, got ${JSON.stringify(spec)}`);
  return r;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function renderRmReport(r: RmDataReport): string {
  const lines = [
    `rm-data: ${r.rows.train} train + ${r.rows.validation} validation rows, ${r.pairs.train} + ${r.pairs.validation} pairs -> ${r.output}`,
    `  read ${r.read} trajectories: ${r.unlabelled} without an outcome label (left out), ${r.duplicates} duplicate patches merged, ` +
      `${r.conflicting} dropped (one patch with both outcomes), ${r.outsideMixture} outside the mixture, ${r.downsampled} left out for the ratio/mixture`,
    `  ratio ${r.ratio}:1 positive:negative ${r.balance === "group" ? `within each ${r.mixBy}` : r.balance === "all" ? "over all samples" : `in each ${r.mixBy} of the mixture`}; texts ≤ ${r.tokens.max} tokens (${r.tokens.tokenizer}), mean ${Math.round(r.tokens.mean)}, ${r.tokens.cut} cut to fit`,
    "",
    `  ${r.mixBy.padEnd(34)} ${"available +/-".padStart(14)} ${"kept +/-".padStart(10)} ${"share".padStart(7)} ${"train +/-".padStart(10)} ${"valid. +/-".padStart(10)}`,
  ];
  const pm = (x: { pos: number; neg: number }) => `${x.pos}/${x.neg}`;
  let tp = 0;
  let tn = 0;
  for (const g of r.table) {
    tp += g.kept.pos;
    tn += g.kept.neg;
    lines.push(
      `  ${g.group.slice(0, 34).padEnd(34)} ${pm(g.available).padStart(14)} ${pm(g.kept).padStart(10)} ${pct(g.share).padStart(7)} ${pm(g.train).padStart(10)} ${pm(g.validation).padStart(10)}`,
    );
  }
  lines.push(`  ${"total".padEnd(34)} ${"".padStart(14)} ${`${tp}/${tn}`.padStart(10)}`);
  for (const e of r.errors.slice(0, 20)) lines.push(`  error: ${e}`);
  return lines.join("\n");
}

export async function runRmData(inputs: string[], o: RmDataCliOptions): Promise<number> {
  checkTrajectoryInputs(inputs);
  checkInputs("--scores", o.scores);
  checkRmTarget(o.output, o.force);
  const ratio = parseRatio(o.ratio);
  const mixture = o.mixture ? parseMixture(o.mixture) : undefined;
  if (!(o.validation >= 0 && o.validation < 1))
    throw new UsageError("--validation: expected a share from 0 to below 1");
  const { scores, errors } = await scoresFromFiles(o.scores);
  const bar = counter("rm-data", !o.quiet);
  const report = await exportRmData(inputs, {
    output: o.output,
    ratio,
    mixBy: o.mixBy,
    mixture,
    balance: o.balance,
    validation: o.validation,
    seed: o.seed,
    maxTokens: o.maxTokens,
    tokenizer: o.tokenizer,
    pairsPerTask: o.pairsPerTask,
    scores,
    labels: o.labels,
    autoLabels: o.autoLabels,
    force: o.force,
    progress: (n) => bar.tick(n),
  });
  bar.done();
  note(renderRmReport(report));
  if (mixture) {
    const missing = [...mixture.keys()].filter(
      (g) => !report.table.some((x) => x.group === g && x.available.pos + x.available.neg),
    );
    if (missing.length) {
      note(
        `  error: --mixture names ${report.mixBy} groups with no labelled samples: ${missing.join(", ")} ` +
          `(a share of nothing leaves nothing; the ${report.mixBy} names are the table's first column)`,
      );
      return 1;
    }
  }
  return errors || report.errors.length ? 1 : 0;
}
