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
  booleanField,
  contentText,
  fencedCommands,
  firstUserText,
  kindOf,
  makeTrajectory,
  nestedJson,
  normaliseToolCall,
  objectField,
  stringField,
  syntheticCall,
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
    const messages = layout === "nebius" ? nebiusMessages(raw, file, line) : chatMessages(raw, file, layout, line);
    const tools = toolsOf(row.tools, file, line);
    const t = makeTrajectory({
      hash: ctx.hash,
      instance_id: stringField(row.instance_id, file, "instance_id", line),
      source: {
        format: container === "parquet" ? "parquet" : "chat-jsonl",
        variant: layout,
        file,
        ...(line !== undefined ? { line } : {}),
        scaffold: scaffoldOf(layout, messages),
        model: stringField(row.model_name, file, "model_name", line) ?? stringField(row.model, file, "model", line),
        run: stringField(row.run_id, file, "run_id", line),
      },
      task: taskOf(firstUserText(messages)),
      messages,
      patch: patchOf(row, file, line),
      exit_status: stringField(row.exit_status, file, "exit_status", line),
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
  const prompts = objs.map((t, i) => stringField(t.system_prompt, file, `trajectory[${i}].system_prompt`, line));
  if (!objs.some((t) => t.role === "system")) {
    const sp = prompts.find((p) => p);
    if (sp) out.push({ role: "system", content: sp });
  }
  objs.forEach((t, i) => {
    const text = stringField(t.text, file, `trajectory[${i}].text`, line) ?? "";
    let msg: Message;
    if (t.role === "system") msg = { role: "system", content: text || (prompts[i] ?? "") };
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
    const mask = booleanField(t.mask, file, `trajectory[${i}].mask`, line);
    if (mask !== undefined) msg.train = mask;
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

function chatMessages(raw: unknown[], file: string, field: string, line?: number): Message[] {
  return raw.map((r, i) => {
    const at = `${field}[${i}]`;
    const m = asObject(r, file, at, line);
    const role = ROLE_MAP[m.role as string];
    if (!role)
      throw new IngestError(
        file,
        `expected role system|user|assistant|tool, got ${JSON.stringify(m.role)}`,
        line,
        `${at}.role`,
      );
    const msg: Message = { role, content: contentText(m.content, file, `${at}.content`, line) };
    const name = stringField(m.name, file, `${at}.name`, line);
    if (name) msg.name = name;
    if (role === "assistant") {
      const calls = maybeJson(m.tool_calls);
      const fc = maybeJson(m.function_call);
      if (calls !== undefined && calls !== null && !Array.isArray(calls))
        throw new IngestError(file, `expected a list of tool calls, got ${kindOf(calls)}`, line, `${at}.tool_calls`);
      if (calls?.length) {
        msg.tool_calls = calls.map((c, k) =>
          normaliseToolCall(maybeJson(c), `call_${i}_${k}`, file, `${at}.tool_calls[${k}]`, line),
        );
      } else if (fc !== undefined && fc !== null) {
        const fn = asObject(fc, file, `${at}.function_call`, line);
        msg.tool_calls = [normaliseToolCall({ function: fn }, `call_${i}_0`, file, `${at}.function_call`, line)];
      } else {
        msg.tool_calls = textCalls(msg.content, i);
        if (!msg.tool_calls.length) delete msg.tool_calls;
      }
      const reasoning = stringField(m.reasoning_content, file, `${at}.reasoning_content`, line);
      if (reasoning) msg.reasoning_content = reasoning;
    }
    const callId = stringField(m.tool_call_id, file, `${at}.tool_call_id`, line);
    if (role === "tool" && callId !== null) msg.tool_call_id = callId;
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
  return nestedJson(v, v);
}

/** Tool schemas: a list (or a JSON string of one); `parameters` stored as JSON text are parsed. */
function toolsOf(v: unknown, file: string, line?: number): unknown[] | undefined {
  const list = maybeJson(v);
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list))
    throw new IngestError(file, `expected a list of tool schemas, got ${kindOf(list)}`, line, "tools");
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
function patchOf(row: Record<string, unknown>, file: string, line?: number): string | null {
  const tr = objectField(row.test_result, file, "test_result", line);
  return (
    stringField(row.model_patch, file, "model_patch", line) ??
    stringField(row.generated_patch, file, "generated_patch", line) ??
    ("test_patch" in row ? null : stringField(row.patch, file, "patch", line)) ??
    stringField(tr.git_patch, file, "test_result.git_patch", line)
  );
}

/** The outcome: true/false, 1/0 or their text; absent is no label, any other value an error. */
function labelOf(row: Record<string, unknown>, field: string, file: string, line?: number): Label | null {
  const v = row[field];
  let resolved: boolean | null = null;
  if (v === undefined || v === null) return null;
  if (typeof v === "boolean") resolved = v;
  else if (typeof v === "number" && !Number.isNaN(v)) resolved = v !== 0;
  else if (typeof v === "bigint") resolved = v !== 0n;
  else if (typeof v === "string" && /^(true|false|1|0)$/i.test(v.trim())) resolved = /^(true|1)$/i.test(v.trim());
  if (resolved === null)
    throw new IngestError(file, `expected true or false (or 1, 0), got ${JSON.stringify(v).slice(0, 40)}`, line, field);
  return { resolved, origin: `${file}${line !== undefined ? `:${line}` : ""}#${field}` };
}
