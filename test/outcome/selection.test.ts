/** Best-of-N selection metrics (selectBest in src/eval/metrics.ts; validate's groups in src/outcome/evaluate.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectBest } from "../../src/eval/metrics.js";
import type { Example } from "../../src/outcome/cv.js";
import { liteTasks, validate } from "../../src/outcome/evaluate.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("best-of-N selection", () => {
  it("measures the gap closed by the top-scored attempt; ties at the top share the pick", () => {
    const perfect = selectBest([
      [
        { score: 0.9, label: true },
        { score: 0.1, label: false },
        { score: 0.2, label: false },
      ],
    ]);
    assert.equal(perfect.gapClosed, 1);
    const wrong = selectBest([
      [
        { score: 0.1, label: true },
        { score: 0.9, label: false },
      ],
    ]);
    assert.equal(wrong.gapClosed, -1);
    const tied = selectBest([
      [
        { score: 0.5, label: true },
        { score: 0.5, label: false },
      ],
    ]);
    assert.equal(tied.reward, 0.5);
    assert.equal(tied.gapClosed, 0);
    assert.equal(
      selectBest([
        [
          { score: 1, label: true },
          { score: 0, label: true },
        ],
      ]).gapClosed,
      null,
    );
  });

  it("counts only tasks (and task-scaffold pairs) with mixed outcomes, and only the tasks asked for", () => {
    const ex = (task: string, family: string, y: boolean, key: string): Example => ({ x: [], y, task, family, key });
    const preds = [
      { p: 0.9, e: ex("t1", "a", true, "1") },
      { p: 0.2, e: ex("t1", "a", false, "2") },
      { p: 0.8, e: ex("t1", "b", false, "3") },
      { p: 0.7, e: ex("t2", "a", false, "4") },
      { p: 0.6, e: ex("t2", "a", false, "5") },
      { p: 0.4, e: ex("t3", "b", true, "6") },
      { p: 0.3, e: ex("t3", "b", false, "7") },
    ];
    const v = validate(preds, { b: 20 });
    assert.equal(v.selectAll!.groups, 2); // t1, t3 (t2 has no resolved attempt)
    assert.equal(v.selectAll!.gapClosed.value, 1);
    assert.equal(v.selectWithin!.groups, 2); // (t1, a) and (t3, b); (t1, b) has one attempt
    const only = validate(preds, { b: 20, selectTasks: new Set(["t3"]) });
    assert.equal(only.selectAll!.groups, 1);
  });

  it("reads the SWE-bench Lite tasks from a label index (a file or its folder), or says it cannot", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-lite-"));
    const rows = [
      { instance_id: "a__b-1", benchmark: "swebench-lite-test", resolved: true },
      { instance_id: "a__b-2", benchmark: "swebench-verified", resolved: false },
      { instance_id: "a__b-3", benchmark: "swebench-lite-dev", resolved: false },
    ];
    writeFileSync(join(dir, "index.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\nnot json\n");
    assert.deepEqual([...liteTasks([dir])!].sort(), ["a__b-1", "a__b-3"]);
    assert.deepEqual([...liteTasks([join(dir, "index.jsonl")])!].sort(), ["a__b-1", "a__b-3"]);
    writeFileSync(join(dir, "plain.jsonl"), JSON.stringify({ instance_id: "x", resolved: true }) + "\n");
    assert.equal(liteTasks([join(dir, "plain.jsonl")]), null);
  });
});
