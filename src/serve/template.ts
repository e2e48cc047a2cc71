/**
 * Chat-templated text back into chat messages. RL trainers hand rewards the decoded token stream
 * (OpenRLHF decodes with special tokens kept), so the turns must be found again:
 *  - ChatML / Qwen: `<|im_start|>role\n … <|im_end|>`, with `<think>` blocks, `<tool_call>` blocks
 *    (a JSON `{name, arguments}` or Qwen3-Coder's `<function=…>` XML) and tool results as
 *    `<tool_response>` blocks in a user turn (or a `tool` turn);
 *  - Llama 3: `<|start_header_id|>role<|end_header_id|>\n\n … <|eot_id|>`, with `ipython` / `tool`
 *    turns for results and tool calls as a JSON object (or `<|python_tag|>` code);
 *  - plain text whose first line starts with a role prefix (`User:`, `Assistant:`, …).
 * Anything else is one message. Text actions left in a turn (fenced bash blocks, `<function=…>`
 * calls outside `<tool_call>`) are turned into calls later, by the chat-dataset adapter.
 */
import { xmlCalls } from "../scaffolds/build.js";

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ChatCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatTurn {
  role: ChatRole;
  content: string;
  tool_calls?: ChatCall[];
  tool_call_id?: string;
  reasoning_content?: string;
}

export type TemplateKind = "chatml" | "llama3" | "roles" | "plain";

export interface ParsedChat {
  messages: ChatTurn[];
  template: TemplateKind;
}

export interface ParseOptions {
  /** the role of text before the first turn marker (a response that continues an open assistant turn) */
  first?: ChatRole;
}

const SPECIAL =
  /<\|(?:endoftext|im_end|im_start|begin_of_text|end_of_text|eot_id|eom_id|finetune_right_pad_id|reserved_special_token_\d+)\|>/g;

const ROLE_NAMES: Record<string, ChatRole> = {
  system: "system",
  developer: "system",
  user: "user",
  human: "user",
  assistant: "assistant",
  ai: "assistant",
  gpt: "assistant",
  tool: "tool",
  function: "tool",
  ipython: "tool",
  observation: "tool",
};

/** Whether `text` carries turn markers of a chat template this module reads. */
export function isTemplated(text: string): boolean {
  return text.includes("<|im_start|>") || text.includes("<|start_header_id|>") || ROLE_LINE.test(text);
}

/** Parse templated text into chat messages (see the module comment for the templates read). */
export function parseChat(text: string, o: ParseOptions = {}): ParsedChat {
  const b = new Builder();
  let template: TemplateKind;
  if (text.includes("<|im_start|>")) {
    template = "chatml";
    chatml(text, b, o.first);
  } else if (text.includes("<|start_header_id|>")) {
    template = "llama3";
    llama3(text, b, o.first);
  } else if (ROLE_LINE.test(text)) {
    template = "roles";
    roles(text, b);
  } else {
    template = "plain";
    b.add(o.first ?? "assistant", text);
  }
  return { messages: b.messages, template };
}

/** Collects turns: splits tool calls and results out of them and pairs results with the calls. */
class Builder {
  readonly messages: ChatTurn[] = [];
  /** ids of the last assistant turn's calls that no result has answered yet */
  private open: string[] = [];

  add(role: ChatRole, raw: string): void {
    const text = raw.replace(SPECIAL, "");
    if (role === "assistant") this.assistant(text);
    else if (role === "tool") this.result(unwrap(text));
    else if (role === "user" && text.includes("<tool_response>")) this.userWithResults(text);
    else if (text.trim() || role !== "user") this.messages.push({ role, content: text });
  }

  private assistant(text: string): void {
    const index = this.messages.length;
    let body = text;
    const reasoning: string[] = [];
    body = body.replace(/<think>([\s\S]*?)<\/think>/g, (_m, t: string) => {
      reasoning.push(t.trim());
      return "";
    });
    const calls: ChatCall[] = [];
    body = body.replace(/<tool_call>([\s\S]*?)<\/tool_call>/g, (m, inner: string) => {
      const found = callsIn(inner);
      if (!found.length) return m; // not a call we can read: left in the text
      for (const c of found) calls.push({ id: `call_${index}_${calls.length}`, type: "function", function: c });
      return "";
    });
    if (!calls.length) {
      const lone = loneCall(body);
      if (lone) {
        calls.push({ id: `call_${index}_0`, type: "function", function: lone });
        body = "";
      }
    }
    const turn: ChatTurn = { role: "assistant", content: body.trim() };
    if (reasoning.length) turn.reasoning_content = reasoning.join("\n\n");
    if (calls.length) turn.tool_calls = calls;
    this.messages.push(turn);
    this.open = calls.map((c) => c.id);
  }

  private result(content: string): void {
    const id = this.open.shift();
    this.messages.push(id ? { role: "tool", tool_call_id: id, content } : { role: "tool", content });
  }

  private userWithResults(text: string): void {
    const rest = text.replace(/<tool_response>([\s\S]*?)(?:<\/tool_response>|$)/g, (_m, inner: string) => {
      this.result(inside(inner));
      return "";
    });
    if (rest.trim()) this.messages.push({ role: "user", content: rest.trim() });
  }
}

/** A `tool` turn's text, out of its <tool_response> block when it has one. */
function unwrap(text: string): string {
  const m = /^\s*<tool_response>([\s\S]*?)(?:<\/tool_response>)?\s*$/.exec(text);
  return m ? inside(m[1]) : text;
}

/** The inside of a <tool_response> block without the newlines the template puts around it. */
function inside(block: string): string {
  return block.replace(/^\n/, "").replace(/\n$/, "");
}

/** The calls inside one `<tool_call>` block: a JSON object (or list of them), or `<function=…>` XML. */
function callsIn(inner: string): { name: string; arguments: string }[] {
  const text = inner.trim();
  if (text.includes("<function="))
    return xmlCalls(text).map((x) => ({ name: x.name, arguments: JSON.stringify(x.args) }));
  const v = tryJson(text);
  const list = Array.isArray(v) ? v : [v];
  const out: { name: string; arguments: string }[] = [];
  for (const x of list) {
    const c = asCall(x);
    if (!c) return [];
    out.push(c);
  }
  return out;
}

/** A turn that is nothing but a tool call: a JSON `{name, parameters|arguments}` (Llama 3) or `<|python_tag|>` code. */
function loneCall(body: string): { name: string; arguments: string } | null {
  const text = body.trim();
  if (text.startsWith("<|python_tag|>")) {
    const rest = text.slice("<|python_tag|>".length).trim();
    return asCall(tryJson(rest)) ?? { name: "python", arguments: JSON.stringify({ code: rest }) };
  }
  return text.startsWith("{") && text.endsWith("}") ? asCall(tryJson(text)) : null;
}

function asCall(v: unknown): { name: string; arguments: string } | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const fn = o.function && typeof o.function === "object" ? (o.function as Record<string, unknown>) : o;
  if (typeof fn.name !== "string" || !fn.name) return null;
  const args = fn.arguments ?? fn.parameters ?? {};
  return { name: fn.name, arguments: typeof args === "string" ? args : JSON.stringify(args) };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function roleOf(name: string): ChatRole {
  return ROLE_NAMES[name.trim().toLowerCase()] ?? "user";
}

/** `<|im_start|>role\ncontent<|im_end|>`; text before the first marker belongs to `first`. */
function chatml(text: string, b: Builder, first: ChatRole | undefined): void {
  const parts = text.split("<|im_start|>");
  const head = parts[0].replace(SPECIAL, "");
  if (head.trim()) b.add(first ?? "user", head);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf("\n");
    const role = nl < 0 ? part : part.slice(0, nl);
    const body = nl < 0 ? "" : part.slice(nl + 1);
    const end = body.indexOf("<|im_end|>");
    b.add(roleOf(role), end < 0 ? body : body.slice(0, end));
  }
}

const LLAMA_HEADER = /<\|start_header_id\|>([^<]*)<\|end_header_id\|>\n?\n?/g;

/** `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`. */
function llama3(text: string, b: Builder, first: ChatRole | undefined): void {
  const marks = [...text.matchAll(LLAMA_HEADER)];
  const head = text.slice(0, marks[0].index).replace(SPECIAL, "");
  if (head.trim()) b.add(first ?? "user", head);
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const stop = i + 1 < marks.length ? marks[i + 1].index! : text.length;
    let body = text.slice(start, stop);
    const end = body.search(/<\|eot_id\|>|<\|eom_id\|>/);
    if (end >= 0) body = body.slice(0, end);
    b.add(roleOf(m[1]), body);
  });
}

const ROLE_LINE = /^\s*(system|user|assistant|human|ai|tool)\s*:/i;
const ROLE_PREFIX = /^(system|user|assistant|human|ai|tool)[ \t]*:[ \t]?/gim;

/** Plain text with a role prefix at the start of each turn's first line. */
function roles(text: string, b: Builder): void {
  const marks = [...text.matchAll(ROLE_PREFIX)];
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const stop = i + 1 < marks.length ? marks[i + 1].index! : text.length;
    b.add(roleOf(m[1]), text.slice(start, stop).replace(/\n$/, ""));
  });
}

/**
 * The final patch, when the transcript ends by showing it: the `diff --git` output of the last
 * observation (how mini-swe-agent and SWE-agent submit). A diff shown earlier may have been
 * changed since, so only the last observation counts.
 */
export function patchFromTranscript(messages: readonly { role: string; content?: unknown }[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === "assistant" || m.role === "system") {
      if (m.role === "assistant" && i < messages.length - 1) return null;
      continue;
    }
    const text = typeof m.content === "string" ? m.content : "";
    const at = text.search(/^diff --git /m);
    if (at < 0) return null;
    const diff = text.slice(at).replace(/\s*<\/output>\s*$/, "");
    return diff.endsWith("\n") ? diff : `${diff}\n`;
  }
  return null;
}
