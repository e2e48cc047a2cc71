import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { moatlessAdapter } from "../../../src/scaffolds/moatless/adapter.js";
import { collect, HAS_SHARED, one, shared, sharedSuite } from "../../helpers.js";

const skip = !HAS_SHARED && "shared data not present";
const EVAL = "moatless-lite/evaluations";

sharedSuite("Moatless adapter", (it) => {
  it("reads the AgenticLoop transitions variant", async () => {
    const t = await one(shared(`${EVAL}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16139.json`));
    assert.equal(t.source.format, "moatless");
    assert.equal(t.source.variant, "transitions");
    assert.equal(t.instance_id, "django__django-16139");
    assert.equal(t.source.run, "20240617_moatless_gpt-4o-2024-05-13");
    assert.equal(t.source.model, "gpt-4o-2024-05-13");
    assert.ok(
      t.task?.startsWith("Accessing UserAdmin via to_field leads to link to PasswordResetForm being broken (404)"),
    );
    assert.deepEqual(t.messages[0], { role: "user", content: t.task });
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["SearchCode", "IdentifyCode", "PlanToCode", "EditCode", "PlanToCode"],
    );
    const search = t.steps[0];
    assert.deepEqual(search.args, { class_name: "UserChangeForm" });
    assert.ok(search.thought.startsWith("The issue is related to the UserAdmin and the UserChangeForm class."));
    assert.ok(
      search.observation?.startsWith(
        'ranked_spans: [{"file_path":"django/contrib/auth/forms.py","span_id":"UserChangeForm","rank":0}',
      ),
    );
    // PlanToCode's nested function arguments are flattened
    assert.equal(t.steps[2].args?.file_path, "django/contrib/auth/forms.py");
    assert.equal(t.steps[2].args?.span_id, "UserChangeForm.__init__");
    assert.ok(
      t.steps[3].observation?.startsWith(
        "Applied the change to django/contrib/auth/forms.py.\ndiff:\n--- django/contrib/auth/forms.py",
      ),
    );
    assert.equal(t.steps[4].args?.action, "Finish");
    assert.ok(t.patch?.startsWith("diff --git a/django/contrib/auth/forms.py b/django/contrib/auth/forms.py\n"));
    assert.equal(t.exit_status, "finished");
    assert.equal(t.stats.cost, 0.038835);
    assert.ok(Math.abs((t.stats.duration_s ?? 0) - 8.8827) < 0.001);
    assert.equal(t.stats.api_calls, 5);
    assert.equal(t.label, null);
  });

  it("keeps scratch pads as thoughts, retry messages as observations, token counts", async () => {
    const t = await one(shared(`${EVAL}/20240623_moatless_claude-3.5-sonnet/trajs/psf__requests-2674.json`));
    assert.equal(t.source.model, "openrouter/anthropic/claude-3.5-sonnet");
    assert.equal(t.exit_status, "rejected");
    const retry = t.steps.find((s) =>
      s.observation?.startsWith("File requests/exceptions.py is not found in the file context."),
    );
    assert.ok(retry);
    assert.equal(retry.tool, "PlanToCode");
    assert.equal(
      t.steps.filter((s) => s.observation?.startsWith("The code in the replace tag is the same as in the search."))
        .length,
      3,
    );
    const c = await one(shared(`${EVAL}/20240623_moatless_claude-3.5-sonnet/trajs/astropy__astropy-14995.json`));
    assert.equal(c.source.model, "claude-3-5-sonnet-20240620");
    assert.equal(c.steps[0].tool, "SearchCode");
    assert.ok(c.steps[0].thought.startsWith("To address the issue of NDDataRef mask propagation failing"));
    assert.equal((c.steps[0].args?.search_requests as unknown[]).length, 2);
    assert.ok(!("scratch_pad" in (c.steps[0].args ?? {})));
    assert.equal(c.stats.prompt_tokens, 28851);
    assert.equal(c.stats.completion_tokens, 2185);
    assert.equal(c.steps.length, 7);
  });

  it("reports a loop error as the exit status", async () => {
    const t = await one(shared(`${EVAL}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-21614.json`));
    assert.equal(t.exit_status, "error: RuntimeError: The loop was aborted because the cost exceeded the limit.");
    assert.ok(t.patch?.startsWith("diff --git a/sympy/core/function.py"));
  });

  it("reads the older steps variant", async () => {
    const t = await one(shared(`${EVAL}/20240609_moatless_gpt4o/trajs/django__django-16139.json`));
    assert.equal(t.source.variant, "steps");
    assert.equal(t.instance_id, "django__django-16139");
    assert.equal(t.source.run, "20240609_moatless_gpt4o");
    assert.equal(t.source.model, "gpt4o");
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["search", "search", "identify", "request_for_change", "search_replace", "finish"],
    );
    assert.deepEqual(t.steps[0].args, { class_name: "UserAdmin" });
    assert.ok(t.steps[0].observation?.startsWith("Found 1 hits.\nfile_context: ["));
    assert.ok(t.steps[2].thought.startsWith("The identified code spans include the UserAdmin class"));
    assert.ok(t.steps[4].observation?.startsWith("diff:\n--- django/contrib/auth/forms.py"));
    assert.equal(t.steps[5].observation, null);
    assert.ok(String(t.steps[5].args?.reason).startsWith("The issue with the broken link to the PasswordResetForm"));
    assert.equal(t.exit_status, "finished");
    assert.equal(t.stats.cost, 0.063825);
    assert.ok(t.patch?.startsWith("diff --git a/django/contrib/auth/forms.py"));
  });

  it("detects cheaply and never throws", () => {
    for (const v of [null, 1, "x", [], {}, { transitions: [] }, { steps: [], input: {} }, { steps: [], input: null }]) {
      assert.equal(moatlessAdapter.detect(v, "x.json"), false);
    }
    assert.equal(
      moatlessAdapter.detect({ name: "AgenticLoop", initial_message: "x", transitions: [] }, "x.json"),
      true,
    );
    assert.equal(
      moatlessAdapter.detect({ name: "moatless", input: { problem_statement: "x" }, steps: [] }, "x.json"),
      true,
    );
  });
});

interface Row {
  instance_id: string;
  format: string;
  trajectory: string;
  run: string;
}

sharedSuite("every Moatless trajectory in the shared index", (it) => {
  it("yields exactly one trajectory per file, with steps and the upstream patch", async () => {
    const rows = (
      readFileSync(shared("index.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)) as Row[]
    ).filter((r) => r.format.startsWith("moatless"));
    assert.equal(rows.length, 70);
    for (const row of rows) {
      const { trajectories, errors } = await collect([shared(row.trajectory)]);
      assert.deepEqual(
        errors.map((e) => e.describe()),
        [],
      );
      assert.equal(trajectories.length, 1, row.trajectory);
      const t = trajectories[0];
      assert.equal(t.source.format, "moatless");
      assert.equal(t.instance_id, row.instance_id);
      assert.equal(t.source.run, row.run);
      assert.ok(t.steps.length >= 1, row.trajectory);
      const sub = JSON.parse(readFileSync(shared(row.trajectory), "utf8")).info?.submission;
      assert.equal(t.patch !== null, typeof sub === "string" && sub.trim().length > 0, `${row.trajectory}: patch`);
      assert.ok(
        t.messages.every(
          (m) => m.role !== "tool" || t.messages.some((a) => a.tool_calls?.some((c) => c.id === m.tool_call_id)),
        ),
      );
    }
  });
});
