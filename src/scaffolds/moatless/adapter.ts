/**
 * Moatless Tools (2024) trajectory JSON, two variants:
 *  - "transitions": `{name: "AgenticLoop", initial_message, transitions[], info}`; each
 *    transition is a state (SearchCode, IdentifyCode, PlanToCode, EditCode, ...) whose
 *    `actions[]` are `{action, output?, retry_message?, completion_cost, ...}`;
 *  - "steps" (older): `{name: "moatless", input: {problem_statement}, steps[], output, info}`;
 *    each step's `actions[]` are `{name, input, output}`.
 * Every action becomes an assistant message with one tool call (name = the transition, or
 * the action name in the older variant; arguments = the action input without its thoughts)
 * and a tool message with its output, or the retry message the loop sent back. Thoughts
 * (`thoughts`, `scratch_pad`, `reasoning`) are the assistant text. The loop records no
 * system prompt, so there is none. Terminal Finished/Rejected states only set the exit status.
 */
import { basename, dirname } from "node:path";
import type { Message } from "../../types/trajectory.js";
import { asArray, asObject, kindOf, makeTrajectory, numberField, objectField, stringField, textOf } from "../build.js";
import { IngestError, type JsonAdapter } from "../types.js";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null;
}

const THOUGHT_KEYS = new Set(["thoughts", "scratch_pad", "reasoning"]);

/** Assistant call + tool answer for one action. */
function addAction(messages: Message[], id: string, name: string, input: Obj, output: unknown, retry: unknown): void {
  const args: Obj = {};
  const thoughts: string[] = [];
  for (const k in input) {
    const v = input[k];
    if (THOUGHT_KEYS.has(k) && typeof v === "string") {
      if (v.trim()) thoughts.push(v.trim());
    } else args[k] = v;
  }
  // PlanToCode (2024-06-17 runs) nests the chosen function's arguments under `action`
  const keys = Object.keys(args);
  const call = keys.length === 1 && keys[0] === "action" && obj(args.action) ? (args.action as Obj) : args;
  messages.push({
    role: "assistant",
    content: thoughts.join("\n\n"),
    tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(call) } }],
  });
  const text = typeof retry === "string" && retry ? retry : outputText(output);
  if (text !== null) messages.push({ role: "tool", content: text, tool_call_id: id });
}

/** An action output as text: its message first, then the other non-empty fields. */
function outputText(output: unknown): string | null {
  if (output === undefined || output === null) return null;
  if (typeof output === "string") return output;
  const o = obj(output);
  if (!o) return JSON.stringify(output);
  const parts: string[] = typeof o.message === "string" ? [o.message] : [];
  for (const k in o) {
    const v = o[k];
    if (k === "message" || v === null || v === undefined || v === "") continue;
    if (typeof v === "string") parts.push(v.includes("\n") ? `${k}:\n${v}` : `${k}: ${v}`);
    else parts.push(`${k}: ${JSON.stringify(v)}`);
  }
  return parts.join("\n");
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1].trim();
}

export const moatlessAdapter: JsonAdapter = {
  format: "moatless",
  detect(value) {
    const v = obj(value);
    if (!v) return false;
    if (Array.isArray(v.transitions) && typeof v.initial_message === "string") return true;
    const input = obj(v.input);
    // the older shape by its task and its steps (or, when the steps are lost, its name and info), so
    // that a damaged file is an error naming the field rather than "no known format"
    return !!input && typeof input.problem_statement === "string" && ("steps" in v || ("name" in v && "info" in v));
  },
  read(value, ctx) {
    const file = ctx.file;
    const root = asObject(value, file, "(root)");
    const info = root.info === undefined || root.info === null ? {} : asObject(root.info, file, "info");
    const transitions = Array.isArray(root.transitions);
    const task = transitions
      ? textOf(root.initial_message)
      : textOf(asObject(root.input, file, "input").problem_statement);
    const messages: Message[] = [{ role: "user", content: task }];
    let model: string | null = null;
    let terminal: string | null = null;
    let calls = 0;
    let promptTokens: number | undefined;
    let completionTokens: number | undefined;

    const groups = asArray(transitions ? root.transitions : root.steps, file, transitions ? "transitions" : "steps");
    groups.forEach((g, i) => {
      const field = `${transitions ? "transitions" : "steps"}[${i}]`;
      const group = asObject(g, file, field);
      const groupName = stringField(group.name, file, `${field}.name`) ?? "unknown";
      const actions =
        group.actions === undefined || group.actions === null ? [] : asArray(group.actions, file, `${field}.actions`);
      if (transitions) {
        const state = objectField(group.state, file, `${field}.state`);
        const stateModel = stringField(state.model, file, `${field}.state.model`);
        if (!model && actions.length && stateModel !== null) model = stateModel;
        if (groupName === "Finished" || groupName === "Rejected") terminal = groupName.toLowerCase();
      }
      actions.forEach((a, k) => {
        const at = `${field}.actions[${k}]`;
        const act = asObject(a, file, at);
        const input = transitions
          ? objectField(act.action, file, `${at}.action`)
          : objectField(act.input, file, `${at}.input`);
        const name = transitions ? groupName : (stringField(act.name, file, `${at}.name`) ?? groupName);
        if (!transitions && (name === "finish" || name === "reject"))
          terminal = name === "finish" ? "finished" : "rejected";
        const output = act.output;
        if (output !== undefined && output !== null && typeof output !== "string" && !obj(output))
          throw new IngestError(
            file,
            `expected a string or an object, got ${kindOf(output)}`,
            undefined,
            `${at}.output`,
          );
        const retry = stringField(act.retry_message, file, `${at}.retry_message`);
        addAction(messages, `moatless_${i}_${k}`, name, input, output, retry);
        calls++;
        const pt = numberField(act.input_tokens, file, `${at}.input_tokens`);
        const ct = numberField(act.output_tokens, file, `${at}.output_tokens`);
        if (pt !== undefined) promptTokens = (promptTokens ?? 0) + pt;
        if (ct !== undefined) completionTokens = (completionTokens ?? 0) + ct;
      });
    });

    const instance =
      stringField(info.instance_id, file, "info.instance_id") ?? (basename(file).replace(/\.json$/i, "") || null);
    let dir = dirname(file);
    if (basename(dir) === "trajs") dir = dirname(dir);
    const run = basename(dir) && basename(dir) !== "." ? basename(dir) : null;
    const infoError = stringField(info.error, file, "info.error");
    const status = stringField(info.status, file, "info.status");
    const error = infoError?.trim() ? `error: ${lastLine(infoError)}` : null;
    return makeTrajectory({
      hash: ctx.hash,
      instance_id: instance,
      source: {
        format: "moatless",
        variant: transitions ? "transitions" : "steps",
        file,
        scaffold: "Moatless Tools",
        model: model ?? (run ? (/^\d{8}_moatless_(.+)$/.exec(run)?.[1] ?? null) : null),
        run,
      },
      task,
      messages,
      patch: stringField(info.submission, file, "info.submission"),
      // (a status of "error" says less than the error itself: "error: RuntimeError: The loop was aborted because
      // the cost exceeded the limit.")
      exit_status: (status === "error" ? error : null) ?? status ?? error ?? terminal,
      stats: {
        cost: numberField(info.total_cost, file, "info.total_cost"),
        duration_s: numberField(info.duration, file, "info.duration"),
        api_calls: calls,
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
      },
    });
  },
};
