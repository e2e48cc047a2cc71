/**
 * ShareGPT rows for LLaMA-Factory (`formatting: sharegpt` with its function-calling tags) and the
 * `dataset_info.json` entry that registers them.
 *
 * LLaMA-Factory's converter skips ("abnormal example") a conversation unless human/observation
 * turns sit at odd positions and gpt/function_call turns at even ones, with an even count. So:
 *  - neighbours on the same side are merged (several tool results of one turn: joined the way
 *    LLaMA-Factory's own OpenAI-format converter joins them; a scaffold's prompt after a result
 *    goes into that observation; an assistant message without a call before one with calls goes
 *    into the function_call turn);
 *  - trailing human/observation turns are dropped (nothing is learned from them);
 *  - the first system message is the `system` column, later ones are human turns.
 * The assistant's text beside its calls is kept in the function_call turn: by default as
 * `text` + `<tool_call>{json}</tool_call>` (LLaMA-Factory 0.9.4 and later keep the text in front
 * of the formatted call), or wrapped in the template's default thought tags `<think>\n…\n</think>\n\n`
 * before the JSON (read by older versions too). Hidden reasoning (`reasoning_content`) goes in
 * thought tags in front of the turn, where LLaMA-Factory expects chain of thought. ShareGPT has
 * no per-turn loss weight.
 */
import type { Trajectory } from "../types/trajectory.js";
import { argumentsObject, RenderError, type Call, type Turn } from "./conversation.js";
import { toolsOf } from "./formats.js";

import { CALL_TEXT } from "./names.js";

export { CALL_TEXT };
export type CallText = (typeof CALL_TEXT)[number];

export interface ShareTurn {
  from: "human" | "gpt" | "observation" | "function_call";
  value: string;
}

const THINK_OPEN = "<think>\n";
const THINK_CLOSE = "\n</think>\n\n";
/** How LLaMA-Factory's OpenAI-format converter joins the results of parallel calls. */
export const RESULT_JOIN = "\n</tool_response>\n<tool_response>\n";

interface Even {
  texts: string[];
  reasoning: string[];
  calls: { call: Call; message: number }[];
}

function callJson(calls: Even["calls"]): string {
  const items = calls.map(({ call, message }) => ({
    name: call.name,
    arguments: argumentsObject(call, `message ${message}`),
  }));
  return JSON.stringify(items.length === 1 ? items[0] : items);
}

function evenValue(e: Even, style: CallText): ShareTurn {
  const text = e.texts.filter((s) => s.trim()).join("\n\n");
  const reasoning = e.reasoning.join("\n\n");
  if (!e.calls.length) {
    const think = reasoning ? `${THINK_OPEN}${reasoning}${THINK_CLOSE}` : "";
    return { from: "gpt", value: think + text };
  }
  const json = callJson(e.calls);
  if (style === "think") {
    const thought = [reasoning, text].filter(Boolean).join("\n\n");
    return { from: "function_call", value: thought ? `${THINK_OPEN}${thought}${THINK_CLOSE}${json}` : json };
  }
  const think = reasoning ? `${THINK_OPEN}${reasoning}${THINK_CLOSE}` : "";
  const lead = think + text;
  return { from: "function_call", value: lead ? `${lead}\n<tool_call>${json}</tool_call>` : json };
}

/** The conversation as ShareGPT turns in the order LLaMA-Factory accepts, or a RenderError. */
export function sharegptTurns(turns: Turn[], style: CallText): { system: string; conversations: ShareTurn[] } {
  let system: string | null = null;
  const sides: ({ side: "odd"; turn: ShareTurn } | { side: "even"; even: Even })[] = [];
  const odd = (from: "human" | "observation", value: string) => {
    const prev = sides[sides.length - 1];
    if (prev?.side === "odd") {
      const both = prev.turn.from === "observation" && from === "observation";
      prev.turn.value += (both ? RESULT_JOIN : "\n\n") + value;
    } else sides.push({ side: "odd", turn: { from, value } });
  };
  for (const x of turns) {
    if (x.role === "system") {
      if (system === null) system = x.text;
      else odd("human", x.text);
    } else if (x.role === "user") odd("human", x.text);
    else if (x.role === "tool") odd("observation", x.text);
    else {
      let prev = sides[sides.length - 1];
      if (prev?.side !== "even" || prev.even.calls.length) {
        prev = { side: "even", even: { texts: [], reasoning: [], calls: [] } };
        sides.push(prev);
      }
      prev.even.texts.push(x.text);
      if (x.reasoning) prev.even.reasoning.push(x.reasoning);
      for (const call of x.calls) prev.even.calls.push({ call, message: x.message });
    }
  }
  while (sides.length && sides[sides.length - 1].side === "odd") sides.pop();
  if (!sides.length) throw new RenderError("no assistant turn to learn from");
  if (sides[0].side !== "odd" || sides[0].turn.from !== "human")
    throw new RenderError("the conversation does not start with a user turn");
  const conversations = sides.map((s) => (s.side === "odd" ? s.turn : evenValue(s.even, style)));
  return { system: system ?? "", conversations };
}

export function sharegptRecord(
  turns: Turn[],
  t: Trajectory,
  style: CallText,
  meta: Record<string, unknown>,
): Record<string, unknown> {
  const { system, conversations } = sharegptTurns(turns, style);
  const hasCalls = conversations.some((c) => c.from === "function_call");
  return { conversations, system, tools: JSON.stringify(hasCalls ? toolsOf(t) : []), ...meta };
}

/** The `dataset_info.json` entry LLaMA-Factory needs for a ShareGPT export. */
export function datasetInfoEntry(file: string): Record<string, unknown> {
  return {
    file_name: file,
    formatting: "sharegpt",
    columns: { messages: "conversations", system: "system", tools: "tools" },
    tags: {
      role_tag: "from",
      content_tag: "value",
      user_tag: "human",
      assistant_tag: "gpt",
      observation_tag: "observation",
      function_tag: "function_call",
      system_tag: "system",
    },
  };
}
