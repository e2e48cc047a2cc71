/**
 * Training messages from a trajectory's conversation (see conversation.ts): tool calls kept
 * native (each answered by a `tool` message with its id), or written into the assistant text as
 * XML function calls or fenced blocks (the answers then become user turns); per-assistant-message
 * loss weights.
 */
import type { Trajectory } from "../types/trajectory.js";
import {
  argumentsObject,
  conversation,
  RenderError,
  type Call,
  type ConversationNotes,
  type ConversationOptions,
  type Turn,
} from "./conversation.js";

import { TOOL_STYLES } from "./names.js";

export { TOOL_STYLES };
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

export interface RenderOptions extends ConversationOptions {
  style: ToolStyle;
  /** tool-call arguments as a JSON string (OpenAI) or an object (TRL, many chat templates) */
  arguments: "string" | "object";
  /** write `weight` on every assistant message (1 unless zeroed); without it only when some turn is zeroed */
  weights?: boolean;
  /** drop `weight` keys altogether (formats with no place for them) */
  noWeights?: boolean;
  /** keep `reasoning_content` on assistant messages (default true) */
  reasoning?: boolean;
  /** write the function name on tool messages (TRL's examples do; OpenAI's format has no such key) */
  toolNames?: boolean;
}

function objectArgs(c: Call): Record<string, unknown> {
  try {
    const v = JSON.parse(c.arguments);
    return v && typeof v === "object" && !Array.isArray(v) ? v : { arguments: v };
  } catch {
    return { arguments: c.arguments };
  }
}

function xmlCall(c: Call): string {
  const params = Object.entries(objectArgs(c)).map(
    ([k, v]) => `<parameter=${k}>${typeof v === "string" ? v : JSON.stringify(v)}</parameter>`,
  );
  return [`<function=${c.name}>`, ...params, "</function>"].join("\n");
}

function fencedCall(c: Call): string {
  const args = objectArgs(c);
  const body =
    typeof args.command === "string" && Object.keys(args).length === 1
      ? args.command
      : `${c.name} ${JSON.stringify(args)}`;
  return "```bash\n" + body + "\n```";
}

/** Checks every conversation must pass in any format: a user turn first, an assistant turn somewhere. */
export function checkShape(turns: Turn[]): void {
  const body = turns.filter((x) => x.role !== "system");
  if (!body.some((x) => x.role === "assistant")) throw new RenderError("no assistant turn to learn from");
  if (body[0].role !== "user")
    throw new RenderError(`the conversation does not start with a user turn (it starts with a ${body[0].role} turn)`);
}

/** Assistant turns with nothing in them (no text, call or reasoning) are dropped: nothing to learn. */
export function meaningful(turns: Turn[]): Turn[] {
  return turns.filter((x) => x.role !== "assistant" || x.text.trim() || x.calls.length || x.reasoning);
}

/** Calls written into the assistant's text (XML function calls or fenced blocks); their answers become user turns. */
export function inlineCalls(turns: Turn[], style: Exclude<ToolStyle, "native">): Turn[] {
  const render = style === "xml" ? xmlCall : fencedCall;
  const out: Turn[] = [];
  for (const x of turns) {
    if (x.role === "assistant" && x.calls.length) {
      out.push({ ...x, text: [x.text, ...x.calls.map(render)].filter(Boolean).join("\n\n"), calls: [] });
    } else if (x.role === "tool") {
      const prev = out[out.length - 1];
      // the answers of one turn (several calls) and following user text become one user turn
      if (prev?.role === "user") prev.text += "\n\n" + x.text;
      else out.push({ role: "user", text: x.text });
    } else if (x.role === "user" && out[out.length - 1]?.role === "user") {
      (out[out.length - 1] as { text: string }).text += "\n\n" + x.text;
    } else out.push(x.role === "user" ? { ...x } : x);
  }
  return out;
}

export function renderTurns(turns: Turn[], o: RenderOptions): OutMessage[] {
  const input = o.style === "native" ? turns : inlineCalls(turns, o.style);
  const anyZero = input.some((x) => x.role === "assistant" && x.weight === 0);
  const writeWeight = !o.noWeights && (o.weights || anyZero);
  const out: OutMessage[] = [];
  for (const x of input) {
    if (x.role === "system" || x.role === "user") {
      out.push({ role: x.role, content: x.text });
    } else if (x.role === "tool") {
      const m: OutMessage = { role: "tool", tool_call_id: x.id, content: x.text };
      if (o.toolNames) m.name = x.name;
      out.push(m);
    } else {
      const m: OutMessage = { role: "assistant", content: x.text };
      if (x.reasoning && o.reasoning !== false) m.reasoning_content = x.reasoning;
      if (x.calls.length) {
        m.tool_calls = x.calls.map((c) => {
          // arguments must be a JSON object in either form; the string keeps the source's own text
          const args = argumentsObject(c, `message ${x.message}`);
          return {
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: o.arguments === "object" ? args : c.arguments },
          };
        });
      }
      if (writeWeight) m.weight = x.weight;
      out.push(m);
    }
  }
  return out;
}

/** The trajectory as training messages; throws RenderError when it cannot be one. */
export function renderMessages(t: Trajectory, o: RenderOptions, notes?: ConversationNotes): OutMessage[] {
  const turns = meaningful(conversation(t, o, notes));
  checkShape(turns);
  return renderTurns(turns, o);
}

/** Assistant message indices whose steps a criterion named as evidence (loops, failed edits...). */
export function badStepMessages(t: Trajectory, evidence: number[]): Set<number> {
  const out = new Set<number>();
  for (const s of evidence) {
    const step = t.steps[s];
    if (step) out.add(step.message_index);
  }
  return out;
}
