import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { claudeCodeAdapter, detectLine, patchFromGitDiff } from "../../../src/scaffolds/claude-code/adapter.js";
import { analyze } from "../../../src/analyze/facts.js";
import { actionsOf, endingOf } from "../../../src/scaffolds/actions.js";
import type { Step, Trajectory } from "../../../src/types/trajectory.js";
import { TrajectorySchema } from "../../../src/types/trajectory.js";
import { collect, FIXTURES, one } from "../../helpers.js";

const dir = join(FIXTURES, "claude-code");
const SESSION = join(dir, "session-2.1", "5e1d7a42-8f3b-4c1a-9b7e-1f2a3b4c5d6e.jsonl");
const SUBAGENT = join(dir, "session-2.1", "5e1d7a42-8f3b-4c1a-9b7e-1f2a3b4c5d6e", "subagents", "agent-a1b2c3d.jsonl");

function lines(file: string): unknown[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** What the pipeline's peek decides for these lines. */
function claims(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = claudeCodeAdapter.detectLine(values[i], i);
    if (v !== undefined) return v;
  }
  return false;
}

/** Every tool call is answered by a later tool message with its id, and no tool message answers nothing. */
function assertPaired(t: Trajectory): void {
  const callAt = new Map<string, number>();
  t.messages.forEach((m, i) => m.tool_calls?.forEach((c) => callAt.set(c.id, i)));
  t.messages.forEach((m, i) => {
    if (m.role !== "tool") return;
    const at = callAt.get(m.tool_call_id ?? "");
    assert.ok(at !== undefined && at < i, `tool message ${i} answers no earlier call`);
  });
}

describe("claude-code: detection", () => {
  it("claims a session log after its preamble lines, and a sub-agent log", () => {
    const values = lines(SESSION);
    assert.equal(claudeCodeAdapter.detectLine(values[0], 0), undefined, "a file-history-snapshot line cannot tell");
    assert.equal(claims(values), true);
    assert.equal(claims(lines(SUBAGENT)), true);
    assert.equal(claims(lines(join(dir, "inline-sidechain-1.0.jsonl"))), true, "a summary line first, then 1.x events");
  });

  it("does not claim other formats' JSONL lines", () => {
    for (const f of [join(FIXTURES, "chat", "swesmith.jsonl"), join(FIXTURES, "openhands", "pairs.jsonl")]) {
      assert.equal(claims(lines(f)), false, f);
    }
    // a Codex CLI rollout line, a Claude Code `--output-format stream-json` line, a canonical record
    assert.equal(detectLine({ timestamp: "t", type: "session_meta", payload: { id: "x" } }), false);
    assert.equal(
      detectLine({
        type: "assistant",
        session_id: "s",
        uuid: "u",
        message: { role: "assistant", content: [] },
        parent_tool_use_id: null,
      }),
      false,
    );
    assert.equal(detectLine({ schema: "rubricate.trajectory/1", id: "x", messages: [] }), false);
    assert.equal(detectLine([1, 2]), false);
    assert.equal(detectLine("text"), false);
  });

  it("other formats' JSONL files still read as records", async () => {
    const { trajectories, errors } = await collect([
      join(FIXTURES, "chat", "swesmith.jsonl"),
      join(FIXTURES, "openhands", "pairs.jsonl"),
    ]);
    assert.deepEqual(
      errors.map((e) => e.describe()),
      [],
    );
    assert.ok(trajectories.length >= 2);
    assert.ok(trajectories.every((t) => t.source.format !== "claude-code"));
  });
});

describe("claude-code: a 2.1 session with a sub-agent", async () => {
  const t = await one(SESSION);

  it("is one valid canonical trajectory with source and task", () => {
    assert.doesNotThrow(() => TrajectorySchema.parse(t));
    assert.equal(t.source.format, "claude-code");
    assert.equal(t.source.variant, "2.1.30");
    assert.equal(t.source.scaffold, "Claude Code 2.1.30");
    assert.equal(t.source.model, "claude-sonnet-4-5-20250929");
    assert.equal(t.source.run, "5e1d7a42-8f3b-4c1a-9b7e-1f2a3b4c5d6e");
    assert.equal(t.source.line, undefined);
    assert.equal(t.instance_id, null);
    assert.ok(
      t.task?.startsWith("tinycalc's divide() crashes with ZeroDivisionError"),
      "the caveat line (isMeta) is not the task",
    );
    assert.equal(t.patch, null);
    assert.equal(t.exit_status, "finished: end of turn");
    assert.equal(endingOf(t), "submitted");
  });

  it("merges the lines of one reply: thinking, text and parallel calls", () => {
    const first = t.messages.find((m) => m.role === "assistant")!;
    assert.equal(first.content, "I'll look at the calculator module first.");
    assert.equal(first.reasoning_content, "Look at ops.py and the tests before changing anything.");
    assert.deepEqual(
      first.tool_calls?.map((c) => c.function.name),
      ["Read", "Grep"],
    );
    assert.equal(first.tool_calls?.[0].id, "toolu_01TcReadOps");
    assert.deepEqual(JSON.parse(first.tool_calls![0].function.arguments), {
      file_path: "/home/dev/tinycalc/tinycalc/ops.py",
    });
    assertPaired(t);
  });

  it("answers each call with a tool message of the same id, in order", () => {
    const s = t.steps;
    assert.deepEqual(
      s.map((x) => x.tool),
      ["Read", "Grep", "Task", "Glob", "Read", "none", "Edit", "Edit", "Write", "Bash", "TodoWrite", "Bash", "none"],
    );
    assert.match(s[0].observation ?? "", /^ {5}1→def add/);
    assert.equal(s[0].tool_call_id, "toolu_01TcReadOps");
    assert.equal(t.messages[s[0].observation_index!].tool_call_id, "toolu_01TcReadOps");
    assert.equal(s[9].action, "python -m pytest tests -q", "a Bash step shows its command");
    assert.match(s[9].observation ?? "", /^Exit code 1\n/);
    assert.ok(s[12].thought.startsWith("Done: divide() now raises ValueError"));
  });

  it("keeps user-side context the model saw: hook reminders and the compaction summary", () => {
    const users = t.messages.filter((m) => m.role === "user").map((m) => m.content);
    assert.ok(users.some((u) => u.startsWith("Caveat: The messages below")));
    assert.ok(users.some((u) => u.includes("PostToolUse:Edit hook additional context")));
    assert.ok(users.some((u) => u.startsWith("This session is being continued")));
  });

  it("puts the sub-agent's run before the Task result, its messages named by its type", () => {
    const task = t.steps[2];
    const sub = t.steps.slice(3, 6);
    assert.ok(sub.every((s) => t.messages[s.message_index].name === "Explore"));
    assert.ok(sub.every((s) => s.message_index > task.message_index && s.message_index < task.observation_index!));
    const prompt = t.messages[task.message_index + 1];
    assert.equal(prompt.role, "user");
    assert.equal(prompt.name, "Explore");
    assert.match(prompt.content, /^Find where tinycalc's tests live/);
    assert.ok(
      t.steps.filter((s) => !sub.includes(s)).every((s) => t.messages[s.message_index].name === undefined),
      "main-agent messages carry no name",
    );
    const acts = actionsOf(t);
    assert.deepEqual(acts[2], { kind: "handoff", to: "Explore" });
    assert.deepEqual(acts[3], { kind: "search", files: ["/home/dev/tinycalc/tests/test_ops.py"], role: "Explore" });
    assert.equal(acts[5].kind, "none", "a message without a call");
    assert.equal(acts[5].role, "Explore");
  });

  it("maps the main agent's actions, the failed edit refused", () => {
    const acts = actionsOf(t);
    assert.deepEqual(acts[6], { kind: "edit", path: "/home/dev/tinycalc/tinycalc/ops.py", refused: true });
    assert.deepEqual(acts[7], { kind: "edit", path: "/home/dev/tinycalc/tinycalc/ops.py" });
    assert.equal(acts[8].kind, "create");
    assert.match(acts[8].content ?? "", /def test_divide_by_zero/);
    assert.deepEqual(acts[9], { kind: "shell" });
    assert.deepEqual(acts[10], { kind: "plan" });
  });

  it("records the project folder, so the analysis reads the agent's absolute paths as repository paths", () => {
    assert.equal(t.root, "/home/dev/tinycalc");
    const f = analyze(t);
    assert.deepEqual(f.steps[7].written, ["tinycalc/ops.py"]);
    assert.ok(f.sourceEdits.includes(7), "the applied edit of tinycalc/ops.py is a source edit, not a scratch file");
  });

  it("sums usage over the main agent's and the sub-agent's replies; output counts of streamed lines are not trusted", () => {
    assert.equal(t.stats.api_calls, 12, "9 replies of the main agent, 3 of the sub-agent");
    assert.equal(t.stats.prompt_tokens, 12 * 9304);
    assert.equal(t.stats.completion_tokens, undefined);
    assert.equal(t.stats.cost, undefined);
    assert.equal(t.stats.duration_s, 61, "first to last user or assistant line");
  });

  it("reads a sub-agent log named on the command line as that sub-agent's own trajectory", async () => {
    const s = await one(SUBAGENT);
    assert.equal(s.source.variant, "2.1.30 sub-agent");
    assert.equal(s.source.scaffold, "Claude Code 2.1.30 (sub-agent a1b2c3d)");
    assert.equal(s.source.model, "claude-haiku-4-5-20251001");
    assert.equal(s.source.run, "5e1d7a42-8f3b-4c1a-9b7e-1f2a3b4c5d6e");
    assert.match(s.task ?? "", /^Find where tinycalc's tests live/);
    assert.deepEqual(
      s.steps.map((x) => x.tool),
      ["Glob", "Read", "none"],
    );
    assert.ok(s.messages.every((m) => m.name === undefined));
  });

  it("a folder walk reads the session once and skips the logs that belong to it", async () => {
    const { trajectories, errors, skipped } = await collect([join(dir, "session-2.1")]);
    assert.deepEqual(errors, []);
    assert.equal(trajectories.length, 1);
    assert.equal(trajectories[0].source.file, SESSION);
    assert.deepEqual(skipped.map((f) => f.split("/").pop()).sort(), [
      "agent-a1b2c3d.jsonl",
      "agent-acompact-9f8e7d.jsonl",
    ]);
  });
});

describe("claude-code: a 1.x session (one line a reply, sidechain lines in the file, git diff at the end)", async () => {
  const t = await one(join(dir, "inline-sidechain-1.0.jsonl"));

  it("names the in-file sidechain after the Task whose prompt starts it", () => {
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["LS", "Task", "Grep", "none", "MultiEdit", "Bash", "Bash", "none"],
    );
    const names = t.steps.map((s) => t.messages[s.message_index].name ?? "main");
    assert.deepEqual(names, ["main", "main", "general-purpose", "general-purpose", "main", "main", "main", "main"]);
    assert.equal(
      actionsOf(t)[1].to,
      "general-purpose",
      "a Task without subagent_type goes to the general-purpose agent",
    );
    assertPaired(t);
  });

  it("takes the last plain git diff as the patch when only read-only steps follow it", () => {
    assert.ok(t.patch?.startsWith("diff --git a/cfgparse/parser.py b/cfgparse/parser.py\n"));
    assert.ok(t.patch?.endsWith("+    return key.strip(), value.strip()\n"));
  });

  it("sums costUSD and trusts output counts of final lines", () => {
    assert.equal(t.stats.api_calls, 8);
    assert.equal(t.stats.completion_tokens, 400);
    assert.equal(t.stats.prompt_tokens, 8 * 1010);
    assert.ok(Math.abs((t.stats.cost ?? 0) - 0.0655) < 1e-9);
    assert.equal(t.exit_status, "finished: end of turn");
  });
});

describe("claude-code: how sessions end", () => {
  it("an API error for a prompt past the context window", async () => {
    const t = await one(join(dir, "api-error.jsonl"));
    assert.match(t.exit_status ?? "", /^context_limit: API Error: 400 .*prompt is too long/);
    assert.equal(endingOf(t), "context_limit");
    assert.ok(
      t.messages.every((m) => !m.content.startsWith("API Error")),
      "the client's error line is not a message",
    );
  });

  it("a rejected edit and the user's interruption", async () => {
    const t = await one(join(dir, "interrupted.jsonl"));
    assert.equal(t.exit_status, "interrupted by user");
    assert.deepEqual(actionsOf(t)[0], { kind: "edit", path: "/home/dev/tinycalc/tinycalc/ops.py", refused: true });
    assert.equal(t.messages.at(-1)?.content, "[Request interrupted by user for tool use]");
  });
});

describe("claude-code: bad input", () => {
  const tmp = mkdtempSync(join(tmpdir(), "rubricate-claude-"));
  const good = (extra: Record<string, unknown>) =>
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      sessionId: "s-1",
      version: "2.0.1",
      type: "user",
      uuid: "u-1",
      message: { role: "user", content: "hi" },
      ...extra,
    });

  it("a broken line fails the file with its path and line", async () => {
    const { trajectories, errors } = await collect([join(dir, "broken-line.jsonl")]);
    assert.equal(trajectories.length, 0);
    assert.equal(errors.length, 1);
    assert.match(errors[0].describe(), /broken-line\.jsonl:3: malformed JSON at column \d+/);
  });

  it("a malformed event names the line and the field", async () => {
    const f = join(tmp, "bad-content.jsonl");
    writeFileSync(
      f,
      [
        good({}),
        JSON.stringify({
          sessionId: "s-1",
          type: "assistant",
          uuid: "a-1",
          message: { id: "m", role: "assistant", content: 42 },
        }),
      ].join("\n") + "\n",
    );
    const { errors } = await collect([f]);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0].describe(),
      /bad-content\.jsonl:2: field 'message\.content': expected a string or a list of content blocks, got a number/,
    );
  });

  it("a tool call without an id names its block", async () => {
    const f = join(tmp, "no-id.jsonl");
    const call = {
      sessionId: "s-1",
      type: "assistant",
      uuid: "a-1",
      message: { id: "m", role: "assistant", content: [{ type: "tool_use", name: "Bash", input: { command: "ls" } }] },
    };
    writeFileSync(f, [good({}), JSON.stringify(call)].join("\n") + "\n");
    const { errors } = await collect([f]);
    assert.match(
      errors[0]?.describe() ?? "",
      /no-id\.jsonl:2: field 'message\.content\[0\]\.id': expected a tool call id/,
    );
  });

  it("a line that is not an object, after the file was claimed", async () => {
    const f = join(tmp, "array-line.jsonl");
    writeFileSync(f, [good({}), "[1, 2]"].join("\n") + "\n");
    const { errors } = await collect([f]);
    assert.match(errors[0]?.describe() ?? "", /array-line\.jsonl:2: expected a JSON object, got an array/);
  });

  it("a sub-agent log with a broken line names that log and line", async () => {
    const session = join(tmp, "s-2.jsonl");
    const base = { sessionId: "s-2", version: "2.1.0", isSidechain: false };
    const rows = [
      { ...base, type: "user", uuid: "u-1", message: { role: "user", content: "look around" } },
      {
        ...base,
        type: "assistant",
        uuid: "a-1",
        message: {
          id: "m-1",
          role: "assistant",
          content: [{ type: "tool_use", id: "t-1", name: "Task", input: { prompt: "p", subagent_type: "Explore" } }],
        },
      },
      {
        ...base,
        type: "user",
        uuid: "u-2",
        toolUseResult: { agentId: "abc1234" },
        message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t-1", content: "done" }] },
      },
    ];
    writeFileSync(session, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(tmp, "s-2", "subagents"), { recursive: true });
    writeFileSync(
      join(tmp, "s-2", "subagents", "agent-abc1234.jsonl"),
      JSON.stringify({ ...base, isSidechain: true, type: "user", uuid: "x", message: { role: "user", content: "p" } }) +
        "\n{oops\n",
    );
    const { errors } = await collect([session]);
    assert.equal(errors.length, 1);
    assert.match(errors[0].describe(), /s-2\/subagents\/agent-abc1234\.jsonl:2: malformed JSON/);
  });
});

describe("claude-code: patch from git diff", () => {
  const step = (tool: string, args: Record<string, unknown>, observation: string): Step => ({
    index: 0,
    message_index: 0,
    observation_index: 1,
    thought: "",
    tool,
    args,
    action: "",
    tool_call_id: "c",
    observation,
  });
  const diff = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b";

  it("is dropped when a later step may have changed files", () => {
    assert.equal(patchFromGitDiff([step("Bash", { command: "git diff" }, diff)]), diff + "\n");
    assert.equal(
      patchFromGitDiff([
        step("Bash", { command: "git diff" }, diff),
        step("Edit", { file_path: "x.py" }, "The file x.py has been updated."),
      ]),
      null,
    );
    assert.equal(
      patchFromGitDiff([step("Bash", { command: "git diff" }, diff), step("Bash", { command: "pytest" }, "ok")]),
      null,
    );
    assert.equal(
      patchFromGitDiff([step("Bash", { command: "git diff" }, diff), step("Read", { file_path: "x.py" }, "a")]),
      diff + "\n",
    );
  });

  it("is not taken from a filtered, summarised, failed or cut diff", () => {
    assert.equal(patchFromGitDiff([step("Bash", { command: "git diff --stat" }, " x.py | 2 +-")]), null);
    assert.equal(patchFromGitDiff([step("Bash", { command: "git diff -- x.py" }, diff)]), null);
    assert.equal(
      patchFromGitDiff([step("Bash", { command: "git diff" }, "Exit code 129\nerror: unknown option")]),
      null,
    );
    assert.equal(
      patchFromGitDiff([step("Bash", { command: "git diff" }, diff + "\n... [120 lines truncated] ...")]),
      null,
    );
  });
});
