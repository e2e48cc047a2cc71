/** `rubricate score`: score trajectories against a rubric, one ScoreRecord per line. */
import { closeSync, existsSync, openSync, readSync, renameSync, statSync, unlinkSync } from "node:fs";
import { jsonlLines } from "../io/read.js";
import { LineFile } from "../io/write.js";
import { loadRubric } from "../rubric/load.js";
import type { IngestError } from "../io/error.js";
import { RunSteps, finishRunContext, needsRunContext, withRunContext } from "../score/context.js";
import { scoreStream } from "../score/stream.js";
import { autoJobs, scoreParallel } from "../score/parallel.js";
import type { JudgeFlags } from "../judge/config.js";
import { buildJudge, type BuiltJudge } from "../judge/build.js";
import { readJudgeConfig, resolveJudge } from "../judge/config.js";
import { DEFAULT_MODEL, hasDefaultModel, outcomeProvider } from "../outcome/provider.js";
import { ScoreSummary } from "../score/summary.js";
import { claimOutput, jsonlWriter, note } from "./output.js";
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
}

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
  return hasDefaultModel() ? DEFAULT_MODEL : null;
}

export async function runScore(inputs: string[], o: ScoreCliOptions): Promise<number> {
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
      return await scoreWith(inputs, o, rubric, built);
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
            outcome: judgeOutcome ? judge : outcome,
            judge,
            onProgress,
            concurrency: built ? built.config.concurrency : 1,
            skip: done,
          });
    const events = runRelative && !toFile ? withRunContext(scored, rubric) : scored;
    for await (const ev of events) {
      if (ev.type === "record") {
        summary.add(ev.record);
        runs?.add(ev.record.source.run, ev.record.steps);
        if (judge)
          bar.update({ trajectories: summary.records, ...judgePayload(judge.stats, summary.records, started) });
        await out.write(ev.record);
      } else if (ev.type === "error") errors.push(ev.error);
    }
  } finally {
    bar.stop();
    await out.close();
  }
  if (runRelative && toFile) {
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
  return errors.length || summary.errors ? 1 : 0;
}
