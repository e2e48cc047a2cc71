/**
 * SWE-agent `.traj` files: 0.x (history without `message_type`, `state` as a
 * JSON string), 1.0 (steps carry `messages`), 1.x (steps carry `query`; history
 * items with `message_type`, `tool_calls`, `role: "tool"` + `tool_call_ids`),
 * and demonstration files holding only `history`.
 *
 * Messages come from `history` (what the LM saw). Each non-demo assistant
 * message is paired with its `trajectory[]` step (normally one to one, in
 * order); the step's action and full observation come from that step, since
 * history observations are templated and may be truncated. Trajectory steps
 * that history lacks are inserted as messages of their own.
 */
import { basename } from "node:path";
import type { Message, Stats, Step, ToolCall } from "../../types/trajectory.js";
import {
  actionText,
  arrayField,
  asArray,
  asObject,
  booleanField,
  contentText,
  fencedCommands,
  kindOf,
  makeTrajectory,
  nestedJson,
  normaliseToolCall,
  numberField,
  objectField,
  parseArgs,
  stringField,
  runFromPath,
  syntheticCall,
  textOf,
  thoughtOf,
  xmlCalls,
} from "../build.js";
import { IngestError, type JsonAdapter } from "../types.js";

type Rec = Record<string, unknown>;

/** SWE-agent tool commands (0.x and 1.x bundles); any other text action is a shell command. */
const COMMANDS = new Set([
  "open",
  "goto",
  "scroll_up",
  "scroll_down",
  "create",
  "edit",
  "insert",
  "append",
  "search_dir",
  "search_file",
  "find_file",
  "submit",
  "str_replace_editor",
  "filemap",
  "view_image",
  "exit_forfeit",
]);
/** scaffold pseudo-actions such as `exit_cost`, `exit_context`, `exit_format` */
const EXIT_ACTION = /^exit_[a-z_]+$/;

/** One trajectory step as read from `trajectory[k]`. */
interface TStep {
  action: string;
  observation: string | null;
  response: string;
  thought: string | null;
}

/** An assistant message that becomes one or more steps. */
interface Pending {
  mi: number;
  t?: TStep;
  /** the command line of the first call (trajectory step, else history item `action`) */
  action?: string;
  thought: string;
  args: (Record<string, unknown> | null)[];
}

export const sweAgentAdapter: JsonAdapter = {
  format: "sweagent-traj",
  detect(value) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return false;
    const v = value as Rec;
    // a run (with its `info`) by its keys, whatever their values: a damaged `trajectory` is an error naming it
    const run = "info" in v && ("trajectory" in v || "history" in v);
    if (!run && !Array.isArray(v.trajectory) && !Array.isArray(v.history)) return false;
    if ("trajectory_format" in v || "transitions" in v || ("steps" in v && "name" in v)) return false;
    // an OpenHands output record also has `history` (of events)
    return !("test_result" in v) && !("instruction" in v);
  },
  read(value, ctx) {
    const file = ctx.file;
    const root = asObject(value, file, "(root)");
    if (root.trajectory === undefined && root.history === undefined) {
      throw new IngestError(file, "expected a `trajectory` or `history` array", undefined, "history");
    }
    const rawSteps = root.trajectory === undefined ? null : asArray(root.trajectory, file, "trajectory");
    const history = root.history === undefined ? [] : asArray(root.history, file, "history");
    const info = root.info === undefined || root.info === null ? {} : asObject(root.info, file, "info");
    // a run's results (`info`) without its steps: not a demonstration, a damaged run
    if (root.trajectory === undefined && root.info !== undefined)
      throw new IngestError(file, "missing field (a run with `info` records its steps)", undefined, "trajectory");
    const tsteps = (rawSteps ?? []).map((s, k) => readStep(s, file, k));

    // pair non-demo assistant history items with trajectory steps
    const items = history.map((h, i) => asObject(h, file, `history[${i}]`));
    const demo = items.map((h, i) => isDemo(h, file, `history[${i}]`));
    const asst: number[] = [];
    items.forEach((h, i) => {
      if (h.role === "assistant" && !demo[i]) asst.push(i);
    });
    const pairOf = new Map<number, number>(); // history index -> step index
    const insertBefore = new Map<number, number[]>(); // history index -> unmatched steps to insert first
    let rest = 0;
    if (asst.length === tsteps.length) {
      asst.forEach((hi, k) => pairOf.set(hi, k));
      rest = tsteps.length;
    } else {
      for (const hi of asst) {
        const k = findMatch(items[hi], tsteps, rest, file, `history[${hi}]`);
        if (k < 0) continue;
        if (k > rest) insertBefore.set(hi, range(rest, k));
        pairOf.set(hi, k);
        rest = k + 1;
      }
    }

    const messages: Message[] = [];
    const pending: Pending[] = [];
    let firstUser: Message | undefined; // the task: first non-demo user message of history
    const addSynthetic = (k: number) => {
      const t = tsteps[k];
      const mi = messages.length;
      const msg: Message = { role: "assistant", content: t.response || t.action };
      const args = textCalls(msg, t.action, mi);
      pending.push({ mi, t, action: t.action, thought: (t.thought ?? "").trim(), args });
      messages.push(msg);
      if (t.observation !== null) messages.push({ role: "user", content: t.observation });
    };

    items.forEach((h, i) => {
      for (const k of insertBefore.get(i) ?? []) addSynthetic(k);
      const field = `history[${i}]`;
      const role = h.role;
      if (role !== "system" && role !== "user" && role !== "assistant" && role !== "tool") {
        throw new IngestError(
          file,
          `expected role system|user|assistant|tool, got ${JSON.stringify(role)}`,
          undefined,
          `${field}.role`,
        );
      }
      const mi = messages.length;
      const msg: Message = { role, content: contentText(h.content, file, `${field}.content`) };
      if (demo[i]) msg.demo = true;
      else if (role === "user" && !firstUser) firstUser = msg;
      if (role === "tool") {
        const ids = arrayField(h.tool_call_ids, file, `${field}.tool_call_ids`);
        const id =
          stringField(ids[0], file, `${field}.tool_call_ids[0]`) ??
          stringField(h.tool_call_id, file, `${field}.tool_call_id`);
        if (id) msg.tool_call_id = id;
      }
      if (role === "assistant") {
        const reasoning = thinkingOf(h.thinking_blocks, file, `${field}.thinking_blocks`);
        if (reasoning) msg.reasoning_content = reasoning;
        const k = pairOf.get(i);
        const t = k === undefined ? undefined : tsteps[k];
        let args: (Record<string, unknown> | null)[] = [];
        if (h.tool_calls !== undefined && h.tool_calls !== null) {
          const raw = asArray(h.tool_calls, file, `${field}.tool_calls`);
          if (raw.length) {
            msg.tool_calls = raw.map((rc, n) =>
              normaliseToolCall(rc, `call_${mi}_${n}`, file, `${field}.tool_calls[${n}]`),
            );
            args = msg.tool_calls.map((tc) => parseArgs(tc.function.arguments));
          }
        }
        const action = stringField(h.action, file, `${field}.action`);
        if (!msg.tool_calls && !msg.demo) {
          const act = t ? t.action : (action ?? fencedCommands(msg.content)[0] ?? "");
          args = textCalls(msg, act, mi);
        }
        if (!msg.demo) {
          const thought = (t?.thought ?? stringField(h.thought, file, `${field}.thought`) ?? thoughtOf(msg)).trim();
          pending.push({ mi, t, action: t ? t.action : action?.trimEnd(), thought, args });
        }
      }
      messages.push(msg);
    });
    for (let k = rest; k < tsteps.length; k++) addSynthetic(k);

    const steps = buildSteps(messages, pending);
    const config = configOf(root.replay_config, file, "replay_config") ?? configOf(root.config, file, "config");
    const instance = basename(file).replace(/\.traj(\.json)?$|\.json$/, "") || null;
    const run = runFromPath(file, instance);
    const version = stringField(info.swe_agent_version, file, "info.swe_agent_version");
    return makeTrajectory({
      hash: ctx.hash,
      instance_id: instance,
      source: {
        format: "sweagent-traj",
        variant: variantOf(root, rawSteps, items),
        file,
        scaffold: version ? `SWE-agent ${version}` : "SWE-agent",
        model: modelFromConfig(config, file) ?? modelFromRun(run),
        run,
      },
      task: firstUser ? issueText(firstUser.content) : problemStatement(config, file),
      messages,
      steps,
      patch: stringField(info.submission, file, "info.submission"),
      exit_status: stringField(info.exit_status, file, "info.exit_status"),
      stats: statsOf(objectField(info.model_stats, file, "info.model_stats"), file),
    });
  },
};

function readStep(raw: unknown, file: string, k: number): TStep {
  const s = asObject(raw, file, `trajectory[${k}]`);
  const action = s.action ?? "";
  if (typeof action !== "string")
    throw new IngestError(file, `expected a string, got ${kindOf(action)}`, undefined, `trajectory[${k}].action`);
  const obs = s.observation;
  if (obs !== undefined && obs !== null && typeof obs !== "string") {
    throw new IngestError(file, `expected a string, got ${kindOf(obs)}`, undefined, `trajectory[${k}].observation`);
  }
  return {
    action: action.trimEnd(),
    observation: obs ?? null,
    response: stringField(s.response, file, `trajectory[${k}].response`) ?? "",
    thought: stringField(s.thought, file, `trajectory[${k}].thought`),
  };
}

function isDemo(h: Rec, file: string, field: string): boolean {
  return (
    booleanField(h.is_demo, file, `${field}.is_demo`) === true ||
    stringField(h.message_type, file, `${field}.message_type`) === "demonstration"
  );
}

/** The trajectory step a history item (not paired by count) belongs to: same action, else same response. */
function findMatch(h: Rec, tsteps: TStep[], from: number, file: string, field: string): number {
  const act = stringField(h.action, file, `${field}.action`)?.trimEnd();
  const content = typeof h.content === "string" ? h.content : null;
  for (let k = from; k < tsteps.length; k++) {
    if (act !== undefined ? tsteps[k].action === act : content !== null && tsteps[k].response === content) return k;
  }
  return -1;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let k = a; k < b; k++) out.push(k);
  return out;
}

/** Attach synthetic calls for a text action (xml function calls, else the command line). */
function textCalls(msg: Message, action: string, mi: number): Record<string, unknown>[] {
  if (msg.content.includes("<function=")) {
    const xml = xmlCalls(msg.content);
    if (xml.length) {
      msg.tool_calls = xml.map((x, n) => syntheticCall(`call_${mi}_${n}`, x.name, x.args));
      return xml.map((x) => x.args);
    }
  }
  const command = action.trimEnd();
  if (!command.trim()) return [];
  const args = { command };
  msg.tool_calls = [syntheticCall(`call_${mi}_0`, toolName(command), args)];
  return [args];
}

/** The SWE-agent command name of a text action, or "bash". */
export function toolName(action: string): string {
  const head = action.slice(0, 80).trimStart();
  let end = 0;
  while (end < head.length && !/\s/.test(head[end])) end++;
  const word = head.slice(0, end);
  if (COMMANDS.has(word)) return word;
  return end === head.length && EXIT_ACTION.test(word) ? word : "bash";
}

function buildSteps(messages: Message[], pending: Pending[]): Step[] {
  const steps: Step[] = [];
  for (const p of pending) {
    const m = messages[p.mi];
    const n = messages[p.mi + 1];
    const next = n && (n.role === "user" || n.role === "tool") && !n.demo ? p.mi + 1 : null;
    const calls: ToolCall[] = m.tool_calls ?? [];
    const obsText = (i: number | null) => (p.t ? p.t.observation : i === null ? null : messages[i].content);
    if (calls.length === 0) {
      steps.push({
        index: steps.length,
        message_index: p.mi,
        observation_index: next,
        thought: p.thought,
        tool: "none",
        args: null,
        action: "",
        tool_call_id: "",
        observation: obsText(next),
      });
      continue;
    }
    calls.forEach((call, k) => {
      const obs = toolReply(messages, p.mi, call.id) ?? (k === 0 ? next : null);
      const args = p.args[k] ?? null;
      steps.push({
        index: steps.length,
        message_index: p.mi,
        observation_index: obs,
        thought: k === 0 ? p.thought : "",
        tool: call.function.name,
        args,
        action: k === 0 && p.action !== undefined ? p.action : actionText(call, args),
        tool_call_id: call.id,
        observation: k === 0 ? obsText(obs) : obs === null ? null : messages[obs].content,
      });
    });
  }
  return steps;
}

/** The tool message answering `id` among those right after message `mi` (ids may repeat in a file). */
function toolReply(messages: Message[], mi: number, id: string): number | null {
  for (let j = mi + 1; j < messages.length && messages[j].role === "tool"; j++) {
    if (messages[j].tool_call_id === id) return j;
  }
  return null;
}

function thinkingOf(blocks: unknown, file: string, field: string): string | null {
  const parts = arrayField(blocks, file, field)
    .map((b, i) => stringField(asObject(b, file, `${field}[${i}]`).thinking, file, `${field}[${i}].thinking`))
    .filter((x): x is string => !!x);
  return parts.length ? parts.join("\n") : null;
}

function variantOf(root: Rec, rawSteps: unknown[] | null, items: Rec[]): string {
  if (rawSteps === null) return "demonstration";
  const first = rawSteps[0] as Rec | undefined;
  if (first && "messages" in first) return "1.0";
  if ((first && "query" in first) || root.replay_config != null || items.some((h) => "message_type" in h)) return "1.x";
  return "0.x";
}

function statsOf(m: Rec, file: string): Stats {
  const out: Stats = {};
  const put = (k: keyof Stats, key: string) => {
    const n = numberField(m[key], file, `info.model_stats.${key}`);
    if (n !== undefined) out[k] = n;
  };
  put("cost", "instance_cost");
  put("prompt_tokens", "tokens_sent");
  put("completion_tokens", "tokens_received");
  put("api_calls", "api_calls");
  return out;
}

/** `replay_config` / `config`: an object or a JSON string of one (text that is not JSON reads as none). */
function configOf(v: unknown, file: string, field: string): Rec | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") v = nestedJson(v);
  if (v === null) return null;
  return asObject(v, file, field);
}

function modelFromConfig(config: Rec | null, file: string): string | null {
  if (!config) return null;
  const agent = objectField(config.agent, file, "config.agent");
  const model = objectField(agent.model, file, "config.agent.model");
  return (
    stringField(model.name, file, "config.agent.model.name") ??
    stringField(model.model_name, file, "config.agent.model.model_name") ??
    stringField(objectField(config.model, file, "config.model").model_name, file, "config.model.model_name") ??
    null
  );
}

/** `20240825_SWE-agent_<model>` or SWE-agent's `<model>__<data>__<config>__t-…` run names. */
function modelFromRun(run: string | null): string | null {
  if (!run) return null;
  const named = /SWE-agent_(.+)$/.exec(run);
  if (named) return named[1];
  const i = run.indexOf("__");
  return i > 0 && run.includes("__t-") ? run.slice(0, i) : null;
}

function problemStatement(config: Rec | null, file: string): string | null {
  if (!config) return null;
  const ps = objectField(config.problem_statement, file, "config.problem_statement");
  return stringField(ps.text, file, "config.problem_statement.text");
}

/** The issue inside SWE-agent's instance template (`ISSUE:` … `INSTRUCTIONS:` or `<pr_description>`). */
export function issueText(text: string): string {
  const a = text.indexOf("ISSUE:\n");
  if (a >= 0) {
    const b = text.indexOf("\n\nINSTRUCTIONS:", a);
    return text.slice(a + 7, b >= 0 ? b : undefined).trim();
  }
  const p = text.indexOf("<pr_description>");
  if (p >= 0) {
    const q = text.indexOf("</pr_description>", p);
    return text
      .slice(p + 16, q >= 0 ? q : undefined)
      .replace(/^\s*(?:Consider the following PR description:)?/, "")
      .trim();
  }
  return text;
}
