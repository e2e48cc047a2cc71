/**
 * AutoCodeRover attempt directories, `<run>/<category>/<instance>_<timestamp>/`
 * (the category folder is ACR's patch-extraction status, not the outcome).
 *
 * Messages: the highest `conversation_round_<k>.json` (the cumulative
 * context-retrieval chat), then the patch-writing chats
 * `debug_agent_write_patch_<k>.json` in k order. Each of those repeats the
 * retrieval chat under its own system prompt and extends the previous one, so
 * only what is new is appended; the patch phase's system prompt is kept as a
 * system message where the phases join (and again if a chat restarts instead
 * of extending the previous one).
 *
 * Actions: search-API calls become synthetic tool calls on the assistant
 * message that asked for them, and the `Result of <call>:` blocks of the reply
 * become one tool message each; a bug-location answer is a `bug_locations` call
 * (its locations as the agent_proxy extracted them) answered by the retrieved
 * code or the "not precise" feedback; each patch attempt (agent_patch_raw_<k>)
 * is a `write_patch` call answered by the patch-application feedback.
 *
 * meta.json and developer_patch.diff (gold patch, test names) are never read.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Message, ToolCall } from "../../types/trajectory.js";
import {
  arrayField,
  asObject,
  contentText,
  deriveSteps,
  makeTrajectory,
  nestedJson,
  numberField,
  stringField,
  syntheticCall,
  textOf,
} from "../build.js";
import { parseJson, utf8Text } from "../../io/read.js";
import { IngestError, type DirAdapter } from "../types.js";

const ROUND = /^conversation_round_(\d+)\.json$/;
const WRITE = /^debug_agent_write_patch_(\d+)\.json$/;
const RAW = /^agent_patch_raw_(\d+)$/;
const PROXY = /^agent_proxy_(\d+)\.json$/;
const DIFF = /^extracted_patch_(\d+)\.diff$/;
const MARKERS = new Set([
  "problem_statement.txt",
  "tool_call_sequence.json",
  "tool_call_layers.json",
  "extract_status.json",
  "cost.json",
]);
const TIMESTAMP = /_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/;
const CATEGORY = /^(applicable_patch|raw_patch_but_\w+|matched_but_\w+|no_patch|no_raw_patch)$/;

/** Parameter names of ACR's search APIs, for the positional arguments in `Result of f("a", "b"):` */
const PARAMS: Record<string, string[]> = {
  search_class: ["class_name"],
  search_class_in_file: ["class_name", "file_name"],
  search_method: ["method_name"],
  search_method_in_class: ["method_name", "class_name"],
  search_method_in_file: ["method_name", "file_name"],
  search_code: ["code_str"],
  search_code_in_file: ["code_str", "file_name"],
  get_class_full_snippet: ["class_name"],
};
const RESULT_HEADER = /^Result of (\w+)\((.*)\):[ \t]*$/gm;
const BUG_REPLY = /^(Here are the code in buggy locations|The buggy locations is not precise)/;

interface Turn {
  role: string;
  content: string;
}

export const acrAdapter: DirAdapter = {
  format: "autocoderover",
  detect(entries) {
    let chat = false;
    let marker = false;
    for (const e of entries) {
      if (ROUND.test(e) || WRITE.test(e)) chat = true;
      else if (MARKERS.has(e)) marker = true;
      if (chat && marker) return true;
    }
    return false;
  },
  async read(dir, entries) {
    const rounds = numbered(entries, ROUND);
    const writes = numbered(entries, WRITE);
    const writeKs = new Set(writes.map(([k]) => k));
    // raw patch attempts are in the write-patch chats; read only those a chat lacks
    const raws = numbered(entries, RAW).filter(([k]) => !writeKs.has(k));
    const diffs = numbered(entries, DIFF);
    const names = [
      ...["problem_statement.txt", "cost.json", "extract_status.json"].filter((n) => entries.includes(n)),
      ...rounds.slice(-1).map(([, n]) => n),
      ...numbered(entries, PROXY).map(([, n]) => n),
      ...writes.map(([, n]) => n),
      ...raws.map(([, n]) => n),
      ...diffs.slice(-1).map(([, n]) => n),
    ];
    // small files, read synchronously: much faster than one promise per file
    const texts = names.map((n) => utf8Text(readFileSync(join(dir, n)), join(dir, n)));
    const files = new Map(names.map((n, i) => [n, texts[i]]));
    const hash = createHash("sha256");
    names.forEach((n, i) => hash.update(n).update("\0").update(texts[i]).update("\0"));

    const json = (n: string) => parseJson(files.get(n)!, join(dir, n));
    const proxies = proxyAnswers(names.filter((n) => PROXY.test(n)).map(json));
    const conv = rounds.length
      ? turns(json(rounds[rounds.length - 1][1]), join(dir, rounds[rounds.length - 1][1]))
      : [];
    if (!conv.length && !writes.length)
      throw new IngestError(dir, "no conversation_round_<k>.json or debug_agent_write_patch_<k>.json with messages");

    const b = new Builder();
    b.retrieval(conv, proxies);
    let prev: Turn[] = conv;
    let first = true;
    let attempt = 0;
    for (const [, n] of writes) {
      const chat = turns(json(n), join(dir, n));
      const sys = chat[0]?.role === "system" ? 1 : 0;
      const shared = first ? commonPrefix(chat, conv, sys) : commonPrefix(chat, prev, 0);
      if (sys && (first ? chat[0].content !== conv[0]?.content : shared < prev.length)) {
        b.push({ role: "system", content: chat[0].content });
      }
      attempt = b.patchPhase(chat.slice(Math.max(shared, sys)), attempt);
      prev = chat;
      first = false;
    }
    for (const [k, n] of raws) {
      if (k > attempt) attempt = b.patchPhase([{ role: "assistant", content: files.get(n)! }], attempt);
    }

    const root = resolve(dir);
    const base = basename(root);
    const category = basename(dirname(root));
    const runDir = CATEGORY.test(category) ? dirname(dirname(root)) : dirname(root);
    const costFile = join(dir, "cost.json");
    const cost = files.has("cost.json") ? asObject(json("cost.json"), costFile, "(root)") : {};
    const statusFile = join(dir, "extract_status.json");
    const status = files.has("extract_status.json")
      ? arrayField(
          asObject(json("extract_status.json"), statusFile, "(root)").extract_status,
          statusFile,
          "extract_status",
        )
      : [];
    const lastStatus = status.length
      ? stringField(status[status.length - 1], statusFile, `extract_status[${status.length - 1}]`)
      : null;
    const steps = deriveSteps(b.messages).map((s) =>
      b.actions.has(s.tool_call_id) ? { ...s, action: b.actions.get(s.tool_call_id)! } : s,
    );
    return makeTrajectory({
      hash: hash.digest("hex"),
      instance_id: base.replace(TIMESTAMP, "") || null,
      source: {
        format: "autocoderover",
        variant: "dir",
        file: dir,
        scaffold: "autocoderover",
        model: stringField(cost.model, costFile, "model"),
        run: basename(runDir) || null,
      },
      task: files.has("problem_statement.txt") ? files.get("problem_statement.txt")!.trim() : issueOf(conv),
      messages: b.messages,
      steps,
      patch: diffs.length ? files.get(diffs[diffs.length - 1][1])! : null,
      exit_status: lastStatus ?? (CATEGORY.test(category) ? category.toUpperCase() : null),
      stats: {
        cost: numberField(cost.total_cost, costFile, "total_cost"),
        prompt_tokens: numberField(cost.total_input_tokens, costFile, "total_input_tokens"),
        completion_tokens: numberField(cost.total_output_tokens, costFile, "total_output_tokens"),
        duration_s: numberField(cost.elapsed_seconds, costFile, "elapsed_seconds"),
      },
    });
  },
};

/** Collects canonical messages; `actions` holds a readable action text per call id. */
class Builder {
  messages: Message[] = [];
  actions = new Map<string, string>();

  push(m: Message): void {
    this.messages.push(m);
  }

  /** The context-retrieval chat: search calls answered by `Result of` blocks, bug-location answers. */
  retrieval(conv: Turn[], proxies: Map<string, Record<string, unknown>>): void {
    for (let i = 0; i < conv.length; i++) {
      const m = conv[i];
      const next = conv[i + 1];
      const reply = m.role === "assistant" && next?.role === "user" ? next.content : null;
      if (reply !== null && reply.startsWith("Result of ")) {
        const blocks = resultBlocks(reply);
        if (blocks.length) {
          const mi = this.messages.length;
          const calls = blocks.map((bl, k) => syntheticCall(`acr_${mi}_${k}`, bl.name, bl.args));
          this.push({ role: "assistant", content: m.content, tool_calls: calls });
          blocks.forEach((bl, k) => {
            this.actions.set(calls[k].id, bl.call);
            this.push({ role: "tool", content: bl.output, tool_call_id: calls[k].id });
          });
          i++;
          continue;
        }
      }
      if (reply !== null && BUG_REPLY.test(reply)) {
        const locations = proxies.get(m.content)?.bug_locations;
        this.withCall(m.content, "bug_locations", Array.isArray(locations) ? { bug_locations: locations } : {}, reply);
        i++;
        continue;
      }
      this.push({ role: m.role as Message["role"], content: m.content });
    }
  }

  /** Patch-writing turns: each assistant turn is a `write_patch` attempt answered by the next user turn. */
  patchPhase(chat: Turn[], attempt: number): number {
    for (let i = 0; i < chat.length; i++) {
      const m = chat[i];
      if (m.role === "assistant") {
        attempt++;
        const next = chat[i + 1];
        const call = this.withCall(
          m.content,
          "write_patch",
          { patch: m.content },
          next?.role === "user" ? next.content : null,
        );
        this.actions.set(call.id, m.content);
        if (next?.role === "user") i++;
      } else {
        this.push({ role: m.role as Message["role"], content: m.content });
      }
    }
    return attempt;
  }

  private withCall(content: string, name: string, args: Record<string, unknown>, observation: string | null): ToolCall {
    const call = syntheticCall(`acr_${this.messages.length}_0`, name, args);
    this.push({ role: "assistant", content, tool_calls: [call] });
    if (observation !== null) this.push({ role: "tool", content: observation, tool_call_id: call.id });
    return call;
  }
}

/** `Result of f("a", "b"):` headers and the output under each. */
function resultBlocks(text: string): { name: string; call: string; args: Record<string, string>; output: string }[] {
  const heads = [...text.matchAll(RESULT_HEADER)];
  return heads.map((h, k) => {
    const start = h.index! + h[0].length;
    const end = k + 1 < heads.length ? heads[k + 1].index! : text.length;
    const values = [...h[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescape(m[1]));
    const params = PARAMS[h[1]] ?? [];
    const args: Record<string, string> = {};
    if (!values.length && h[2].trim()) args.args = h[2];
    values.forEach((v, j) => (args[params[j] ?? `arg${j}`] = v));
    return {
      name: h[1],
      call: `${h[1]}(${h[2]})`,
      args,
      output: text
        .slice(start, end)
        .replace(/^\r?\n/, "")
        .trimEnd(),
    };
  });
}

function unescape(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s.replace(/\\(.)/g, "$1");
  }
}

/** The proxy's last JSON answer for each assistant text it was asked to read. */
function proxyAnswers(values: unknown[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const value of values) {
    if (!Array.isArray(value)) continue;
    for (const chat of value) {
      if (!Array.isArray(chat)) continue;
      const asked = chat.find((m) => obj(m).role === "user");
      const answer = chat[chat.length - 1];
      if (!asked || obj(answer).role !== "assistant") continue;
      // an unparsable proxy answer tells nothing
      const v = nestedJson(textOf(obj(answer).content));
      if (v && typeof v === "object") out.set(textOf(obj(asked).content), v as Record<string, unknown>);
    }
  }
  return out;
}

function turns(value: unknown, file: string): Turn[] {
  if (!Array.isArray(value)) throw new IngestError(file, "expected a list of chat messages", undefined, "(root)");
  return value.map((v, i) => {
    const m = asObject(v, file, `[${i}]`);
    if (m.role !== "system" && m.role !== "user" && m.role !== "assistant") {
      throw new IngestError(
        file,
        `expected role system|user|assistant, got ${JSON.stringify(m.role)}`,
        undefined,
        `[${i}].role`,
      );
    }
    return { role: m.role, content: contentText(m.content, file, `[${i}].content`) };
  });
}

function commonPrefix(a: Turn[], b: Turn[], from: number): number {
  let n = from;
  while (n < a.length && n < b.length && a[n].role === b[n].role && a[n].content === b[n].content) n++;
  return n;
}

/** [k, name] of the entries matching `re`, by k. */
function numbered(entries: string[], re: RegExp): [number, string][] {
  const out: [number, string][] = [];
  for (const e of entries) {
    const m = re.exec(e);
    if (m) out.push([Number(m[1]), e]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function issueOf(conv: Turn[]): string | null {
  const u = conv.find((m) => m.role === "user");
  return u ? (/<issue>([\s\S]*?)<\/issue>/.exec(u.content)?.[1] ?? u.content).trim() : null;
}
