/** scoreRollout: one rollout held in memory, through the same adapters that read files. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { IngestError } from "../../src/io/error.js";
import { loadRubric } from "../../src/rubric/load.js";
import { rolloutTrajectory, scoreRollout } from "../../src/score/rollout.js";
import { pResolved } from "../../src/score/reward.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { outcomeProvider } from "../../src/outcome/provider.js";
import { bash, miniOut, trajectory } from "../build.js";
import { one, shared, sharedSuite } from "../helpers.js";

const rubric = loadRubric("swe-default");
const MINI =
  "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs/django__django-16136/django__django-16136.traj.json";

describe("scoreRollout", () => {
  it("OpenAI messages with native tool calls: steps, canonical actions, patch and task as given", async () => {
    const t = trajectory({
      turns: [bash("cat slug.py", miniOut("def slug(x): return x")), bash("sed -i s/x/y/ slug.py", miniOut(""))],
      task: "Fix the slug bug.",
    });
    const patch = "diff --git a/slug.py b/slug.py\n--- a/slug.py\n+++ b/slug.py\n@@ -1 +1 @@\n-x\n+y\n";
    const got = await rolloutTrajectory({ messages: t.messages, patch, instance_id: "a__b-1" });
    assert.equal(got.steps.length, 2);
    assert.deepEqual(
      got.steps.map((s) => s.act?.kind),
      ["shell", "shell"],
    );
    assert.equal(got.patch, patch);
    assert.equal(got.task, "Fix the slug bug.");
    assert.equal(got.instance_id, "a__b-1");
    assert.equal(got.label, null);
    const rec = await scoreRollout({ messages: t.messages, patch }, rubric, { outcome: outcomeProvider() });
    assert.equal(rec.criteria.length, rubric.criteria.length);
    const p = pResolved(rec);
    assert.ok(p !== null && p > 0 && p < 1, `p(resolved) ${p}`);
    assert.equal(p, rec.criteria.find((c) => c.kind === "outcome")!.value);
  });

  it("the same content gives the same trajectory id and record; different content a different id", async () => {
    const messages = [
      { role: "user", content: "Fix it." },
      { role: "assistant", content: "```bash\nls\n```" },
      { role: "user", content: "a.py" },
    ];
    const a = await scoreRollout({ messages }, rubric);
    const b = await scoreRollout({ messages: structuredClone(messages) }, rubric);
    assert.deepEqual(a, b);
    const c = await scoreRollout({ messages: [...messages, { role: "assistant", content: "done" }] }, rubric);
    assert.notEqual(c.trajectory_id, a.trajectory_id);
  });

  it("names the rollout and field of bad input", async () => {
    const says = (re: RegExp) => (e: unknown) => e instanceof IngestError && re.test(e.describe());
    await assert.rejects(rolloutTrajectory({}, { name: "items[2]" }), says(/^items\[2\]: expected `messages`/));
    await assert.rejects(rolloutTrajectory({ messages: [] }, { name: "x" }), says(/^x: field 'messages': .*non-empty/));
    await assert.rejects(
      rolloutTrajectory({ messages: [{ role: "wizard", content: "hi" }] }, { name: "x" }),
      says(/^x: field 'messages\[0\]\.role': expected role/),
    );
    await assert.rejects(
      rolloutTrajectory({ trajectory: { hello: 1 } }, { name: "x" }),
      says(/^x\.trajectory: no known trajectory format/),
    );
  });
});

sharedSuite("scoreRollout on a real trajectory", (it) => {
  it("a mini-swe-agent file's JSON scores exactly as the file does through ingest", async () => {
    const file = shared(MINI);
    const fromFile = await scoreTrajectory(await one(file), rubric);
    const fromMemory = await scoreRollout({ trajectory: JSON.parse(readFileSync(file, "utf8")) }, rubric);
    assert.deepEqual(
      fromMemory.criteria.map((c) => [c.id, c.status, c.value, c.evidence]),
      fromFile.criteria.map((c) => [c.id, c.status, c.value, c.evidence]),
    );
    assert.equal(fromMemory.score, fromFile.score);
  });

  it("its messages as a trainer holds them (fenced bash blocks in text), with scaffold mini-swe-agent, give the steps its adapter reads", async () => {
    const file = shared(MINI);
    const ingested = await one(file);
    const raw = JSON.parse(readFileSync(file, "utf8")) as { messages: { role: string; content: string }[] };
    const t = await rolloutTrajectory({
      messages: raw.messages.map((m) => ({ role: m.role, content: m.content })),
      patch: ingested.patch,
      scaffold: "mini-swe-agent",
    });
    assert.equal(t.steps.length, ingested.steps.length);
    assert.deepEqual(
      t.steps.map((s) => [s.action, s.act?.kind]),
      ingested.steps.map((s) => [s.action, s.act?.kind]),
    );
  });
});
