import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import {
  diffFromInferLog,
  openHandsCompletionAdapter,
  openHandsOutputAdapter,
} from "../../../src/scaffolds/openhands/adapter.js";
import { collect, FIXTURES, HAS_SHARED, one, shared, sharedSuite } from "../../helpers.js";

const skip = !HAS_SHARED && "shared data not present";
const OUTPUT = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl";
const RUN =
  "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1";

async function outputLines() {
  const { trajectories, errors } = await collect([shared(OUTPUT)]);
  assert.deepEqual(errors, []);
  return trajectories;
}

async function completion(instance: string) {
  const dir = shared(`${RUN}/llm_completions/${instance}`);
  const files = readdirSync(dir).filter((n) => n.endsWith(".json"));
  assert.equal(files.length, 1);
  return one(join(dir, files[0]));
}

sharedSuite("OpenHands output.jsonl adapter", (it) => {
  it("reads V0 history events into tool-call messages", async () => {
    const ts = await outputLines();
    assert.deepEqual(
      ts.map((t) => t.instance_id),
      ["ponylang__ponyc-4595", "ponylang__ponyc-4593", "ponylang__ponyc-4588"],
    );
    const t = ts[0];
    assert.equal(t.source.format, "openhands-output");
    assert.equal(t.source.variant, "events");
    assert.equal(t.source.line, 1);
    assert.equal(t.source.run, "openrouter-llama-4-maverick_maxiter_50_N_v0.35.0-no-hint-run_1");
    assert.equal(t.source.model, "openai/openrouter-llama-4-maverick");
    assert.equal(t.source.scaffold, "OpenHands CodeActAgent 0.35.0");
    assert.equal(t.messages[0].role, "system");
    assert.ok(t.messages[0].content.startsWith("You are OpenHands agent"));
    assert.deepEqual(
      (t.tools as { function: { name: string } }[]).map((x) => x.function.name),
      ["execute_bash", "think", "finish", "str_replace_editor"],
    );
    assert.ok(t.task?.startsWith("<uploaded_files>\n/workspace/ponylang__ponyc__0.1\n</uploaded_files>"));
    // 13 run + 6 read + 2 edit + 1 think + 1 finish actions, one tool call each
    assert.equal(t.steps.length, 23);
    const first = t.steps[0];
    assert.equal(first.tool, "execute_bash");
    assert.equal(first.action, "ls -l /workspace/ponylang__ponyc__0.1");
    assert.equal(first.tool_call_id, "toolu_01");
    assert.ok(first.thought.startsWith("The task involves fixing an issue"));
    assert.ok(first.observation?.startsWith("total 300\n-rw-r--r--  1 root root   9336 Apr 30 08:32 BUILD.md"));
    assert.ok(first.observation?.endsWith("[The command completed with exit code 0.]"));
    assert.equal(t.steps[4].tool, "str_replace_editor");
    assert.ok(
      t.steps[4].observation?.startsWith(
        "Here's the result of running `cat -n` on /workspace/ponylang__ponyc__0.1/src/libponyc/ast/parser.c",
      ),
    );
    const last = t.steps[t.steps.length - 1];
    assert.equal(last.tool, "finish");
    assert.equal(last.observation, null);
    assert.ok(t.patch?.startsWith("diff --git a/src/libponyc/ast/parser.c b/src/libponyc/ast/parser.c\n"));
    assert.equal(t.exit_status, "submitted");
    assert.equal(t.stats.prompt_tokens, 565158);
    assert.equal(t.stats.completion_tokens, 2558);
    assert.equal(t.label, null);
    // the triggered microagent text the agent saw is kept as a user message
    assert.ok(t.messages.some((m) => m.role === "user" && m.content.startsWith("[microagent github]")));
  });

  it("keeps an error the agent saw without a tool call as a user message", async () => {
    const t = (await outputLines())[1];
    const i = t.messages.findIndex((m) =>
      m.content.startsWith("Parameter 'command' is expected to be one of ['view', 'create'"),
    );
    assert.ok(i > 0);
    assert.equal(t.messages[i].role, "user");
    assert.equal(t.steps.length, 33);
    assert.equal(t.exit_status, "submitted");
    assert.ok(t.patch?.startsWith("diff --git a/packages/cli/command_parser.pony"));
  });

  it("reports the iteration limit as an error exit", async () => {
    const t = (await outputLines())[2];
    assert.equal(
      t.exit_status,
      "error: RuntimeError: Agent reached maximum iteration in headless mode. Current iteration: 50, max iteration: 50",
    );
    assert.equal(t.steps.length, 49);
    assert.ok(t.patch?.startsWith("diff --git a/src/libponyc/expr/match.c"));
    assert.ok(t.steps.some((s) => s.tool === "think" && s.observation === "Your thought has been logged."));
  });

  it("never reads the benchmark row in `instance`", async () => {
    const lines = readFileSync(shared(OUTPUT), "utf8").split("\n").filter(Boolean);
    const ts = await outputLines();
    lines.forEach((text, i) => {
      const row = JSON.parse(text);
      const { instance, ...rest } = row;
      const elsewhere = JSON.stringify(rest);
      const out = JSON.stringify(ts[i]);
      for (const v of Object.values(instance as Record<string, unknown>)) {
        const s = typeof v === "string" ? v : JSON.stringify(v);
        if (s.length > 4 && !elsewhere.includes(JSON.stringify(s).slice(1, -1)))
          assert.ok(!out.includes(s), `leaked ${s}`);
      }
    });
    // a line whose benchmark row carries hidden test names and a gold patch, with an eval report
    const row = JSON.parse(lines[0]);
    row.instance.FAIL_TO_PASS = JSON.stringify(["test/libponyc/sugar.cc::SugarTest.HiddenSingleTupleMatch_F2P"]);
    row.instance.PASS_TO_PASS = JSON.stringify(["test/libponyc/sugar.cc::SugarTest.HiddenOther_P2P"]);
    row.instance.patch = "diff --git a/src/x.c b/src/x.c\n+/* GOLD PATCH MARKER */\n";
    row.test_result.report = { resolved: false, empty_generation: false };
    const dir = mkdtempSync(join(tmpdir(), "rubricate-oh-"));
    try {
      const file = join(dir, "output.jsonl");
      writeFileSync(file, JSON.stringify(row) + "\n");
      const t = await one(file);
      const out = JSON.stringify(t);
      for (const s of ["HiddenSingleTupleMatch_F2P", "HiddenOther_P2P", "GOLD PATCH MARKER", "ponylang/ponyc"])
        assert.ok(!out.includes(s), s);
      assert.deepEqual(t.label, { resolved: false, origin: `${file}:1#test_result.report.resolved` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("OpenHands output.jsonl adapter, list-of-pairs history (fixture)", () => {
  const file = join(FIXTURES, "openhands", "pairs.jsonl");

  it("reads [action, observation] pairs with synthetic calls", async () => {
    const { trajectories, errors } = await collect([file]);
    assert.deepEqual(errors, []);
    assert.equal(trajectories.length, 2);
    const t = trajectories[0];
    assert.equal(t.source.variant, "pairs");
    assert.equal(t.instance_id, "acme__tinycalc-42");
    assert.equal(t.source.model, "gpt-4o-2024-05-13");
    assert.equal(t.source.run, "gpt-4o-2024-05-13_maxiter_30_N_v1.5-no-hint");
    assert.ok(t.task?.includes("divide(1, 0) raises a bare ZeroDivisionError"));
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["run", "run_ipython", "run_ipython", "run", "none", "finish"],
    );
    const [grep, view] = t.steps;
    assert.equal(grep.action, "grep -n 'def divide' tinycalc/ops.py");
    assert.deepEqual(grep.args, { command: "grep -n 'def divide' tinycalc/ops.py" });
    assert.equal(grep.thought, "Let me find where division is implemented.");
    assert.equal(grep.observation, "12:def divide(a, b):");
    assert.equal(grep.tool_call_id, "oh_1");
    assert.ok(t.messages[grep.message_index].tool_calls?.[0].synthetic);
    // observation without `cause`: answered by its pair
    assert.equal(view.observation, "['def divide(a, b):', '    return a / b']");
    assert.ok(t.steps[3].observation?.endsWith("4 passed in 0.03s"));
    // the agent's message and the automatic reply
    assert.equal(t.steps[4].thought, "divide() now raises ValueError for a zero divisor and the tests pass.");
    assert.ok(t.steps[4].observation?.startsWith("Please continue working on the task"));
    assert.equal(t.steps[5].observation, null);
    assert.ok(!t.messages.some((m) => m.content === "No observation"));
    assert.ok(t.patch?.startsWith("diff --git a/tinycalc/ops.py b/tinycalc/ops.py\nindex 3f1c2aa..8d0e4b1"));
    assert.equal(t.exit_status, "submitted");
    assert.equal(t.stats.cost, 0.0873);
    assert.equal(t.stats.duration_s, 18);
    assert.deepEqual(t.label, { resolved: true, origin: `${file}:1#test_result.report.resolved` });
    const out = JSON.stringify(t);
    for (const s of ["GOLD-ONLY-LINE", "test_divide_by_zero_raises_value_error_HIDDEN", "acme/tinycalc"])
      assert.ok(!out.includes(s), s);
  });

  it("reads an errored attempt: error exit, no patch, error observation as the tool result", async () => {
    const t = (await collect([file])).trajectories[1];
    assert.equal(t.instance_id, "acme__tinycalc-57");
    assert.equal(t.exit_status, "error: Agent got stuck in a loop");
    assert.equal(t.patch, null);
    assert.equal(t.steps.length, 2);
    assert.equal(t.steps[1].observation, "Command timed out after 30 seconds. Sent SIGINT to the process.");
    assert.equal(t.label?.resolved, false);
  });
});

sharedSuite("OpenHands llm_completions adapter", (it) => {
  it("reads the last call's messages + response, the patch from the infer log", async () => {
    const t = await completion("django__django-11099");
    assert.equal(t.source.format, "openhands-llm-completion");
    assert.equal(t.instance_id, "django__django-11099");
    assert.equal(t.source.run, "claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1");
    assert.equal(t.source.model, "litellm_proxy/claude-3-5-sonnet-20241022");
    assert.equal(t.source.scaffold, "OpenHands CodeActAgent 0.15.0");
    assert.equal(t.messages.length, 35);
    assert.equal(t.messages[0].role, "system");
    assert.deepEqual(
      (t.tools as { function: { name: string } }[]).map((x) => x.function.name),
      ["execute_bash", "finish", "str_replace_editor"],
    );
    assert.ok(t.task?.startsWith("<uploaded_files>\n/workspace/django__django__3.0\n</uploaded_files>"));
    const first = t.steps[0];
    assert.equal(first.tool, "execute_bash");
    assert.equal(first.action, "ls -R /workspace/django__django__3.0");
    assert.equal(first.tool_call_id, "tooluse_v9Oki-82ThqLMvPneD8v5Q");
    assert.ok(first.observation?.startsWith("ls -R /workspace/django__django__3.0\r\n/workspace/django__django__3.0:"));
    const last = t.steps[t.steps.length - 1];
    assert.equal(last.tool, "finish");
    assert.equal(last.message_index, 34);
    assert.equal(t.steps.length, 17);
    assert.ok(
      t.patch?.startsWith("diff --git a/django/contrib/auth/validators.py b/django/contrib/auth/validators.py\n"),
    );
    assert.ok(!t.patch?.includes("\r"));
    assert.ok(t.patch?.endsWith("\n"));
    assert.equal(t.exit_status, "submitted");
    assert.equal(t.label, null);
  });

  it("extracts exactly the logged diff", async () => {
    const t = await completion("astropy__astropy-12907");
    assert.ok(
      t.patch?.startsWith(
        "diff --git a/astropy/modeling/separable.py b/astropy/modeling/separable.py\nindex a308e27297..45bea36085 100644\n",
      ),
    );
    assert.ok(
      t.patch?.includes(
        "\n-        cright[-right.shape[0]:, -right.shape[1]:] = 1\n+        cright[-right.shape[0]:, -right.shape[1]:] = right\n\n",
      ),
    );
    assert.ok(t.patch?.endsWith("\n     return np.hstack([cleft, cright])\n"));
    const multi = await completion("django__django-10097");
    assert.ok(multi.patch?.includes("\ndiff --git a/reproduce.py b/reproduce.py\nnew file mode 100644\n"));
    assert.ok(multi.patch?.endsWith("\n\\ No newline at end of file\n"));
  });

  it("reports the iteration limit and an empty diff", async () => {
    const t = await completion("django__django-11265");
    assert.equal(t.patch, null);
    assert.equal(
      t.exit_status,
      "error: Agent reached maximum iteration in headless mode. Current iteration: 50.00, max iteration: 50.00",
    );
    assert.equal(t.steps.length, 50);
  });
});

describe("diffFromInferLog", () => {
  const head = "2024-12-04 12:00:00,000 - INFO - Got git diff for instance a__b-1:\n--------\n";
  it("stops at the closing rule followed by a log line or the end", () => {
    const diff =
      "diff --git a/x.rst b/x.rst\r\n--- a/x.rst\r\n+++ b/x.rst\r\n@@ -1,2 +1,2 @@\r\n-Title\r\n--------\r\n+Heading\r\n+-------";
    assert.equal(
      diffFromInferLog(`${head}${diff}\n--------\n2024-12-04 12:00:01,000 - INFO - next`, "a__b-1"),
      diff.replace(/\r\n/g, "\n") + "\n",
    );
    assert.equal(diffFromInferLog(`${head}${diff}\n--------\n`, "a__b-1"), diff.replace(/\r\n/g, "\n") + "\n");
    assert.equal(diffFromInferLog(`${head}${diff}\n--------`, "a__b-1"), diff.replace(/\r\n/g, "\n") + "\n");
  });
  it("returns null for an empty diff, another instance or a truncated block", () => {
    assert.equal(diffFromInferLog(`${head}\n--------\n`, "a__b-1"), null);
    assert.equal(diffFromInferLog(`${head}diff --git a/x b/x\n--------\n`, "a__b-2"), null);
    assert.equal(diffFromInferLog(`${head}diff --git a/x b/x\n`, "a__b-1"), null);
  });
});

describe("OpenHands detection", () => {
  it("is cheap and never throws on odd values", () => {
    for (const v of [
      null,
      undefined,
      0,
      "x",
      [],
      {},
      { history: "no" },
      { messages: [], response: null },
      { messages: [], response: { choices: {} } },
    ]) {
      assert.equal(openHandsOutputAdapter.detect(v), false);
      assert.equal(openHandsCompletionAdapter.detect(v, "x.json"), false);
    }
    assert.equal(openHandsOutputAdapter.detect({ instance_id: "a", history: [] }), true);
    assert.equal(
      openHandsCompletionAdapter.detect({ messages: [], response: { choices: [] }, kwargs: {} }, "x.json"),
      true,
    );
  });

  it("names the field of a malformed event", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-oh-"));
    try {
      const file = join(dir, "output.jsonl");
      writeFileSync(
        file,
        JSON.stringify({
          instance_id: "a",
          instruction: "x",
          history: [{ id: 0, action: "message", source: "user", args: { content: "x" } }, 5],
        }) + "\n",
      );
      const { trajectories, errors } = await collect([file]);
      assert.equal(trajectories.length, 0);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].field, "history[1]");
      assert.equal(errors[0].line, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Row {
  instance_id: string;
  format: string;
  trajectory: string;
  run: string;
}

sharedSuite("every OpenHands trajectory in the shared index", (it) => {
  it("yields exactly one trajectory per attempt, with steps and the upstream patch", async () => {
    const rows = (
      readFileSync(shared("index.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)) as Row[]
    ).filter((r) => r.format.startsWith("openhands"));
    assert.equal(rows.length, 23);
    const files = [...new Set(rows.map((r) => shared(r.trajectory)))];
    const { trajectories, errors } = await collect(files);
    assert.deepEqual(
      errors.map((e) => e.describe()),
      [],
    );
    assert.equal(trajectories.length, rows.length);
    for (const row of rows) {
      const ts = trajectories.filter(
        (t) => t.source.file === shared(row.trajectory) && t.instance_id === row.instance_id,
      );
      assert.equal(ts.length, 1, row.trajectory);
      const t = ts[0];
      assert.ok(t.steps.length >= 1, row.trajectory);
      let upstream: boolean;
      if (row.format.startsWith("openhands-output")) {
        const line = readFileSync(shared(row.trajectory), "utf8").split("\n")[(t.source.line ?? 0) - 1];
        upstream = !!JSON.parse(line).test_result?.git_patch?.trim();
        assert.equal(t.source.format, "openhands-output");
      } else {
        const log = join(
          dirname(dirname(dirname(shared(row.trajectory)))),
          "infer_logs",
          `instance_${row.instance_id}.log`,
        );
        upstream =
          existsSync(log) &&
          /Got git diff for instance[^\n]*\n--------\n(?!--------\n)[\s\S]*?diff --git/.test(readFileSync(log, "utf8"));
        assert.equal(t.source.format, "openhands-llm-completion");
        assert.equal(t.source.run, row.run);
      }
      assert.equal(t.patch !== null, upstream, `${row.trajectory}: patch`);
    }
  });
});
