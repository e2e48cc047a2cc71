/**
 * OpenHands, two layouts.
 *
 * `openhands-output`: one line of an evaluation `output.jsonl` (V0 `EvalOutput`), with
 * `history` as a list of events (variant "events") or, in old files, as
 * `[action, observation]` pairs (variant "pairs"). Events become messages:
 *  - the `system` action -> system message (its `tools` kept as tool schemas);
 *    a user `message` action -> user message; an agent `message` action -> assistant text;
 *  - agent actions with `tool_call_metadata` -> one assistant message per model response,
 *    taken from `model_response.choices[0].message` (all tool calls of the response);
 *    without a model response, one call rebuilt from `function_name`/`tool_call_id` + args;
 *  - other agent actions -> an assistant message with a synthetic call named after the
 *    action type (args minus the thought and runtime flags), id `oh_<event id>`;
 *  - an observation answering a call -> tool message (command output with the
 *    prefix/suffix OpenHands shows the agent); any other observation with text the agent
 *    saw (e.g. an `error` for a malformed call) -> user message; a `recall` observation
 *    only when it brings microagent knowledge or instructions.
 *  - skipped: `recall`/`condensation`/`change_agent_state` actions, `agent_state_changed`
 *    (kept only as a fallback exit status), `null` and empty observations.
 * The line's `instance` field is the benchmark row (gold patch, hidden test names): it is
 * never read. `test_result.report.resolved`, when present, becomes `label` only.
 *
 * `openhands-llm-completion`: `llm_completions/<id>/<model>-<ts>.json`, the last LLM call of
 * an attempt; `messages` + `response.choices[0].message` are the whole conversation. The
 * patch comes from the run's `infer_logs/instance_<id>.log` (never the evaluation logs).
 */
import { basename, dirname } from "node:path";
import type { Message, Trajectory } from "../../types/trajectory.js";
import {
  asArray,
  asObject,
  firstUserText,
  makeTrajectory,
  normaliseToolCall,
  optNumber,
  optString,
  syntheticCall,
  textOf,
} from "../build.js";
import { IngestError, type JsonAdapter, type RecordAdapter } from "../types.js";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null;
}

function objOr(v: unknown): Obj {
  return obj(v) ?? {};
}

/** An OpenAI-style chat message (content may be a list of parts). */
function chatMessage(raw: unknown, file: string, field: string, fallbackId: string): Message {
  const m = asObject(raw, file, field);
  const role = m.role;
  if (role !== "system" && role !== "user" && role !== "assistant" && role !== "tool") {
    throw new IngestError(
      file,
      `expected role system|user|assistant|tool, got ${JSON.stringify(role)}`,
      undefined,
      `${field}.role`,
    );
  }
  const msg: Message = { role, content: textOf(m.content) };
  if (role === "assistant" && Array.isArray(m.tool_calls) && m.tool_calls.length) {
    msg.tool_calls = m.tool_calls.map((c, k) =>
      normaliseToolCall(c, `${fallbackId}_${k}`, file, `${field}.tool_calls[${k}]`),
    );
  }
  if (typeof m.reasoning_content === "string" && m.reasoning_content) msg.reasoning_content = m.reasoning_content;
  if (role === "tool" && typeof m.tool_call_id === "string") msg.tool_call_id = m.tool_call_id;
  if (role === "tool" && typeof m.name === "string") msg.name = m.name;
  return msg;
}

/** Action arguments that are runtime flags, not part of what the agent asked for. */
const RUNTIME_ARGS = new Set([
  "thought",
  "is_input",
  "blocking",
  "background",
  "is_static",
  "cwd",
  "hidden",
  "confirmation_state",
  "security_risk",
  "impl_source",
  "keep_prompt",
  "kernel_init_code",
  "include_extra",
  "wait_for_response",
  "image_urls",
  "translated_ipython_code",
]);
const SKIP_ACTIONS = new Set(["recall", "condensation", "change_agent_state", "null"]);

function callArgs(args: Obj): Obj {
  const out: Obj = {};
  for (const k in args) if (!RUNTIME_ARGS.has(k) && args[k] !== null && args[k] !== undefined) out[k] = args[k];
  return out;
}

/** Rebuilds the chat from OpenHands events. */
class EventReader {
  messages: Message[] = [];
  tools: unknown[] | undefined;
  version: string | null = null;
  finished = false;
  lastState: string | null = null;
  firstTime: string | null = null;
  lastTime: string | null = null;
  private responses = new Set<string>();
  private calls = new Set<string>();
  private answered = new Set<string>();
  private byEvent = new Map<number, string>();

  constructor(private file: string) {}

  /** Reads one event; returns the call id of an action (pairs answer it positionally). */
  event(raw: unknown, field: string, paired: string | null): string | null {
    const e = asObject(raw, this.file, field);
    if (typeof e.timestamp === "string") {
      this.firstTime ??= e.timestamp;
      this.lastTime = e.timestamp;
    }
    if (typeof e.action === "string") {
      const id = this.action(e, e.action, field);
      if (id && typeof e.id === "number") this.byEvent.set(e.id, id);
      return id;
    }
    if (typeof e.observation === "string") this.observation(e, e.observation, paired);
    return null;
  }

  private action(e: Obj, kind: string, field: string): string | null {
    const args = objOr(e.args);
    const thought = optString(args.thought) ?? "";
    if (kind === "system") {
      this.messages.push({ role: "system", content: optString(args.content) ?? textOf(e.message) });
      if (Array.isArray(args.tools)) this.tools = args.tools;
      this.version = optString(args.openhands_version) ?? this.version;
      return null;
    }
    const tcm = obj(e.tool_call_metadata);
    if (kind === "message" && !tcm) {
      const content = optString(args.content) ?? textOf(e.message);
      this.messages.push({ role: e.source === "agent" ? "assistant" : "user", content });
      return null;
    }
    if (SKIP_ACTIONS.has(kind) || (e.source !== undefined && e.source !== "agent")) return null;
    if (kind === "finish") this.finished = true;
    const ownId = `oh_${typeof e.id === "number" ? e.id : this.messages.length}`;
    if (tcm) {
      const callId = optString(tcm.tool_call_id);
      if (callId && this.calls.has(callId)) return callId; // emitted with an earlier call of the same response
      const resp = obj(tcm.model_response);
      const respId = resp ? optString(resp.id) : null;
      if (respId && this.responses.has(respId)) return callId;
      const choice = resp && Array.isArray(resp.choices) ? obj(resp.choices[0]) : null;
      const m = choice ? obj(choice.message) : null;
      if (m && Array.isArray(m.tool_calls) && m.tool_calls.length) {
        const msg = chatMessage(
          { ...m, role: "assistant" },
          this.file,
          `${field}.tool_call_metadata.model_response.choices[0].message`,
          callId ?? ownId,
        );
        if (!msg.content) msg.content = thought;
        this.push(msg);
        if (respId) this.responses.add(respId);
        return callId ?? msg.tool_calls![0].id;
      }
      const name = optString(tcm.function_name);
      if (callId && name) {
        this.push({
          role: "assistant",
          content: thought,
          tool_calls: [{ id: callId, type: "function", function: { name, arguments: JSON.stringify(callArgs(args)) } }],
        });
        return callId;
      }
    }
    this.push({ role: "assistant", content: thought, tool_calls: [syntheticCall(ownId, kind, callArgs(args))] });
    return ownId;
  }

  private push(msg: Message): void {
    for (const c of msg.tool_calls ?? []) this.calls.add(c.id);
    this.messages.push(msg);
  }

  private observation(e: Obj, kind: string, paired: string | null): void {
    const extras = objOr(e.extras);
    if (kind === "agent_state_changed") {
      this.lastState = optString(extras.agent_state) ?? this.lastState;
      return;
    }
    if (kind === "null") return;
    const tcm = obj(e.tool_call_metadata);
    const callId =
      (tcm && optString(tcm.tool_call_id)) ||
      (typeof e.cause === "number" ? this.byEvent.get(e.cause) : undefined) ||
      paired;
    let text = typeof e.content === "string" ? e.content : textOf(e.message);
    const meta = obj(extras.metadata);
    if (meta) text = (optString(meta.prefix) ?? "") + text + (optString(meta.suffix) ?? "");
    if (callId && this.calls.has(callId) && !this.answered.has(callId)) {
      this.answered.add(callId);
      this.messages.push({ role: "tool", content: text, tool_call_id: callId });
      return;
    }
    if (kind === "recall") text = recallText(extras);
    if (text.trim()) this.messages.push({ role: "user", content: text });
  }
}

/** What a workspace recall adds to the agent's context: instructions and triggered microagents. */
function recallText(extras: Obj): string {
  const parts: string[] = [];
  for (const k of ["repo_instructions", "additional_agent_instructions"]) {
    const v = optString(extras[k]);
    if (v && v.trim()) parts.push(v);
  }
  if (Array.isArray(extras.microagent_knowledge)) {
    for (const k of extras.microagent_knowledge) {
      const o = objOr(k);
      if (typeof o.content === "string" && o.content.trim())
        parts.push(`[microagent ${optString(o.name) ?? ""}]\n${o.content}`);
    }
  }
  return parts.join("\n\n");
}

function seconds(a: string | null, b: string | null): number | undefined {
  if (!a || !b) return undefined;
  const d = (Date.parse(b) - Date.parse(a)) / 1000;
  return Number.isFinite(d) && d >= 0 ? d : undefined;
}

export const openHandsOutputAdapter: RecordAdapter = {
  format: "openhands-output",
  detect(value) {
    const v = obj(value);
    return (
      !!v && Array.isArray(v.history) && (typeof v.instance_id === "string" || "instruction" in v || "test_result" in v)
    );
  },
  read(value, ctx) {
    const file = ctx.file;
    const root = asObject(value, file, "(root)", ctx.line);
    const history = asArray(root.history, file, "history", ctx.line);
    const pairs = history.length > 0 && Array.isArray(history[0]);
    const r = new EventReader(file);
    for (let i = 0; i < history.length; i++) {
      if (pairs) {
        const pair = asArray(history[i], file, `history[${i}]`, ctx.line);
        const call = pair[0] === undefined ? null : r.event(pair[0], `history[${i}][0]`, null);
        if (pair[1] !== undefined) r.event(pair[1], `history[${i}][1]`, call);
      } else r.event(history[i], `history[${i}]`, null);
    }
    const meta = objOr(root.metadata);
    const outDir = optString(meta.eval_output_dir);
    const agent = optString(meta.agent_class);
    const version = r.version ?? (outDir ? (/_v(\d+\.\d+(?:\.\d+)?)/.exec(outDir)?.[1] ?? null) : null);
    const metrics = objOr(root.metrics);
    const usage = objOr(metrics.accumulated_token_usage);
    const latencies = metrics.response_latencies;
    const testResult = objOr(root.test_result);
    const error = typeof root.error === "string" && root.error.trim() ? root.error.trim() : null;
    const dir = basename(dirname(file));
    const t: Trajectory = makeTrajectory({
      hash: ctx.hash,
      instance_id: optString(root.instance_id),
      source: {
        format: "openhands-output",
        variant: pairs ? "pairs" : "events",
        file,
        line: ctx.line,
        scaffold: ["OpenHands", agent, version].filter(Boolean).join(" "),
        model: optString(objOr(meta.llm_config).model) ?? optString(meta.model_name),
        run: (outDir && basename(outDir)) || (dir && dir !== "." ? dir : null),
      },
      task: optString(root.instruction) ?? firstUserText(r.messages),
      messages: r.messages,
      patch: optString(testResult.git_patch),
      exit_status: error ? `error: ${error}` : r.finished ? "submitted" : r.lastState,
      stats: {
        cost: optNumber(metrics.accumulated_cost),
        prompt_tokens: optNumber(usage.prompt_tokens),
        completion_tokens: optNumber(usage.completion_tokens),
        api_calls: Array.isArray(latencies) ? latencies.length : undefined,
        duration_s: seconds(r.firstTime, r.lastTime),
      },
      tools: r.tools,
    });
    const resolved = objOr(testResult.report).resolved;
    if (typeof resolved === "boolean") {
      t.label = {
        resolved,
        origin: `${file}${ctx.line !== undefined ? `:${ctx.line}` : ""}#test_result.report.resolved`,
      };
    }
    return t;
  },
};

const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

/**
 * The patch printed in an OpenHands infer log: the block between two `--------` lines
 * after "Got git diff for instance <id>:". The log captured a terminal, so CRLF line ends
 * become LF again and a missing final newline is restored.
 */
export function diffFromInferLog(log: string, instance: string): string | null {
  const at = log.lastIndexOf(`Got git diff for instance ${instance}:`);
  if (at < 0) return null;
  const open = log.indexOf("\n", at) + 1;
  if (open === 0 || !log.startsWith("--------", open)) return null;
  const start = log.indexOf("\n", open) + 1;
  if (start === 0) return null;
  // the closing rule is followed by the end of the log or by the next log line
  let end = -1;
  for (let i = log.indexOf("\n--------", start - 1); i >= 0; i = log.indexOf("\n--------", i + 1)) {
    const after = log.indexOf("\n", i + 1);
    const rule = log.slice(i + 1, after < 0 ? undefined : after).replace(/\r$/, "");
    if (
      rule === "--------" &&
      (after < 0 || after === log.length - 1 || LOG_LINE.test(log.slice(after + 1, after + 24)))
    ) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  let diff = log.slice(start, Math.max(start, end)).replace(/\r\n/g, "\n");
  if (!diff.trim()) return null;
  if (!diff.endsWith("\n")) diff += "\n";
  return diff;
}

/** Why the agent stopped, from the infer log before the patch: an error after the last resume. */
function stopFromInferLog(log: string, instance: string): string | null {
  const at = log.lastIndexOf(`Got git diff for instance ${instance}:`);
  const head = at < 0 ? log : log.slice(0, at);
  const running = head.lastIndexOf("to AgentState.RUNNING");
  const err = head.indexOf(" - ERROR - ", Math.max(0, running));
  if (running < 0 || err < 0) return null;
  const eol = head.indexOf("\n", err);
  return `error: ${head.slice(err + 11, eol < 0 ? undefined : eol).trim()}`;
}

export const openHandsCompletionAdapter: JsonAdapter = {
  format: "openhands-llm-completion",
  detect(value) {
    const v = obj(value);
    if (!v || !Array.isArray(v.messages)) return false;
    const r = obj(v.response);
    return !!r && Array.isArray(r.choices) && (obj(v.kwargs) !== null || typeof v.timestamp === "number");
  },
  async read(value, ctx) {
    const file = ctx.file;
    const root = asObject(value, file, "(root)");
    const raw = asArray(root.messages, file, "messages");
    const messages = raw.map((m, i) => chatMessage(m, file, `messages[${i}]`, `call_${i}`));
    const resp = asObject(root.response, file, "response");
    const choices = asArray(resp.choices, file, "response.choices");
    const choice = asObject(choices[0], file, "response.choices[0]");
    messages.push(
      chatMessage(
        { ...asObject(choice.message, file, "response.choices[0].message"), role: "assistant" },
        file,
        "response.choices[0].message",
        `call_${raw.length}`,
      ),
    );

    // <run>/llm_completions/<instance>/<model>-<timestamp>.json
    const inLayout = basename(dirname(dirname(file))) === "llm_completions";
    const instance = inLayout ? basename(dirname(file)) : null;
    const runDir = dirname(dirname(dirname(file)));
    const run = inLayout ? basename(runDir) : null;
    const agent = inLayout && /Agent$/.test(basename(dirname(runDir))) ? basename(dirname(runDir)) : null;
    const version = run ? (/_v(\d+\.\d+(?:\.\d+)?)/.exec(run)?.[1] ?? null) : null;
    const log = instance ? await ctx.readRelative(`../../infer_logs/instance_${instance}.log`) : null;

    const stem = /^(.+)-\d+(?:\.\d+)?\.json$/.exec(basename(file))?.[1];
    const model = stem ? stem.replace(/__/g, "/") : optString(resp.model);
    const last = messages[messages.length - 1];
    const exit = last.tool_calls?.some((c) => c.function.name === "finish")
      ? "submitted"
      : log && instance
        ? stopFromInferLog(log, instance)
        : null;
    const kwargs = objOr(root.kwargs);
    return makeTrajectory({
      hash: ctx.hash,
      instance_id: instance,
      source: {
        format: "openhands-llm-completion",
        variant: "last-call",
        file,
        scaffold: ["OpenHands", agent, version].filter(Boolean).join(" "),
        model,
        run,
      },
      task: firstUserText(messages),
      messages,
      patch: log && instance ? diffFromInferLog(log, instance) : null,
      exit_status: exit,
      stats: { api_calls: messages.filter((m) => m.role === "assistant").length },
      tools: Array.isArray(kwargs.tools) ? kwargs.tools : undefined,
    });
  },
};
