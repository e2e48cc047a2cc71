/**
 * Preference data for TRL from the attempts at each task: DPO rows (`prompt`, `chosen`,
 * `rejected`, conversational, with a `tools` column) or KTO rows (`prompt`, `completion`, `label`),
 * as JSONL or Parquet with nested columns. The prompt is everything before the first assistant
 * turn; the completions are the rest of each conversation, tool calls answered as in the SFT
 * export. Which attempts pair is decided in select/pairs.ts.
 */
import { createHash } from "node:crypto";
import { readTrajectories } from "../labels/stream.js";
import { choosePairs, pairReport, standings, type Attempt, type Pair, type PairReport } from "../select/pairs.js";
import { pResolved } from "../score/reward.js";
import { resolvedOf } from "../select/signals.js";
import type { ScoreRecord } from "../types/score.js";
import { conversation, RenderError } from "./conversation.js";
import { toolsOf } from "./formats.js";
import { JsonlFile } from "./jsonl.js";
import { ParquetRows, type ColumnType, type ParquetSchema } from "./parquet.js";
import { checkShape, meaningful, renderTurns, type OutMessage } from "./render.js";
import type { Skip } from "./sft.js";
import { SFT_PARQUET } from "./sft.js";
import { Spool } from "./spool.js";
import { checkTargets } from "./targets.js";

import { PAIR_LAYOUTS } from "./names.js";

export { PAIR_LAYOUTS };
export type PairLayout = (typeof PAIR_LAYOUTS)[number];
export type RowFormat = "jsonl" | "parquet";

export interface PairsOptions {
  output: string;
  layout: PairLayout;
  /** default: parquet for a .parquet output, else jsonl */
  format?: RowFormat;
  scores: Map<string, ScoreRecord>;
  margin: number;
  perTask: number;
  systemPrompt?: string;
  keepDemos?: boolean;
  labels?: string[];
  autoLabels?: boolean;
  force?: boolean;
  progress?: (read: number) => void;
}

export interface PairsReport extends PairReport {
  layout: PairLayout;
  output: string;
  read: number;
  /** trajectories without a score record (or with an error record): not paired */
  unscored: number;
  skipped: Skip[];
  errors: string[];
  rows: number;
  /** the pairs written (ids, kind, margins) */
  list: Pair[];
}

interface Rendered {
  prompt: OutMessage[];
  completion: OutMessage[];
  tools: Record<string, unknown>[];
}

export const formatOf = (output: string, format?: RowFormat): RowFormat =>
  format ?? (/\.parquet$/i.test(output) ? "parquet" : "jsonl");

const MESSAGE: ColumnType = (SFT_PARQUET.messages as { list: ColumnType }).list;
const MESSAGES: ColumnType = { list: MESSAGE };

const DPO_PARQUET: ParquetSchema = {
  prompt: MESSAGES,
  chosen: MESSAGES,
  rejected: MESSAGES,
  tools: SFT_PARQUET.tools,
  instance_id: "string",
  chosen_id: "string",
  rejected_id: "string",
  kind: "string",
  margin: "double",
  p_margin: "double",
};

const KTO_PARQUET: ParquetSchema = {
  prompt: MESSAGES,
  completion: MESSAGES,
  label: "bool",
  tools: SFT_PARQUET.tools,
  trajectory_id: "string",
  instance_id: "string",
  resolved: "bool",
  score: "double",
};

/** TRL's JSONL layout takes call arguments as objects (they were checked to be JSON objects). */
function objectArgs(ms: OutMessage[]): OutMessage[] {
  return ms.map((m) =>
    m.tool_calls
      ? {
          ...m,
          tool_calls: m.tool_calls.map((c) => ({
            ...c,
            function: {
              name: c.function.name,
              arguments:
                typeof c.function.arguments === "string" ? JSON.parse(c.function.arguments) : c.function.arguments,
            },
          })),
        }
      : m,
  );
}

function unionTools(a: Record<string, unknown>[], b: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const t of [...a, ...b]) {
    const name = String((t.function as { name?: unknown } | undefined)?.name ?? "");
    if (!seen.has(name)) seen.set(name, t);
  }
  return [...seen.values()];
}

export async function exportPairs(inputs: string[], o: PairsOptions): Promise<PairsReport> {
  checkTargets([o.output], o.force);
  const format = formatOf(o.output, o.format);
  const spool = new Spool<Rendered>();
  const attempts: Attempt[] = [];
  const info = new Map<string, { resolved: boolean | null; score: number | null; task: string }>();
  const skipped: Skip[] = [];
  const errors: string[] = [];
  let read = 0;
  let unscored = 0;
  try {
    for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
      if (ev.type === "error") {
        errors.push(ev.error.describe());
        continue;
      }
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      o.progress?.(++read);
      const rec = o.scores.get(t.id);
      if (!rec || rec.error) {
        unscored++;
        continue;
      }
      let messages: OutMessage[];
      try {
        const turns = meaningful(conversation(t, { systemPrompt: o.systemPrompt, keepDemos: o.keepDemos }));
        checkShape(turns);
        messages = renderTurns(turns, { style: "native", arguments: "string", toolNames: true, noWeights: true });
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        skipped.push({ trajectory_id: t.id, file: t.source.file, reason: e.message });
        continue;
      }
      const first = messages.findIndex((m) => m.role === "assistant");
      const prompt = messages.slice(0, first);
      const task = t.instance_id ?? t.id;
      const group = `${task}:${createHash("sha256").update(JSON.stringify(prompt)).digest("hex").slice(0, 16)}`;
      const native = messages.some((m) => m.tool_calls?.length);
      spool.put(t.id, { prompt, completion: messages.slice(first), tools: native ? toolsOf(t) : [] });
      const resolved = resolvedOf(t, rec);
      attempts.push({
        id: t.id,
        task,
        group,
        resolved,
        vetoed: rec.vetoed_by.length > 0,
        score: rec.score,
        p: pResolved(rec),
      });
      info.set(t.id, { resolved, score: rec.score, task });
    }
    const pairs = choosePairs(attempts, { margin: o.margin, perTask: o.perTask });
    const schema = o.layout === "dpo" ? DPO_PARQUET : KTO_PARQUET;
    const out = format === "parquet" ? new ParquetRows(o.output, schema, 32) : new JsonlFile(o.output);
    const args = (ms: OutMessage[]) => (format === "jsonl" ? objectArgs(ms) : ms);
    let rows = 0;
    try {
      if (o.layout === "dpo") {
        for (const p of pairs) {
          const c = spool.get(p.chosen);
          const r = spool.get(p.rejected);
          await out.add({
            prompt: args(c.prompt),
            chosen: args(c.completion),
            rejected: args(r.completion),
            tools: unionTools(c.tools, r.tools),
            instance_id: p.task,
            chosen_id: p.chosen,
            rejected_id: p.rejected,
            kind: p.kind,
            margin: p.margin,
            p_margin: p.p_margin,
          });
          rows++;
        }
      } else {
        const stand = standings(attempts, o.margin);
        const seen = new Set<string>();
        for (const id of pairs.flatMap((p) => [p.chosen, p.rejected])) {
          if (seen.has(id)) continue;
          seen.add(id);
          const x = spool.get(id);
          const m = info.get(id)!;
          await out.add({
            prompt: args(x.prompt),
            completion: args(x.completion),
            label: stand.get(id) === "good",
            tools: x.tools,
            trajectory_id: id,
            instance_id: m.task,
            resolved: m.resolved,
            score: m.score,
          });
          rows++;
        }
      }
    } finally {
      await out.close();
    }
    return {
      ...pairReport(attempts, pairs, o.margin),
      layout: o.layout,
      output: o.output,
      read,
      unscored,
      skipped,
      errors,
      rows,
      list: pairs,
    };
  } finally {
    spool.close();
  }
}
