import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiErrorReason, exitStatus } from "../../../src/scaffolds/claude-code/exit.js";
import {
  exitCode,
  INTERRUPTED,
  notRun,
  TIMED_OUT,
  FORMAT_ERROR,
  SIBLING_FAILED,
  TRUNCATED,
} from "../../../src/scaffolds/claude-code/markers.js";
import { actionFor, tools } from "../../../src/scaffolds/claude-code/tools.js";
import { ActionSchema, type Action } from "../../../src/types/action.js";

const F = "/home/dev/tinycalc/tinycalc/ops.py";
const REJECT =
  "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed.";

/** Every tool of the vocabulary: arguments, a result, and the action expected. */
const CASES: Record<string, [Record<string, unknown> | null, string | null, Action]> = {
  Bash: [{ command: "pytest -q", description: "Run tests", timeout: 60000 }, "3 passed", { kind: "shell" }],
  Read: [{ file_path: F, offset: 10, limit: 20 }, "    10→x", { kind: "view", path: F }],
  NotebookRead: [{ notebook_path: "/home/dev/nb.ipynb" }, "cells", { kind: "view", path: "/home/dev/nb.ipynb" }],
  LS: [
    { path: "/home/dev/tinycalc" },
    "- /home/dev/tinycalc/\n  - ops.py",
    { kind: "view", dir: true, path: "/home/dev/tinycalc" },
  ],
  Glob: [
    { pattern: "**/*.py" },
    "/home/dev/a.py\n/home/dev/b.py",
    { kind: "search", files: ["/home/dev/a.py", "/home/dev/b.py"] },
  ],
  Grep: [
    { pattern: "divide", path: "/home/dev", output_mode: "content" },
    "ops.py:5:def divide",
    { kind: "search", path: "/home/dev" },
  ],
  Edit: [
    { file_path: F, old_string: "a", new_string: "b" },
    `The file ${F} has been updated. Here's the result of running \`cat -n\``,
    { kind: "edit", path: F },
  ],
  MultiEdit: [
    { file_path: F, edits: [{ old_string: "a", new_string: "b" }] },
    `Applied 1 edit to ${F}:`,
    { kind: "edit", path: F },
  ],
  NotebookEdit: [
    { notebook_path: "/home/dev/nb.ipynb", cell_id: "c1", new_source: "x = 1", edit_mode: "replace" },
    "Updated cell c1",
    { kind: "edit", path: "/home/dev/nb.ipynb" },
  ],
  Write: [
    { file_path: "/home/dev/new.py", content: "print(1)\n" },
    "File created successfully at: /home/dev/new.py",
    { kind: "create", path: "/home/dev/new.py", content: "print(1)\n" },
  ],
  TodoWrite: [
    { todos: [{ content: "fix", status: "pending", activeForm: "fixing" }] },
    "Todos have been modified successfully.",
    { kind: "plan" },
  ],
  TodoRead: [{}, "[]", { kind: "plan" }],
  TaskCreate: [{ subject: "fix" }, "Task #1 created", { kind: "plan" }],
  TaskUpdate: [{ taskId: "1", status: "completed" }, "Updated task #1", { kind: "plan" }],
  TaskList: [{}, "#1 fix", { kind: "plan" }],
  TaskGet: [{ taskId: "1" }, "#1 fix", { kind: "plan" }],
  ExitPlanMode: [{ plan: "1. edit ops.py" }, "User has approved your plan.", { kind: "plan" }],
  exit_plan_mode: [{ plan: "1. edit ops.py" }, "User has approved your plan.", { kind: "plan" }],
  EnterPlanMode: [{}, "Entered plan mode.", { kind: "plan" }],
  Task: [
    { description: "explore", prompt: "find tests", subagent_type: "Explore" },
    "tests are in tests/",
    { kind: "handoff", to: "Explore" },
  ],
  Agent: [
    { description: "explore", prompt: "find tests" },
    "tests are in tests/",
    { kind: "handoff", to: "general-purpose" },
  ],
  TaskOutput: [{ task_id: "b1", block: true }, "<status>completed</status>", { kind: "other" }],
  TaskStop: [{ task_id: "b1" }, "stopped", { kind: "other" }],
  BashOutput: [{ bash_id: "b1" }, "<status>running</status>", { kind: "other" }],
  KillShell: [{ shell_id: "b1" }, "killed", { kind: "other" }],
  KillBash: [{ shell_id: "b1" }, "killed", { kind: "other" }],
  WebFetch: [{ url: "https://example.org", prompt: "summarise" }, "a page", { kind: "other" }],
  WebSearch: [{ query: "pytest raises" }, "results", { kind: "other" }],
  AskUserQuestion: [{ questions: [] }, "User has answered your questions", { kind: "other" }],
  Skill: [{ skill: "docs" }, "Launching skill: docs", { kind: "other" }],
  SlashCommand: [{ command: "/review" }, "ok", { kind: "other" }],
  ListMcpResourcesTool: [{}, "[]", { kind: "other" }],
  ReadMcpResourceTool: [{ server: "s", uri: "u" }, "x", { kind: "other" }],
  mcp__ide__executeCode: [{ code: "print(1)" }, "1", { kind: "code", lang: "python", code: "print(1)" }],
};

describe("claude-code: tool vocabulary", () => {
  it("has a case here for every tool it maps, and every case is a valid canonical action", () => {
    assert.deepEqual(Object.keys(tools).sort(), Object.keys(CASES).sort());
    for (const [name, [args, obs, want]] of Object.entries(CASES)) {
      const got = actionFor(name, args, obs);
      assert.deepEqual(got, want, name);
      assert.doesNotThrow(() => ActionSchema.parse(got), name);
    }
  });

  it("Write over an existing file is an edit", () => {
    assert.deepEqual(
      actionFor(
        "Write",
        { file_path: F, content: "x" },
        `The file ${F} has been updated. Here's the result of running \`cat -n\``,
      ),
      { kind: "edit", path: F },
    );
    assert.deepEqual(
      actionFor(
        "Write",
        { file_path: F, content: "x" },
        "<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>",
      ),
      { kind: "edit", path: F, refused: true },
    );
  });

  it("file changes Claude Code refused, the user rejected or a rule denied are refused", () => {
    for (const obs of [
      "<tool_use_error>String to replace not found in file.\nString: x</tool_use_error>",
      "<tool_use_error>Found 3 matches of the string to replace, but replace_all is false.</tool_use_error>",
      "<tool_use_error>File has been modified since read, either by the user or by a linter.</tool_use_error>",
      REJECT,
      "Permission to use Edit has been denied.",
    ]) {
      assert.equal(actionFor("Edit", { file_path: F }, obs).refused, true, obs);
      assert.equal(actionFor("MultiEdit", { file_path: F }, obs).refused, true, obs);
    }
    assert.equal(
      actionFor("Edit", { file_path: F }, "Exit code 1\n<tool_use_error>quoted</tool_use_error>").refused,
      undefined,
      "markers open the result",
    );
    assert.equal(actionFor("Edit", { file_path: F }, null).refused, undefined, "no result: not known to be refused");
  });

  it("searches list the files they found, not their errors", () => {
    assert.deepEqual(actionFor("Grep", { pattern: "x" }, "Found 2 files\nsrc/a.py\nsrc/b.py"), {
      kind: "search",
      files: ["src/a.py", "src/b.py"],
    });
    assert.deepEqual(actionFor("Glob", { pattern: "x" }, "No files found"), { kind: "search" });
    assert.deepEqual(
      actionFor("Glob", { pattern: "x", path: "/nope" }, "<tool_use_error>Directory does not exist</tool_use_error>"),
      { kind: "search", path: "/nope" },
    );
  });

  it("unknown tools and other MCP tools are 'other'", () => {
    assert.deepEqual(actionFor("mcp__github__create_issue", { title: "x" }, "ok"), { kind: "other" });
    assert.deepEqual(actionFor("SomethingNew", null, null), { kind: "other" });
    assert.deepEqual(actionFor("toString", null, null), { kind: "other" }, "no prototype names");
    assert.deepEqual(actionFor("Read", null, null), { kind: "view" }, "missing arguments");
  });
});

describe("claude-code: markers", () => {
  it("tell refusals, timeouts, format errors and exit codes from output", () => {
    assert.equal(notRun(REJECT), true);
    assert.equal(notRun("Permission to use Bash with command rm -rf build has been denied."), true);
    assert.equal(notRun("This command requires approval"), true);
    assert.equal(notRun("3 passed"), false);
    assert.equal(notRun(null), false);
    assert.ok(SIBLING_FAILED.test("<tool_use_error>Sibling tool call errored</tool_use_error>"));
    assert.ok(TIMED_OUT.test("Command timed out after 2m 0.0s"));
    assert.ok(
      FORMAT_ERROR.test(
        "<tool_use_error>InputValidationError: Edit failed due to the following issue:\nThe required parameter `old_string` is missing</tool_use_error>",
      ),
    );
    assert.ok(FORMAT_ERROR.test("<tool_use_error>Error: No such tool available: Foo</tool_use_error>"));
    assert.equal(exitCode("Exit code 2\nusage: ..."), 2);
    assert.equal(exitCode("all good"), null);
    assert.ok(TRUNCATED.test("a\n\n... [339 lines truncated] ...\n\nb"));
    assert.ok(INTERRUPTED.test("[Request interrupted by user]"));
    assert.ok(INTERRUPTED.test("[Request interrupted by user for tool use]"));
  });
});

describe("claude-code: exit status", () => {
  it("says how the last turn ended, in words exit families know", () => {
    assert.equal(exitStatus({ kind: "assistant", calls: 0, unanswered: 0 }), "finished: end of turn");
    assert.equal(
      exitStatus({ kind: "assistant", calls: 2, unanswered: 1 }),
      "incomplete: the log ends during a tool call",
    );
    assert.equal(exitStatus({ kind: "tool_result" }), "incomplete: the log ends after a tool result");
    assert.equal(exitStatus({ kind: "user" }), "incomplete: the log ends with an unanswered user message");
    assert.equal(exitStatus({ kind: "interrupted" }), "interrupted by user");
    assert.equal(exitStatus({ kind: "none" }), null);
    assert.equal(
      exitStatus({ kind: "api_error", text: "API Error: 500 Internal server error" }),
      "error: API Error: 500 Internal server error",
    );
    assert.equal(apiErrorReason("Claude AI usage limit reached|1760000000"), "cost_limit");
    assert.equal(apiErrorReason("API Error: 400 prompt is too long: 210000 tokens > 200000 maximum"), "context_limit");
    assert.equal(apiErrorReason("API Error: Request timed out."), "error");
  });
});
