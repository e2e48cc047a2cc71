import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decide, filterReport } from "../../src/select/filter.js";
import { selectBest } from "../../src/select/select.js";
import { groupNormalize, reward } from "../../src/score/reward.js";
import { SCORE_SCHEMA, type ScoreRecord } from "../../src/types/score.js";

function rec(
  id: string,
  task: string,
  score: number | null,
  resolved: boolean | null,
  veto: string[] = [],
  fired = 0,
): ScoreRecord {
  return {
    schema: SCORE_SCHEMA,
    trajectory_id: id,
    instance_id: task,
    source: {
      format: "mini-swe-agent",
      variant: "1.1",
      file: `${id}.traj.json`,
      scaffold: "s",
      model: null,
      run: null,
    },
    label: resolved === null ? null : { resolved, origin: "test" },
    rubric: { id: "r", version: "1", hash: "h" },
    score,
    decided: 1,
    unscored: 0,
    not_applicable: 0,
    vetoed_by: veto,
    steps: 3,
    criteria: [
      {
        id: "no-loops",
        kind: "check",
        polarity: "discourage",
        weight: 1,
        severity: "minor",
        status: "decided",
        value: fired,
        goodness: 1 - fired,
        evidence: fired ? [1] : [],
        explanation: "",
        by: "check:repeats_actions",
      },
    ],
    provenance: { rubricate: "0", judge: null },
  };
}

const records = [
  rec("a1", "A", 0.9, true),
  rec("a2", "A", 0.5, true, [], 1),
  rec("a3", "A", 0.95, false),
  rec("b1", "B", 0.8, true, ["no-weakened-tests"]),
  rec("b2", "B", 0.2, false, [], 1),
  rec("c1", "C", 0.75, null),
];

describe("rewards", () => {
  it("rubric, terminal, linear and stratified", () => {
    const r = rec("x", "X", 0.8, false);
    assert.equal(reward(r, { mode: "rubric" }), 0.8);
    assert.equal(reward(r, { mode: "terminal" }), 0);
    assert.equal(reward(r, { mode: "linear", alpha: 0.25 }), 0.2);
    assert.equal(reward(rec("y", "Y", 0.8, null), { mode: "terminal" }), null);
  });
  it("stratified: every resolved trajectory outranks every unresolved one, the rubric orders within groups", () => {
    const xs = [rec("1", "T", 0, true), rec("2", "T", 1, false), rec("3", "T", 0.6, true), rec("4", "T", 0.3, false)];
    const v = xs.map((x) => reward(x, { mode: "stratified" })!);
    assert.ok(Math.min(v[0], v[2]) > Math.max(v[1], v[3]));
    assert.ok(v[2] > v[0] && v[1] > v[3]);
  });
  it("group normalisation has mean 0 and unit spread per task", () => {
    const z = groupNormalize([
      { task: "a", value: 1 },
      { task: "a", value: 3 },
      { task: "b", value: 5 },
      { task: "b", value: 5 },
    ]);
    assert.deepEqual(z, [-1, 1, 0, 0]);
  });
});

describe("filter", () => {
  it("terminal keeps resolved trajectories", () => {
    const d = decide(records, { policy: "terminal", threshold: 0.7 });
    assert.deepEqual(
      [...d]
        .filter(([, x]) => x.kept)
        .map(([k]) => k)
        .sort(),
      ["a1", "a2", "b1"],
    );
    assert.equal(d.get("c1")!.reason, "no outcome label");
  });
  it("hybrid needs resolved, no veto and the threshold", () => {
    const d = decide(records, { policy: "hybrid", threshold: 0.7 });
    assert.deepEqual(
      [...d].filter(([, x]) => x.kept).map(([k]) => k),
      ["a1"],
    );
    assert.match(d.get("a2")!.reason, /score 0\.500 below 0\.7/);
    assert.match(d.get("b1")!.reason, /vetoed by no-weakened-tests/);
    assert.equal(d.get("a3")!.reason, "unresolved");
  });
  it("rubric ignores labels; per-task cap keeps the best; coverage rescues a task but never a veto", () => {
    const d = decide(records, { policy: "rubric", threshold: 0.4, perTask: 1 });
    assert.deepEqual(
      [...d]
        .filter(([, x]) => x.kept)
        .map(([k]) => k)
        .sort(),
      ["a3", "c1"],
    );
    assert.match(d.get("a1")!.reason, /per-task cap of 1 \(rank 2\)/);
    const cov = decide(records, { policy: "hybrid", threshold: 0.99, coverage: true });
    assert.deepEqual(
      [...cov].filter(([, x]) => x.kept).map(([k]) => k),
      ["a1"],
    );
  });
  it("the report counts kept, tasks and each criterion's fire rate before and after", () => {
    const o = { policy: "hybrid" as const, threshold: 0.7 };
    const rep = filterReport(records, decide(records, o), o);
    assert.equal(rep.kept, 1);
    assert.deepEqual(rep.tasks, { before: 3, after: 1 });
    assert.deepEqual(rep.criteria[0], {
      id: "no-loops",
      behaviour: "loops (no-loops)",
      polarity: "discourage",
      before: 2 / 6,
      after: 0,
    });
  });
});

describe("select", () => {
  it("picks the highest reward per task with deterministic ties", () => {
    const tie = [...records, rec("a0", "A", 0.95, true)];
    const c = selectBest(tie, { mode: "rubric" });
    assert.deepEqual(
      c.map((x) => [x.instance_id, x.trajectory_id]),
      [
        ["A", "a0"],
        ["B", "b1"],
        ["C", "c1"],
      ],
    );
    assert.equal(selectBest(records, { mode: "terminal" }).find((x) => x.instance_id === "A")!.trajectory_id, "a1");
  });
});
