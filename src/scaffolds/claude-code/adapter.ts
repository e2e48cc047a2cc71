/**
 * Claude Code session logs: `~/.claude/projects/<project>/<session id>.jsonl`, one event a line,
 * the whole file one trajectory (a `SessionAdapter`: the pipeline hands it every parsed line).
 *
 * Lines (`type`):
 *  - `user`: `message.content` is the user's text (a string or text/image blocks), or
 *    `tool_result` blocks answering the agent's calls -> one `tool` message per result (same
 *    id), then any text of the same line as a user message. `isMeta` lines (caveats, skill
 *    text, hook context) and the compaction summary are kept as user messages: the model sees them.
 *  - `assistant`: one line per content block in 2.x (several lines share `message.id`), one line
 *    per reply in 1.x; lines of one reply are merged into one assistant message: `text` blocks ->
 *    content, `thinking` -> `reasoning_content`, `tool_use` -> `tool_calls` (arguments = the
 *    input as JSON). Synthetic lines (`model: "<synthetic>"`, `isApiErrorMessage`) are the
 *    client's, not the model's: not messages, but an API error counts for the exit status.
 *  - `system`, `progress`, `summary`, `file-history-snapshot`, `queue-operation` and unknown
 *    types: bookkeeping, skipped (an `agent_progress` line links a Task call to its sub-agent).
 * Lines repeated with the same `uuid` (a resumed session) are read once.
 *
 * Sub-agents (the `Task` / `Agent` tool): the main agent's call is a handoff; the sub-agent's own
 * run is put in the trajectory just before the call's result, each of its messages carrying the
 * sub-agent type as `name` (its acting role; main-agent messages have none). Its log is found
 * by the `agentId` the result (`toolUseResult.agentId`) or an `agent_progress` line gives:
 * `<session id>/subagents/agent-<id>.jsonl` (2.1), else `agent-<id>.jsonl` beside the session
 * (2.0). Sidechain lines inside the session file (`isSidechain: true`, 1.x) are kept where they
 * stand, named after the Task whose prompt starts them. A sub-agent log read on its own is a
 * trajectory of that sub-agent (variant "<version> sub-agent"); found by a folder walk beside
 * its session, it is skipped as part of that session.
 *
 * The log records no patch; when the last change-capable step is a plain `git diff` whose
 * output is a whole diff, that output is the patch (see `patchFromGitDiff`).
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { asObject, booleanField, deriveSteps, kindOf, makeTrajectory, nestedJson, numberField } from "../build.js";
import { parseJson } from "../../io/read.js";
import { IngestError, type AdapterContext, type ParsedLine, type SessionAdapter } from "../types.js";
import type { Message, Step, Trajectory } from "../../types/trajectory.js";
import { exitStatus, type SessionEnd } from "./exit.js";
import { CLIENT_TEXT, INTERRUPTED, REJECTED_BY_USER, SYSTEM_REMINDER, TRUNCATED } from "./markers.js";
import { actionFor } from "./tools.js";

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** A string field of a log line: undefined when absent or empty; another type is an error naming it. */
function textField(v: unknown, file: string, line: number, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new IngestError(file, `expected a string, got ${kindOf(v)}`, line, field);
  return v || undefined;
}

/** An object field of a log line: null when absent; another type is an error naming it. */
function objectAt(v: unknown, file: string, line: number, field: string): Obj | null {
  return v === undefined || v === null ? null : asObject(v, file, field, line);
}

/** Sub-agents may start sub-agents; logs nested deeper than this are not read. */
const MAX_DEPTH = 3;
const HANDOFF_TOOLS = new Set(["Task", "Agent"]);

/** A line of a Claude Code session log, judged alone (see `SessionAdapter.detectLine`). */
export function detectLine(value: unknown): boolean | undefined {
  const v = obj(value);
  if (!v || typeof v.type !== "string") return false;
  const event = typeof v.uuid === "string" && typeof v.sessionId === "string";
  if ("message" in v) return (v.type === "user" || v.type === "assistant") && event && obj(v.message) !== null;
  if (v.type === "system" || v.type === "progress") return event ? true : undefined;
  // other formats' event lines (Codex rollouts carry `payload`)
  if ("payload" in v || "schema" in v || "messages" in v) return false;
  return undefined; // summary, file-history-snapshot, queue-operation...: any session may start so
}

/** The text a tool result or user message shows: text blocks, with placeholders for images and documents. */
export function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) return JSON.stringify(content);
  const parts: string[] = [];
  for (const b of content) {
    if (typeof b === "string") parts.push(b);
    const o = obj(b);
    if (!o) continue;
    if (typeof o.text === "string") parts.push(o.text);
    else if (o.type === "image") parts.push("[image]");
    else if (o.type === "document") parts.push("[document]");
  }
  return parts.join("\n");
}

/** Parse the lines of a log read as text (a sub-agent's); a bad line names the file and line. */
export function parseLogLines(text: string, file: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  const raw = text.split("\n");
  for (let i = 0; i < raw.length; i++) {
    if (!raw[i].trim()) continue;
    out.push({ line: i + 1, value: parseJson(raw[i], file, i + 1) });
  }
  return out;
}

interface Call {
  name: string;
  args: Obj | null;
  answered: boolean;
}

/** What every log of one session (the main one and its sub-agents') adds to. */
interface Shared {
  messages: Message[];
  calls: Map<string, Call>;
  /** per API reply (`message.id`): its prompt tokens, its final output tokens (null: not logged), its cost */
  usage: Map<string, { prompt: number; completion: number | null; cost: number }>;
  /** Task call id -> sub-agent id, from `agent_progress` lines */
  agentOfCall: Map<string, string>;
  agentsRead: Set<string>;
  /** the session file: sub-agent logs are found relative to it */
  ctx: AdapterContext;
}

/** Reads one log (the session's, or a sub-agent's) into the shared messages. */
class LogReader {
  version: string | null = null;
  sessionId: string | null = null;
  agentId: string | null = null;
  /** the file's own lines are a sidechain: a sub-agent log read on its own */
  ownSidechain: boolean | undefined;
  task: string | null = null;
  private command: string | null = null;
  end: SessionEnd = { kind: "none" };
  private endMessage: Message | null = null;
  firstTime: number | null = null;
  lastTime: number | null = null;
  /** replies per model (the main agent's; the user may switch models mid-session) */
  models = new Map<string, number>();
  private seen = new Set<string>();
  /** the reply being merged, per chain (the log's own, or a sidechain's root uuid) */
  private open = new Map<string, { id: string; msg: Message }>();
  /** in-file sidechains: line uuid -> root uuid, root uuid -> role */
  private sideRoot = new Map<string, string>();
  private sideRole = new Map<string, string>();

  constructor(
    private shared: Shared,
    private file: string,
    /** the acting role of this log's messages (undefined for the main agent) */
    private role: string | undefined,
    private depth: number,
  ) {}

  async read(lines: ParsedLine[]): Promise<void> {
    for (const l of lines) await this.line(l);
  }

  private async line(l: ParsedLine): Promise<void> {
    const v = obj(l.value);
    if (!v) throw new IngestError(this.file, `expected a JSON object, got ${kindOf(l.value)}`, l.line);
    const type = v.type;
    if (typeof type !== "string")
      throw new IngestError(this.file, `expected a string, got ${kindOf(type)}`, l.line, "type");
    const f = this.file;
    const at = l.line;
    const uuid = textField(v.uuid, f, at, "uuid");
    if (uuid) {
      if (this.seen.has(uuid)) return;
      this.seen.add(uuid);
    }
    if (type === "progress") {
      const data = objectAt(v.data, f, at, "data");
      const agent = data && data.type === "agent_progress" ? textField(data.agentId, f, at, "data.agentId") : undefined;
      const call = textField(v.parentToolUseID, f, at, "parentToolUseID");
      if (agent && call) this.shared.agentOfCall.set(call, agent);
      return;
    }
    if (type !== "user" && type !== "assistant") return;
    const sidechain = booleanField(v.isSidechain, f, "isSidechain", at) === true;
    this.version ??= textField(v.version, f, at, "version") ?? null;
    this.sessionId ??= textField(v.sessionId, f, at, "sessionId") ?? null;
    this.ownSidechain ??= sidechain;
    if (this.ownSidechain) this.agentId ??= textField(v.agentId, f, at, "agentId") ?? null;
    const foreign = sidechain && !this.ownSidechain;
    const chain = foreign ? this.sidechainOf(v, uuid ?? `line ${l.line}`, at) : "own";
    const name = foreign ? this.sideRole.get(chain) : this.role;
    const message = obj(v.message);
    if (!message) throw new IngestError(this.file, `expected an object, got ${kindOf(v.message)}`, l.line, "message");
    const content = message.content;
    const blocks = typeof content === "string" ? [content] : Array.isArray(content) ? content : null;
    if (!blocks)
      throw new IngestError(
        this.file,
        `expected a string or a list of content blocks, got ${kindOf(content)}`,
        l.line,
        "message.content",
      );
    if (!foreign) this.time(v.timestamp, at);
    if (type === "assistant") this.assistant(v, message, blocks, l.line, chain, name, !foreign);
    else await this.user(v, blocks, l.line, name, !foreign);
  }

  private time(ts: unknown, line: number): void {
    const s = textField(ts, this.file, line, "timestamp");
    if (s === undefined) return;
    const t = Date.parse(s);
    if (!Number.isFinite(t))
      throw new IngestError(
        this.file,
        `expected a date and time, got ${JSON.stringify(s.slice(0, 40))}`,
        line,
        "timestamp",
      );
    if (this.firstTime === null || t < this.firstTime) this.firstTime = t;
    if (this.lastTime === null || t > this.lastTime) this.lastTime = t;
  }

  /** The root of an in-file sidechain (1.x) this line belongs to; names the chain when it starts. */
  private sidechainOf(v: Obj, uuid: string, line: number): string {
    const parent = textField(v.parentUuid, this.file, line, "parentUuid");
    const root = (parent && this.sideRoot.get(parent)) || uuid;
    this.sideRoot.set(uuid, root);
    if (root === uuid && !this.sideRole.has(root)) {
      const prompt = blockText(obj(v.message)?.content).trim();
      let role = "sidechain";
      for (const c of this.shared.calls.values()) {
        if (HANDOFF_TOOLS.has(c.name) && typeof c.args?.prompt === "string" && c.args.prompt.trim() === prompt) {
          role = str(c.args.subagent_type) ?? "general-purpose";
        }
      }
      this.sideRole.set(root, role);
    }
    return root;
  }

  private assistant(
    v: Obj,
    message: Obj,
    blocks: unknown[],
    line: number,
    chain: string,
    name: string | undefined,
    own: boolean,
  ): void {
    const f = this.file;
    if (booleanField(v.isApiErrorMessage, f, "isApiErrorMessage", line) === true) {
      if (own) this.end = { kind: "api_error", text: blockText(blocks) };
      return;
    }
    const model = textField(message.model, f, line, "message.model");
    if (model === "<synthetic>") return; // the client's own words ("No response requested.")
    const id = textField(message.id, f, line, "message.id") ?? textField(v.uuid, f, line, "uuid") ?? `line ${line}`;
    this.usage(
      id,
      objectAt(message.usage, f, line, "message.usage"),
      numberField(v.costUSD, f, "costUSD", line) ?? 0,
      message.stop_reason !== null && message.stop_reason !== undefined,
      line,
    );
    let open = this.open.get(chain);
    if (!open || open.id !== id) {
      if (own && model !== undefined) this.models.set(model, (this.models.get(model) ?? 0) + 1);
      const msg: Message = { role: "assistant", content: "" };
      if (name) msg.name = name;
      this.shared.messages.push(msg);
      open = { id, msg };
      this.open.set(chain, open);
    }
    const msg = open.msg;
    blocks.forEach((raw, k) => {
      const field = `message.content[${k}]`;
      if (typeof raw === "string") return void (msg.content = join2(msg.content, raw.trim(), "\n\n"));
      const b = obj(raw);
      if (!b) throw new IngestError(this.file, `expected a content block object, got ${kindOf(raw)}`, line, field);
      const type = textField(b.type, f, line, `${field}.type`);
      const said = type === "text" ? textField(b.text, f, line, `${field}.text`) : undefined;
      const thought = type === "thinking" ? textField(b.thinking, f, line, `${field}.thinking`) : undefined;
      if (type === "text" && typeof b.text === "string") msg.content = join2(msg.content, (said ?? "").trim(), "\n\n");
      else if (thought?.trim()) {
        msg.reasoning_content = join2(msg.reasoning_content ?? "", thought.trim(), "\n\n");
      } else if (type === "tool_use") {
        const callId = str(b.id);
        if (!callId)
          throw new IngestError(
            this.file,
            `expected a tool call id (string), got ${kindOf(b.id)}`,
            line,
            `${field}.id`,
          );
        const tool = str(b.name);
        if (!tool)
          throw new IngestError(
            this.file,
            `expected a tool name (string), got ${kindOf(b.name)}`,
            line,
            `${field}.name`,
          );
        const input = b.input === undefined || b.input === null ? {} : asObject(b.input, f, `${field}.input`, line);
        (msg.tool_calls ??= []).push({
          id: callId,
          type: "function",
          function: { name: tool, arguments: JSON.stringify(input) },
        });
        this.shared.calls.set(callId, { name: tool, args: obj(input), answered: false });
      }
      // redacted_thinking, server tool blocks and unknown blocks carry nothing a step uses
    });
    if (own) {
      this.end = { kind: "assistant", calls: 0, unanswered: 0 };
      this.endMessage = msg;
    }
  }

  /**
   * Usage is repeated on every line of a reply. The prompt side is known when the call starts; the
   * output count is final only on a line that has the reply's `stop_reason` (2.x logs write the
   * lines while streaming, most with the first tokens' count), so it is kept only from such a line.
   */
  private usage(id: string, usage: Obj | null, cost: number, final: boolean, line: number): void {
    const num = (k: string) => (usage ? (numberField(usage[k], this.file, `message.usage.${k}`, line) ?? 0) : 0);
    const prompt = num("input_tokens") + num("cache_creation_input_tokens") + num("cache_read_input_tokens");
    const prev = this.shared.usage.get(id);
    this.shared.usage.set(id, {
      prompt: Math.max(prev?.prompt ?? 0, prompt),
      completion: final && usage ? Math.max(prev?.completion ?? 0, num("output_tokens")) : (prev?.completion ?? null),
      cost: Math.max(prev?.cost ?? 0, cost),
    });
  }

  private async user(v: Obj, blocks: unknown[], line: number, name: string | undefined, own: boolean): Promise<void> {
    const texts: string[] = [];
    let results = 0;
    let rejected = false;
    for (let k = 0; k < blocks.length; k++) {
      const raw = blocks[k];
      if (typeof raw === "string") {
        texts.push(raw);
        continue;
      }
      const b = obj(raw);
      if (!b)
        throw new IngestError(
          this.file,
          `expected a content block object, got ${kindOf(raw)}`,
          line,
          `message.content[${k}]`,
        );
      const type = textField(b.type, this.file, line, `message.content[${k}].type`);
      if (type === "tool_result") {
        const id = str(b.tool_use_id);
        if (!id)
          throw new IngestError(
            this.file,
            `expected the id of the call it answers (string), got ${kindOf(b.tool_use_id)}`,
            line,
            `message.content[${k}].tool_use_id`,
          );
        const c = b.content;
        if (c !== undefined && c !== null && typeof c !== "string" && !Array.isArray(c))
          throw new IngestError(
            this.file,
            `expected a string or a list of content blocks, got ${kindOf(c)}`,
            line,
            `message.content[${k}].content`,
          );
        const result = blockText(c);
        const call = this.shared.calls.get(id);
        if (!call || call.answered) {
          texts.push(result); // a result for no call in this log: still text the agent saw
          continue;
        }
        if (HANDOFF_TOOLS.has(call.name))
          await this.subAgent(id, call, objectAt(v.toolUseResult, this.file, line, "toolUseResult"), line);
        call.answered = true;
        this.shared.messages.push({ role: "tool", content: result, tool_call_id: id });
        results++;
        if (REJECTED_BY_USER.test(result)) rejected = true;
      } else if (b.text !== undefined && b.text !== null)
        texts.push(textField(b.text, this.file, line, `message.content[${k}].text`) ?? "");
      else if (type === "image") texts.push("[image]");
      else if (type === "document") texts.push("[document]");
    }
    const text = texts.join("\n");
    if (text.trim()) {
      const msg: Message = { role: "user", content: text };
      if (name) msg.name = name;
      this.shared.messages.push(msg);
    }
    if (!own) return;
    if (text.trim()) {
      const meta = booleanField(v.isMeta, this.file, "isMeta", line) === true;
      const summary = booleanField(v.isCompactSummary, this.file, "isCompactSummary", line) === true;
      if (results === 0 && !meta && !summary) this.taskCandidate(text);
      this.end = INTERRUPTED.test(text)
        ? { kind: "interrupted" }
        : results
          ? { kind: "tool_result" }
          : { kind: "user" };
    } else if (results) this.end = rejected ? { kind: "interrupted" } : { kind: "tool_result" };
  }

  /** The first prompt the user typed is the task; a slash command with arguments stands in when there is none. */
  private taskCandidate(text: string): void {
    if (this.task !== null) return;
    const plain = text.replace(SYSTEM_REMINDER, "").trim();
    if (plain && !CLIENT_TEXT.test(plain)) {
      this.task = plain;
      return;
    }
    const cmd = /<command-name>\s*([^<]*?)\s*<\/command-name>[\s\S]*?<command-args>([\s\S]*?)<\/command-args>/.exec(
      plain,
    );
    if (cmd && cmd[2].trim() && this.command === null) this.command = `${cmd[1]} ${cmd[2].trim()}`;
  }

  /** The task: the first typed prompt, else the first slash command with arguments. */
  taskText(): string | null {
    return this.task ?? this.command;
  }

  /** Put the sub-agent's run (its own log) before the result of the call that started it. */
  private async subAgent(callId: string, call: Call, result: Obj | null, line: number): Promise<void> {
    if (this.depth >= MAX_DEPTH) return;
    const agentId =
      textField(result?.agentId, this.file, line, "toolUseResult.agentId") ?? this.shared.agentOfCall.get(callId);
    if (!agentId || this.shared.agentsRead.has(agentId)) return;
    const ctx = this.shared.ctx;
    const session = this.sessionId ?? basename(ctx.file).replace(/\.jsonl$/i, "");
    for (const rel of [`${session}/subagents/agent-${agentId}`, `agent-${agentId}`]) {
      const text = await ctx.readRelative(`${rel}.jsonl`);
      if (text === null) continue;
      const file = join(dirname(ctx.file), `${rel}.jsonl`);
      const meta = obj(safeJson(await ctx.readRelative(`${rel}.meta.json`)));
      const role = str(call.args?.subagent_type) ?? str(meta?.agentType) ?? "general-purpose";
      this.shared.agentsRead.add(agentId);
      await new LogReader(this.shared, file, role, this.depth + 1).read(parseLogLines(text, file));
      return;
    }
  }

  /** Counts the calls of the last reply and how many got no result. */
  finish(): void {
    if (this.end.kind === "assistant" && this.endMessage) {
      const calls = this.endMessage.tool_calls ?? [];
      this.end = {
        kind: "assistant",
        calls: calls.length,
        unanswered: calls.filter((c) => !this.shared.calls.get(c.id)?.answered).length,
      };
    }
  }
}

function join2(a: string, b: string, sep: string): string {
  if (!b) return a;
  return a ? a + sep + b : b;
}

/** An optional side file's JSON (a sub-agent's meta): null when absent or not JSON. */
function safeJson(text: string | null): unknown {
  return text === null ? null : nestedJson(text);
}

const GIT_DIFF =
  /^\s*git\s+(?:--no-pager\s+)?diff(?:\s+(?:HEAD|--cached|--staged|--no-color|--no-ext-diff))*\s*(?:2>&1)?\s*$/;
const READ_ONLY_GIT = /^\s*git\s+(?:--no-pager\s+)?(?:status|log|show|diff|branch)\b[^;&|>]*$/;

/**
 * The patch, when the transcript shows it: the output of the last plain `git diff` (optionally
 * HEAD / --cached), if it is a whole diff (starts with `diff --git`, not cut by Claude Code)
 * and no later step could have changed a file (only reading, searching, planning and read-only
 * git commands follow it). Otherwise null: the log records no patch.
 */
export function patchFromGitDiff(steps: Step[]): string | null {
  let patch: string | null = null;
  for (const s of steps) {
    const command = s.tool === "Bash" && typeof s.args?.command === "string" ? s.args.command : null;
    const out = s.observation ?? "";
    if (command !== null && GIT_DIFF.test(command)) {
      patch = out.trimStart().startsWith("diff --git") && !TRUNCATED.test(out) ? out.trimStart() : null;
      continue;
    }
    if (patch === null || s.tool === "none") continue;
    if (command !== null && READ_ONLY_GIT.test(command)) continue;
    const kind = actionFor(s.tool, s.args, s.observation).kind;
    if (
      kind === "shell" ||
      kind === "code" ||
      kind === "edit" ||
      kind === "create" ||
      kind === "delete" ||
      kind === "handoff" ||
      kind === "other"
    )
      patch = null;
  }
  return patch === null ? null : patch.endsWith("\n") ? patch : patch + "\n";
}

/** Bash steps show their command as the action (the call's arguments also hold a description, a timeout). */
function shellActions(steps: Step[]): Step[] {
  return steps.map((s) =>
    s.tool === "Bash" && typeof s.args?.command === "string" ? { ...s, action: s.args.command } : s,
  );
}

function mostUsed(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

export async function readSession(lines: ParsedLine[], ctx: AdapterContext): Promise<Trajectory> {
  const shared: Shared = {
    messages: [],
    calls: new Map(),
    usage: new Map(),
    agentOfCall: new Map(),
    agentsRead: new Set(),
    ctx,
  };
  const log = new LogReader(shared, ctx.file, undefined, 0);
  await log.read(lines);
  log.finish();
  const steps = shellActions(deriveSteps(shared.messages));
  const usage = [...shared.usage.values()];
  const cost = usage.reduce((a, u) => a + u.cost, 0);
  const version = log.version ?? "unknown";
  const sub = log.ownSidechain === true;
  return makeTrajectory({
    hash: ctx.hash,
    instance_id: null,
    source: {
      format: "claude-code",
      variant: sub ? `${version} sub-agent` : version,
      file: ctx.file,
      scaffold: `Claude Code ${version}${sub && log.agentId ? ` (sub-agent ${log.agentId})` : ""}`,
      model: mostUsed(log.models),
      run: log.sessionId,
    },
    task: log.taskText(),
    messages: shared.messages,
    steps,
    patch: patchFromGitDiff(steps),
    // the project the session ran in (the folder Claude Code was started in)
    root: rootOf(lines, ctx.file),
    exit_status: exitStatus(log.end),
    stats: {
      cost: cost > 0 ? cost : undefined,
      prompt_tokens: usage.length ? usage.reduce((a, u) => a + u.prompt, 0) : undefined,
      // only when every reply's final output count is in the log
      completion_tokens:
        usage.length && usage.every((u) => u.completion !== null)
          ? usage.reduce((a, u) => a + (u.completion ?? 0), 0)
          : undefined,
      api_calls: usage.length || undefined,
      duration_s: log.firstTime !== null && log.lastTime !== null ? (log.lastTime - log.firstTime) / 1000 : undefined,
    },
  });
}

/** The folder the session ran in: the first absolute `cwd` of a line. */
function rootOf(lines: ParsedLine[], file: string): string | undefined {
  for (const l of lines) {
    const v = obj(l.value);
    const cwd = v ? textField(v.cwd, file, l.line, "cwd") : undefined;
    if (cwd?.startsWith("/")) return cwd;
  }
  return undefined;
}

/**
 * For a folder walk: a sub-agent log whose session (beside it, or two folders up in 2.1) names
 * it is read with that session; a compaction run's log is bookkeeping. Null: read it.
 */
export function partOf(head: unknown[], file: string): string | null {
  const first = head.map(obj).find((v) => v && (v.type === "user" || v.type === "assistant"));
  if (!first || first.isSidechain !== true) return null;
  const agentId = str(first.agentId);
  const session = str(first.sessionId);
  if (!agentId || !session) return null;
  if (agentId.startsWith("acompact")) return `the compaction run of session ${session}, not a trajectory of its own`;
  const dir = dirname(file);
  const parent =
    basename(dir) === "subagents" && basename(dirname(dir)) === session
      ? join(dirname(dirname(dir)), `${session}.jsonl`)
      : join(dir, `${session}.jsonl`);
  try {
    if (readFileSync(parent, "utf8").includes(`"agentId":"${agentId}"`))
      return `sub-agent ${agentId} of session ${session}, read with ${parent}`;
  } catch {
    // no session log beside it: read the sub-agent on its own
  }
  return null;
}

export const claudeCodeAdapter: SessionAdapter = {
  format: "claude-code",
  detectLine,
  partOf,
  read: readSession,
};
