/**
 * Submitting a run: the inputs found as `score` finds them, large JSONL and Parquet files split
 * into row ranges, each input a job whose id is the run and its position. The run's settings are
 * recorded once; submitting the same run again adds only the jobs it lacks (and refuses other
 * settings than the first time).
 */
import { existsSync, realpathSync } from "node:fs";
import { createReadStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Redis } from "ioredis";
import { discover, type Candidate } from "../ingest/discover.js";
import { isSessionFile } from "../ingest/pipeline.js";
import type { IngestError } from "../io/error.js";
import { BUILTIN_DIR, loadRubric } from "../rubric/load.js";
import { readFileSync } from "node:fs";
import { checkRunName, jobId, runKeys, withQueue } from "./keys.js";
import { type RunSettings, RunSettingsSchema, sha256File } from "./settings.js";

export interface SubmitOptions {
  run: string;
  rubric: string;
  judge: unknown;
  outcomeModel: string | null;
  labels?: string[];
  autoLabels?: boolean;
  /** JSONL and Parquet files with more records than this are split into jobs of this many (default 500) */
  rowsPerJob?: number;
  /** attempts per job before it counts as failed (default 3) */
  attempts?: number;
  version: string;
}

export interface Submitted {
  jobs: number;
  added: number;
  errors: IngestError[];
  settings: RunSettings;
}

/** The rubric's source text and the file it came from (a built-in id reads its file). */
function rubricSource(idOrPath: string): { source: string; file: string } {
  const builtin = join(BUILTIN_DIR, `${idOrPath}.yaml`);
  const file = !idOrPath.includes("/") && existsSync(builtin) ? builtin : idOrPath;
  return { source: readFileSync(file, "utf8"), file: idOrPath };
}

/** Lines of a text file, counted without holding it. */
async function countLines(path: string): Promise<number> {
  let n = 0;
  let last = 10;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
    last = chunk[chunk.length - 1];
  }
  return last === 10 ? n : n + 1;
}

/** Rows of a Parquet file, from its metadata. */
async function countRows(path: string): Promise<number> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import("hyparquet");
  const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
  return Number(meta.num_rows);
}

/** One input as jobs: the whole input, or row ranges of a large record file. */
async function split(c: Candidate, per: number): Promise<Candidate[]> {
  if (c.kind !== "file") return [c];
  let rows: number;
  if (/\.jsonl$/i.test(c.path)) {
    if (await isSessionFile(c.path)) return [c];
    rows = await countLines(c.path);
  } else if (/\.parquet$/i.test(c.path)) rows = await countRows(c.path);
  else return [c];
  if (rows <= per) return [c];
  const out: Candidate[] = [];
  for (let from = 1; from <= rows; from += per) out.push({ ...c, rows: { from, to: Math.min(rows + 1, from + per) } });
  return out;
}

/** The folder each input lies in (its real path), where workers may read. */
function rootOf(input: string): string {
  const abs = resolve(input.replace(/[*?[{].*$/, "") || ".");
  const real = existsSync(abs) ? realpathSync(abs) : abs;
  return existsSync(real) && !/\.(json|jsonl|traj|parquet)$/i.test(real) ? real : dirname(real);
}

export async function submit(inputs: string[], o: SubmitOptions, redis: Redis): Promise<Submitted> {
  const run = checkRunName(o.run);
  const keys = runKeys(run);
  const rubric = loadRubric(o.rubric);
  const { source, file } = rubricSource(o.rubric);
  const settings: RunSettings = {
    run,
    rubricate: o.version,
    created: new Date().toISOString(),
    rubric: { source, file, id: rubric.id, version: rubric.version, hash: rubric.hash },
    judge: o.judge ?? null,
    outcome: o.outcomeModel ? { path: realpathSync(o.outcomeModel), sha256: sha256File(o.outcomeModel) } : null,
    labels: o.labels ?? [],
    autoLabels: o.autoLabels !== false,
    roots: [...new Set(inputs.map(rootOf))],
    inputs,
    cwd: process.cwd(),
  };
  const had = await redis.get(keys.settings);
  if (had) {
    const old = RunSettingsSchema.parse(JSON.parse(had));
    const same = (a: RunSettings) => JSON.stringify({ ...a, created: "", rubricate: "", cwd: "" });
    if (same(old) !== same(settings))
      throw new Error(
        `run ${run} was submitted with other settings (rubric, judge, outcome model, labels or inputs); use another run name`,
      );
  } else await redis.set(keys.settings, JSON.stringify(settings));

  const errors: IngestError[] = [];
  const specs: Candidate[] = [];
  for await (const c of discover(settings.inputs)) {
    if ("kind" in c) specs.push(...(await split(c, o.rowsPerJob ?? 500)));
    else errors.push(c);
  }
  const known = await redis.llen(keys.jobs);
  if (known && known !== specs.length)
    throw new Error(
      `run ${run} has ${known} jobs, but its inputs now make ${specs.length}: the inputs changed; use another run name`,
    );
  if (!known && specs.length) await redis.rpush(keys.jobs, ...specs.map((s) => JSON.stringify(s)));

  // add the jobs that have no result and are not queued (a job id is added once; a finished or failed one stays)
  const done = new Set(await redis.hkeys(keys.results));
  let added = 0;
  await withQueue(redis, async (queue) => {
    const todo = specs.map((_, i) => i).filter((i) => !done.has(String(i)));
    for (let k = 0; k < todo.length; k += 500) {
      const batch = todo.slice(k, k + 500);
      const exists = await Promise.all(batch.map((i) => queue.getJob(jobId(run, i))));
      const fresh = batch.filter((_, j) => !exists[j]);
      await queue.addBulk(
        fresh.map((i) => ({
          name: "score",
          data: { run, index: i },
          opts: {
            jobId: jobId(run, i),
            attempts: o.attempts ?? 3,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: true,
            removeOnFail: false,
          },
        })),
      );
      added += fresh.length;
    }
  });
  return { jobs: specs.length, added, errors, settings };
}
