/** `rubricate score`: score trajectories against a rubric, one ScoreRecord per line. */
import { existsSync, readFileSync, truncateSync } from "node:fs";
import { loadRubric } from "../rubric/load.js";
import { initShell } from "../analyze/shell.js";
import type { IngestError } from "../ingest/types.js";
import { needsRunContext, runContext, scoreStream } from "../score/stream.js";
import { scoreParallel } from "../score/parallel.js";
import { OpenAICompatible, type Dialect } from "../judge/backend.js";
import { judgeProvider, type JudgeMode } from "../judge/provider.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import { ScoreSummary } from "../score/summary.js";
import { jsonlWriter, note } from "./output.js";
import { progress } from "./progress.js";

export interface ScoreCliOptions {
  rubric: string;
  output?: string;
  labels?: string[];
  autoLabels: boolean;
  runContext: boolean;
  quiet?: boolean;
  maxErrors: number;
  /** a model file, false for none, undefined for the shipped default */
  outcomeModel?: string | false;
  jobs: number;
  judge?: string;
  model?: string;
  judgeMode: JudgeMode;
  judgeOutcome?: boolean;
  dialect: Dialect;
  concurrency: number;
  maxPromptTokens: number;
  resume?: boolean;
}

/**
 * Trajectory ids already in an output file (for --resume). A last line cut off
 * by a kill is removed so appending continues on a clean line.
 */
export function finishedIds(path: string): Set<string> {
  const ids = new Set<string>();
  if (!existsSync(path)) return ids;
  let text = readFileSync(path, "utf8");
  const end = text.lastIndexOf("\n");
  if (end !== text.length - 1) {
    text = text.slice(0, end + 1);
    truncateSync(path, Buffer.byteLength(text));
  }
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { trajectory_id?: string; error?: string };
      if (r.trajectory_id && !r.error) ids.add(r.trajectory_id);
    } catch {
      /* an unreadable line is scored again */
    }
  }
  return ids;
}

/** The outcome model file to use: the given one, none, or the shipped default when present. */
export function outcomeModelPath(o: string | false | undefined): string | null {
  if (o === false) return null;
  if (typeof o === "string") return o;
  return hasDefaultModel() ? DEFAULT_MODEL : null;
}

export async function runScore(inputs: string[], o: ScoreCliOptions): Promise<number> {
  const rubric = loadRubric(o.rubric);
  const judgeUrl = o.judge ?? process.env.RUBRICATE_JUDGE_URL;
  const judgeModel = o.model ?? process.env.RUBRICATE_JUDGE_MODEL;
  if (judgeUrl && !judgeModel) throw new Error("--judge needs --model (or RUBRICATE_JUDGE_MODEL): the model name the server serves");
  const judge = judgeUrl
    ? judgeProvider(new OpenAICompatible({ baseURL: judgeUrl, model: judgeModel!, dialect: o.dialect }), { mode: o.judgeMode, outcome: o.judgeOutcome, maxPromptTokens: o.maxPromptTokens })
    : undefined;
  const modelPath = o.judgeOutcome && judge ? null : outcomeModelPath(o.outcomeModel);
  const outcome = modelPath ? outcomeProvider(modelPath) : undefined; // fails here, before any work, on a bad model
  await initShell();
  const ctx = o.runContext && needsRunContext(rubric) ? await runContext(inputs) : undefined;
  if (o.resume && (!o.output || o.output === "-")) throw new Error("--resume needs -o <file>: it continues the records already in that file");
  const done = o.resume ? finishedIds(o.output!) : new Set<string>();
  if (o.resume) note(`resume: ${done.size} trajectories already scored in ${o.output}; scoring the rest`);
  const out = jsonlWriter(o.output, o.resume);
  const bar = progress("score", !o.quiet && process.stderr.isTTY === true);
  const summary = new ScoreSummary();
  const errors: IngestError[] = [];
  try {
    const onProgress = (done: number, total: number) => (done === 0 ? bar.total(total) : bar.tick({ trajectories: summary.records, errors: errors.length }));
    const events =
      o.jobs > 1 && !judge && !o.resume
        ? scoreParallel(inputs, { rubric: o.rubric, labels: o.labels, autoLabels: o.autoLabels, outcomeModel: modelPath, run: ctx, jobs: o.jobs, onProgress })
        : scoreStream(inputs, { rubric, labels: o.labels, autoLabels: o.autoLabels, run: ctx, outcome: o.judgeOutcome && judge ? judge : outcome, judge, onProgress, concurrency: judge ? o.concurrency : 1, skip: done });
    for await (const ev of events) {
      if (ev.type === "record") {
        summary.add(ev.record);
        await out.write(ev.record);
      } else if (ev.type === "error") errors.push(ev.error);
    }
  } finally {
    bar.stop();
    await out.close();
  }
  if (!o.quiet) {
    note(`rubric ${rubric.id} ${rubric.version} (${rubric.hash}), ${rubric.criteria.length} criteria; outcome model: ${outcome ? `${modelPath === DEFAULT_MODEL ? "shipped default" : modelPath} (${outcome.model.version})` : "none"}`);
    if (judge) {
      const st = judge.stats;
      note(`judge ${judgeModel} (${o.judgeMode} mode): ${st.requests} requests, ${st.promptTokens} prompt tokens (${st.cachedTokens} cached), ${st.completionTokens} completion tokens, ${st.failures} criteria unscored by judge failures`);
    }
    note(summary.table());
    if (errors.length) note(`${errors.length} inputs could not be read:`);
    for (const e of errors.slice(0, o.maxErrors)) note(`  error: ${e.describe()}`);
    if (errors.length > o.maxErrors) note(`  ... and ${errors.length - o.maxErrors} more`);
  }
  return errors.length || summary.errors ? 1 : 0;
}
