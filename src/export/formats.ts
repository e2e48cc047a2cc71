/**
 * SFT dataset rows: OpenAI chat fine-tuning JSONL, TRL conversational (JSONL or Parquet), and the
 * metadata every row can carry. ShareGPT / LLaMA-Factory is in sharegpt.ts.
 */
import type { Trajectory } from "../types/trajectory.js";
import type { OutMessage } from "./render.js";

import { EXPORT_FORMATS } from "./names.js";

export { EXPORT_FORMATS };
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Tool schemas offered to the agent, in the OpenAI `tools` shape; synthesised from the calls when the source has none. */
export function toolsOf(t: Trajectory): Record<string, unknown>[] {
  if (t.tools?.length) {
    return t.tools.map((x) => {
      const o = x as Record<string, unknown>;
      return o.type === "function" && o.function ? o : { type: "function", function: o };
    });
  }
  const names = new Map<string, Set<string>>();
  for (const m of t.messages) {
    for (const c of m.tool_calls ?? []) {
      const keys = names.get(c.function.name) ?? new Set<string>();
      try {
        for (const k of Object.keys(JSON.parse(c.function.arguments) ?? {})) keys.add(k);
      } catch {
        /* arguments that are not JSON add no parameters */
      }
      names.set(c.function.name, keys);
    }
  }
  return [...names].map(([name, keys]) => ({
    type: "function",
    function: {
      name,
      description: `${name} (as used in the trajectory)`,
      parameters: { type: "object", properties: Object.fromEntries([...keys].map((k) => [k, { type: "string" }])) },
    },
  }));
}

/** What a row says about where it came from and how it did; never part of the conversation. */
export interface Meta {
  trajectory_id: string;
  instance_id: string | null;
  /** the test outcome: from the trajectory's label, else from its score record */
  resolved: boolean | null;
  /** the rubric's behaviour score */
  score: number | null;
  /** calibrated probability of resolution (the outcome model), when scored */
  p_resolved: number | null;
  scaffold: string;
  model: string | null;
  patch: string | null;
}

/**
 * OpenAI chat fine-tuning: exactly the documented keys (`messages`, `tools`,
 * `parallel_tool_calls`); metadata goes to a file beside it.
 */
export function openaiRecord(messages: OutMessage[], t: Trajectory): Record<string, unknown> {
  const rec: Record<string, unknown> = { messages };
  const calls = messages.flatMap((m) => m.tool_calls ?? []);
  if (calls.length) {
    rec.tools = toolsOf(t);
    rec.parallel_tool_calls = messages.some((m) => (m.tool_calls?.length ?? 0) > 1);
  }
  return rec;
}

/** TRL conversational language modelling: `messages`, a `tools` column, and the metadata columns. */
export function trlRecord(messages: OutMessage[], t: Trajectory, meta: Meta): Record<string, unknown> {
  const hasCalls = messages.some((m) => m.tool_calls?.length);
  return { messages, tools: hasCalls ? toolsOf(t) : [], ...meta };
}
