/**
 * A canonical trajectory as a training conversation: system, user, assistant and tool turns in
 * which every tool call is answered by one tool turn carrying its id, right after the call.
 *
 * How calls and their answers are found:
 *  - a native call is answered by the tool message with its id;
 *  - a text action (a fenced block, a SWE-agent command, an XML function call: a `synthetic`
 *    call) is a call whose answer is the observation the scaffold wrote back for that step (a
 *    user message in the source); the block holding the action is taken out of the assistant's
 *    text, the rest of the text (its reasoning) is kept;
 *  - a turn with several text actions that the scaffold answered with one message (a format
 *    error: it ran none of them) stays plain assistant text followed by that user message;
 *  - a call the scaffold never answered (the run ended on it, or a reply was lost) is answered
 *    with what the source recorded for the step, or an empty text.
 * Mid-run system messages (a scaffold starting a new phase) become user turns. In-context
 * demonstrations are dropped unless asked for. Labels never reach the conversation.
 */
import type { Message, ToolCall, Trajectory } from "../types/trajectory.js";

export interface Call {
  id: string;
  name: string;
  /** the arguments as the source wrote them (normally a JSON object as text) */
  arguments: string;
  synthetic: boolean;
}

export type Turn =
  | { role: "system"; text: string }
  | { role: "user"; text: string }
  | {
      role: "assistant";
      text: string;
      reasoning?: string;
      calls: Call[];
      weight: 0 | 1;
      /** index of the canonical message it came from */
      message: number;
    }
  | { role: "tool"; id: string; name: string; text: string };

export interface ConversationOptions {
  /** replace the system prompt (or add one) */
  systemPrompt?: string;
  /** keep in-context demonstration messages (default: drop them) */
  keepDemos?: boolean;
  /** canonical message indices of assistant turns to weight 0 */
  zeroWeight?: Set<number>;
}

/** A trajectory that cannot be written in the asked format; the reason goes into the report. */
export class RenderError extends Error {}

/** What a conversion noticed: text turns kept as text, calls answered without a recorded reply. */
export interface ConversationNotes {
  refusedTurns: number;
  unansweredCalls: number;
}

const FENCE = /```[^\n`]*\n([\s\S]*?)\n?```/g;
const COMMAND_TAG = /<command>\n?([\s\S]*?)\n?<\/command>/g;
const XML_CALL = /<function=[^>]+>[\s\S]*?<\/function>/g;

/** The string arguments of a call, trimmed. */
function stringArgs(c: ToolCall): string[] {
  try {
    const v = JSON.parse(c.function.arguments) as Record<string, unknown>;
    return v && typeof v === "object" ? Object.values(v).flatMap((x) => (typeof x === "string" ? [x.trim()] : [])) : [];
  } catch {
    return [];
  }
}

/**
 * The assistant's text without the blocks its text actions were parsed from. A block is taken out
 * only when it holds exactly a call's argument (or is an XML function call); other code blocks
 * (a snippet the agent quoted) and text an action was read from without a block stay. A message
 * whose whole text is a call's argument (AutoCodeRover's patch-writing turns) has no text left.
 */
export function withoutActions(text: string, calls: ToolCall[]): string {
  const commands = new Set(calls.flatMap(stringArgs).filter(Boolean));
  if (commands.has(text.trim())) return "";
  let out = text.replace(XML_CALL, "");
  const drop = (whole: string, body: string) => (commands.has(body.trim()) ? "" : whole);
  out = out.replace(FENCE, drop).replace(COMMAND_TAG, drop);
  return out.replace(/\n{3,}/g, "\n\n").trim();
}

export function conversation(t: Trajectory, o: ConversationOptions = {}, notes?: ConversationNotes): Turn[] {
  const msgs = t.messages;
  const out: Turn[] = [];
  const consumed = new Set<number>();
  const usedIds = new Set<string>();
  const stepsOf = new Map<string, { obs: number | null; text: string | null }>();
  for (const s of t.steps) {
    if (s.tool_call_id)
      stepsOf.set(`${s.message_index}:${s.tool_call_id}`, { obs: s.observation_index, text: s.observation });
  }
  let systemSeen = false;
  if (o.systemPrompt !== undefined && !msgs.some((m) => m.role === "system" && (o.keepDemos || !m.demo))) {
    out.push({ role: "system", text: o.systemPrompt });
    systemSeen = true;
  }
  const replyIndex = (i: number, c: ToolCall): number | null => {
    for (let j = i + 1; j < msgs.length; j++) {
      if (msgs[j].role === "tool" && msgs[j].tool_call_id === c.id && !consumed.has(j)) return j;
    }
    if (!c.synthetic) return null;
    const obs = stepsOf.get(`${i}:${c.id}`)?.obs ?? null;
    if (obs === null || consumed.has(obs)) return null;
    return msgs[obs].role === "user" || msgs[obs].role === "tool" ? obs : null;
  };
  const uniqueId = (id: string, i: number, k: number): string => {
    let v = id || `call_${i}_${k}`;
    for (let n = 2; usedIds.has(v); n++) v = `${id || `call_${i}_${k}`}_${n}`;
    usedIds.add(v);
    return v;
  };

  msgs.forEach((m: Message, i: number) => {
    if (consumed.has(i) || (m.demo && !o.keepDemos)) return;
    if (m.role === "system") {
      if (systemSeen) out.push({ role: "user", text: m.content });
      else out.push({ role: "system", text: o.systemPrompt ?? m.content });
      systemSeen = true;
      return;
    }
    if (m.role === "user" || m.role === "tool") {
      // a tool message no call claimed is the environment speaking: a user turn
      out.push({ role: "user", text: m.content });
      return;
    }
    const calls = m.tool_calls ?? [];
    const replies = calls.map((c) => replyIndex(i, c));
    const weight: 0 | 1 = o.zeroWeight?.has(i) || m.train === false ? 0 : 1;
    const turn = {
      role: "assistant" as const,
      text: m.content,
      ...(m.reasoning_content ? { reasoning: m.reasoning_content } : {}),
      calls: [] as Call[],
      weight,
      message: i,
    };
    const answered = replies.filter((r): r is number => r !== null);
    const refused = calls.length > 1 && calls.some((c) => c.synthetic) && new Set(answered).size < calls.length;
    if (refused) {
      // several text actions answered by one message: the scaffold ran none of them
      if (notes) notes.refusedTurns++;
      out.push(turn);
      return;
    }
    if (calls.some((c) => c.synthetic)) turn.text = withoutActions(m.content, calls);
    const results: Turn[] = [];
    calls.forEach((c, k) => {
      const id = uniqueId(c.id, i, k);
      turn.calls.push({ id, name: c.function.name, arguments: c.function.arguments, synthetic: !!c.synthetic });
      const r = replies[k];
      let text: string;
      if (r !== null) {
        consumed.add(r);
        text = msgs[r].content;
      } else {
        if (notes) notes.unansweredCalls++;
        text = stepsOf.get(`${i}:${c.id}`)?.text ?? "";
      }
      results.push({ role: "tool", id, name: c.function.name, text });
    });
    out.push(turn, ...results);
  });
  return out;
}

/** The arguments of a call as an object, or a RenderError naming the call. */
export function argumentsObject(c: Call, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(c.arguments);
  } catch {
    throw new RenderError(`${where}: the arguments of call ${c.id} (${c.name}) are not JSON`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new RenderError(`${where}: the arguments of call ${c.id} (${c.name}) are not a JSON object`);
  return v as Record<string, unknown>;
}
