/** Test helpers: a conversation rendered as a trainer's tokenizer would (Qwen ChatML, Llama 3), and rollouts from the builder. */
import type { Message } from "../../src/types/trajectory.js";
import { bash, miniOut, trajectory } from "../build.js";

/** The Qwen2.5 chat template: tool calls as JSON in <tool_call>, tool results as <tool_response> in a user turn. */
export function chatml(messages: Message[], open = false): string {
  let out = "";
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role === "tool") {
      out += "<|im_start|>user";
      while (i < messages.length && messages[i].role === "tool")
        out += `\n<tool_response>\n${messages[i++].content}\n</tool_response>`;
      i--;
      out += "<|im_end|>\n";
      continue;
    }
    let body = m.content;
    for (const c of m.tool_calls ?? [])
      body += `\n<tool_call>\n${JSON.stringify({ name: c.function.name, arguments: JSON.parse(c.function.arguments) })}\n</tool_call>`;
    out += `<|im_start|>${m.role}\n${body}<|im_end|>\n`;
  }
  return open ? `${out}<|im_start|>assistant\n` : out;
}

/** The Llama 3.1 chat template: JSON tool calls as the whole assistant turn, results as ipython turns. */
export function llama3(messages: Message[]): string {
  let out = "<|begin_of_text|>";
  for (const m of messages) {
    const role = m.role === "tool" ? "ipython" : m.role;
    const calls = m.tool_calls ?? [];
    const body = calls.length
      ? JSON.stringify({ name: calls[0].function.name, parameters: JSON.parse(calls[0].function.arguments) })
      : m.content;
    out += `<|start_header_id|>${role}<|end_header_id|>\n\n${body}<|eot_id|>`;
  }
  return out;
}

export const PATCH =
  "diff --git a/slug.py b/slug.py\n--- a/slug.py\n+++ b/slug.py\n@@ -1 +1 @@\n-return x\n+return x.lower()\n";

/** A small agent run with native tool calls (one call a turn), ending by showing its diff. */
export function agentRun(seed = "", task = "Fix the slug bug in slug.py.") {
  return trajectory({
    format: "chat-jsonl",
    exit: null,
    patch: PATCH,
    seed,
    task,
    system: "You are a coding agent.",
    turns: [
      bash("cat slug.py", miniOut("def slug(x):\n    return x"), "Let me read the code."),
      bash("python -c 'import slug; print(slug.slug(\"A\"))'", miniOut("A"), "Reproduce first."),
      bash("sed -i 's/return x/return x.lower()/' slug.py", miniOut(""), `Fix it.${seed}`),
      bash("python -c 'import slug; print(slug.slug(\"A\"))'", miniOut("a"), "Verify."),
      bash("git diff", PATCH, "Submit."),
    ],
  });
}
