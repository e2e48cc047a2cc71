import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conversation, withoutActions } from "../../src/export/conversation.js";
import { openaiRecord, trlRecord } from "../../src/export/formats.js";
import { meaningful, renderMessages, renderTurns } from "../../src/export/render.js";
import { sharegptRecord, sharegptTurns } from "../../src/export/sharegpt.js";
import { makeTrajectory, sha256 } from "../../src/scaffolds/build.js";
import type { Message, Trajectory } from "../../src/types/trajectory.js";
import { bash, miniOut, trajectory } from "../build.js";
import { openaiViolations, readFunctionValue, sharegptViolations, trlViolations } from "./consumers.js";

const meta = {
  trajectory_id: "t",
  instance_id: null,
  resolved: null,
  score: null,
  p_resolved: null,
  scaffold: "s",
  model: null,
  patch: null,
};

/** A text-scaffold trajectory (fenced bash actions answered by user messages), like mini-swe-agent 1. */
function textRun(turns: { thought: string; commands: string[]; obs: string | null }[]): Trajectory {
  const t = trajectory({
    format: "mini-swe-agent",
    turns: turns.map((x) => ({
      thought: [x.thought, ...x.commands.map((c) => "```bash\n" + c + "\n```")].join("\n\n"),
      calls: x.commands.map((c) => ({ tool: "bash", args: { command: c }, synthetic: true })),
      obs: x.obs,
    })),
  });
  return t;
}

describe("conversation: calls and their answers", () => {
  it("a text action becomes a call answered by its observation, the reasoning around it kept", () => {
    const t = textRun([
      { thought: "THOUGHT: look first.", commands: ["ls"], obs: miniOut("a.py") },
      { thought: "Read it.\n\n```python\nx = 1\n```\nThen run:", commands: ["cat a.py"], obs: miniOut("x = 1") },
    ]);
    const turns = conversation(t);
    const a = turns.filter((x) => x.role === "assistant");
    assert.equal(a[0].role === "assistant" && a[0].text, "THOUGHT: look first.");
    // a quoted snippet is not an action: it stays
    assert.ok(
      a[1].role === "assistant" && a[1].text.includes("```python\nx = 1\n```") && a[1].text.includes("Then run:"),
    );
    const rows = [openaiRecord(renderMessages(t, { style: "native", arguments: "string" }), t)];
    assert.deepEqual(openaiViolations(rows[0]), []);
    const tools = turns.filter((x) => x.role === "tool");
    assert.equal(tools.length, 2);
    assert.ok(tools[0].role === "tool" && tools[0].text.includes("a.py"));
    assert.ok(!turns.some((x) => x.role === "user" && x.text.includes("<returncode>")));
  });

  it("several text actions answered by one format error stay text followed by that user message", () => {
    const t = textRun([
      { thought: "Two at once.", commands: ["ls", "pwd"], obs: "Please always provide EXACTLY ONE action" },
      { thought: "One.", commands: ["ls"], obs: miniOut("a.py") },
    ]);
    const notes = { refusedTurns: 0, unansweredCalls: 0 };
    const turns = conversation(t, {}, notes);
    assert.equal(notes.refusedTurns, 1);
    const first = turns.find((x) => x.role === "assistant");
    assert.ok(first?.role === "assistant" && first.calls.length === 0 && first.text.includes("```bash\nls\n```"));
    assert.ok(turns.some((x) => x.role === "user" && x.text.startsWith("Please always provide")));
    const row = trlRecord(renderMessages(t, { style: "native", arguments: "object", toolNames: true }), t, meta);
    assert.deepEqual(trlViolations(row), []);
  });

  it("a call the run ended on is answered with what the step recorded, or empty", () => {
    const t = trajectory({ turns: [bash("ls", miniOut("a")), bash("echo COMPLETE", null)] });
    const notes = { refusedTurns: 0, unansweredCalls: 0 };
    const turns = conversation(t, {}, notes);
    assert.equal(notes.unansweredCalls, 1);
    const last = turns[turns.length - 1];
    assert.ok(last.role === "tool" && last.text === "");
    assert.deepEqual(
      openaiViolations(openaiRecord(renderMessages(t, { style: "native", arguments: "string" }), t)),
      [],
    );
  });

  it("ids that repeat or are missing are made unique, and each answer keeps its call's id", () => {
    const messages: Message[] = [
      { role: "user", content: "task" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c", type: "function", function: { name: "bash", arguments: '{"command":"ls"}' } }],
      },
      { role: "tool", tool_call_id: "c", content: "one" },
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c", type: "function", function: { name: "bash", arguments: '{"command":"pwd"}' } }],
      },
      { role: "tool", tool_call_id: "c", content: "two" },
      { role: "assistant", content: "done" },
    ];
    const t = makeTrajectory({
      hash: sha256("dup"),
      instance_id: "x",
      source: { format: "chat-jsonl", variant: "t", file: "f", scaffold: "s", model: null, run: null },
      task: "task",
      messages,
      patch: null,
      exit_status: null,
    });
    const out = renderMessages(t, { style: "native", arguments: "string" });
    const ids = out.flatMap((m) => m.tool_calls?.map((c) => c.id) ?? []);
    assert.equal(new Set(ids).size, 2);
    assert.deepEqual(
      out.filter((m) => m.role === "tool").map((m) => m.content),
      ["one", "two"],
    );
    assert.deepEqual(openaiViolations(openaiRecord(out, t)), []);
  });

  it("a mid-run system message becomes a user turn; --system-prompt replaces only the first", () => {
    const t = trajectory({ turns: [bash("ls", miniOut("a"))], closing: "ok", system: "old" });
    t.messages.splice(4, 0, { role: "system", content: "Now write the patch." });
    const turns = conversation({ ...t, steps: t.steps }, { systemPrompt: "new" });
    assert.deepEqual(
      turns.filter((x) => x.role === "system").map((x) => (x as { text: string }).text),
      ["new"],
    );
    assert.ok(turns.some((x) => x.role === "user" && x.text === "Now write the patch."));
  });

  it("withoutActions takes out only blocks that hold a call's argument, and XML function calls", () => {
    const call = (command: string) => ({
      id: "c",
      type: "function" as const,
      function: { name: "bash", arguments: JSON.stringify({ command }) },
      synthetic: true,
    });
    assert.equal(withoutActions("Look.\n```\nls -la\n```", [call("ls -la")]), "Look.");
    assert.equal(withoutActions("Look.\n<command>\nls\n</command>", [call("ls")]), "Look.");
    assert.equal(
      withoutActions("Do it\n<function=bash>\n<parameter=command>ls</parameter>\n</function>", [call("ls")]),
      "Do it",
    );
    assert.equal(withoutActions("```\necho hi\n```", [call("ls")]), "```\necho hi\n```");
    assert.equal(withoutActions("diff --git a b", [call("diff --git a b")]), "");
  });
});

describe("ShareGPT turns in LLaMA-Factory's order", () => {
  it("alternates, ends on the assistant, keeps reasoning before a call, merges parallel results", () => {
    const t = trajectory({
      turns: [
        {
          thought: "Check two files.",
          calls: [
            { tool: "view", args: { path: "a" } },
            { tool: "view", args: { path: "b" } },
          ],
        },
        bash("ls", miniOut("a b"), "Now list."),
      ],
    });
    // the two parallel calls are answered by their own tool messages
    const i = t.messages.findIndex((m) => m.tool_calls?.length === 2);
    const ids = t.messages[i].tool_calls!.map((c) => c.id);
    t.messages.splice(
      i + 1,
      0,
      ...ids.map((id, k) => ({ role: "tool" as const, tool_call_id: id, content: `file ${k}` })),
    );
    const turns = meaningful(conversation({ ...t }));
    const { conversations } = sharegptTurns(turns, "inline");
    assert.deepEqual(
      conversations.map((c) => c.from),
      ["human", "function_call", "observation", "function_call"],
    );
    const first = readFunctionValue(conversations[1].value);
    assert.equal(first.thought.trim(), "Check two files.");
    assert.deepEqual(
      first.calls.map((c) => c.name),
      ["view", "view"],
    );
    assert.equal(conversations[2].value, "file 0\n</tool_response>\n<tool_response>\nfile 1");
    const row = sharegptRecord(turns, t, "think", {});
    assert.deepEqual(sharegptViolations(row), []);
    assert.match((row.conversations as { value: string }[])[1].value, /^<think>\nCheck two files\.\n<\/think>\n\n\[/);
  });

  it("a conversation that starts with the assistant cannot be written (a RenderError with the reason)", () => {
    const t = trajectory({ turns: [bash("ls", miniOut("a"))] });
    const noUser = { ...t, messages: t.messages.filter((m) => m.role !== "user") };
    assert.throws(
      () => renderMessages(noUser, { style: "native", arguments: "string" }),
      /does not start with a user turn \(it starts with a assistant turn\)/,
    );
    assert.throws(() => sharegptTurns(meaningful(conversation(noUser)), "inline"), /does not start with a user turn/);
  });

  it("text tool styles write calls into the text and answers as user turns, merged", () => {
    const t = trajectory({ turns: [bash("ls", miniOut("a"), "Look.")], closing: "Done." });
    const out = renderTurns(meaningful(conversation(t)), { style: "xml", arguments: "string" });
    assert.deepEqual(
      out.map((m) => m.role),
      ["system", "user", "assistant", "user", "assistant"],
    );
    assert.match(out[2].content, /^Look\.\n\n<function=bash>\n<parameter=command>ls<\/parameter>\n<\/function>$/);
  });
});
