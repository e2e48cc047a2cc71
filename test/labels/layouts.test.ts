/**
 * Label files in the layouts real runs publish them in, beside the runs they
 * label (fixtures under test/fixtures/labels, written in the upstream shapes
 * with made-up instances): found automatically, given with --labels, and never
 * used for another run's trajectories.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import type { IngestError } from "../../src/io/error.js";
import { LabelFinder } from "../../src/labels/join.js";
import { readTrajectories, type ReadOptions } from "../../src/labels/stream.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bare } from "../build.js";
import { FIXTURES } from "../helpers.js";

const LABELS = join(FIXTURES, "labels");
const at = (rel: string) => join(LABELS, rel);

interface Read {
  /** "<run>/<instance>" -> [resolved, origin] or null */
  labels: Map<string, [boolean, string] | null>;
  errors: IngestError[];
  trajectories: Trajectory[];
}

async function read(inputs: string[], opts: ReadOptions = {}): Promise<Read> {
  const labels = new Map<string, [boolean, string] | null>();
  const errors: IngestError[] = [];
  const trajectories: Trajectory[] = [];
  for await (const ev of readTrajectories(inputs, opts)) {
    if (ev.type === "error") errors.push(ev.error);
    if (ev.type !== "trajectory") continue;
    const t = ev.trajectory;
    trajectories.push(t);
    labels.set(`${t.source.run}/${t.instance_id}`, t.label ? [t.label.resolved, t.label.origin] : null);
  }
  return { labels, errors, trajectories };
}

/** Assert the labels of `got` for the keys in `want` (origin as a suffix of the label's origin). */
function expectLabels(got: Read, want: Record<string, [boolean, string] | null>): void {
  assert.deepEqual(
    got.errors.map((e) => e.describe()),
    [],
  );
  for (const [key, w] of Object.entries(want)) {
    assert.ok(got.labels.has(key), `no trajectory ${key} (have ${[...got.labels.keys()].join(", ")})`);
    const g = got.labels.get(key)!;
    if (w === null) {
      assert.equal(g, null, `${key} should have no label, got ${JSON.stringify(g)}`);
      continue;
    }
    assert.ok(g, `${key} has no label`);
    assert.equal(g[0], w[0], `${key}: resolved ${g[0]} (from ${g[1]})`);
    assert.ok(g[1].endsWith(w[1]), `${key}: origin ${g[1]} should end with ${w[1]}`);
  }
}

describe("run reports found beside the run", () => {
  it("SWE-agent final_report.json (stats, resolved, resolved_per_project): listed ids true, the run's other attempts false, run cost_b (no report) unlabelled", async () => {
    expectLabels(await read([at("sweagent")]), {
      "cost_a/acme__widgets-12": [true, "sweagent/cost_a/final_report.json#resolved"],
      "cost_a/acme__widgets-15": [false, "sweagent/cost_a/final_report.json#resolved (not listed)"],
      "cost_a/acme__gears-3": [false, "sweagent/cost_a/final_report.json#resolved (not listed)"],
      "cost_b/acme__widgets-12": null,
      "cost_b/acme__widgets-15": null,
    });
  });

  it("experiments results/results.json (no_generation, no_logs, resolved): failures false under their list, unlisted ids false", async () => {
    const f = "20240101_acme-agent/results/results.json";
    expectLabels(await read([at("experiments/evaluation/lite")]), {
      "20240101_acme-agent/acme__widgets-12": [true, `${f}#resolved`],
      "20240101_acme-agent/acme__widgets-15": [false, `${f}#resolved (not listed)`],
      "20240101_acme-agent/acme__gears-3": [false, `${f}#no_generation`],
      "20240101_acme-agent/acme__gears-8": [false, `${f}#no_logs`],
    });
  });

  it("harness-summary results.json with trailing commas and `resolved` for resolved_ids: empty_patch_ids false, incomplete_ids unlabelled", async () => {
    const f = "20240102_acme-agent_big-model/results/results.json";
    const run = "20240102_acme-agent_big-model";
    expectLabels(await read([at("experiments/evaluation/java")]), {
      [`${run}/acme__sprockets-101`]: [true, `${f}#resolved`],
      [`${run}/acme__sprockets-102`]: [false, `${f}#unresolved_ids`],
      [`${run}/acme__sprockets-103`]: [false, `${f}#empty_patch_ids`],
      [`${run}/acme__sprockets-104`]: [false, `${f}#unresolved_ids`],
      [`${run}/acme__sprockets-105`]: null,
    });
  });

  it("Moatless result.json: resolved true; no_generation, no_apply and applied-but-not-resolved false", async () => {
    const run = "20240103_moatless_acme-model";
    const f = `${run}/result.json`;
    expectLabels(await read([at("moatless")]), {
      [`${run}/acme__widgets-12`]: [true, `${f}#resolved`],
      [`${run}/acme__widgets-15`]: [false, `${f}#applied (not in resolved)`],
      [`${run}/acme__gears-3`]: [false, `${f}#no_generation`],
      [`${run}/acme__gears-8`]: [false, `${f}#no_apply`],
    });
  });

  it("AutoCodeRover new_eval_results/README.md: the table under ### Resolved true, other headings false, unlisted false; preferred to old_eval_results; acr-run-2 unlabelled", async () => {
    const f = "acr-run-1/new_eval_results/README.md";
    expectLabels(await read([at("acr")]), {
      "acr-run-1/acme__widgets-12": [true, `${f}#Resolved`],
      // old_eval_results/final_report.json says resolved: the newer evaluation wins
      "acr-run-1/acme__widgets-15": [false, `${f}#Applied but not resolved`],
      "acr-run-1/acme__gears-3": [false, `${f}#Generated but not applied`],
      "acr-run-1/acme__gears-8": [false, `${f}#Resolved (not listed)`],
      "acr-run-2/acme__widgets-12": null,
    });
  });

  it("OpenHands README.md and output.swebench_eval.md beside output.jsonl: each run from its own report", async () => {
    const finder = new LabelFinder();
    const base = at("openhands/outputs/acme-bench/CodeActAgent");
    const openhands = (run: string, iid: string): Trajectory => traj(iid, run, join(base, run, "output.jsonl"), 1);
    const run1 = "acme-model_maxiter_30_run_1";
    const run2 = "acme-model_maxiter_30_run_2";
    const got = async (run: string, iid: string) => {
      const e = await finder.find(openhands(run, iid));
      return e ? [e.resolved, relative(base, e.origin)] : null;
    };
    assert.deepEqual(await got(run1, "acme__widgets-12"), [true, `${run1}/README.md#Resolved Instances`]);
    assert.deepEqual(await got(run1, "acme__widgets-15"), [false, `${run1}/README.md#Unresolved Instances`]);
    assert.deepEqual(await got(run1, "acme__gears-8"), [false, `${run1}/README.md#Error Instances`]);
    assert.deepEqual(await got(run1, "acme__gears-3"), [false, `${run1}/README.md#Empty Patch Instances`]);
    // listed as incomplete (never evaluated), and ids the report does not list at all: no label
    assert.equal(await got(run1, "acme__sprockets-101"), null);
    assert.equal(await got(run1, "acme__other-1"), null);
    // run 2 resolved what run 1 did not, and the reverse; its "Incomplete" lists an id also under "Unresolved"
    assert.deepEqual(await got(run2, "acme__widgets-15"), [true, `${run2}/output.swebench_eval.md#Resolved Instances`]);
    assert.deepEqual(await got(run2, "acme__widgets-12"), [
      false,
      `${run2}/output.swebench_eval.md#Unresolved Instances`,
    ]);
    assert.deepEqual(await got(run2, "acme__gears-8"), [false, `${run2}/output.swebench_eval.md#Unresolved Instances`]);
    assert.deepEqual(finder.takeErrors(), []);
  });

  it("an sb-cli report in trajs/sb-cli-reports labels the run whose folder holds it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-sbcli-"));
    const run = join(dir, "20240105_mini-acme");
    mkdirSync(join(run, "trajs", "sb-cli-reports"), { recursive: true });
    writeFileSync(
      join(run, "trajs", "sb-cli-reports", "acme-bench__test__20240105_submission.json"),
      JSON.stringify({
        resolved_instances: 1,
        resolved_ids: ["acme__widgets-12"],
        unresolved_ids: ["acme__widgets-15"],
        empty_patch_ids: [],
        error_ids: [],
      }),
    );
    const finder = new LabelFinder();
    const file = (iid: string) => join(run, "trajs", iid, `${iid}.traj.json`);
    assert.equal(
      (await finder.find(traj("acme__widgets-12", "20240105_mini-acme", file("acme__widgets-12"))))?.resolved,
      true,
    );
    const no = await finder.find(traj("acme__widgets-15", "20240105_mini-acme", file("acme__widgets-15")));
    assert.equal(no?.resolved, false);
    assert.match(no!.origin, /sb-cli-reports\/acme-bench__test__20240105_submission\.json#unresolved_ids$/);
    // a trajectory of another run beside it is not labelled by that report
    const other = join(dir, "20240106_mini-acme", "trajs", "acme__widgets-12", "acme__widgets-12.traj.json");
    assert.equal(await finder.find(traj("acme__widgets-12", "20240106_mini-acme", other)), undefined);
  });

  it("a broken report beside a run is reported once with its file and line; the run's per-instance log still labels its attempt", async () => {
    const got = await read([at("broken")]);
    assert.equal(got.errors.length, 1);
    assert.match(
      got.errors[0].describe(),
      /broken\/run_x\/results\/results\.json:4: malformed JSON at line 4, column 5/,
    );
    assert.deepEqual(got.labels.get("run_x/acme__widgets-12"), [true, got.labels.get("run_x/acme__widgets-12")![1]]);
    assert.match(
      got.labels.get("run_x/acme__widgets-12")![1],
      /logs\/acme__widgets-12\/run_instance\.log#Result for acme__widgets-12$/,
    );
    assert.equal(got.labels.get("run_x/acme__widgets-15"), null);
  });

  it("--no-auto-labels reads none of them", async () => {
    const got = await read([LABELS], { autoLabels: false });
    assert.ok(got.trajectories.length >= 20);
    assert.deepEqual(got.errors, []);
    assert.deepEqual([...got.labels.values()].filter(Boolean), []);
  });

  it("labels set only the label field: everything else is the same with and without them", async () => {
    const strip = (ts: Trajectory[]) => ts.map((t) => ({ ...t, label: null }));
    const withLabels = await read([at("sweagent"), at("moatless"), at("acr")]);
    const without = await read([at("sweagent"), at("moatless"), at("acr")], { autoLabels: false });
    assert.ok(withLabels.trajectories.some((t) => t.label));
    assert.deepEqual(strip(withLabels.trajectories), strip(without.trajectories));
  });
});

describe("run reports given with --labels", () => {
  it("a run's report labels only that run: cost_a's final_report.json leaves cost_b unlabelled", async () => {
    expectLabels(
      await read([at("sweagent")], { autoLabels: false, labels: [at("sweagent/cost_a/final_report.json")] }),
      {
        "cost_a/acme__widgets-12": [true, "final_report.json#resolved"],
        "cost_a/acme__widgets-15": [false, "final_report.json#resolved (not listed)"],
        "cost_b/acme__widgets-12": null,
        "cost_b/acme__widgets-15": null,
      },
    );
  });

  it("a report that labels no trajectory is an error naming it and its run; <run>=<file> takes it for another run", async () => {
    const report = at("sweagent/cost_a/final_report.json");
    const none = await read([at("sweagent/cost_b")], { autoLabels: false, labels: [report] });
    assert.deepEqual([...none.labels.values()], [null, null]);
    assert.equal(none.errors.length, 1);
    assert.match(
      none.errors[0].describe(),
      /cost_a\/final_report\.json: labels: labelled no trajectory: .*run 'cost_a'.*--labels <run>=/,
    );
    expectLabels(await read([at("sweagent/cost_b")], { autoLabels: false, labels: [`cost_b=${report}`] }), {
      "cost_b/acme__widgets-12": [true, "cost_a/final_report.json#resolved"],
      "cost_b/acme__widgets-15": [false, "cost_a/final_report.json#resolved (not listed)"],
    });
  });

  it("a folder holding many runs' reports labels each run from its own report", async () => {
    const got = await read([at("sweagent"), at("moatless"), at("acr"), at("experiments")], {
      autoLabels: false,
      labels: [LABELS],
    });
    // the broken results.json is an error; every other file still labels
    assert.deepEqual(
      got.errors.map((e) => e.describe().replace(/:.*/, "")),
      [at("broken/run_x/results/results.json")],
    );
    got.errors.length = 0;
    expectLabels(got, {
      "cost_a/acme__widgets-12": [true, "cost_a/final_report.json#resolved"],
      "cost_b/acme__widgets-12": null,
      "acr-run-1/acme__widgets-15": [false, "acr-run-1/new_eval_results/README.md#Applied but not resolved"],
      "acr-run-1/acme__gears-8": [false, "acr-run-1/new_eval_results/README.md#Resolved (not listed)"],
      "acr-run-2/acme__widgets-12": null,
      "20240103_moatless_acme-model/acme__widgets-12": [true, "20240103_moatless_acme-model/result.json#resolved"],
      "20240101_acme-agent/acme__gears-8": [false, "20240101_acme-agent/results/results.json#no_logs"],
      "20240102_acme-agent_big-model/acme__sprockets-103": [
        false,
        "20240102_acme-agent_big-model/results/results.json#empty_patch_ids",
      ],
      "20240102_acme-agent_big-model/acme__sprockets-105": null,
    });
  });
});

function traj(instance: string, run: string | null, file: string, line?: number): Trajectory {
  return bare(instance, { file, run, ...(line !== undefined ? { line } : {}) });
}
