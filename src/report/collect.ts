/**
 * The records a report is built from: ScoreRecords read from files (errors kept, naming file and
 * line), one rubric only (records of several rubric versions are never mixed: without a choice
 * that is an error naming the files and rubrics), duplicates dropped, and an optional filter report.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { readScores } from "../eval/read.js";
import { IngestError } from "../io/error.js";
import type { FilterReport } from "../select/filter.js";
import type { ScoreRecord } from "../types/score.js";

export interface RubricRef {
  id: string;
  version: string;
  hash: string;
}

export const rubricKey = (r: RubricRef): string => `${r.id}@${r.version}#${r.hash}`;

export interface RubricCount extends RubricRef {
  records: number;
  /** per file: how many records of this rubric, and the first one's trajectory id */
  files: { file: string; records: number; first: string }[];
}

/** Records of more than one rubric (id, version or content hash) were given and none was chosen. */
export class MixedRubricsError extends Error {
  constructor(readonly rubrics: RubricCount[]) {
    super(
      [
        `the scores come from ${rubrics.length} different rubrics; a report never mixes them:`,
        ...rubrics.map(
          (r) =>
            `  ${r.id} ${r.version} (hash ${r.hash}): ${r.records} records — ${r.files
              .map((f) => `${f.file}: ${f.records} (first: trajectory ${f.first})`)
              .join("; ")}`,
        ),
        `choose one with --rubric <hash|id@version>, e.g. --rubric ${rubrics[0].hash}`,
      ].join("\n"),
    );
    this.name = "MixedRubricsError";
  }
}

export interface Collected {
  records: ScoreRecord[];
  rubric: RubricRef;
  /** every rubric met, with counts (one unless a rubric was chosen among several) */
  rubrics: RubricCount[];
  /** records of other rubrics left out because a rubric was chosen */
  leftOut: number;
  /** records whose trajectory id was already read (the first is kept) */
  duplicates: number;
  errors: IngestError[];
}

/** Does `choice` (a hash, a hash prefix of at least 6 characters, id@version, or id@version#hash) name this rubric? */
export function matchesRubric(r: RubricRef, choice: string): boolean {
  if (choice === rubricKey(r) || choice === `${r.id}@${r.version}`) return true;
  return choice.length >= 6 && r.hash.startsWith(choice);
}

export async function collectScores(files: string[], choice?: string): Promise<Collected> {
  const byRubric = new Map<string, RubricCount>();
  const all: { r: ScoreRecord; key: string }[] = [];
  const errors: IngestError[] = [];
  for (const file of files) {
    for await (const ev of readScores([file])) {
      if (ev.type === "error") {
        errors.push(ev.error);
        continue;
      }
      const r = ev.record;
      const key = rubricKey(r.rubric);
      let c = byRubric.get(key);
      if (!c) byRubric.set(key, (c = { ...r.rubric, records: 0, files: [] }));
      c.records++;
      let f = c.files.find((x) => x.file === file);
      if (!f) c.files.push((f = { file, records: 0, first: r.trajectory_id }));
      f.records++;
      all.push({ r, key });
    }
  }
  const rubrics = [...byRubric.values()];
  if (!rubrics.length)
    return { records: [], rubric: { id: "", version: "", hash: "" }, rubrics, leftOut: 0, duplicates: 0, errors };
  let chosen: RubricCount;
  if (choice !== undefined) {
    const hits = rubrics.filter((r) => matchesRubric(r, choice));
    if (hits.length !== 1)
      throw new Error(
        `--rubric ${choice} names ${hits.length ? "several" : "none"} of the rubrics in these scores: ${rubrics
          .map((r) => `${rubricKey(r)} (${r.records} records)`)
          .join(", ")}`,
      );
    chosen = hits[0];
  } else if (rubrics.length > 1) throw new MixedRubricsError(rubrics);
  else chosen = rubrics[0];
  const key = rubricKey(chosen);
  const seen = new Set<string>();
  const records: ScoreRecord[] = [];
  let duplicates = 0;
  for (const x of all) {
    if (x.key !== key) continue;
    if (seen.has(x.r.trajectory_id)) {
      duplicates++;
      continue;
    }
    seen.add(x.r.trajectory_id);
    records.push(x.r);
  }
  return {
    records,
    rubric: { id: chosen.id, version: chosen.version, hash: chosen.hash },
    rubrics,
    leftOut: all.length - chosen.records,
    duplicates,
    errors,
  };
}

const FilterReportSchema = z.object({
  policy: z.string(),
  threshold: z.number(),
  total: z.number(),
  kept: z.number(),
  dropped: z.number(),
  tasks: z.object({ before: z.number(), after: z.number() }),
  reasons: z.record(z.string(), z.number()),
  criteria: z.array(
    z.object({ id: z.string(), polarity: z.string(), before: z.number().nullable(), after: z.number().nullable() }),
  ),
});

/** A filter report written by `rubricate filter --json`. */
export function readFilterReport(file: string): FilterReport {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new IngestError(file, `cannot read the filter report: ${(e as Error).message}`);
  }
  const r = FilterReportSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new IngestError(
      file,
      `not a filter report (from 'rubricate filter --json'): ${i.message}`,
      undefined,
      i.path.join("."),
    );
  }
  return r.data as FilterReport;
}
