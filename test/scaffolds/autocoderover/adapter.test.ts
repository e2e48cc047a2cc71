import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { acrAdapter } from "../../../src/scaffolds/autocoderover/adapter.js";
import { HAS_SHARED, collect, one, shared, sharedSuite } from "../../helpers.js";

const skip = !HAS_SHARED && "shared data not present";
const RUN1 = "acr-gpt4-lite/results/acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09";
const RUN2 = "acr-gpt4-lite/results/acr-run-2/applicable_patch/astropy__astropy-14365_2024-04-04_14-20-38";

interface Row {
  format: string;
  trajectory: string;
  instance_id: string;
  run: string;
}

sharedSuite("AutoCodeRover adapter", (it) => {
  it("detects attempt folders by their file names", () => {
    assert.ok(acrAdapter.detect(["conversation_round_0.json", "problem_statement.txt", "cost.json"]));
    assert.ok(acrAdapter.detect(["debug_agent_write_patch_1.json", "tool_call_sequence.json"]));
    assert.ok(!acrAdapter.detect(["conversation_round_0.json"]));
    assert.ok(!acrAdapter.detect(["problem_statement.txt", "cost.json", "trajs"]));
  });

  it("reads every acr-dir attempt of the index: one trajectory, steps, patch iff a diff was extracted", async () => {
    const rows = (
      readFileSync(shared("index.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)) as Row[]
    ).filter((r) => r.format === "acr-dir");
    assert.equal(rows.length, 72);
    const problems: string[] = [];
    for (const r of rows) {
      const dir = shared(r.trajectory);
      const { trajectories, errors } = await collect([dir]);
      if (errors.length || trajectories.length !== 1) {
        problems.push(
          `${r.trajectory}: ${trajectories.length} trajectories, ${errors.map((e) => e.describe()).join("; ")}`,
        );
        continue;
      }
      const t = trajectories[0];
      const hasDiff = readdirSync(dir).some(
        (n) => /^extracted_patch_\d+\.diff$/.test(n) && statSync(join(dir, n)).size > 0,
      );
      if (t.source.format !== "autocoderover") problems.push(`${r.trajectory}: format ${t.source.format}`);
      if (t.steps.length < 1) problems.push(`${r.trajectory}: no steps`);
      if (hasDiff !== (t.patch !== null))
        problems.push(`${r.trajectory}: patch ${t.patch !== null}, diff file ${hasDiff}`);
      if (t.instance_id !== r.instance_id) problems.push(`${r.trajectory}: instance ${t.instance_id}`);
      if (t.source.run !== r.run) problems.push(`${r.trajectory}: run ${t.source.run}`);
      if (t.label !== null) problems.push(`${r.trajectory}: label set by the adapter`);
      if (!t.steps.some((s) => s.tool === "write_patch")) problems.push(`${r.trajectory}: no write_patch step`);
      if (t.steps.some((s) => s.tool !== "none" && s.observation === null))
        problems.push(`${r.trajectory}: a call without observation`);
    }
    assert.deepEqual(problems, []);
  });

  it("reads astropy__astropy-14365 (run 1) with search calls, bug locations and the patch attempt", async () => {
    const t = await one(shared(RUN1));
    assert.equal(t.instance_id, "astropy__astropy-14365");
    assert.equal(t.source.run, "acr-run-1");
    assert.equal(t.source.model, "gpt-4-0125-preview");
    assert.ok(t.task?.startsWith("ascii.qdp Table format assumes QDP commands are upper case"));
    assert.equal(t.exit_status, "APPLICABLE_PATCH");
    assert.deepEqual(t.stats, {
      cost: 0.43185000000000007,
      prompt_tokens: 31449,
      completion_tokens: 3912,
      duration_s: 164.871017,
    });
    assert.ok(t.patch?.startsWith("diff --git a/astropy/io/ascii/qdp.py b/astropy/io/ascii/qdp.py"));

    // retrieval chat (21 turns, 3 `Result of` replies split into tool messages) + patch phase
    assert.equal(t.messages.length, 26);
    assert.deepEqual(
      t.messages.map((m, i) => (m.role === "system" ? i : -1)).filter((i) => i >= 0),
      [0, 22],
    );
    assert.match(t.messages[22].content, /You ultimate goal is to write a patch/);
    assert.match(t.messages[23].content, /^Write a patch for the issue/);

    assert.deepEqual(
      t.steps.map((s) => s.tool),
      [
        "search_method_in_class",
        "search_code",
        "none",
        "none",
        "none",
        "none",
        "search_code_in_file",
        "none",
        "bug_locations",
        "write_patch",
      ],
    );
    const [s0, s1] = t.steps;
    assert.equal(s0.message_index, 3);
    assert.equal(s1.message_index, 3);
    assert.deepEqual(s0.args, { method_name: "read", class_name: "Table" });
    assert.equal(s0.action, 'search_method_in_class("read", "Table")');
    assert.equal(s0.observation, "Could not find method read in class Table`.");
    assert.equal(t.messages[s0.observation_index!].role, "tool");
    assert.ok(t.messages[3].tool_calls?.every((c) => c.synthetic));
    assert.deepEqual(s1.args, { code_str: "READ SERR" });
    assert.match(s1.observation ?? "", /^Found 12 snippets containing `READ SERR` in the codebase\./);
    assert.equal(
      t.steps[3].observation,
      "The search API calls seem not valid. Please check the arguments you give carefully and try again.",
    );
    assert.deepEqual(t.steps[6].args, { code_str: "READ SERR", file_name: "astropy/io/ascii/qdp.py" });

    const bug = t.steps[8];
    const locations = (bug.args?.bug_locations as { method?: string }[]).map((l) => l.method);
    assert.deepEqual(locations, ["_line_type", "_interpret_err_lines", "_write_table_qdp"]);
    assert.match(
      bug.observation ?? "",
      /^Here are the code in buggy locations:\nFound 1 methods with name `_line_type`/,
    );

    const patch = t.steps[9];
    const raw = readFileSync(shared(`${RUN1}/agent_patch_raw_1`), "utf8");
    assert.equal(patch.action, raw);
    assert.equal(t.messages[patch.message_index].content, raw);
    assert.match(patch.observation ?? "", /^Extracted a patch\./);
  });

  it("appends later patch attempts without repeating the shared context (run 2: two attempts)", async () => {
    const t = await one(shared(RUN2));
    const attempts = t.steps.filter((s) => s.tool === "write_patch");
    assert.equal(attempts.length, 2);
    assert.match(attempts[0].observation ?? "", /^Your edit could not be applied to the program/);
    assert.match(attempts[1].observation ?? "", /^Extracted a patch\./);
    assert.equal(attempts[1].action, readFileSync(shared(`${RUN2}/agent_patch_raw_2`), "utf8"));
    assert.equal(t.messages.filter((m) => m.content.startsWith("Write a patch for the issue")).length, 1);
    assert.equal(t.patch, readFileSync(shared(`${RUN2}/extracted_patch_2.diff`), "utf8"));
  });

  it("never reads meta.json or developer_patch.diff", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "rubricate-acr-"));
    try {
      const dir = join(tmp, "acr-run-1", "applicable_patch", "astropy__astropy-14365_2024-04-06_13-27-09");
      cpSync(shared(RUN1), dir, { recursive: true });
      chmodSync(dir, 0o755); // the shared copy is read-only
      const before = await one(dir);
      writeFileSync(
        join(dir, "meta.json"),
        JSON.stringify({ task_info: { patch: "GOLD-PATCH-MARKER", FAIL_TO_PASS: ["GOLD-TEST-MARKER"] } }),
      );
      writeFileSync(join(dir, "developer_patch.diff"), "GOLD-PATCH-MARKER\n");
      const after = await one(dir);
      assert.equal(after.id, before.id);
      assert.ok(!JSON.stringify(after).includes("GOLD-"));
      assert.equal(after.source.run, "acr-run-1");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
