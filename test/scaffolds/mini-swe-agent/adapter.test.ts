import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HAS_SHARED, one, shared, sharedSuite } from "../../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

sharedSuite("mini-swe-agent adapter", (it) => {
  it("reads 1.1 (tool calls, role tool, final exit message)", async () => {
    const t = await one(
      shared(
        "minisweagent-deepseek/output/deepseek_chat_dev/pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json",
      ),
    );
    assert.equal(t.source.format, "mini-swe-agent");
    assert.equal(t.source.variant, "1.1");
    assert.equal(t.instance_id, "pvlib__pvlib-python-1606");
    assert.equal(t.source.run, "deepseek_chat_dev");
    assert.ok(t.task?.startsWith("golden-section search fails when upper and lower bounds are equal"));
    assert.ok(!t.messages.some((m) => (m.role as string) === "exit"));
    const first = t.steps[0];
    assert.equal(first.tool, "bash");
    assert.match(first.action, /^find \. -type f -name/);
    assert.match(first.observation ?? "", /<returncode>0<\/returncode>/);
    assert.equal(first.tool_call_id, "call_00_zeEoeRxlKlPfE2dOHOAMyWrm");
    assert.ok(t.patch?.startsWith("diff --git a/pvlib/tools.py"));
    assert.equal(t.exit_status, "Submitted");
    assert.ok((t.stats.cost ?? 0) > 0);
  });

  it("reads 1 (fenced bash in text) as synthetic tool calls", async () => {
    const t = await one(
      shared(
        "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs/django__django-16136/django__django-16136.traj.json",
      ),
    );
    assert.equal(t.source.variant, "1");
    assert.equal(t.source.run, "20251118_gemini-3-pro-74pct");
    const first = t.steps[0];
    assert.equal(first.tool, "bash");
    assert.equal(first.action, "ls -la");
    assert.ok(first.thought.startsWith("THOUGHT: I need to understand"));
    assert.ok(t.messages[first.message_index].tool_calls?.[0].synthetic);
    assert.match(first.observation ?? "", /^<returncode>0<\/returncode>/);
  });
});
