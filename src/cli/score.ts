/** `rubricate score`: score trajectories against a rubric, one ScoreRecord per line. */
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, unlinkSync } from "node:fs";
import { jsonlLines } from "../io/read.js";
import { LineFile } from "../io/write.js";
import { loadRubric } from "../rubric/load.js";
import type { IngestError } from "../io/error.js";
import { RunSteps, finishRunContext, needsRunContext, withRunContext } from "../score/context.js";
import { scoreStream } from "../score/stream.js";
import { autoJobs, scoreParallel } from "../score/parallel.js";
import { defaultOutcomeModel } from "../score/defaults.js";
import type { JudgeFlags } from "../judge/config.js";
import { buildJudge, type BuiltJudge } from "../judge/build.js";
import { readJudgeConfig, resolveJudge } from "../judge/config.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import { ScoreSummary } from "../score/summary.js";
import { relative } from "node:path";
import { FAILURE_REASONS } from "../score/summary.js";
import { claimOutput, freshOutputName, jsonlWriter, note } from "./output.js";
import { progress } from "./progress.js";
import type { Rubric } from "../rubric/schema.js";
import type { JudgeStats } from "../judge/usage.js";
import { withCritic } from "../judge/protocols/critic.js";

const JUDGE_PROGRESS = "{rate} traj/s | {tokens} tokens | {cost} | {hits} cache hits";

function formatCost(c: number | null): string {
  return c === null ? "unknown (no price for this model; see --prices)" : `$${c.toFixed(c < 1 ? 4 : 2)}`;
}

/** What the progress bar shows of a judged run: trajectories per second since `start`, tokens, dollars, cache hits. */
function judgePayload(st: JudgeStats, records: number, start: number): Record<string, string | number> {
  const secs = (Date.now() - start) / 1000;
  const rate = secs > 0 ? (records / secs).toFixed(1) : "0";
  const tokens = st.promptTokens + st.completionTokens;
  return {
    rate,
    tokens: tokens >= 1e6 ? `${(tokens / 1e6).toFixed(1)}M` : tokens >= 1e3 ? `${(tokens / 1e3).toFixed(0)}k` : tokens,
    cost: st.cost === null ? "no price" : `$${st.cost.toFixed(2)}`,
    hits: st.cacheHits,
  };
}

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
  /** worker threads; undefined: chosen from the input size and the cores (`autoJobs`) */
  jobs?: number;
  /** judge settings given as flags (undefined: from --judge-config, the environment or the default) */
  judgeFlags: JudgeFlags;
  judgeConfig?: string;
  resume?: boolean;
  /** add the adversarial critic's criterion (critic-failure) to the rubric */
  judgeCritic?: boolean;
  /** accept scores without the judge's verdicts when the judge answers nothing (else: stop, exit 1) */
  allowUnjudged?: boolean;
}

/** The file `score` writes when standard output is a terminal and no -o was given. */
export const DEFAULT_SCORES = "rubricate-scores";

/**
 * Trajectory ids already in an output file (for --resume). A last line cut off
 * by a kill is removed so appending continues on a clean line. Records whose
 * judge requests failed (reason judge_error: a server down, timeouts) are
 * removed too, so the resumed run asks again; the file is rewritten through a
 * temporary file and a rename, so a kill (or a full disk) meanwhile loses nothing.
 */
export async function finishedIds(path: string): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!existsSync(path)) return ids;
  const size = statSync(path).size;
  // a last line without its newline was cut off by a kill
  const cut = size > 0 && !lastByteIsNewline(path, size);
  let changed = cut;
  const tmp = `${path}.resume-tmp`;
  const kept = new LineFile(tmp);
  // each line is kept (and its id counted) once the next line shows it was not the cut-off last one
  let pending: { bytes: Buffer; id: string | null } | null = null;
  const commit = () => {
    if (!pending) return;
    kept.writeLine(pending.bytes.toString("utf8"));
    if (pending.id) ids.add(pending.id);
    pending = null;
  };
  try {
    await readKept();
  } catch (e) {
    kept.close();
    unlinkSync(tmp);
    throw e;
  }
  kept.close();
  // rewritten through a temporary file and a rename, so a kill meanwhile loses nothing
  if (changed) renameSync(tmp, path);
  else unlinkSync(tmp);
  return ids;

  async function readKept(): Promise<void> {
    for await (const item of jsonlLines(path)) {
      commit();
      if ("error" in item) {
        changed = true; // an overlong line is dropped and its trajectory scored again
        continue;
      }
      try {
        const r = JSON.parse(item.bytes.toString("utf8")) as {
          trajectory_id?: string;
          error?: string;
          criteria?: { reason?: string }[];
        };
        if (r.criteria?.some((c) => c.reason === "judge_error")) {
          changed = true;
          continue;
        }
        pending = { bytes: item.bytes, id: r.trajectory_id && !r.error ? r.trajectory_id : null };
      } catch {
        changed = true; // an unreadable line is dropped and its trajectory scored again
      }
    }
    if (!cut) commit();
  }
}

function lastByteIsNewline(path: string, size: number): boolean {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    closeSync(fd);
  }
}

/** The outcome model file to use: the given one, none, or the shipped default when present. */
export function outcomeModelPath(o: string | false | undefined): string | null {
  if (o === false) return null;
  if (typeof o === "string") return o;
  return defaultOutcomeModel();
}

export async function runScore(inputs: string[], given: ScoreCliOptions): Promise<number> {
  // records are never printed on a terminal: without -o they go to a fresh file in the current folder
  const chosen = !given.output && process.stdout.isTTY === true;
  const o = chosen ? { ...given, output: freshOutputName(process.cwd(), DEFAULT_SCORES) } : given;
  const base = loadRubric(o.rubric);
  const rubric = o.judgeCritic ? withCritic(base) : base;
  if (o.resume && (!o.output || o.output === "-"))
    throw new Error("--resume needs -o <file>: it continues the records already in that file");
  const config = resolveJudge(o.judgeFlags, o.judgeConfig ? readJudgeConfig(o.judgeConfig) : undefined);
  if (o.judgeCritic && !config)
    throw new Error("--judge-critic needs a judge: give --judge <url> and --model <name> (or a --judge-config)");
  // the output is checked and locked before any work (a second run on it refuses)
  const lock = claimOutput(o.output, { inputs, append: o.resume });
  try {
    const built = config ? await buildJudge(config, rubric, o.quiet ? undefined : note) : null;
    try {
      const code = await scoreWith(inputs, o, rubric, built);
      if (chosen)
        note(
          `records written to ${relative(process.cwd(), o.output!)} (standard output is a terminal; -o names the file, a pipe gets them)`,
        );
      return code;
    } finally {
      built?.close();
    }
  } finally {
    lock?.release();
  }
}

async function scoreWith(
  inputs: string[],
  o: ScoreCliOptions,
  rubric: Rubric,
  built: BuiltJudge | null,
): Promise<number> {
  const judge = built?.decider;
  const mode = built?.config.mode;
  const judgeOutcome = !!built && (built.config.outcome || mode === "outcome");
  const modelPath = judgeOutcome ? null : outcomeModelPath(o.outcomeModel);
  const outcome = modelPath ? outcomeProvider(modelPath) : undefined; // fails here, before any work, on a bad model
  // run-relative criteria: decided at the end, over the output file (or, on stdout, over records set aside)
  const runRelative = o.runContext && needsRunContext(rubric);
  const toFile = !!o.output && o.output !== "-";
  const done = o.resume ? await finishedIds(o.output!) : new Set<string>();
  if (o.resume)
    note(
      `resume: ${done.size} trajectories already scored in ${o.output}; scoring the rest (and any whose judge requests failed)`,
    );
  const out = jsonlWriter(o.output, o.resume, { claimed: true });
  const started = Date.now();
  const bar = progress("score", !o.quiet && process.stderr.isTTY === true, judge ? JUDGE_PROGRESS : undefined);
  let summary = new ScoreSummary();
  const errors: IngestError[] = [];
  // each written record's steps by run, for the run-relative criteria decided at the end (a
  // resumed run's file holds records of earlier runs too: then they are counted from the file)
  const runs = o.resume ? undefined : new RunSteps();
  // criteria left unscored by a failure (with --allow-unjudged, the judge's failures are accepted)
  const isFailure = (reason: string | undefined) =>
    !!reason && FAILURE_REASONS.has(reason) && !(o.allowUnjudged && reason !== "check_error");
  let failedRecords = 0;
  let judgeError: string | undefined; // the first judge failure's explanation
  let stopped = false;
  let judgeFailed = 0; // trajectories with a judge failure
  try {
    const onProgress = (done: number, total: number) =>
      done === 0
        ? bar.total(total)
        : bar.tick({
            trajectories: summary.records,
            errors: errors.length,
            ...(judge ? judgePayload(judge.stats, summary.records, started) : {}),
          });
    const jobs = judge || o.resume ? 1 : (o.jobs ?? (await autoJobs(inputs)));
    const scored =
      jobs > 1
        ? scoreParallel(inputs, {
            rubric: o.rubric,
            labels: o.labels,
            autoLabels: o.autoLabels,
            outcomeModel: modelPath,
            jobs,
            onProgress,
          })
        : scoreStream(inputs, {
            rubric,
            labels: o.labels,
            autoLabels: o.autoLabels,
            runContext: false,
            outcome: judgeOutcome ? judge : (outcome ?? null),
            judge,
            onProgress,
            concurrency: built ? built.trajectoriesInFlight : 1,
            skip: done,
          });
    const events = runRelative && !toFile ? withRunContext(scored, rubric) : scored;
    for await (const ev of events) {
      if (ev.type === "record") {
        summary.add(ev.record);
        runs?.add(ev.record.source.run, ev.record.steps);
        if (ev.record.criteria.some((c) => isFailure(c.reason))) failedRecords++;
        judgeError ??= ev.record.criteria.find((c) => c.reason === "judge_error")?.explanation;
        if (judge)
          bar.update({ trajectories: summary.records, ...judgePayload(judge.stats, summary.records, started) });
        await out.write(ev.record);
        // a judge that answers nothing: stop rather than write check-only scores under its name
        // (after a few trajectories, so that one failed request at the start does not end a run)
        if (ev.record.criteria.some((c) => c.reason === "judge_error")) judgeFailed++;
        if (built && !o.allowUnjudged && judgeSilent(built) && judgeFailed >= SILENT_AFTER) {
          stopped = true;
          break;
        }
      } else if (ev.type === "error") errors.push(ev.error);
    }
  } finally {
    bar.stop();
    await out.close();
  }
  if (runRelative && toFile && !stopped) {
    const final = new ScoreSummary();
    await finishRunContext(o.output!, rubric, (r) => final.add(r), runs);
    summary = final;
  }
  if (!o.quiet) {
    note(
      `rubric ${rubric.id} ${rubric.version} (${rubric.hash}), ${rubric.criteria.length} criteria; outcome model: ${outcome ? `${modelPath === DEFAULT_MODEL ? "shipped default" : modelPath} (${outcome.model.version})` : "none"}`,
    );
    if (built) {
      const st = built.decider.stats;
      const models = built.config.panel.map((m) => m.model).join(", ");
      note(
        `judge ${models} (${mode} mode${built.config.samples > 1 ? `, ${built.config.samples} samples` : ""}): ${st.requests} requests, ${st.cacheHits} cache hits, ` +
          `${st.promptTokens} prompt tokens (${st.cachedTokens} cached by the server), ${st.completionTokens} completion tokens, cost ${formatCost(st.cost)}, ` +
          `${st.failures} criteria unscored by judge failures${built.cache ? `; cache ${built.config.cache}` : ""}`,
      );
      const k = built.decider.counts;
      if (k.reaskedMissing || k.reaskedUnreadable || k.missing || k.evidenceDropped || k.criticChecked)
        note(
          `judge answers: ${k.reaskedMissing} asked again for criteria they left out, ${k.reaskedUnreadable} asked again as unreadable, ` +
            `${k.missing} verdicts still missing (missing_verdict), ${k.evidenceDropped} evidence step numbers outside their trajectory dropped` +
            (k.criticChecked ? `; critic: ${k.criticConfirmed} of ${k.criticChecked} claimed failures confirmed` : ""),
        );
    }
    note(summary.table());
    if (errors.length) note(`${errors.length} inputs could not be read:`);
    for (const e of errors.slice(0, o.maxErrors)) note(`  error: ${e.describe()}`);
    if (errors.length > o.maxErrors) note(`  ... and ${errors.length - o.maxErrors} more`);
  }
  return verdict(o, rubric, built, summary, { errors: errors.length, failedRecords, judgeError, stopped });
}

/** Trajectories whose judge requests all failed, with no answer yet, before a run stops. */
const SILENT_AFTER = 3;

/** Whether a judge was asked and answered nothing (no answer and no cache hit, some failures). */
function judgeSilent(built: BuiltJudge): boolean {
  const st = built.decider.stats;
  return st.requests + st.cacheHits === 0 && st.failures > 0;
}

/**
 * The exit code: 1 when inputs failed or criteria could not be decided because of a failure (the
 * judge down, a check that threw) or no trajectory got a score, with one line on stderr saying which.
 */
function verdict(
  o: ScoreCliOptions,
  rubric: Rubric,
  built: BuiltJudge | null,
  summary: ScoreSummary,
  run: { errors: number; failedRecords: number; judgeError?: string; stopped: boolean },
): number {
  const problems: string[] = [];
  const judges = built ? built.config.panel.map((m) => `${m.model} at ${m.url}`).join(", ") : "";
  if (run.stopped)
    problems.push(
      `stopped after ${summary.records} trajectories: the judge (${judges}) answered none of its requests` +
        `${run.judgeError ? ` (${run.judgeError})` : ""}; their judge criteria are unscored (judge_error). ` +
        "Start the server and run again (--resume continues a file), or give --allow-unjudged to score without the judge",
    );
  else if (built && judgeSilent(built))
    note(
      `score: the judge (${judges}) answered none of its requests; the scores come from the other criteria (--allow-unjudged)`,
    );
  if (run.errors) problems.push(`${run.errors} inputs could not be read`);
  if (summary.errors) problems.push(`${summary.errors} trajectories could not be scored (error records)`);
  const failures = summary.reasons((r) => FAILURE_REASONS.has(r) && !(o.allowUnjudged && r !== "check_error"));
  if (!run.stopped && failures)
    problems.push(
      `${run.failedRecords} trajectories have criteria that could not be decided because of a failure (${failures}; each criterion's explanation says why)` +
        (failures.includes("judge_") ? "; run again with --resume to ask the judge again" : ""),
    );
  const scored = summary.records - summary.errors;
  const behaviour = rubric.criteria.some((c) => c.kind !== "outcome");
  if (!run.stopped && behaviour && scored > 0 && summary.nullScores === scored)
    problems.push(
      `no trajectory got a score: no behaviour criterion of rubric ${rubric.id} was decided (unscored: ${summary.reasons()})`,
    );
  if (!problems.length) return 0;
  note(`score: ${problems.join("; ")}`);
  return 1;
}
