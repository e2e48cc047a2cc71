import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { IngestError } from "../../src/io/error.js";
import { LabelIndex } from "../../src/labels/join.js";
import { bare } from "../build.js";
import { parseLabelFile } from "../../src/labels/parse.js";
import type { Trajectory } from "../../src/types/trajectory.js";

const dir = mkdtempSync(join(tmpdir(), "rubricate-labels-"));
function write(name: string, content: unknown): string {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

function traj(instance: string, run: string | null, file = join(dir, "x.traj")): Trajectory {
  return bare(instance, { file, run });
}

describe("label files", () => {
  it("reads a keyed SWE-bench report.json with tests_status", async () => {
    const p = write("logs/a__b-1/report.json", {
      "a__b-1": {
        patch_exists: true,
        resolved: true,
        tests_status: {
          FAIL_TO_PASS: { success: ["t1"], failure: [] },
          PASS_TO_PASS: { success: [], failure: ["t2"] },
        },
      },
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
    const p = write("model.run1.json", {
      resolved_ids: ["r1"],
      unresolved_ids: ["u1"],
      empty_patch_ids: ["e1"],
      error_ids: [],
    });
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
    assert.deepEqual(
      (await parseLabelFile(p)).map((e) => [e.instance_id, e.resolved]),
      [["x__y-9", true]],
    );
  });

  it("reads CSV and JSONL tables, matching by trajectory path before run and instance", async () => {
    write("runs/r1/a.traj", "{}");
    const csv = write(
      "labels.csv",
      "instance_id,resolved,trajectory,run\na,true,runs/r1/a.traj,\na,false,,r2\nb,0,,\nc,,,\n",
    );
    const idx = new LabelIndex();
    idx.add(await parseLabelFile(csv));
    assert.equal(idx.lookup(traj("a", "r1", join(dir, "runs/r1/a.traj")))?.resolved, true);
    assert.equal(idx.lookup(traj("a", "r2", join(dir, "runs/r2/a.traj")))?.resolved, false);
    assert.equal(idx.lookup(traj("b", null))?.resolved, false);
    assert.equal(idx.lookup(traj("c", null)), undefined, "an empty resolved cell is 'not evaluated'");
    const jsonl = write("t.jsonl", '{"instance_id":"q","resolved":true}\n{"instance_id":"w","resolved":"maybe"}\n');
    await assert.rejects(
      parseLabelFile(jsonl),
      (e: unknown) => e instanceof IngestError && e.line === 2 && e.field === "resolved",
    );
  });

  it("rejects a JSON file that holds no labels, naming it", async () => {
    const p = write("notlabels.json", { hello: 1 });
    await assert.rejects(parseLabelFile(p), /notlabels\.json.*|not a label file/);
  });

  it("reports a missing --labels path without stopping", async () => {
    const idx = await LabelIndex.load([
      join(dir, "nope.json"),
      write("ok.json", { resolved_ids: ["k"], unresolved_ids: [] }),
    ]);
    assert.equal(idx.errors.length, 1);
    assert.match(idx.errors[0].describe(), /nope\.json: labels: no such file/);
    assert.equal(idx.lookup(traj("k", null))?.resolved, true);
  });

  it("reads JSON with trailing commas and a byte-order mark, in reports and in JSONL table rows", async () => {
    const p = write(
      "lenient/run1/results.json",
      '\uFEFF{\n  "resolved": ["a__b-1", "a__b-2",],\n  "empty_patch_ids": ["a__b-3",\n  ],\n  "note": "x, ]",\n}\n',
    );
    const m = new Map((await parseLabelFile(p)).map((e) => [e.instance_id, e]));
    assert.equal(m.get("a__b-1")?.resolved, true);
    assert.equal(m.get("a__b-3")?.resolved, false);
    assert.match(m.get("a__b-3")!.origin, /results\.json#empty_patch_ids$/);
    const t = write("lenient/t.jsonl", '{"instance_id": "q__r-1", "resolved": true,}\n');
    assert.equal((await parseLabelFile(t))[0].resolved, true);
  });

  it("a JSON label file that cannot be read errors with its name and line; the other --labels files still label", async () => {
    const bad = write("broken/run1/results.json", '{\n  "resolved": [\n    "a__b-1"\n    "a__b-2"\n  ]\n}\n');
    await assert.rejects(
      parseLabelFile(bad),
      (e: unknown) =>
        e instanceof IngestError && e.line === 4 && /results\.json:4: malformed JSON at line 4/.test(e.describe()),
    );
    const good = write("good/run1/final_report.json", { resolved: ["a__b-1"] });
    const idx = await LabelIndex.load([bad, good]);
    assert.equal(idx.errors.length, 1);
    assert.match(idx.errors[0].describe(), /broken\/run1\/results\.json:4:/);
    assert.equal(idx.lookup(traj("a__b-1", "run1"))?.resolved, true);
    assert.equal(idx.lookup(traj("a__b-9", "run1"))?.resolved, false);
  });

  it("a list of the wrong shape errors naming the field and its line", async () => {
    const p = write("shape/results.json", '{\n  "resolved": ["a__b-1"],\n  "empty_patch_ids": "a__b-2"\n}\n');
    await assert.rejects(
      parseLabelFile(p),
      (e: unknown) =>
        e instanceof IngestError &&
        e.line === 3 &&
        e.field === "empty_patch_ids" &&
        /expected a list of instance ids/.test(e.message),
    );
    const q = write("shape2/results.json", '{\n  "resolved_ids": ["a__b-1", 7]\n}\n');
    await assert.rejects(
      parseLabelFile(q),
      (e: unknown) =>
        e instanceof IngestError && e.line === 2 && e.field === "resolved_ids" && /item 2/.test(e.message),
    );
  });

  it("an id listed as resolved and as failed is an error naming both lists", async () => {
    const p = write("conflict/results.json", '{\n  "resolved": ["a__b-1"],\n  "no_generation": ["a__b-1"]\n}\n');
    await assert.rejects(
      parseLabelFile(p),
      (e: unknown) =>
        e instanceof IngestError &&
        e.line === 3 &&
        /a__b-1 is listed both in 'resolved' and in 'no_generation'/.test(e.message),
    );
  });

  it("reads per-project resolved lists; a report with only resolved and failed lists makes unlisted ids false", async () => {
    const p = write("perproject/run1/final_report.json", {
      stats: { resolved: 1 },
      resolved: { "a/b": ["a__b-1"], "c/d": [] },
      no_logs: ["a__b-2"],
    });
    const m = new Map((await parseLabelFile(p)).map((e) => [e.instance_id, e]));
    assert.equal(m.get("a__b-1")?.resolved, true);
    assert.match(m.get("a__b-1")!.origin, /#resolved\.a\/b$/);
    assert.equal(m.get("a__b-2")?.resolved, false);
    assert.equal(m.get("*")?.resolved, false);
  });

  it("reads Markdown reports: bullets, tables, links and code spans under outcome headings", async () => {
    const p = write(
      "md/run1/report.md",
      [
        "# Report",
        "",
        "## Summary",
        "- resolved instances: 2",
        "| Resolved | Count |",
        "| --- | --- |",
        "| Yes | 2 |",
        "",
        "## Resolved",
        "- [a__b-1](logs/a__b-1.log)",
        "* `a__b-2`",
        "",
        "### Partially resolved",
        "| Instance ID | Repo |",
        "| --- | --- |",
        "| a__b-3 | a/b |",
        "## Failed to apply",
        "1. a__b-4 (patch rejected)",
        "## Not evaluated",
        "- a__b-5",
        "```",
        "## Resolved",
        "- a__b-6",
        "```",
        "",
      ].join("\n"),
    );
    const m = new Map((await parseLabelFile(p)).map((e) => [e.instance_id, [e.resolved, e.origin.replace(/.*#/, "")]]));
    assert.deepEqual(
      Object.fromEntries(m),
      {
        "a__b-1": [true, "Resolved"],
        "a__b-2": [true, "Resolved"],
        "a__b-3": [false, "Partially resolved"],
        "a__b-4": [false, "Failed to apply"],
      },
      "a not-evaluated section lists no labels and means unlisted ids are unknown; fenced text is not read",
    );
  });

  it("Markdown: unlisted ids are false unless the report lists unevaluated ones; an id under two outcomes is an error with its line", async () => {
    const p = write("md2/run1/README.md", "### Resolved\n| [a__b-1](x) | a/b | 1.0 |\n");
    const entries = await parseLabelFile(p);
    assert.deepEqual(
      entries.map((e) => [e.instance_id, e.resolved]),
      [
        ["a__b-1", true],
        ["*", false],
      ],
    );
    const bad = write(
      "md3/run1/README.md",
      "## Resolved Instances\n- a__b-1\n\n## Unresolved Instances\n- a__b-2\n- a__b-1\n",
    );
    await assert.rejects(
      parseLabelFile(bad),
      (e: unknown) =>
        e instanceof IngestError &&
        e.line === 6 &&
        /a__b-1 is listed under 'Resolved Instances' \(line 2\) and under 'Unresolved Instances'/.test(e.message),
    );
    const none = write("md4/README.md", "# A project\n\n## Install\n- run make\n");
    await assert.rejects(
      parseLabelFile(none),
      (e: unknown) =>
        e instanceof IngestError && /md4\/README\.md: not a label file \(expected a Markdown report/.test(e.describe()),
    );
  });

  it("per-instance files given with --labels label their own run (the folder they sit in) and trajectories of unknown run", async () => {
    const a = write("instances/runA/logs/a__b-1/report.json", { "a__b-1": { resolved: true } });
    const b = write("instances/runB/logs/a__b-1/report.json", { "a__b-1": { resolved: false } });
    const idx = await LabelIndex.load([join(dir, "instances")]);
    assert.equal(idx.lookup(traj("a__b-1", "runA"))?.origin, `${a}#a__b-1.resolved`);
    assert.equal(idx.lookup(traj("a__b-1", "runB"))?.origin, `${b}#a__b-1.resolved`);
    assert.equal(idx.lookup(traj("a__b-1", "runC")), undefined);
    assert.ok(idx.lookup(traj("a__b-1", null)));
  });
});
