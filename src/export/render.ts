/**
 * Rendering a canonical trajectory as training messages: tool calls kept
 * native, or written into the assistant text as XML function calls or fenced
 * blocks (tool results then become user turns); optional system prompt
 * replacement; per-assistant-message loss weights.
 */
import type { Message, ToolCall, Trajectory } from "../types/trajectory.js";

export const TOOL_STYLES = ["native", "xml", "fenced"] as const;
export type ToolStyle = (typeof TOOL_STYLES)[number];

export interface OutMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  tool_calls?: {
    id: string;
    type: "function";
    function: { name: string; arguments: string | Record<string, unknown> };
  }[];
  tool_call_id?: string;
  name?: string;
  reasoning_content?: string;
  weight?: 0 | 1;
}

export interface RenderOptions {
  style: ToolStyle;
  /** replace the system prompt (or add one) */
  systemPrompt?: string;
  /** tool-call arguments as a JSON string (OpenAI) or an object (TRL, many chat templates) */
  arguments: "string" | "object";
  /** canonical message indices of assistant turns to mark with weight 0 */
  zeroWeight?: Set<number>;
  /** write `weight` on every assistant message (1 unless zeroed) */
  weights?: boolean;
  /** keep in-context demonstration messages (default: drop them) */
  keepDemos?: boolean;
}

function parsedArgs(c: ToolCall): Record<string, unknown> {
  try {
    const v = JSON.parse(c.function.arguments);
    return v && typeof v === "object" && !Array.isArray(v) ? v : { arguments: v };
  } catch {
    return { arguments: c.function.arguments };
  }
}

function xmlCall(c: ToolCall): string {
  const args = parsedArgs(c);
  const params = Object.entries(args).map(
    ([k, v]) => `<parameter=${k}>${typeof v === "string" ? v : JSON.stringify(v)}</parameter>`,
  );
  return [`<function=${c.function.name}>`, ...params, "</function>"].join("\n");
}

function fencedCall(c: ToolCall): string {
  const args = parsedArgs(c);
  const body =
    typeof args.command === "string" && Object.keys(args).length === 1
      ? args.command
      : `${c.function.name} ${JSON.stringify(args)}`;
  return "```bash\n" + body + "\n```";
}

/** The text of an assistant message without the text actions it already contains (synthetic calls). */
function ownText(m: Message): string {
  if (!m.tool_calls?.some((c) => c.synthetic)) return m.content;
  const cut = m.content.search(/```|<function=/);
  return (cut >= 0 ? m.content.slice(0, cut) : m.content).trimEnd();
}

export function renderMessages(t: Trajectory, o: RenderOptions): OutMessage[] {
  const out: OutMessage[] = [];
  const hasSystem = t.messages.some((m) => m.role === "system");
  if (o.systemPrompt !== undefined && !hasSystem) out.push({ role: "system", content: o.systemPrompt });
  t.messages.forEach((m, i) => {
    if (m.demo && !o.keepDemos) return;
    if (m.role === "system") {
      out.push({ role: "system", content: o.systemPrompt ?? m.content });
      return;
    }
    if (m.role === "assistant") {
      const msg: OutMessage = { role: "assistant", content: m.content };
      if (m.reasoning_content) msg.reasoning_content = m.reasoning_content;
      const calls = m.tool_calls ?? [];
      if (calls.length) {
        if (o.style === "native") {
          msg.content = ownText(m);
          msg.tool_calls = calls.map((c) => ({
            id: c.id,
            type: "function",
            function: {
              name: c.function.name,
              arguments: o.arguments === "object" ? parsedArgs(c) : c.function.arguments,
            },
          }));
        } else {
          const render = o.style === "xml" ? xmlCall : fencedCall;
          msg.content = [ownText(m), ...calls.map(render)].filter(Boolean).join("\n\n");
        }
      }
      if (o.weights || o.zeroWeight?.size) msg.weight = o.zeroWeight?.has(i) ? 0 : 1;
      out.push(msg);
      return;
    }
    if (m.role === "tool") {
      if (o.style === "native") {
        const msg: OutMessage = { role: "tool", content: m.content, tool_call_id: m.tool_call_id ?? "" };
        const call = t.messages.flatMap((x) => x.tool_calls ?? []).find((c) => c.id === m.tool_call_id);
        if (call) msg.name = call.function.name;
        out.push(msg);
      } else out.push({ role: "user", content: m.content });
      return;
    }
    out.push({ role: "user", content: m.content });
  });
  // text styles: merge consecutive user turns (several tool results of one reply)
  if (o.style !== "native") {
    const merged: OutMessage[] = [];
    for (const m of out) {
      const prev = merged[merged.length - 1];
      if (prev && prev.role === "user" && m.role === "user") prev.content += "\n\n" + m.content;
      else merged.push(m);
    }
    return merged;
  }
  return out;
}

/** Assistant message indices whose steps a discouraged criterion named as evidence (loops, failed edits...). */
export function badStepMessages(t: Trajectory, evidence: number[]): Set<number> {
  const out = new Set<number>();
  for (const s of evidence) {
    const step = t.steps[s];
    if (step) out.add(step.message_index);
  }
  return out;
}
