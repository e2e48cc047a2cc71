/** `rubricate export`: SFT datasets from trajectories (usually the output of `filter`). */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readScores } from "../eval/read.js";
import { datasetInfo, openaiRecord, sharegptRecord, toolsOf, trlRecord, type ExportFormat } from "../export/formats.js";
import { badStepMessages, renderMessages, type ToolStyle } from "../export/render.js";
import { readTrajectories } from "../labels/stream.js";
import type { ScoreRecord } from "../types/score.js";
import { OutputError, claimOutput, jsonlWriter, note, writeText } from "./output.js";
import { reasonOf } from "../io/write.js";

export interface ExportCliOptions {
  output: string;
  format: ExportFormat;
  toolStyle: ToolStyle;
  arguments?: "string" | "object";
  systemPrompt?: string;
  scores?: string[];
  zeroWeight?: string;
  weights?: boolean;
  keepDemos?: boolean;
  labels?: string[];
  autoLabels: boolean;
}

export async function runExport(inputs: string[], o: ExportCliOptions): Promise<number> {
  const lock = claimOutput(o.output, { inputs: [...inputs, ...(o.scores ?? [])] }); // checked before any work
  try {
    return await exportInto(inputs, o);
  } finally {
    lock?.release();
  }
}

async function exportInto(inputs: string[], o: ExportCliOptions): Promise<number> {
  const system = o.systemPrompt ? readFileSync(o.systemPrompt, "utf8") : undefined;
  const scores = new Map<string, ScoreRecord>();
  for await (const ev of readScores(o.scores ?? [])) {
    if (ev.type === "record") scores.set(ev.record.trajectory_id, ev.record);
    else note(`error: ${ev.error.describe()}`);
  }
  const zeroIds = new Set(
    (o.zeroWeight ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const native = o.toolStyle === "native";
  const args = o.arguments ?? (o.format === "trl" ? "object" : "string");
  const parquetRows: Record<string, unknown>[] = [];
  const out = o.format === "parquet" ? null : jsonlWriter(o.output, false, { claimed: true });
  let n = 0;
  let zeroed = 0;
  let errors = 0;
  try {
    for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
      if (ev.type === "error") {
        errors++;
        note(`error: ${ev.error.describe()}`);
        continue;
      }
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      const rec = scores.get(t.id);
      const evidence =
        rec?.criteria
          .filter((c) => zeroIds.has(c.id) && c.status === "decided" && (c.goodness ?? 1) < 0.5)
          .flatMap((c) => c.evidence) ?? [];
      const zero = badStepMessages(t, evidence);
      zeroed += zero.size;
      const messages = renderMessages(t, {
        style: o.toolStyle,
        systemPrompt: system,
        arguments: args,
        zeroWeight: zero,
        weights: o.weights,
        keepDemos: o.keepDemos,
      });
      const meta = {
        instance_id: t.instance_id,
        trajectory_id: t.id,
        resolved: t.label ? t.label.resolved : null,
        score: rec?.score ?? null,
        source: `${t.source.scaffold}${t.source.model ? ` / ${t.source.model}` : ""}`,
      };
      n++;
      if (o.format === "openai") await out!.write(openaiRecord(messages, t, native));
      else if (o.format === "trl") await out!.write(trlRecord(messages, t, native, meta));
      else if (o.format === "sharegpt") await out!.write(sharegptRecord(messages, t, native));
      else
        parquetRows.push({
          ...meta,
          messages: JSON.stringify(messages),
          tools: native ? JSON.stringify(toolsOf(t)) : null,
          patch: t.patch,
        });
    }
  } finally {
    await out?.close();
  }
  if (o.format === "parquet") {
    const { parquetWriteFile } = await import("hyparquet-writer");
    const col = (name: string, type: "STRING" | "BOOLEAN" | "DOUBLE") => ({
      name,
      type,
      data: parquetRows.map((r) => r[name] ?? null),
    });
    try {
      parquetWriteFile({
        filename: o.output,
        columnData: [
          col("instance_id", "STRING"),
          col("trajectory_id", "STRING"),
          col("resolved", "BOOLEAN"),
          col("score", "DOUBLE"),
          col("source", "STRING"),
          col("messages", "STRING"),
          col("tools", "STRING"),
          col("patch", "STRING"),
        ],
      });
    } catch (e) {
      throw new OutputError(`cannot write ${o.output}: ${reasonOf(e)}`, o.output);
    }
  }
  if (o.format === "sharegpt") {
    const info = join(dirname(o.output), "dataset_info.json");
    const name = basename(o.output).replace(/\.\w+$/, "");
    writeText(info, JSON.stringify(datasetInfo(name, basename(o.output), native), null, 2) + "\n");
    note(`wrote the LLaMA-Factory entry '${name}' to ${info}`);
  }
  note(
    `export (${o.format}, tool calls ${o.toolStyle}): ${n} trajectories -> ${o.output}${scores.size ? `; ${zeroed} assistant turns weighted 0 (${[...zeroIds].join(", ")})` : ""}`,
  );
  return errors ? 1 : 0;
}
