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
  arrayField,
  asArray,
  asObject,
  booleanField,
  contentText,
  firstUserText,
  makeTrajectory,
  normaliseToolCall,
  numberField,
  objectField,
  stringField,
  syntheticCall,
} from "../build.js";
import { IngestError, type JsonAdapter, type RecordAdapter } from "../types.js";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null;
}

/** An object field that may be absent (null) or hold an object; another type is an error. */
function optObject(v: unknown, file: string, field: string): Obj | null {
  return v === undefined || v === null ? null : asObject(v, file, field);
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
  const msg: Message = { role, content: contentText(m.content, file, `${field}.content`) };
  const calls = arrayField(m.tool_calls, file, `${field}.tool_calls`);
  if (role === "assistant" && calls.length) {
    msg.tool_calls = calls.map((c, k) => normaliseToolCall(c, `${fallbackId}_${k}`, file, `${field}.tool_calls[${k}]`));
  }
  const reasoning = stringField(m.reasoning_content, file, `${field}.reasoning_content`);
  if (reasoning) msg.reasoning_content = reasoning;
  const id = stringField(m.tool_call_id, file, `${field}.tool_call_id`);
  const name = stringField(m.name, file, `${field}.name`);
  if (role === "tool" && id !== null) msg.tool_call_id = id;
  if (role === "tool" && name !== null) msg.name = name;
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
    const f = this.file;
    const e = asObject(raw, f, field);
    const time = stringField(e.timestamp, f, `${field}.timestamp`);
    if (time !== null) {
      this.firstTime ??= time;
      this.lastTime = time;
    }
    const action = stringField(e.action, f, `${field}.action`);
    if (action !== null) {
      const id = this.action(e, action, field);
      const eventId = numberField(e.id, f, `${field}.id`);
      if (id && eventId !== undefined) this.byEvent.set(eventId, id);
      return id;
    }
    const observation = stringField(e.observation, f, `${field}.observation`);
    if (observation !== null) this.observation(e, observation, paired, field);
    return null;
  }

  private action(e: Obj, kind: string, field: string): string | null {
    const f = this.file;
    const args = objectField(e.args, f, `${field}.args`);
    const thought = stringField(args.thought, f, `${field}.args.thought`) ?? "";
    const text = () =>
      stringField(args.content, f, `${field}.args.content`) ?? stringField(e.message, f, `${field}.message`) ?? "";
    if (kind === "system") {
      this.messages.push({ role: "system", content: text() });
      if (args.tools !== undefined && args.tools !== null) this.tools = asArray(args.tools, f, `${field}.args.tools`);
      this.version = stringField(args.openhands_version, f, `${field}.args.openhands_version`) ?? this.version;
      return null;
    }
    const tcm = optObject(e.tool_call_metadata, f, `${field}.tool_call_metadata`);
    const source = stringField(e.source, f, `${field}.source`);
    if (kind === "message" && !tcm) {
      this.messages.push({ role: source === "agent" ? "assistant" : "user", content: text() });
      return null;
    }
    if (SKIP_ACTIONS.has(kind) || (e.source !== undefined && source !== "agent")) return null;
    if (kind === "finish") this.finished = true;
    const eventId = numberField(e.id, f, `${field}.id`);
    const ownId = `oh_${eventId !== undefined ? eventId : this.messages.length}`;
    if (tcm) {
      const at = `${field}.tool_call_metadata`;
      const callId = stringField(tcm.tool_call_id, f, `${at}.tool_call_id`);
      if (callId && this.calls.has(callId)) return callId; // emitted with an earlier call of the same response
      const resp = optObject(tcm.model_response, f, `${at}.model_response`);
      const respId = resp ? stringField(resp.id, f, `${at}.model_response.id`) : null;
      if (respId && this.responses.has(respId)) return callId;
      const choices = resp ? arrayField(resp.choices, f, `${at}.model_response.choices`) : [];
      const choice = choices.length ? optObject(choices[0], f, `${at}.model_response.choices[0]`) : null;
      const m = choice ? optObject(choice.message, f, `${at}.model_response.choices[0].message`) : null;
      if (m && arrayField(m.tool_calls, f, `${at}.model_response.choices[0].message.tool_calls`).length) {
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
      const name = stringField(tcm.function_name, f, `${at}.function_name`);
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

  private observation(e: Obj, kind: string, paired: string | null, field: string): void {
    const f = this.file;
    const extras = objectField(e.extras, f, `${field}.extras`);
    if (kind === "agent_state_changed") {
      this.lastState = stringField(extras.agent_state, f, `${field}.extras.agent_state`) ?? this.lastState;
      return;
    }
    if (kind === "null") return;
    const tcm = optObject(e.tool_call_metadata, f, `${field}.tool_call_metadata`);
    const cause = numberField(e.cause, f, `${field}.cause`);
    const callId =
      (tcm && stringField(tcm.tool_call_id, f, `${field}.tool_call_metadata.tool_call_id`)) ||
      (cause !== undefined ? this.byEvent.get(cause) : undefined) ||
      paired;
    let text = stringField(e.content, f, `${field}.content`) ?? stringField(e.message, f, `${field}.message`) ?? "";
    const meta = optObject(extras.metadata, f, `${field}.extras.metadata`);
    if (meta) {
      const prefix = stringField(meta.prefix, f, `${field}.extras.metadata.prefix`);
      const suffix = stringField(meta.suffix, f, `${field}.extras.metadata.suffix`);
      text = (prefix ?? "") + text + (suffix ?? "");
    }
    if (callId && this.calls.has(callId) && !this.answered.has(callId)) {
      this.answered.add(callId);
      this.messages.push({ role: "tool", content: text, tool_call_id: callId });
      return;
    }
    if (kind === "recall") text = recallText(extras, f, `${field}.extras`);
    if (text.trim()) this.messages.push({ role: "user", content: text });
  }
}

/** What a workspace recall adds to the agent's context: instructions and triggered microagents. */
function recallText(extras: Obj, file: string, field: string): string {
  const parts: string[] = [];
  for (const k of ["repo_instructions", "additional_agent_instructions"]) {
    const v = stringField(extras[k], file, `${field}.${k}`);
    if (v && v.trim()) parts.push(v);
  }
  arrayField(extras.microagent_knowledge, file, `${field}.microagent_knowledge`).forEach((k, i) => {
    const at = `${field}.microagent_knowledge[${i}]`;
    const o = objectField(k, file, at);
    const content = stringField(o.content, file, `${at}.content`);
    if (content?.trim()) parts.push(`[microagent ${stringField(o.name, file, `${at}.name`) ?? ""}]\n${content}`);
  });
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
    const line = ctx.line;
    const meta = objectField(root.metadata, file, "metadata", line);
    const outDir = stringField(meta.eval_output_dir, file, "metadata.eval_output_dir", line);
    const agent = stringField(meta.agent_class, file, "metadata.agent_class", line);
    const version = r.version ?? (outDir ? (/_v(\d+\.\d+(?:\.\d+)?)/.exec(outDir)?.[1] ?? null) : null);
    const metrics = objectField(root.metrics, file, "metrics", line);
    const usage = objectField(metrics.accumulated_token_usage, file, "metrics.accumulated_token_usage", line);
    const latencies =
      metrics.response_latencies === undefined || metrics.response_latencies === null
        ? undefined
        : asArray(metrics.response_latencies, file, "metrics.response_latencies", line);
    const testResult = objectField(root.test_result, file, "test_result", line);
    const rootError = stringField(root.error, file, "error", line);
    const error = rootError?.trim() ? rootError.trim() : null;
    const llm = objectField(meta.llm_config, file, "metadata.llm_config", line);
    const dir = basename(dirname(file));
    const t: Trajectory = makeTrajectory({
      hash: ctx.hash,
      instance_id: stringField(root.instance_id, file, "instance_id", line),
      source: {
        format: "openhands-output",
        variant: pairs ? "pairs" : "events",
        file,
        line: ctx.line,
        scaffold: ["OpenHands", agent, version].filter(Boolean).join(" "),
        model:
          stringField(llm.model, file, "metadata.llm_config.model", line) ??
          stringField(meta.model_name, file, "metadata.model_name", line),
        run: (outDir && basename(outDir)) || (dir && dir !== "." ? dir : null),
      },
      task: stringField(root.instruction, file, "instruction", line) ?? firstUserText(r.messages),
      messages: r.messages,
      patch: stringField(testResult.git_patch, file, "test_result.git_patch", line),
      exit_status: error ? `error: ${error}` : r.finished ? "submitted" : r.lastState,
      stats: {
        cost: numberField(metrics.accumulated_cost, file, "metrics.accumulated_cost", line),
        prompt_tokens: numberField(usage.prompt_tokens, file, "metrics.accumulated_token_usage.prompt_tokens", line),
        completion_tokens: numberField(
          usage.completion_tokens,
          file,
          "metrics.accumulated_token_usage.completion_tokens",
          line,
        ),
        api_calls: latencies?.length,
        duration_s: seconds(r.firstTime, r.lastTime),
      },
      tools: r.tools,
    });
    const report = objectField(testResult.report, file, "test_result.report", line);
    const resolved = booleanField(report.resolved, file, "test_result.report.resolved", line);
    if (resolved !== undefined) {
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
    const model = stem ? stem.replace(/__/g, "/") : stringField(resp.model, file, "response.model");
    const last = messages[messages.length - 1];
    const exit = last.tool_calls?.some((c) => c.function.name === "finish")
      ? "submitted"
      : log && instance
        ? stopFromInferLog(log, instance)
        : null;
    const kwargs = objectField(root.kwargs, file, "kwargs");
    const tools =
      kwargs.tools === undefined || kwargs.tools === null ? undefined : asArray(kwargs.tools, file, "kwargs.tools");
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
      tools,
    });
  },
};
