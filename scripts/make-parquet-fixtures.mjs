#!/usr/bin/env node
/**
 * Writes the small Parquet fixtures under test/fixtures/parquet/ (content made
 * up for the tests, shaped like the public trajectory datasets):
 *   nebius.parquet  nebius/SWE-agent-trajectories layout, Snappy, 3 row groups
 *   openai.parquet  OpenAI-messages layout (SWE-rebench-openhands style) with
 *                   list<struct> tool_calls and a `tools` column, ZSTD, 3 row groups
 * Needs hyparquet-writer (devDependency) and the `zstd` command line tool.
 * Run from the project root: node scripts/make-parquet-fixtures.mjs
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { parquetWriteFile } from "hyparquet-writer";

const OUT = "test/fixtures/parquet";
mkdirSync(OUT, { recursive: true });

const zstd = (input) => new Uint8Array(execFileSync("zstd", ["-q", "-c", "-19"], { input }));
const str = (name) => ({ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });
const list = (name, n) => [
  { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "OPTIONAL", num_children: n },
];
const struct = (name, n) => ({ name, repetition_type: "OPTIONAL", num_children: n });
const columns = (names, rows) => names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) }));

// ---------------------------------------------------------------- nebius layout
const SYSTEM =
  "SETTING: You are an autonomous programmer working in a command line with a file editor.\nCOMMANDS:\nopen <path>, edit <start>:<end>, find_file <name>, submit\nRespond with a DISCUSSION and exactly one command in a fenced block.";
const issue = (text) =>
  `We're currently solving the following issue within our repository. Here's the issue text:\nISSUE:\n${text}\n\nINSTRUCTIONS:\nEdit the repository to fix the issue, then submit.`;
const turn = (role, text) => ({ cutoff_date: "01.01.2024", mask: role === "ai", role, system_prompt: null, text });
const sys = { cutoff_date: "01.01.2024", mask: false, role: "system", system_prompt: SYSTEM, text: null };

const nebius = [
  {
    instance_id: "acme__widgets-101",
    model_name: "swe-agent-llama-70b",
    target: true,
    exit_status: "submitted",
    generated_patch:
      "diff --git a/src/widgets/core.py b/src/widgets/core.py\n--- a/src/widgets/core.py\n+++ b/src/widgets/core.py\n@@ -40,1 +40,1 @@\n-        self.width = width\n+        self.width = max(width, self.min_width)\n",
    eval_logs: "EVAL LOG: tests/test_core.py::test_resize_min_width PASSED",
    trajectory: [
      sys,
      turn("user", issue("Widget.resize ignores min_width: resizing to 10 gives width 10 even when min_width is 50.")),
      turn("ai", 'DISCUSSION\nFirst I need to find where Widget is defined.\n```\nfind_file "core.py"\n```'),
      turn("user", 'Found 1 matches for "core.py" in /acme__widgets:\n/acme__widgets/src/widgets/core.py'),
      turn("ai", "DISCUSSION\nLet me open it.\n```\nopen src/widgets/core.py 40\n```"),
      turn(
        "user",
        "[File: /acme__widgets/src/widgets/core.py (120 lines total)]\n39:    def resize(self, width):\n40:        self.width = width",
      ),
      turn(
        "ai",
        "DISCUSSION\nThe width is not clamped. I will clamp it.\n```\nedit 40:40\n        self.width = max(width, self.min_width)\nend_of_edit\n```",
      ),
      turn("user", "File updated."),
      turn("ai", "DISCUSSION\nDone.\n```\nsubmit\n```"),
      turn("user", "diff --git a/src/widgets/core.py b/src/widgets/core.py"),
    ],
  },
  {
    instance_id: "acme__widgets-102",
    model_name: "swe-agent-llama-70b",
    target: false,
    exit_status: "exit_cost",
    generated_patch: null,
    eval_logs: "EVAL LOG: no patch",
    trajectory: [
      sys,
      turn("user", issue("Label text overflows its box when the font is large.")),
      turn("ai", "DISCUSSION\nLet me look around.\n```\nls src/widgets\n```"),
      turn("user", "__init__.py\ncore.py\nlabel.py"),
      turn("ai", "I am not sure what to do next."),
      turn("user", "Your output was not formatted correctly. Please include one command in a fenced block."),
    ],
  },
  {
    instance_id: "acme__widgets-103",
    model_name: "swe-agent-qwen-32b",
    target: true,
    exit_status: "submitted",
    generated_patch: "diff --git a/src/widgets/label.py b/src/widgets/label.py\n",
    eval_logs: "EVAL LOG: tests/test_label.py::test_wrap PASSED",
    trajectory: [
      sys,
      turn("user", issue("Label.wrap drops the last word.")),
      turn("ai", "DISCUSSION\nOpen the label module.\n```\nopen src/widgets/label.py\n```"),
      turn("user", "[File: /acme__widgets/src/widgets/label.py (30 lines total)]"),
      turn("ai", "DISCUSSION\nSubmit the fix.\n```\nsubmit\n```"),
      turn("user", "diff --git a/src/widgets/label.py b/src/widgets/label.py"),
    ],
  },
  {
    instance_id: "acme__widgets-104",
    model_name: "swe-agent-qwen-32b",
    target: false,
    exit_status: "submitted",
    generated_patch: "diff --git a/README.md b/README.md\n",
    eval_logs: "EVAL LOG: tests/test_theme.py::test_dark FAILED",
    trajectory: [
      sys,
      turn("user", issue("Dark theme colours are inverted.")),
      turn("ai", 'DISCUSSION\nSearch for the theme.\n```\nsearch_dir "dark" src\n```'),
      turn("user", 'Found 2 matches for "dark" in /acme__widgets/src'),
      turn("ai", "DISCUSSION\nSubmit.\n```\nsubmit\n```"),
      turn("user", "diff --git a/README.md b/README.md"),
    ],
  },
  {
    instance_id: "acme__widgets-105",
    model_name: "swe-agent-qwen-32b",
    target: true,
    exit_status: "submitted",
    generated_patch: "diff --git a/src/widgets/grid.py b/src/widgets/grid.py\n",
    eval_logs: "EVAL LOG: tests/test_grid.py::test_span PASSED",
    trajectory: [
      sys,
      turn("user", issue("Grid ignores column span.")),
      turn("ai", "DISCUSSION\nRun the tests first.\n```\npython -m pytest tests/test_grid.py -q\n```"),
      turn("user", "1 failed, 4 passed"),
      turn("ai", "DISCUSSION\nSubmit.\n```\nsubmit\n```"),
      turn("user", "diff --git a/src/widgets/grid.py b/src/widgets/grid.py"),
    ],
  },
];

parquetWriteFile({
  filename: `${OUT}/nebius.parquet`,
  rowGroupSize: 2,
  schema: [
    { name: "schema", num_children: 7 },
    str("instance_id"),
    str("model_name"),
    { name: "target", type: "BOOLEAN", repetition_type: "OPTIONAL" },
    ...list("trajectory", 5),
    str("cutoff_date"),
    { name: "mask", type: "BOOLEAN", repetition_type: "OPTIONAL" },
    str("role"),
    str("system_prompt"),
    str("text"),
    str("exit_status"),
    str("generated_patch"),
    str("eval_logs"),
  ],
  columnData: columns(
    ["instance_id", "model_name", "target", "trajectory", "exit_status", "generated_patch", "eval_logs"],
    nebius,
  ),
});

// ------------------------------------------------------- OpenAI-messages layout
const TOOLS = [
  {
    type: "function",
    function: {
      name: "execute_bash",
      description: "Run a bash command in the sandbox.",
      parameters: JSON.stringify({
        type: "object",
        properties: { command: { type: "string" } },
        required: ["command"],
      }),
    },
  },
  {
    type: "function",
    function: {
      name: "str_replace_editor",
      description: "View or edit files.",
      parameters: JSON.stringify({
        type: "object",
        properties: {
          command: { type: "string" },
          path: { type: "string" },
          old_str: { type: "string" },
          new_str: { type: "string" },
        },
        required: ["command", "path"],
      }),
    },
  },
  {
    type: "function",
    function: {
      name: "finish",
      description: "Finish the task.",
      parameters: JSON.stringify({ type: "object", properties: {} }),
    },
  },
];
const OH_SYSTEM = "You are a careful software engineering agent. Use the tools to inspect and change the repository.";
const task = (repo, text) =>
  `<uploaded_files>\n/workspace/${repo}\n</uploaded_files>\nI've uploaded a python code repository. Consider the following issue:\n\n<issue_description>\n${text}\n</issue_description>\n\nMake the minimal change that fixes it.`;
const call = (id, name, args) => ({ id, type: "function", function: { name, arguments: JSON.stringify(args) } });
const asst = (content, ...tool_calls) => ({ role: "assistant", content, tool_calls });
const obs = (id, name, content) => ({ role: "tool", content, name, tool_call_id: id });

function ohRow(n, { resolved, issueText, steps, patch, exit = "submit" }) {
  return {
    trajectory_id: `traj-${n}`,
    instance_id: `acme__gadgets-${200 + n}`,
    repo: "acme/gadgets",
    trajectory: [
      { role: "system", content: OH_SYSTEM },
      { role: "user", content: task("acme__gadgets", issueText) },
      ...steps,
    ],
    tools: TOOLS,
    model_patch: patch,
    exit_status: exit,
    resolved: BigInt(resolved),
    gen_tests_correct: resolved ? 1.0 : 0.5,
  };
}

const openai = [
  ohRow(1, {
    resolved: 1,
    issueText: "Gadget.parse crashes on an empty string.",
    patch:
      "diff --git a/gadgets/parse.py b/gadgets/parse.py\n--- a/gadgets/parse.py\n+++ b/gadgets/parse.py\n@@ -3,1 +3,3 @@\n def parse(s):\n+    if not s:\n+        return None\n",
    steps: [
      asst("Let me find the parser.", call("call_a1", "execute_bash", { command: "grep -rn 'def parse' gadgets" })),
      obs("call_a1", "execute_bash", "gadgets/parse.py:3:def parse(s):"),
      asst(
        null,
        call("call_a2", "str_replace_editor", { command: "view", path: "/workspace/acme__gadgets/gadgets/parse.py" }),
        call("call_a3", "execute_bash", { command: "python -c \"import gadgets.parse as p; p.parse('')\"" }),
      ),
      obs("call_a2", "str_replace_editor", "     1\timport re\n     3\tdef parse(s):\n     4\t    return s.split()[0]"),
      obs("call_a3", "execute_bash", "IndexError: list index out of range"),
      asst(
        "Guard against the empty input.",
        call("call_a4", "str_replace_editor", {
          command: "str_replace",
          path: "/workspace/acme__gadgets/gadgets/parse.py",
          old_str: "def parse(s):\n",
          new_str: "def parse(s):\n    if not s:\n        return None\n",
        }),
      ),
      obs("call_a4", "str_replace_editor", "The file has been edited."),
      asst("The crash is fixed.", call("call_a5", "finish", {})),
    ],
  }),
  ohRow(2, {
    resolved: 0,
    issueText: "Gadget.size reports bytes instead of kilobytes.",
    patch: "",
    exit: "max_iterations",
    steps: [
      asst("Look at size.", call("call_b1", "execute_bash", { command: "grep -rn 'def size' gadgets" })),
      obs("call_b1", "execute_bash", "gadgets/core.py:20:def size(self):"),
      asst("I think I need more time."),
    ],
  }),
  ohRow(3, {
    resolved: 1,
    issueText: "Typo in the error message of Gadget.load.",
    patch: "diff --git a/gadgets/io.py b/gadgets/io.py\n",
    steps: [
      asst(
        "Fix the typo.",
        call("call_c1", "str_replace_editor", {
          command: "str_replace",
          path: "/workspace/acme__gadgets/gadgets/io.py",
          old_str: "cannot laod",
          new_str: "cannot load",
        }),
      ),
      obs("call_c1", "str_replace_editor", "The file has been edited."),
      asst("Done.", call("call_c2", "finish", {})),
    ],
  }),
  ohRow(4, {
    resolved: 0,
    issueText: "Gadget.merge loses metadata.",
    patch: "diff --git a/gadgets/merge.py b/gadgets/merge.py\n",
    steps: [
      asst(
        "Run the merge tests.",
        call("call_d1", "execute_bash", { command: "python -m pytest tests/test_merge.py -q" }),
      ),
      obs("call_d1", "execute_bash", "2 failed"),
      asst("Done.", call("call_d2", "finish", {})),
    ],
  }),
  ohRow(5, {
    resolved: 1,
    issueText: "Gadget.repr shows the wrong class name.",
    patch: "diff --git a/gadgets/core.py b/gadgets/core.py\n",
    steps: [
      asst("Check repr.", call("call_e1", "execute_bash", { command: "grep -n __repr__ gadgets/core.py" })),
      obs("call_e1", "execute_bash", "55:    def __repr__(self):"),
      asst("Done.", call("call_e2", "finish", {})),
    ],
  }),
];

parquetWriteFile({
  filename: `${OUT}/openai.parquet`,
  rowGroupSize: 2,
  codec: "ZSTD",
  compressors: { ZSTD: zstd },
  schema: [
    { name: "schema", num_children: 9 },
    str("trajectory_id"),
    str("instance_id"),
    str("repo"),
    ...list("trajectory", 5),
    str("role"),
    str("content"),
    str("name"),
    str("tool_call_id"),
    ...list("tool_calls", 3),
    str("id"),
    str("type"),
    struct("function", 2),
    str("name"),
    str("arguments"),
    ...list("tools", 2),
    str("type"),
    struct("function", 3),
    str("name"),
    str("description"),
    str("parameters"),
    str("model_patch"),
    str("exit_status"),
    { name: "resolved", type: "INT64", repetition_type: "OPTIONAL" },
    { name: "gen_tests_correct", type: "DOUBLE", repetition_type: "OPTIONAL" },
  ],
  columnData: columns(
    [
      "trajectory_id",
      "instance_id",
      "repo",
      "trajectory",
      "tools",
      "model_patch",
      "exit_status",
      "resolved",
      "gen_tests_correct",
    ],
    openai,
  ),
});

console.log(`wrote ${OUT}/nebius.parquet (${nebius.length} rows) and ${OUT}/openai.parquet (${openai.length} rows)`);
