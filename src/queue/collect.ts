/**
 * Collecting a run: every job's records in the order of its inputs, each trajectory once (a job
 * stores one entry, overwritten if it ran again), with the run-relative criteria decided over the
 * whole run, exactly as `rubricate score` over the same inputs writes them.
 */
import { createWriteStream } from "node:fs";
import type { Redis } from "ioredis";
import { IngestError } from "../io/error.js";
import { RunSteps, applyRunContext, needsRunContext } from "../score/context.js";
import type { ScoreRecord } from "../types/score.js";
import { runKeys } from "./keys.js";
import { RunSettingsSchema, rubricOf } from "./settings.js";
import type { JobResult } from "./worker.js";

export interface Collected {
  records: number;
  /** jobs with no result yet (still queued, running, or failed) */
  missing: number[];
  errors: IngestError[];
}

/** Write a run's records to `out` (a path; "-" or undefined for stdout). */
export async function collect(
  run: string,
  redis: Redis,
  out?: string,
  each: (r: ScoreRecord) => void = () => {},
): Promise<Collected> {
  const keys = runKeys(run);
  const raw = await redis.get(keys.settings);
  if (!raw) throw new Error(`no run named ${run} in this Redis`);
  const settings = RunSettingsSchema.parse(JSON.parse(raw));
  const rubric = rubricOf(settings);
  const jobs = await redis.llen(keys.jobs);
  const missing: number[] = [];
  const errors: IngestError[] = [];
  // first pass: the run's step counts (for run-relative criteria); the results are read again to write
  const runs = new RunSteps();
  const read = async function* (): AsyncGenerator<ScoreRecord> {
    for (let i = 0; i < jobs; i++) {
      const r = await redis.hget(keys.results, String(i));
      if (r === null) continue;
      const result = JSON.parse(r) as JobResult;
      for (const line of result.records.split("\n")) if (line) yield JSON.parse(line) as ScoreRecord;
    }
  };
  for (let i = 0; i < jobs; i++) {
    const r = await redis.hget(keys.results, String(i));
    if (r === null) {
      missing.push(i);
      continue;
    }
    const result = JSON.parse(r) as JobResult;
    for (const e of result.errors) errors.push(new IngestError(e.file, e.message, e.line, e.field));
  }
  const relative = needsRunContext(rubric);
  if (relative) for await (const rec of read()) runs.add(rec.source.run, rec.steps);
  const ctx = runs.context();
  const stream = out && out !== "-" ? createWriteStream(out) : process.stdout;
  let n = 0;
  for await (const rec of read()) {
    const final = relative ? applyRunContext(rec, rubric, ctx) : rec;
    each(final);
    n++;
    if (!stream.write(JSON.stringify(final) + "\n")) await new Promise<void>((ok) => stream.once("drain", () => ok()));
  }
  if (stream !== process.stdout)
    await new Promise<void>((ok, fail) =>
      (stream as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? fail(e) : ok())),
    );
  return { records: n, missing, errors };
}
