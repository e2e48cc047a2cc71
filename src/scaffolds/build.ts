/**
 * Shared helpers for adapters: content hashing, text-action parsing (fenced
 * blocks, XML function calls), id synthesis, and deriving steps from messages.
 */
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import {
  TRAJECTORY_SCHEMA,
  type Message,
  type Source,
  type Stats,
  type Step,
  type ToolCall,
  type Trajectory,
} from "../types/trajectory.js";
import { InputProblem } from "../io/error.js";
import { MAX_JSON_DEPTH, overDepth } from "../io/limits.js";
import { IngestError } from "./types.js";

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Stable trajectory id: the first 24 hex digits of the content hash. */
export function idFromHash(hash: string): string {
  return hash.slice(0, 24);
}

/** Text content of a message `content` that may be a string, null, or a list of parts. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const p of content) {
      if (typeof p === "string") parts.push(p);
      else if (p && typeof p === "object") {
        const o = p as Record<string, unknown>;
        if (typeof o.text === "string") parts.push(o.text);
        else if (o.type === "image_url") parts.push("[image]");
      }
    }
    return parts.join("\n");
  }
  return JSON.stringify(content);
}

export function asObject(value: unknown, file: string, field: string, line?: number): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new IngestError(file, `expected an object, got ${kindOf(value)}`, line, field);
}

export function asArray(value: unknown, file: string, field: string, line?: number): unknown[] {
  if (Array.isArray(value)) return value;
  throw new IngestError(file, `expected an array, got ${kindOf(value)}`, line, field);
}

/**
 * The strict readers below are for fields an adapter interprets: an absent field (undefined or
 * null) is absent, a field of the right type is read, and a field of any other type is an error
 * naming it: a list where a patch should be is never read as "no patch".
 */

/** A string field, null when absent. */
export function stringField(value: unknown, file: string, field: string, line?: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  throw new IngestError(file, `expected a string, got ${kindOf(value)}`, line, field);
}

/** A finite number field, undefined when absent. */
export function numberField(value: unknown, file: string, field: string, line?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new IngestError(file, `expected a number, got ${kindOf(value)}`, line, field);
}

/** A boolean field, undefined when absent. */
export function booleanField(value: unknown, file: string, field: string, line?: number): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  throw new IngestError(file, `expected true or false, got ${kindOf(value)}`, line, field);
}

/** An object field, {} when absent. */
export function objectField(value: unknown, file: string, field: string, line?: number): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  return asObject(value, file, field, line);
}

/** A list field, [] when absent. */
export function arrayField(value: unknown, file: string, field: string, line?: number): unknown[] {
  if (value === undefined || value === null) return [];
  return asArray(value, file, field, line);
}

/** A field the format always writes (its value may be null): its absence is an error naming it. */
export function required(o: Record<string, unknown>, key: string, file: string, field: string, line?: number): unknown {
  if (!(key in o)) throw new IngestError(file, "missing field (the format always writes it)", line, field);
  return o[key];
}

/**
 * A message's content as text, like `textOf`, for content the adapter reads as a message: a
 * string, null, or a list of parts (strings, or objects whose `text` is a string); any other
 * type, or a part of another type, is an error naming the field.
 */
export function contentText(value: unknown, file: string, field: string, line?: number): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (!Array.isArray(value))
    throw new IngestError(file, `expected a string or a list of content parts, got ${kindOf(value)}`, line, field);
  value.forEach((p, i) => {
    if (typeof p === "string") return;
    if (!p || typeof p !== "object" || Array.isArray(p))
      throw new IngestError(file, `expected a string or an object, got ${kindOf(p)}`, line, `${field}[${i}]`);
    const text = (p as Record<string, unknown>).text;
    if (text !== undefined && text !== null && typeof text !== "string")
      throw new IngestError(file, `expected a string, got ${kindOf(text)}`, line, `${field}[${i}].text`);
  });
  return textOf(value);
}

export function optString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function optNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const FENCE = /```([A-Za-z0-9_-]*)[ \t]*\r?\n([\s\S]*?)\r?\n?```/g;
const SHELL_LANGS = new Set(["", "bash", "sh", "shell", "console", "mswea_bash_command", "zsh"]);

/**
 * Fenced shell blocks in assistant text. `langs` are the fence labels that mark
 * an action: mini-swe-agent acts only on ```bash blocks (unlabelled fences in its
 * replies quote tracebacks or expected output), while SWE-agent-style text may
 * use unlabelled fences for commands.
 */
export function fencedCommands(text: string, langs: ReadonlySet<string> = SHELL_LANGS): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(FENCE)) {
    if (langs.has(m[1].toLowerCase())) out.push(m[2]);
  }
  return out;
}

/** Fence labels mini-swe-agent executes (v1 `bash`, text-based v2 `mswea_bash_command`). */
export const MINI_LANGS: ReadonlySet<string> = new Set(["bash", "mswea_bash_command"]);

const XML_CALL = /<function=([^>\s]+)>([\s\S]*?)<\/function>/g;
const XML_PARAM = /<parameter=([^>\s]+)>([\s\S]*?)<\/parameter>/g;

/** `<function=name><parameter=k>v</parameter></function>` calls (SWE-agent xml, SWE-smith). */
export function xmlCalls(text: string): { name: string; args: Record<string, string> }[] {
  const out: { name: string; args: Record<string, string> }[] = [];
  for (const m of text.matchAll(XML_CALL)) {
    const args: Record<string, string> = {};
    for (const p of m[2].matchAll(XML_PARAM)) args[p[1]] = p[2].replace(/^\n/, "").replace(/\n$/, "");
    out.push({ name: m[1], args });
  }
  return out;
}

/** A pseudo tool call for an action that was written as text. */
export function syntheticCall(id: string, name: string, args: Record<string, unknown>): ToolCall {
  return { id, type: "function", function: { name, arguments: JSON.stringify(args) }, synthetic: true };
}

/**
 * Normalise an OpenAI-style tool call object; synthesises an id when absent. Arguments are a JSON
 * string or an object (as some datasets store them); another type, or arguments nested deeper
 * than `MAX_JSON_DEPTH`, is an error naming the field.
 */
export function normaliseToolCall(
  raw: unknown,
  fallbackId: string,
  file: string,
  field: string,
  line?: number,
): ToolCall {
  const o = asObject(raw, file, field, line);
  const fn = asObject(o.function, file, `${field}.function`, line);
  const name = typeof fn.name === "string" ? fn.name : "";
  if (!name) throw new IngestError(file, "expected a tool name (string)", line, `${field}.function.name`);
  const args = fn.arguments;
  if (
    args !== undefined &&
    args !== null &&
    typeof args !== "string" &&
    (typeof args !== "object" || Array.isArray(args))
  )
    throw new IngestError(
      file,
      `expected a JSON string or an object, got ${kindOf(args)}`,
      line,
      `${field}.function.arguments`,
    );
  const argStr = typeof args === "string" ? args : args === undefined || args === null ? "{}" : JSON.stringify(args);
  if (tooDeep(argStr))
    throw new IngestError(
      file,
      `arguments nested deeper than ${MAX_JSON_DEPTH} levels`,
      line,
      `${field}.function.arguments`,
    );
  const id = stringField(o.id, file, `${field}.id`, line) || fallbackId;
  return { id, type: "function", function: { name, arguments: argStr } };
}

/** Whether `s` is JSON nested deeper than `MAX_JSON_DEPTH` (text that is not JSON is not). */
function tooDeep(s: string): boolean {
  if (overDepth(s) < 0) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * A JSON value stored as text inside a field (a chat column some datasets serialise, a config):
 * the value, or `fallback` when the text is not JSON. Nesting deeper than `MAX_JSON_DEPTH` is an
 * error, as for the file itself.
 */
export function nestedJson(s: string, fallback: unknown = null): unknown {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return fallback;
  }
  if (overDepth(s) >= 0)
    throw new InputProblem(`a JSON text inside a field nests deeper than ${MAX_JSON_DEPTH} levels`);
  return v;
}

export function parseArgs(s: string): Record<string, unknown> | null {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    return null;
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  if (overDepth(s) >= 0) throw new InputProblem(`tool call arguments nested deeper than ${MAX_JSON_DEPTH} levels`);
  return v as Record<string, unknown>;
}

/** The human-readable action of a call: the command for shell tools, else the argument string. */
export function actionText(call: ToolCall, args: Record<string, unknown> | null): string {
  if (args) {
    for (const key of ["command", "cmd", "code", "script"]) {
      if (typeof args[key] === "string" && Object.keys(args).length === 1) return args[key] as string;
    }
    if (call.synthetic && call.function.name === "bash" && typeof args.command === "string") return args.command;
  }
  return call.function.arguments;
}

const THINK_SPLIT = /```|<function=/;

/** Thought = assistant text before its first action block (or all of it). */
export function thoughtOf(msg: Message): string {
  const text = msg.content;
  if (msg.tool_calls?.some((c) => c.synthetic)) {
    const i = text.search(THINK_SPLIT);
    return (i >= 0 ? text.slice(0, i) : text).trim();
  }
  return text.trim();
}

/**
 * Derive steps from messages. Each tool call of a non-demo assistant message is
 * one step; its observation is the tool message with the matching id or, for
 * text actions, the next user/tool message. An assistant message without an
 * action is a step with tool "none" (a thought, a final answer or a format error).
 */
export function deriveSteps(messages: Message[]): Step[] {
  const steps: Step[] = [];
  const byId = new Map<string, number>();
  messages.forEach((m, i) => {
    if (m.role === "tool" && m.tool_call_id && !byId.has(m.tool_call_id)) byId.set(m.tool_call_id, i);
  });
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role !== "assistant" || m.demo) continue;
    const nextObs = nextObservation(messages, i);
    const thought = thoughtOf(m);
    const calls = m.tool_calls ?? [];
    if (calls.length === 0) {
      steps.push({
        index: steps.length,
        message_index: i,
        observation_index: nextObs,
        thought,
        tool: "none",
        args: null,
        action: "",
        tool_call_id: "",
        observation: nextObs === null ? null : messages[nextObs].content,
      });
      continue;
    }
    calls.forEach((call, k) => {
      let obs = byId.get(call.id) ?? null;
      if (obs === null && (call.synthetic || calls.length === 1) && nextObs !== null) {
        // text actions (or unmatched ids) are answered by the next observation message
        obs = k === 0 || calls.length === 1 ? nextObs : null;
      }
      const args = parseArgs(call.function.arguments);
      steps.push({
        index: steps.length,
        message_index: i,
        observation_index: obs,
        thought: k === 0 ? thought : "",
        tool: call.function.name,
        args,
        action: actionText(call, args),
        tool_call_id: call.id,
        observation: obs === null ? null : messages[obs].content,
      });
    });
  }
  return steps;
}

function nextObservation(messages: Message[], i: number): number | null {
  const n = messages[i + 1];
  if (n && (n.role === "user" || n.role === "tool") && !n.demo) return i + 1;
  return null;
}

export interface TrajectoryParts {
  hash: string;
  instance_id: string | null;
  source: Source;
  task: string | null;
  messages: Message[];
  patch: string | null;
  exit_status: string | null;
  stats?: Stats;
  tools?: unknown[];
  steps?: Step[];
  /** the repository's folder, when the log says (see `Trajectory.root`) */
  root?: string;
}

/** Assemble a canonical trajectory; steps are derived unless given. */
export function makeTrajectory(p: TrajectoryParts): Trajectory {
  const t: Trajectory = {
    schema: TRAJECTORY_SCHEMA,
    id: idFromHash(p.hash),
    instance_id: p.instance_id,
    source: p.source,
    task: p.task,
    messages: p.messages,
    steps: p.steps ?? deriveSteps(p.messages),
    patch: p.patch && p.patch.trim() ? p.patch : null,
    exit_status: p.exit_status,
    stats: p.stats ?? {},
    label: null,
  };
  if (p.tools && p.tools.length) t.tools = p.tools;
  if (p.root) t.root = p.root.replace(/\/+$/, "");
  return t;
}

/** First user message that is not a demonstration: the task text as the agent saw it. */
export function firstUserText(messages: Message[]): string | null {
  const m = messages.find((x) => x.role === "user" && !x.demo);
  return m ? m.content : null;
}

/** `<run>/<instance>/<instance>.traj.json` -> run (skipping a `trajs` folder). */
export function runFromPath(file: string, instance: string | null): string | null {
  let dir = dirname(file);
  if (instance && basename(dir) === instance) dir = dirname(dir);
  if (basename(dir) === "trajs") dir = dirname(dir);
  const name = basename(dir);
  return name && name !== "." && name !== "/" ? name : null;
}
