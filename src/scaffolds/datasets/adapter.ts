/**
 * One row of a public trajectory dataset, from JSONL or Parquet. Layouts
 * (`source.variant`):
 *  - "nebius": nebius/SWE-agent-trajectories, `trajectory` of
 *    {role: system|ai|user, text, mask?, system_prompt?}; the ai turn holds a
 *    thought and a fenced command (a synthetic tool call); `mask` -> `train`;
 *    `target` is the outcome.
 *  - "messages" / "trajectory": OpenAI chat messages in that column
 *    (SWE-smith, SWE-Gym / SWE-rebench-openhands, SWE-Zero). Native
 *    `tool_calls` (arguments a JSON string or an object), else `<function=...>`
 *    XML or a fenced block in the text; `resolved` is the outcome.
 * Outcome fields become `label` and never enter messages; evaluation columns
 * (`eval_logs`, `test_result` apart from its `git_patch`, ...) are not read.
 */
import { TRAJECTORY_SCHEMA, type Label, type Message, type ToolCall } from "../../types/trajectory.js";
import {
  asArray,
  asObject,
  fencedCommands,
  firstUserText,
  makeTrajectory,
  normaliseToolCall,
  optString,
  syntheticCall,
  textOf,
  xmlCalls,
} from "../build.js";
import { IngestError, type RecordAdapter } from "../types.js";
import { toolName } from "../sweagent/adapter.js";

type Layout = "nebius" | "messages" | "trajectory";

export const chatRecordAdapter: RecordAdapter = {
  format: "chat-jsonl",
  detect: (value) => layoutOf(value) !== null,
  read(value, ctx, container) {
    const file = ctx.file;
    const line = ctx.line;
    const row = asObject(value, file, "(row)", line);
    const layout = layoutOf(row);
    if (!layout) throw new IngestError(file, "expected a `messages` or `trajectory` list of chat turns", line);
    const column = layout === "messages" ? "messages" : "trajectory";
    const raw = asArray(maybeJson(row[column]), file, column, line);
    const messages = layout === "nebius" ? nebiusMessages(raw, file, line) : chatMessages(raw, file, layout);
    const tools = toolsOf(row.tools);
    const t = makeTrajectory({
      hash: ctx.hash,
      instance_id: optString(row.instance_id),
      source: {
        format: container === "parquet" ? "parquet" : "chat-jsonl",
        variant: layout,
        file,
        ...(line !== undefined ? { line } : {}),
        scaffold: scaffoldOf(layout, messages),
        model: optString(row.model_name) ?? optString(row.model),
        run: optString(row.run_id),
      },
      task: taskOf(firstUserText(messages)),
      messages,
      patch: patchOf(row),
      exit_status: optString(row.exit_status),
      tools,
    });
    const field = "target" in row && (layout === "nebius" || !("resolved" in row)) ? "target" : "resolved";
    t.label = labelOf(row, field, file, line);
    return t;
  },
};

const NEBIUS_ROLES = new Set(["system", "ai", "user"]);

function layoutOf(value: unknown): Layout | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  // rubricate's own records and OpenHands output lines have adapters of their own
  if (v.schema === TRAJECTORY_SCHEMA || "history" in v) return null;
  if (Array.isArray(v.messages)) return isChat(v.messages, v) ? "messages" : null;
  if (jsonChat(v.messages)) return "messages";
  if (jsonChat(v.trajectory)) return "trajectory";
  if (!Array.isArray(v.trajectory)) return null;
  const turns = v.trajectory;
  for (let i = 0; i < turns.length && i < 3; i++) {
    const t = turns[i] as Record<string, unknown> | null;
    if (!t || typeof t !== "object" || !NEBIUS_ROLES.has(t.role as string)) break;
    if (t.role === "ai" || "system_prompt" in t || ("text" in t && !("content" in t))) return "nebius";
  }
  return isChat(turns, v) ? "trajectory" : null;
}

/** A chat stored as a JSON string (some datasets serialise nested columns). */
function jsonChat(x: unknown): boolean {
  return typeof x === "string" && /^\s*\[\s*\{\s*"(role|content)"/.test(x.slice(0, 64));
}

function isChat(turns: unknown[], row: Record<string, unknown>): boolean {
  if (turns.length === 0) return typeof row.instance_id === "string";
  const first = turns[0] as Record<string, unknown> | null;
  return !!first && typeof first === "object" && typeof first.role === "string";
}

function nebiusMessages(turns: unknown[], file: string, line?: number): Message[] {
  const out: Message[] = [];
  const objs = turns.map((r, i) => asObject(r, file, `trajectory[${i}]`, line));
  if (!objs.some((t) => t.role === "system")) {
    const sp = objs.find((t) => typeof t.system_prompt === "string" && t.system_prompt)?.system_prompt;
    if (sp) out.push({ role: "system", content: sp as string });
  }
  objs.forEach((t, i) => {
    const text = typeof t.text === "string" ? t.text : "";
    let msg: Message;
    if (t.role === "system") msg = { role: "system", content: text || textOf(t.system_prompt) };
    else if (t.role === "user") msg = { role: "user", content: text };
    else if (t.role === "ai" || t.role === "assistant") {
      msg = { role: "assistant", content: text };
      const call = fencedCall(text, `call_${out.length}_0`);
      if (call) msg.tool_calls = [call];
    } else {
      throw new IngestError(
        file,
        `expected role system|ai|user, got ${JSON.stringify(t.role)}`,
        line,
        `trajectory[${i}].role`,
      );
    }
    if (typeof t.mask === "boolean") msg.train = t.mask;
    out.push(msg);
  });
  return out;
}

const ROLE_MAP: Record<string, Message["role"]> = {
  system: "system",
  user: "user",
  assistant: "assistant",
  tool: "tool",
  function: "tool",
  ai: "assistant",
  human: "user",
};

function chatMessages(raw: unknown[], file: string, field: string): Message[] {
  return raw.map((r, i) => {
    const m = asObject(r, file, `${field}[${i}]`);
    const role = ROLE_MAP[m.role as string];
    if (!role)
      throw new IngestError(
        file,
        `expected role system|user|assistant|tool, got ${JSON.stringify(m.role)}`,
        undefined,
        `${field}[${i}].role`,
      );
    const msg: Message = { role, content: textOf(m.content) };
    if (typeof m.name === "string" && m.name) msg.name = m.name;
    if (role === "assistant") {
      const calls = maybeJson(m.tool_calls);
      const fc = maybeJson(m.function_call);
      if (Array.isArray(calls) && calls.length) {
        msg.tool_calls = calls.map((c, k) =>
          normaliseToolCall(maybeJson(c), `call_${i}_${k}`, file, `${field}[${i}].tool_calls[${k}]`),
        );
      } else if (fc && typeof fc === "object" && !Array.isArray(fc)) {
        msg.tool_calls = [normaliseToolCall({ function: fc }, `call_${i}_0`, file, `${field}[${i}].function_call`)];
      } else {
        msg.tool_calls = textCalls(msg.content, i);
        if (!msg.tool_calls.length) delete msg.tool_calls;
      }
      const reasoning = optString(m.reasoning_content);
      if (reasoning) msg.reasoning_content = reasoning;
    }
    if (role === "tool" && typeof m.tool_call_id === "string") msg.tool_call_id = m.tool_call_id;
    return msg;
  });
}

/** Actions written as text: `<function=...>` XML calls, else the command of the last fenced block. */
function textCalls(text: string, i: number): ToolCall[] {
  if (text.includes("<function=")) {
    const xml = xmlCalls(text);
    if (xml.length) return xml.map((x, k) => syntheticCall(`call_${i}_${k}`, x.name, x.args));
  }
  const call = fencedCall(text, `call_${i}_0`);
  return call ? [call] : [];
}

/** SWE-agent runs the last fenced block of a turn; its first word names the command. */
function fencedCall(text: string, id: string): ToolCall | null {
  if (!text.includes("```")) return null;
  const cmds = fencedCommands(text);
  const command = cmds.length ? cmds[cmds.length - 1].trimEnd() : "";
  return command.trim() ? syntheticCall(id, toolName(command), { command }) : null;
}

/** JSON strings (as some datasets store nested values) parsed; anything else unchanged. */
function maybeJson(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Tool schemas: a list (or a JSON string of one); `parameters` stored as JSON text are parsed. */
function toolsOf(v: unknown): unknown[] | undefined {
  const list = maybeJson(v);
  if (!Array.isArray(list)) return undefined;
  return list.map((t) => {
    const tool = maybeJson(t);
    const fn = tool && typeof tool === "object" ? (tool as Record<string, unknown>).function : undefined;
    if (fn && typeof fn === "object" && typeof (fn as Record<string, unknown>).parameters === "string") {
      (fn as Record<string, unknown>).parameters = maybeJson((fn as Record<string, unknown>).parameters);
    }
    return tool;
  });
}

function scaffoldOf(layout: Layout, messages: Message[]): string {
  if (layout === "nebius") return "swe-agent";
  const names = new Set<string>();
  for (const m of messages) for (const c of m.tool_calls ?? []) names.add(c.function.name);
  if (names.has("execute_bash") || names.has("execute_ipython_cell")) return "openhands";
  if (names.has("str_replace_editor") || names.has("submit") || names.has("bash")) return "swe-agent";
  return "unknown";
}

const TASK = [
  /<pr_description>\s*([\s\S]*?)\s*<\/pr_description>/,
  /<issue_description>\s*([\s\S]*?)\s*<\/issue_description>/,
  /<issue>\s*([\s\S]*?)\s*<\/issue>/,
  /ISSUE:\s*\n([\s\S]*?)\n\s*INSTRUCTIONS:/,
];

function taskOf(text: string | null): string | null {
  if (text === null) return null;
  for (const re of TASK) {
    const m = re.exec(text);
    if (m) return m[1];
  }
  return text;
}

/** The agent's own patch. A row that also has a `test_patch` is a task row whose `patch` is the gold one. */
function patchOf(row: Record<string, unknown>): string | null {
  const tr = row.test_result && typeof row.test_result === "object" ? (row.test_result as Record<string, unknown>) : {};
  return (
    optString(row.model_patch) ??
    optString(row.generated_patch) ??
    ("test_patch" in row ? null : optString(row.patch)) ??
    optString(tr.git_patch)
  );
}

function labelOf(row: Record<string, unknown>, field: string, file: string, line?: number): Label | null {
  const v = row[field];
  let resolved: boolean | null = null;
  if (typeof v === "boolean") resolved = v;
  else if (typeof v === "number" && !Number.isNaN(v)) resolved = v !== 0;
  else if (typeof v === "bigint") resolved = v !== 0n;
  else if (typeof v === "string" && /^(true|false|1|0)$/i.test(v.trim())) resolved = /^(true|1)$/i.test(v.trim());
  return resolved === null ? null : { resolved, origin: `${file}${line !== undefined ? `:${line}` : ""}#${field}` };
}
