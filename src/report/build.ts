/**
 * Build the HTML report: read ScoreRecords (one rubric), analyse them, render the plots, stream
 * the scored trajectories into the compressed store, and write one self-contained HTML file.
 */
import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { once } from "node:events";
import type { IngestEvent } from "../ingest/pipeline.js";
import type { IngestError } from "../io/error.js";
import { readTrajectories } from "../labels/stream.js";
import type { FilterReport } from "../select/filter.js";
import type { ScoreRecord } from "../types/score.js";
import { analyse, type Analysis } from "./analysis.js";
import { charts } from "./charts.js";
import type { IndexRow, ReportIndex } from "./client.js";
import { collectScores, readFilterReport, type Collected } from "./collect.js";
import { PAGE_END, chunkHtml, chunkScript, pageStart, plotsHtml, scriptJson, summaryHtml } from "./page.js";
import { pResolved } from "../score/reward.js";
import { BodyStore, bodyOf, verdictsOf, type BodyMeta, type StoreStats } from "./store.js";

export const DEFAULT_MAX_MB = 45;

export interface ReportOptions {
  /** ScoreRecord JSONL files */
  scores: string[];
  /**
   * the scored trajectories, to show their steps: input paths (files, folders, globs, read with
   * `readTrajectories`), or a stream of ingest events (trajectories made or read elsewhere)
   */
  trajectories?: string[] | AsyncIterable<IngestEvent>;
  /** a filter report from `rubricate filter --json` */
  filterReport?: string;
  /** choose one rubric when the scores hold several (hash, hash prefix, id@version) */
  rubric?: string;
  title?: string;
  /** size budget of the whole file in MB (default 45): long texts are cut to stay within it */
  maxMb?: number;
  /**
   * keep the bodies whole in a folder next to the output (`<name>_files/chunk-<k>.js`, loaded by
   * the page with script elements, which work from file://) instead of inside the file; no text
   * is cut, and `maxMb` does not apply to the folder
   */
  sideFolder?: boolean;
  /** bootstrap resamples for the intervals (default 1000) */
  bootstrap?: number;
  /** progress: a phase and counts */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface ReportResult {
  output: string;
  bytes: number;
  records: number;
  analysis: Analysis;
  collected: Omit<Collected, "records">;
  store: StoreStats;
  /** trajectories read that had no score record */
  unscored: number;
  /** records whose trajectory was not among the inputs (shown without steps) */
  withoutSteps: number;
  /** errors reading the scores and the trajectories (each names its file) */
  errors: IngestError[];
  charts: string[];
  /** the folder holding the bodies (`sideFolder`), or null when they are inside the file */
  sideFolder: string | null;
}

function metaOf(r: ScoreRecord): BodyMeta {
  return {
    file: `${r.source.file}${r.source.line ? `:${r.source.line}` : ""}`,
    format: r.source.format,
    variant: r.source.variant,
    model: r.source.model,
    run: r.source.run,
    origin: r.label?.origin ?? null,
    vetoed_by: r.vetoed_by,
    ...(r.provenance.p_resolved ? { p_by: r.provenance.p_resolved } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

export async function buildReport(output: string, o: ReportOptions): Promise<ReportResult> {
  const progress = o.onProgress ?? (() => {});
  progress("reading scores", 0, o.scores.length);
  const collected = await collectScores(o.scores, o.rubric);
  const { records } = collected;
  const errors: IngestError[] = [...collected.errors];
  if (!records.length) throw new Error(`no score records read from ${o.scores.join(", ")}`);
  const filter: FilterReport | null = o.filterReport ? readFilterReport(o.filterReport) : null;

  progress("analysing", 0, records.length);
  const analysis = analyse(records, { bootstrap: o.bootstrap });
  const cs = await charts(analysis);

  // criteria and scaffolds, in order of first appearance
  const criteria: ReportIndex["criteria"] = [];
  const critIndex = new Map<string, number>();
  const scaffolds: string[] = [];
  const scIndex = new Map<string, number>();
  for (const r of records) {
    for (const c of r.criteria)
      if (!critIndex.has(c.id)) {
        critIndex.set(c.id, criteria.length);
        criteria.push({ id: c.id, kind: c.kind, polarity: c.polarity, weight: c.weight, severity: c.severity });
      }
    if (!scIndex.has(r.source.scaffold)) {
      scIndex.set(r.source.scaffold, scaffolds.length);
      scaffolds.push(r.source.scaffold);
    }
  }
  const rows: IndexRow[] = records.map((r) => ({
    id: r.trajectory_id,
    task: r.instance_id ?? r.trajectory_id,
    sc: scIndex.get(r.source.scaffold)!,
    o: r.label ? (r.label.resolved ? 1 : 0) : null,
    s: r.score === null ? null : Number(r.score.toFixed(4)),
    p: ((x) => (x === null ? null : Number(x.toFixed(4))))(pResolved(r)),
    f: r.criteria.filter((c) => c.status === "decided" && (c.value ?? 0) >= 0.5).map((c) => critIndex.get(c.id)!),
    n: r.steps,
    v: r.vetoed_by.length > 0,
    e: Boolean(r.error),
    b: [-1, -1],
  }));
  const rowOf = new Map(rows.map((x, i) => [x.id, i]));
  const title = o.title ?? `rubricate report: ${collected.rubric.id} ${collected.rubric.version}`;
  const given = o.trajectories !== undefined && (!Array.isArray(o.trajectories) || o.trajectories.length > 0);
  const side = o.sideFolder ? `${basename(output).replace(/\.html?$/i, "")}_files` : null;
  const index: ReportIndex = { title, criteria, scaffolds, rows, steps: given, side };

  // the store's budget: what the page without bodies leaves of maxMb (the index is measured with its final size)
  const fixed = scriptJson(index).length + 20 * rows.length + 200_000 + cs.reduce((s, c) => s + c.svg.length * 2, 0);
  const maxBytes = Math.max(1_000_000, (o.maxMb ?? DEFAULT_MAX_MB) * 1_000_000 - fixed);
  const store = new BodyStore(records.length, side ? Number.POSITIVE_INFINITY : maxBytes);
  const done = new Set<number>();
  let unscored = 0;
  if (given) {
    progress("reading trajectories", 0, 0);
    const events = Array.isArray(o.trajectories)
      ? readTrajectories(o.trajectories, {
          autoLabels: false,
          onProgress: (d, t) => progress("reading trajectories", d, t),
        })
      : (o.trajectories as AsyncIterable<IngestEvent>);
    for await (const ev of events) {
      if (ev.type === "error") {
        errors.push(ev.error);
        continue;
      }
      if (ev.type !== "trajectory") continue;
      const i = rowOf.get(ev.trajectory.id);
      if (i === undefined) {
        unscored++;
        continue;
      }
      if (done.has(i)) continue;
      done.add(i);
      const r = records[i];
      rows[i].b = store.add(bodyOf(ev.trajectory, metaOf(r), verdictsOf(r, critIndex), store.budget()));
    }
  }
  let withoutSteps = 0;
  for (let i = 0; i < records.length; i++) {
    if (done.has(i)) continue;
    if (given) withoutSteps++;
    rows[i].b = store.add({ meta: metaOf(records[i]), verdicts: verdictsOf(records[i], critIndex), steps: null });
  }
  store.flush();
  const st = store.stats();

  const warnings: string[] = [];
  if (collected.leftOut)
    warnings.push(
      `${collected.leftOut} records of other rubrics were left out (this report shows ${collected.rubric.id} ${collected.rubric.version}, hash ${collected.rubric.hash} only; see the rubric table).`,
    );
  if (collected.duplicates)
    warnings.push(`${collected.duplicates} records repeated a trajectory id already read and were left out.`);
  for (const e of errors.slice(0, 20)) warnings.push(`error: ${e.describe()}`);
  if (errors.length > 20) warnings.push(`… and ${errors.length - 20} more errors.`);
  if (withoutSteps)
    warnings.push(
      `${withoutSteps} scored trajectories were not found among the --trajectories inputs; they are shown without steps.`,
    );
  if (unscored)
    warnings.push(`${unscored} trajectories among the inputs had no score record and are not in the report.`);
  const facts = [
    `Scores: ${o.scores.join(", ")}.`,
    given
      ? `Trajectories: ${Array.isArray(o.trajectories) ? o.trajectories.join(", ") : "given by the caller"} (${st.bodies - withoutSteps} shown with their steps).`
      : "No --trajectories given: the viewer shows verdicts and evidence step numbers, not the steps.",
    side
      ? `Trajectory bodies: ${st.chunks} gzip chunks, ${(st.storedBytes / 1e6).toFixed(1)} MB in the folder ${side}/ next to this file (kept whole).`
      : `Trajectory bodies: ${st.chunks} gzip chunks, ${(st.storedBytes / 1e6).toFixed(1)} MB embedded (size budget ${o.maxMb ?? DEFAULT_MAX_MB} MB for the file).`,
    st.cutTexts
      ? `${st.cutTexts} long texts in ${st.cutBodies} trajectories were cut in the middle to fit the size budget (raise --max-mb to keep more).`
      : "No text was cut.",
    `Intervals: 95% percentile bootstrap over tasks, ${o.bootstrap ?? 1000} resamples.`,
  ];
  const summary = summaryHtml(analysis, collected.rubric, collected.rubrics, { warnings, facts });
  const plots = plotsHtml(analysis, cs, filter);

  progress("writing", 0, store.chunks.length);
  if (side) {
    const folder = join(dirname(output), side);
    mkdirSync(folder, { recursive: true });
    // chunks of an earlier report of the same name would be stale
    for (const f of readdirSync(folder)) if (/^chunk-\d+\.js$/.test(f)) rmSync(join(folder, f));
    for (let k = 0; k < store.chunks.length; k++)
      writeFileSync(join(folder, `chunk-${k}.js`), chunkScript(k, store.chunks[k]));
  }
  const out = createWriteStream(output);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, "drain");
  };
  const subtitle = `${records.length} trajectories · rubric ${collected.rubric.id} ${collected.rubric.version} (${collected.rubric.hash})`;
  await write(pageStart({ title, subtitle, summary, plots, index }));
  if (!side) for (let k = 0; k < store.chunks.length; k++) await write(chunkHtml(k, store.chunks[k]));
  await write(PAGE_END);
  out.end();
  await once(out, "close");
  const { records: _r, ...rest } = collected;
  return {
    output,
    bytes,
    records: records.length,
    analysis,
    collected: rest,
    store: st,
    unscored,
    withoutSteps,
    errors,
    charts: cs.map((c) => c.id),
    sideFolder: side ? join(dirname(output), side) : null,
  };
}
