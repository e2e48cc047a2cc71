/**
 * Readers that check an export against what its consumer documents, written independently of the
 * exporter (nothing here imports src/export): each returns the list of rule violations of one row.
 *
 *  - OpenAI chat fine-tuning: only `messages`, `tools`, `parallel_tool_calls`; roles system/user/
 *    assistant/tool; string contents; each assistant `tool_calls` entry has an id, type "function",
 *    a name and JSON-object arguments as a string, and is answered by a `tool` message with its id
 *    before any other message ("An assistant message with 'tool_calls' must be followed by tool
 *    messages responding to each 'tool_call_id'"); `weight` only on assistant messages, 0 or 1.
 *  - TRL conversational: the same pairing, arguments as objects, a `tools` list of JSON schemas
 *    naming every called function.
 *  - LLaMA-Factory sharegpt: the rules of its SharegptDatasetConverter (human/observation at odd
 *    positions, gpt/function_call at even ones, an even count) and of its FunctionFormatter (a
 *    function_call value is JSON, or text with `<tool_call>JSON</tool_call>`, or `<think>` text then
 *    JSON; every call has a name and arguments) and ToolFormatter (`tools` is a JSON list).
 */

type Msg = Record<string, unknown>;

const ROLES = new Set(["system", "user", "assistant", "tool"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** The tool-call pairing rule shared by OpenAI and TRL: calls answered, in order, right after. */
function pairing(messages: Msg[], argsAs: "string" | "object"): string[] {
  const bad: string[] = [];
  let pending: string[] = [];
  messages.forEach((m, i) => {
    const role = m.role as string;
    if (!ROLES.has(role)) bad.push(`message ${i}: role ${role}`);
    if (typeof m.content !== "string") bad.push(`message ${i}: content is not a string`);
    if (role === "tool") {
      const id = m.tool_call_id as string;
      if (!pending.includes(id)) bad.push(`message ${i}: tool message ${id} answers no pending call`);
      pending = pending.filter((p) => p !== id);
      return;
    }
    if (pending.length) bad.push(`message ${i} (${role}) comes before calls ${pending.join(", ")} were answered`);
    pending = [];
    if ("weight" in m && (role !== "assistant" || (m.weight !== 0 && m.weight !== 1)))
      bad.push(`message ${i}: weight ${String(m.weight)} on a ${role} message`);
    if (m.tool_calls === undefined) return;
    if (role !== "assistant" || !Array.isArray(m.tool_calls)) {
      bad.push(`message ${i}: tool_calls on a ${role} message`);
      return;
    }
    for (const c of m.tool_calls as Msg[]) {
      const fn = c.function as Msg | undefined;
      if (typeof c.id !== "string" || !c.id) bad.push(`message ${i}: a call without an id`);
      if (c.type !== "function") bad.push(`message ${i}: call type ${String(c.type)}`);
      if (!fn || typeof fn.name !== "string" || !fn.name) bad.push(`message ${i}: a call without a name`);
      const args = fn?.arguments;
      if (argsAs === "string") {
        if (typeof args !== "string") bad.push(`message ${i}: arguments are not a string`);
        else {
          try {
            if (!isObject(JSON.parse(args))) bad.push(`message ${i}: arguments are not a JSON object`);
          } catch {
            bad.push(`message ${i}: arguments are not JSON`);
          }
        }
      } else if (!isObject(args)) bad.push(`message ${i}: arguments are not an object`);
      if (pending.includes(c.id as string)) bad.push(`message ${i}: call id ${String(c.id)} twice`);
      pending.push(c.id as string);
    }
  });
  if (pending.length) bad.push(`calls ${pending.join(", ")} are never answered`);
  if (!messages.some((m) => m.role === "assistant")) bad.push("no assistant message");
  return bad;
}

function toolNames(tools: unknown, where: string, bad: string[]): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(tools)) {
    bad.push(`${where} is not a list`);
    return names;
  }
  for (const t of tools) {
    const fn = isObject(t) ? (t.function as Msg | undefined) : undefined;
    if (!isObject(t) || t.type !== "function" || !fn || typeof fn.name !== "string")
      bad.push(`${where}: not a function tool`);
    else names.add(fn.name);
  }
  return names;
}

function calledNames(messages: Msg[]): string[] {
  return messages.flatMap((m) =>
    ((m.tool_calls as Msg[] | undefined) ?? []).map((c) => (c.function as Msg).name as string),
  );
}

export function openaiViolations(row: Msg): string[] {
  const bad: string[] = [];
  for (const k of Object.keys(row))
    if (!["messages", "tools", "parallel_tool_calls"].includes(k))
      bad.push(`top-level key ${k} is not in OpenAI's format`);
  const messages = row.messages as Msg[];
  if (!Array.isArray(messages)) return ["messages is not a list"];
  bad.push(...pairing(messages, "string"));
  for (const m of messages) {
    const allowed =
      m.role === "tool"
        ? ["role", "content", "tool_call_id"]
        : m.role === "assistant"
          ? ["role", "content", "tool_calls", "weight", "name"]
          : ["role", "content", "name"];
    for (const k of Object.keys(m)) if (!allowed.includes(k)) bad.push(`${m.role as string} message has key ${k}`);
  }
  const called = calledNames(messages);
  if (called.length) {
    const names = toolNames(row.tools, "tools", bad);
    for (const n of called) if (!names.has(n)) bad.push(`call to ${n}, which tools does not list`);
    if (typeof row.parallel_tool_calls !== "boolean") bad.push("parallel_tool_calls is not a boolean");
  }
  return bad;
}

export function trlViolations(row: Msg): string[] {
  const messages = row.messages as Msg[];
  if (!Array.isArray(messages)) return ["messages is not a list"];
  const bad = pairing(messages, "object");
  const names = toolNames(row.tools, "tools", bad);
  for (const n of calledNames(messages)) if (!names.has(n)) bad.push(`call to ${n}, which tools does not list`);
  return bad;
}

/** A function_call value the way LLaMA-Factory's FunctionFormatter reads it (default template words). */
export function readFunctionValue(value: string): { thought: string; calls: { name: string; arguments: unknown }[] } {
  const tagged = /<tool_call>([\s\S]*?)<\/tool_call>/.exec(value);
  let json: string;
  let thought = "";
  if (tagged) {
    json = tagged[1];
    thought = value.replace(tagged[0], "");
  } else {
    const t = /<think>\n([\s\S]*?)\n<\/think>\n\n/.exec(value);
    thought = t ? t[0] : "";
    json = t ? value.replace(t[0], "") : value;
  }
  const parsed = JSON.parse(json) as unknown;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return { thought, calls: list.map((c) => ({ name: (c as Msg).name as string, arguments: (c as Msg).arguments })) };
}

export function sharegptViolations(row: Msg): string[] {
  const bad: string[] = [];
  const conv = row.conversations as Msg[];
  if (!Array.isArray(conv)) return ["conversations is not a list"];
  const odd = ["human", "observation"];
  const even = ["gpt", "function_call"];
  conv.forEach((t, i) => {
    const from = t.from as string;
    if (!(i % 2 === 0 ? odd : even).includes(from)) bad.push(`turn ${i} is ${from}`);
    if (typeof t.value !== "string") bad.push(`turn ${i}: value is not a string`);
    if (from === "function_call") {
      try {
        const { calls } = readFunctionValue(t.value as string);
        for (const c of calls)
          if (typeof c.name !== "string" || c.arguments === undefined)
            bad.push(`turn ${i}: a call without name or arguments`);
      } catch (e) {
        bad.push(`turn ${i}: function_call value is not JSON: ${(e as Error).message}`);
      }
    }
  });
  if (conv.length % 2 !== 0) bad.push(`odd number of turns (${conv.length})`);
  if (conv.length === 0) bad.push("no turns");
  if (typeof row.system !== "string") bad.push("system is not a string");
  try {
    if (!Array.isArray(JSON.parse(row.tools as string))) bad.push("tools is not a JSON list");
  } catch {
    bad.push("tools is not JSON");
  }
  return bad;
}
