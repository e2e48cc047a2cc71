/** Chat-templated text back into messages: ChatML/Qwen, Llama 3, role lines, plain text; the final patch of a transcript. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseChat, patchFromTranscript } from "../../src/serve/template.js";

const im = (role: string, text: string) => `<|im_start|>${role}\n${text}<|im_end|>\n`;
const llama = (role: string, text: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n${text}<|eot_id|>`;

describe("chat templates", () => {
  it("ChatML / Qwen2.5: tool calls as JSON in <tool_call>, results as <tool_response> in a user turn", () => {
    const text =
      im("system", "You are a coding agent.") +
      im("user", "Fix the slug bug.") +
      im(
        "assistant",
        'Let me look.\n<tool_call>\n{"name": "bash", "arguments": {"command": "cat slug.py"}}\n</tool_call>\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n</tool_call>',
      ) +
      im(
        "user",
        "<tool_response>\ndef slug(x): return x\n</tool_response>\n<tool_response>\nslug.py\n</tool_response>",
      ) +
      "<|im_start|>assistant\nFixed.<|im_end|><|endoftext|>";
    const { messages, template } = parseChat(text);
    assert.equal(template, "chatml");
    assert.deepEqual(
      messages.map((m) => m.role),
      ["system", "user", "assistant", "tool", "tool", "assistant"],
    );
    const calls = messages[2].tool_calls!;
    assert.equal(calls.length, 2);
    assert.equal(calls[0].function.name, "bash");
    assert.deepEqual(JSON.parse(calls[0].function.arguments), { command: "cat slug.py" });
    assert.equal(messages[2].content, "Let me look.");
    assert.equal(messages[3].tool_call_id, calls[0].id);
    assert.equal(messages[3].content, "def slug(x): return x");
    assert.equal(messages[4].tool_call_id, calls[1].id);
    assert.equal(messages[5].content, "Fixed.");
  });

  it("Qwen3: <think> becomes reasoning; Qwen3-Coder XML calls inside <tool_call>; a `tool` turn", () => {
    const text =
      im("user", "Fix it.") +
      im(
        "assistant",
        "<think>\nThe bug is in slug.\n</think>\n\n<tool_call>\n<function=str_replace_editor>\n<parameter=command>\nview\n</parameter>\n<parameter=path>\n/testbed/slug.py\n</parameter>\n</function>\n</tool_call>",
      ) +
      im("tool", "<tool_response>\n1 def slug(x): return x\n</tool_response>");
    const { messages } = parseChat(text);
    assert.deepEqual(
      messages.map((m) => m.role),
      ["user", "assistant", "tool"],
    );
    assert.equal(messages[1].reasoning_content, "The bug is in slug.");
    assert.equal(messages[1].content, "");
    const call = messages[1].tool_calls![0];
    assert.equal(call.function.name, "str_replace_editor");
    assert.deepEqual(JSON.parse(call.function.arguments), { command: "view", path: "/testbed/slug.py" });
    assert.equal(messages[2].tool_call_id, call.id);
    assert.equal(messages[2].content, "1 def slug(x): return x");
  });

  it("a response that continues an open assistant turn, and a <tool_call> that is not a call stays text", () => {
    const prompt = im("user", "Fix it.") + "<|im_start|>assistant\n";
    const { messages } = parseChat(`${prompt}I will run it.\n<tool_call>not json</tool_call><|im_end|>`);
    assert.equal(messages.length, 2);
    assert.equal(messages[1].role, "assistant");
    assert.equal(messages[1].tool_calls, undefined);
    assert.match(messages[1].content, /<tool_call>not json<\/tool_call>/);
    const cont = parseChat("```bash\nls\n```", { first: "assistant" });
    assert.equal(cont.template, "plain");
    assert.deepEqual(cont.messages, [{ role: "assistant", content: "```bash\nls\n```" }]);
  });

  it("Llama 3: header turns, a JSON tool call, ipython results, <|python_tag|> code", () => {
    const text =
      "<|begin_of_text|>" +
      llama("system", "Environment: ipython") +
      llama("user", "Fix the slug bug.") +
      llama("assistant", '{"name": "bash", "parameters": {"command": "pytest -q"}}') +
      llama("ipython", "1 failed") +
      llama("assistant", "<|python_tag|>print(open('slug.py').read())") +
      llama("ipython", "def slug(x): return x") +
      llama("assistant", "Done.");
    const { messages, template } = parseChat(text);
    assert.equal(template, "llama3");
    assert.deepEqual(
      messages.map((m) => m.role),
      ["system", "user", "assistant", "tool", "assistant", "tool", "assistant"],
    );
    assert.equal(messages[2].tool_calls![0].function.name, "bash");
    assert.deepEqual(JSON.parse(messages[2].tool_calls![0].function.arguments), { command: "pytest -q" });
    assert.equal(messages[3].tool_call_id, messages[2].tool_calls![0].id);
    assert.equal(messages[3].content, "1 failed");
    assert.equal(messages[4].tool_calls![0].function.name, "python");
    assert.match(messages[4].tool_calls![0].function.arguments, /slug\.py/);
    assert.equal(messages[6].content, "Done.");
  });

  it("role-prefixed plain text, and text without any marker", () => {
    const { messages, template } = parseChat(
      "System: be careful\nUser: fix the bug\nAssistant: looking\n```bash\ncat a.py\n```\nUser: print(1)\nAssistant: done",
    );
    assert.equal(template, "roles");
    assert.deepEqual(
      messages.map((m) => [m.role, m.content]),
      [
        ["system", "be careful"],
        ["user", "fix the bug"],
        ["assistant", "looking\n```bash\ncat a.py\n```"],
        ["user", "print(1)"],
        ["assistant", "done"],
      ],
    );
    assert.equal(parseChat("Note: the user said hi").template, "plain");
  });

  it("the final patch is the diff the last observation shows, and only that one", () => {
    const diff = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-a\n+b\n";
    assert.equal(
      patchFromTranscript([
        { role: "assistant", content: "submit" },
        { role: "user", content: diff },
      ]),
      diff,
    );
    assert.equal(
      patchFromTranscript([
        { role: "tool", content: `<returncode>0</returncode>\n<output>\n${diff}</output>` },
        { role: "assistant", content: "All done." },
      ]),
      diff,
    );
    // a diff shown earlier, then more work: not the final patch
    assert.equal(
      patchFromTranscript([
        { role: "tool", content: diff },
        { role: "assistant", content: "one more edit" },
        { role: "tool", content: "" },
      ]),
      null,
    );
  });
});
