import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { IngestError } from "../../src/io/error.js";
import { LabelIndex } from "../../src/labels/join.js";
import { parseLabelFile } from "../../src/labels/parse.js";
import { TRAJECTORY_SCHEMA, type Trajectory } from "../../src/types/trajectory.js";

const dir = mkdtempSync(join(tmpdir(), "rubricate-labels-"));
function write(name: string, content: unknown): string {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

function traj(instance: string, run: string | null, file = join(dir, "x.traj")): Trajectory {
  return {
    schema: TRAJECTORY_SCHEMA, id: "x", instance_id: instance, task: null, messages: [], steps: [], patch: null,
    exit_status: null, stats: {}, label: null,
    source: { format: "sweagent-traj", variant: "0.x", file, scaffold: "SWE-agent", model: null, run },
  };
}

describe("label files", () => {
  it("reads a keyed SWE-bench report.json with tests_status", async () => {
    const p = write("logs/a__b-1/report.json", {
      "a__b-1": { patch_exists: true, resolved: true, tests_status: { FAIL_TO_PASS: { success: ["t1"], failure: [] }, PASS_TO_PASS: { success: [], failure: ["t2"] } } },
    });
    const [e] = await parseLabelFile(p);
    assert.equal(e.instance_id, "a__b-1");
    assert.equal(e.resolved, true);
    assert.deepEqual(e.tests?.PASS_TO_PASS.failure, ["t2"]);
    assert.match(e.origin, /report\.json#a__b-1\.resolved$/);
  });

  it("reads a flat report.json, taking the instance from its folder", async () => {
    const p = write("logs/c__d-2/report.json", { patch_exists: true, resolved: false, tests_status: {} });
    const [e] = await parseLabelFile(p);
    assert.equal(e.instance_id, "c__d-2");
    assert.equal(e.resolved, false);
  });

  it("reads a harness summary: listed ids are true, other listed ids false, unlisted unknown", async () => {
    const p = write("model.run1.json", { resolved_ids: ["r1"], unresolved_ids: ["u1"], empty_patch_ids: ["e1"], error_ids: [] });
    const entries = await parseLabelFile(p);
    const m = new Map(entries.map((e) => [e.instance_id, e.resolved]));
    assert.equal(m.get("r1"), true);
    assert.equal(m.get("u1"), false);
    assert.equal(m.get("e1"), false);
    assert.equal(m.has("zz"), false);
  });

  it("reads a bare resolved list (old final_report.json): unlisted means false", async () => {
    const idx = new LabelIndex();
    idx.add(await parseLabelFile(write("final_report.json", { resolved: ["a"] })));
    assert.equal(idx.lookup(traj("a", null))?.resolved, true);
    assert.equal(idx.lookup(traj("b", null))?.resolved, false);
  });

  it("reads evaluation logs", async () => {
    const p = write("run_instance.log", "2024 - INFO - stuff\nResult for x__y-9: resolved: True\n");
    assert.deepEqual((await parseLabelFile(p)).map((e) => [e.instance_id, e.resolved]), [["x__y-9", true]]);
  });

  it("reads CSV and JSONL tables, matching by trajectory path before run and instance", async () => {
    write("runs/r1/a.traj", "{}");
    const csv = write("labels.csv", "instance_id,resolved,trajectory,run\na,true,runs/r1/a.traj,\na,false,,r2\nb,0,,\nc,,,\n");
    const idx = new LabelIndex();
    idx.add(await parseLabelFile(csv));
    assert.equal(idx.lookup(traj("a", "r1", join(dir, "runs/r1/a.traj")))?.resolved, true);
    assert.equal(idx.lookup(traj("a", "r2", join(dir, "runs/r2/a.traj")))?.resolved, false);
    assert.equal(idx.lookup(traj("b", null))?.resolved, false);
    assert.equal(idx.lookup(traj("c", null)), undefined, "an empty resolved cell is 'not evaluated'");
    const jsonl = write("t.jsonl", '{"instance_id":"q","resolved":true}\n{"instance_id":"w","resolved":"maybe"}\n');
    await assert.rejects(parseLabelFile(jsonl), (e: unknown) => e instanceof IngestError && e.line === 2 && e.field === "resolved");
  });

  it("rejects a JSON file that holds no labels, naming it", async () => {
    const p = write("notlabels.json", { hello: 1 });
    await assert.rejects(parseLabelFile(p), /notlabels\.json.*|not a label file/);
  });

  it("reports a missing --labels path without stopping", async () => {
    const idx = await LabelIndex.load([join(dir, "nope.json"), write("ok.json", { resolved_ids: ["k"], unresolved_ids: [] })]);
    assert.equal(idx.errors.length, 1);
    assert.match(idx.errors[0].describe(), /nope\.json: labels: no such file/);
    assert.equal(idx.lookup(traj("k", null))?.resolved, true);
  });
});
