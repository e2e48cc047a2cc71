/**
 * Run-relative criteria without a second reading of the inputs: `excessive_steps` compares a
 * trajectory's length with the median of its run, which is known only once the whole run has
 * been read. Records are scored in one pass with the run unknown, set aside (in a temporary
 * file: a dataset is never held in memory), and decided again once every run's median is known.
 */
import { createWriteStream, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { excessiveVerdict } from "../checks/process.js";
import type { RunContext } from "../checks/types.js";
import { IngestError } from "../io/error.js";
import { jsonlLines } from "../io/read.js";
import type { Rubric } from "../rubric/schema.js";
import type { CriterionResult, ScoreRecord } from "../types/score.js";
import { aggregate } from "./aggregate.js";
import type { ScoreEvent } from "./stream.js";

/** Whether any criterion compares a trajectory with the rest of its run. */
export function needsRunContext(rubric: Rubric): boolean {
  return rubric.criteria.some((c) => c.kind === "check" && c.check === "excessive_steps");
}

/** Step counts by run, as records are read: the median and size of each run. */
export class RunSteps {
  private readonly steps = new Map<string, number[]>();

  add(run: string | null, n: number): void {
    if (!run) return;
    const list = this.steps.get(run);
    if (list) list.push(n);
    else this.steps.set(run, [n]);
  }

  context(): RunContext {
    const medianSteps = new Map<string, number>();
    const runSize = new Map<string, number>();
    for (const [run, xs] of this.steps) {
      runSize.set(run, xs.length);
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      medianSteps.set(run, s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
    }
    return { medianSteps, runSize };
  }
}

/** A record with its run-relative criteria decided again against `ctx`, and its score aggregated again. */
export function applyRunContext(r: ScoreRecord, rubric: Rubric, ctx: RunContext): ScoreRecord {
  if (r.error) return r;
  let changed = false;
  const criteria = r.criteria.map((c): CriterionResult => {
    if (c.by !== "check:excessive_steps" || c.status === "unscored") return c;
    const def = rubric.criteria.find((x) => x.id === c.id);
    if (!def) return c;
    const v = excessiveVerdict(
      r.steps,
      r.source.run,
      (def.params ?? {}) as Parameters<typeof excessiveVerdict>[2],
      ctx,
    );
    const value = v.present ? 1 : 0;
    if (value === c.value && v.explanation === c.explanation) return c;
    changed = true;
    return {
      ...c,
      value,
      goodness: c.polarity === "encourage" ? value : 1 - value,
      evidence: v.evidence,
      explanation: v.explanation,
    };
  });
  if (!changed) return r;
  const { score, vetoed_by } = aggregate(criteria, rubric.aggregation);
  return { ...r, score, vetoed_by, criteria };
}

/**
 * Events of a scoring pass with the run-relative criteria decided once all runs are known: the
 * events are set aside in order in a temporary file, each record's steps counted by run (with
 * `prior`: records scored before, e.g. those a resumed run keeps), then given back decided.
 */
export async function* withRunContext(
  events: AsyncIterable<ScoreEvent>,
  rubric: Rubric,
  prior: Iterable<{ run: string | null; steps: number }> = [],
): AsyncGenerator<ScoreEvent> {
  const runs = new RunSteps();
  for (const p of prior) runs.add(p.run, p.steps);
  const dir = mkdtempSync(join(tmpdir(), "rubricate-run-"));
  const file = join(dir, "events.jsonl");
  try {
    const out = createWriteStream(file);
    for await (const ev of events) {
      if (ev.type === "record") runs.add(ev.record.source.run, ev.record.steps);
      const line =
        ev.type === "error"
          ? {
              type: "error",
              file: ev.error.file,
              message: ev.error.message,
              line: ev.error.line,
              field: ev.error.field,
            }
          : ev;
      if (!out.write(JSON.stringify(line) + "\n")) await new Promise<void>((ok) => out.once("drain", () => ok()));
    }
    await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())));
    const ctx = runs.context();
    for await (const item of jsonlLines(file)) {
      if ("error" in item) throw item.error;
      const ev = JSON.parse(item.bytes.toString("utf8")) as
        | ScoreEvent
        | { type: "error"; file: string; message: string; line?: number; field?: string };
      if (ev.type === "record") yield { type: "record", record: applyRunContext(ev.record, rubric, ctx) };
      else if (ev.type === "error" && !("error" in ev))
        yield { type: "error", error: new IngestError(ev.file, ev.message, ev.line, ev.field) };
      else yield ev as ScoreEvent;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Decide the run-relative criteria of every record in a ScoreRecord file once it holds them all
 * (a `score -o file` run writes each record as soon as it is scored, so a kill loses only the
 * work in flight; then this pass): rewritten through a temporary file and a rename. Calls
 * `each` with every final record (for summaries). `counted`: the steps of every record in the file,
 * counted by run as they were written (saves reading the file twice).
 */
export async function finishRunContext(
  path: string,
  rubric: Rubric,
  each: (r: ScoreRecord) => void = () => {},
  counted?: RunSteps,
): Promise<void> {
  const ctx = (counted ?? (await countRuns(path))).context();
  const tmp = `${path}.run-tmp`;
  const out = createWriteStream(tmp);
  for await (const item of jsonlLines(path)) {
    if ("error" in item) throw item.error;
    const r = applyRunContext(JSON.parse(item.bytes.toString("utf8")) as ScoreRecord, rubric, ctx);
    each(r);
    if (!out.write(JSON.stringify(r) + "\n")) await new Promise<void>((ok) => out.once("drain", () => ok()));
  }
  await new Promise<void>((ok, fail) => out.end((e?: Error | null) => (e ? fail(e) : ok())));
  renameSync(tmp, path);
}

/** The steps of every record in a ScoreRecord file, by run. */
async function countRuns(path: string): Promise<RunSteps> {
  const runs = new RunSteps();
  for await (const item of jsonlLines(path)) {
    if ("error" in item) continue;
    const r = JSON.parse(item.bytes.toString("utf8")) as ScoreRecord;
    runs.add(r.source.run, r.steps);
  }
  return runs;
}
