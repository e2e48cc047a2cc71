/**
 * SFT dataset formats: OpenAI chat fine-tuning JSONL, TRL conversational,
 * ShareGPT / LLaMA-Factory (with its dataset_info.json entry), and Parquet.
 */
import type { Trajectory } from "../types/trajectory.js";
import type { OutMessage } from "./render.js";

export const EXPORT_FORMATS = ["openai", "trl", "sharegpt", "parquet"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Tool schemas offered to the agent, in the OpenAI `tools` shape; synthesised from the calls when the source has none. */
export function toolsOf(t: Trajectory): unknown[] {
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

export interface Meta {
  instance_id: string | null;
  trajectory_id: string;
  resolved: boolean | null;
  score: number | null;
  source: string;
}

export function openaiRecord(messages: OutMessage[], t: Trajectory, native: boolean): Record<string, unknown> {
  const rec: Record<string, unknown> = { messages };
  if (native) {
    const tools = toolsOf(t);
    if (tools.length) {
      rec.tools = tools;
      rec.parallel_tool_calls = messages.some((m) => (m.tool_calls?.length ?? 0) > 1);
    }
  }
  return rec;
}

export function trlRecord(messages: OutMessage[], t: Trajectory, native: boolean, meta: Meta): Record<string, unknown> {
  const rec: Record<string, unknown> = { messages: messages.map(({ weight: _w, ...m }) => m) };
  if (native) rec.tools = toolsOf(t);
  return { ...rec, ...meta };
}

/**
 * ShareGPT with LLaMA-Factory's function-calling tags (human, gpt,
 * function_call, observation; system and tools apart). LLaMA-Factory needs
 * human/observation and gpt/function_call turns to alternate, so neighbours on
 * the same side are merged. A function_call turn holds only the call JSON (one
 * object, or a list for parallel calls): text an assistant wrote beside native
 * tool calls has no place in it; use the xml or fenced tool style to keep it.
 */
export function sharegptRecord(messages: OutMessage[], t: Trajectory, native: boolean): Record<string, unknown> {
  const conv: { from: string; value: string }[] = [];
  let system = "";
  const side = (f: string) => (f === "human" || f === "observation" ? 0 : 1);
  const push = (from: string, value: string) => {
    const prev = conv[conv.length - 1];
    if (prev && side(prev.from) === side(from)) prev.value += "\n\n" + value;
    else conv.push({ from, value });
  };
  for (const m of messages) {
    if (m.role === "system") system = m.content;
    else if (m.role === "user") push("human", m.content);
    else if (m.role === "tool") push("observation", m.content);
    else if (m.tool_calls?.length) {
      const calls = m.tool_calls.map((c) => ({
        name: c.function.name,
        arguments: typeof c.function.arguments === "string" ? safeParse(c.function.arguments) : c.function.arguments,
      }));
      push("function_call", JSON.stringify(calls.length === 1 ? calls[0] : calls));
    } else push("gpt", m.content);
  }
  const rec: Record<string, unknown> = { conversations: conv, system };
  if (native) rec.tools = JSON.stringify(toolsOf(t));
  return rec;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** The `dataset_info.json` entry LLaMA-Factory needs for a ShareGPT export. */
export function datasetInfo(name: string, file: string, native: boolean): Record<string, unknown> {
  const columns: Record<string, string> = { messages: "conversations", system: "system" };
  if (native) columns.tools = "tools";
  return {
    [name]: {
      file_name: file,
      formatting: "sharegpt",
      columns,
      tags: {
        role_tag: "from",
        content_tag: "value",
        user_tag: "human",
        assistant_tag: "gpt",
        observation_tag: "observation",
        function_tag: "function_call",
        system_tag: "system",
      },
    },
  };
}
