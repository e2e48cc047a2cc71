/**
 * SFT export: trajectories (usually the output of `filter`) streamed into one of the formats a
 * trainer reads. One trajectory that cannot be written in the format is skipped with its reason;
 * the others are written. Labels come from the trajectory, else from its score record.
 */
import { basename, dirname, join } from "node:path";
import { readTrajectories } from "../labels/stream.js";
import { pResolved } from "../score/reward.js";
import { resolvedOf } from "../select/signals.js";
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { conversation, RenderError, type ConversationNotes } from "./conversation.js";
import { openaiRecord, toolsOf, trlRecord, type ExportFormat, type Meta } from "./formats.js";
import { ParquetRows, type ParquetSchema } from "./parquet.js";
import { badStepMessages, checkShape, inlineCalls, meaningful, renderTurns, type ToolStyle } from "./render.js";
import { datasetInfoEntry, sharegptRecord, type CallText } from "./sharegpt.js";
import { checkDatasetInfo, checkTargets, mergeDatasetInfo } from "./targets.js";
import { JsonlFile } from "./jsonl.js";

export interface SftOptions {
  output: string;
  format: ExportFormat;
  toolStyle: ToolStyle;
  /** tool-call arguments: JSON string (default for openai, parquet) or object (default for trl) */
  arguments?: "string" | "object";
  /** system prompt text replacing the trajectories' own */
  systemPrompt?: string;
  /** score records by trajectory id (labels, scores, evidence for zero weights) */
  scores?: Map<string, ScoreRecord>;
  /** discouraged criteria whose evidence steps get weight 0 */
  zeroWeight?: string[];
  /** write weight 1 on every other assistant message */
  weights?: boolean;
  keepDemos?: boolean;
  labels?: string[];
  autoLabels?: boolean;
  /** ShareGPT: how the assistant's text beside a call is written */
  callText?: CallText;
  /** ShareGPT: the dataset's name in dataset_info.json (default: the output's name) */
  datasetName?: string;
  /** overwrite existing outputs (and a dataset_info.json entry of the same name) */
  force?: boolean;
  /** called after each trajectory read */
  progress?: (read: number) => void;
}

export interface Skip {
  trajectory_id: string;
  file: string;
  reason: string;
}

export interface SftReport {
  format: ExportFormat;
  toolStyle: ToolStyle;
  files: string[];
  read: number;
  written: number;
  skipped: Skip[];
  /** inputs that could not be read */
  errors: string[];
  /** rows by scaffold */
  byScaffold: Record<string, number>;
  labels: { resolved: number; unresolved: number; unknown: number; fromScores: number };
  /** assistant turns given weight 0 */
  zeroed: number;
  /** text turns with several actions the scaffold refused (kept as text) */
  refusedTurns: number;
  /** calls the source never answered (answered with what the step recorded, or empty) */
  unansweredCalls: number;
  warnings: string[];
  datasetInfo?: { path: string; name: string; added: string[]; replaced: string[] };
}

/** Columns of a Parquet SFT export: TRL's conversational layout as nested types, and the metadata. */
export const SFT_PARQUET: ParquetSchema = {
  messages: {
    list: {
      struct: {
        role: "string",
        content: "string",
        name: "string",
        tool_call_id: "string",
        reasoning_content: "string",
        weight: "int32",
        tool_calls: {
          list: {
            struct: { id: "string", type: "string", function: { struct: { name: "string", arguments: "string" } } },
          },
        },
      },
    },
  },
  tools: {
    list: {
      struct: { type: "string", function: { struct: { name: "string", description: "string", parameters: "string" } } },
    },
  },
  trajectory_id: "string",
  instance_id: "string",
  resolved: "bool",
  score: "double",
  p_resolved: "double",
  scaffold: "string",
  model: "string",
  patch: "string",
};

/** Every file an SFT export writes (for the overwrite check before any work). */
export function sftTargets(o: Pick<SftOptions, "output" | "format">): string[] {
  return o.format === "openai" ? [o.output, metaPath(o.output)] : [o.output];
}

/** The metadata file beside an OpenAI export (OpenAI's format has no place for it). */
export function metaPath(output: string): string {
  return output.replace(/(\.jsonl?)?$/, ".meta.jsonl");
}

export function datasetInfoPath(output: string): string {
  return join(dirname(output), "dataset_info.json");
}

export function datasetNameOf(o: Pick<SftOptions, "output" | "datasetName">): string {
  return o.datasetName ?? basename(o.output).replace(/\.[^.]+$/, "");
}

export function metaOf(t: Trajectory, rec: ScoreRecord | undefined): Meta {
  return {
    trajectory_id: t.id,
    instance_id: t.instance_id,
    resolved: resolvedOf(t, rec),
    score: rec?.score ?? null,
    p_resolved: rec ? pResolved(rec) : null,
    scaffold: t.source.scaffold,
    model: t.source.model,
    patch: t.patch,
  };
}

/** Assistant messages to weight 0: the evidence steps of the named criteria where they fired. */
export function zeroedMessages(t: Trajectory, rec: ScoreRecord | undefined, ids: string[]): Set<number> {
  if (!rec || !ids.length) return new Set();
  const evidence = rec.criteria
    .filter((c) => ids.includes(c.id) && c.status === "decided" && (c.goodness ?? 1) < 0.5)
    .flatMap((c) => c.evidence);
  return badStepMessages(t, evidence);
}

interface Sink {
  write(t: Trajectory, rec: ScoreRecord | undefined, zero: Set<number>, notes: ConversationNotes): Promise<void>;
  close(): Promise<void>;
}

function sinkFor(o: SftOptions): Sink {
  const args = o.arguments ?? (o.format === "trl" ? "object" : "string");
  const turnsOf = (t: Trajectory, zero: Set<number>, notes: ConversationNotes) => {
    const turns = meaningful(
      conversation(t, { systemPrompt: o.systemPrompt, keepDemos: o.keepDemos, zeroWeight: zero }, notes),
    );
    checkShape(turns);
    return turns;
  };
  const render = (
    t: Trajectory,
    zero: Set<number>,
    notes: ConversationNotes,
    extra: Partial<Parameters<typeof renderTurns>[1]>,
  ) =>
    renderTurns(turnsOf(t, zero, notes), {
      style: o.toolStyle,
      arguments: args,
      weights: o.weights,
      ...extra,
    });
  if (o.format === "parquet") {
    const out = new ParquetRows(o.output, SFT_PARQUET, 64);
    return {
      async write(t, rec, zero, notes) {
        const messages = render(t, zero, notes, { arguments: "string", toolNames: true });
        const native = messages.some((m) => m.tool_calls?.length);
        await out.add({ messages, tools: native ? toolsOf(t) : [], ...metaOf(t, rec) });
      },
      close: () => out.close(),
    };
  }
  const out = new JsonlFile(o.output);
  if (o.format === "openai") {
    const meta = new JsonlFile(metaPath(o.output));
    return {
      async write(t, rec, zero, notes) {
        const messages = render(t, zero, notes, { reasoning: false });
        await out.write(openaiRecord(messages, t));
        await meta.write(metaOf(t, rec));
      },
      async close() {
        await out.close();
        await meta.close();
      },
    };
  }
  if (o.format === "trl") {
    return {
      async write(t, rec, zero, notes) {
        const messages = render(t, zero, notes, { noWeights: true, toolNames: true });
        await out.write(trlRecord(messages, t, metaOf(t, rec)));
      },
      close: () => out.close(),
    };
  }
  return {
    async write(t, rec, zero, notes) {
      const turns = turnsOf(t, zero, notes);
      const shaped = o.toolStyle === "native" ? turns : inlineCalls(turns, o.toolStyle);
      await out.write(
        sharegptRecord(shaped, t, o.callText ?? "inline", metaOf(t, rec) as unknown as Record<string, unknown>),
      );
    },
    close: () => out.close(),
  };
}

/** Check what the export would overwrite or clobber; throws UsageError. Call before any work. */
export function checkSft(o: SftOptions): void {
  checkTargets(sftTargets(o), o.force);
  if (o.format === "sharegpt" && o.output !== "-") {
    const name = datasetNameOf(o);
    checkDatasetInfo(datasetInfoPath(o.output), { [name]: datasetInfoEntry(basename(o.output)) }, o.force);
  }
}

export async function exportSft(inputs: string[], o: SftOptions): Promise<SftReport> {
  checkSft(o);
  const report: SftReport = {
    format: o.format,
    toolStyle: o.toolStyle,
    files: sftTargets(o),
    read: 0,
    written: 0,
    skipped: [],
    errors: [],
    byScaffold: {},
    labels: { resolved: 0, unresolved: 0, unknown: 0, fromScores: 0 },
    zeroed: 0,
    refusedTurns: 0,
    unansweredCalls: 0,
    warnings: [],
  };
  const scores = o.scores ?? new Map<string, ScoreRecord>();
  const sink = sinkFor(o);
  let reasoningDropped = 0;
  let unscored = 0;
  try {
    for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
      if (ev.type === "error") {
        report.errors.push(ev.error.describe());
        continue;
      }
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      report.read++;
      o.progress?.(report.read);
      const rec = scores.get(t.id);
      if (scores.size && !rec) unscored++;
      const zero = zeroedMessages(t, rec, o.zeroWeight ?? []);
      const notes: ConversationNotes = { refusedTurns: 0, unansweredCalls: 0 };
      try {
        await sink.write(t, rec, zero, notes);
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        report.skipped.push({ trajectory_id: t.id, file: t.source.file, reason: e.message });
        continue;
      }
      report.written++;
      report.zeroed += zero.size;
      report.refusedTurns += notes.refusedTurns;
      report.unansweredCalls += notes.unansweredCalls;
      report.byScaffold[t.source.scaffold] = (report.byScaffold[t.source.scaffold] ?? 0) + 1;
      const resolved = resolvedOf(t, rec);
      if (resolved === null) report.labels.unknown++;
      else report.labels[resolved ? "resolved" : "unresolved"]++;
      if (!t.label && rec?.label) report.labels.fromScores++;
      if (o.format === "openai")
        reasoningDropped += t.messages.filter((m) => m.role === "assistant" && m.reasoning_content).length;
    }
  } finally {
    await sink.close();
  }
  if (report.zeroed && (o.format === "trl" || o.format === "sharegpt"))
    report.warnings.push(
      `${o.format === "trl" ? "TRL's conversational format" : "ShareGPT (LLaMA-Factory)"} has no per-message weight: ` +
        `${report.zeroed} assistant turns that --zero-weight marks are written without one and will be trained on ` +
        "(--format openai or parquet keep the weights; or filter those trajectories out)",
    );
  else if (o.weights && (o.format === "trl" || o.format === "sharegpt"))
    report.warnings.push(`--weights: ${o.format} has no per-message weight; none written`);
  if (reasoningDropped)
    report.warnings.push(
      `${reasoningDropped} assistant messages carry hidden reasoning, which OpenAI's fine-tuning format has no place for: not written`,
    );
  if (unscored) report.warnings.push(`${unscored} trajectories have no score record (no score, p_resolved or weights)`);
  if (report.labels.unknown)
    report.warnings.push(
      `${report.labels.unknown} rows have no outcome label (resolved: null); pass --labels or --scores`,
    );
  if (o.format === "sharegpt" && o.output !== "-") {
    const name = datasetNameOf(o);
    const path = datasetInfoPath(o.output);
    const r = mergeDatasetInfo(path, { [name]: datasetInfoEntry(basename(o.output)) });
    report.datasetInfo = { path, name, ...r };
  }
  return report;
}
