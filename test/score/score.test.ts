import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parseRubric, loadRubric } from "../../src/rubric/load.js";
import { aggregate } from "../../src/score/aggregate.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { scoreStream } from "../../src/score/stream.js";
import { ScoreRecordSchema, type CriterionResult, type ScoreRecord } from "../../src/types/score.js";
import { ROOT } from "../helpers.js";

function cr(
  id: string,
  polarity: "encourage" | "discourage",
  weight: number,
  value: number | null,
  severity: "critical" | "major" | "minor" = "major",
): CriterionResult {
  const goodness = value === null ? null : polarity === "encourage" ? value : 1 - value;
  return {
    id,
    kind: "check",
    polarity,
    weight,
    severity,
    status: value === null ? "unscored" : "decided",
    value,
    goodness,
    evidence: [],
    explanation: "",
    by: "test",
  };
}

describe("aggregation", () => {
  const agg = { method: "weighted" as const, veto: true, veto_score: 0 };
  it("is the weighted mean of goodness over decided criteria", () => {
    const r = aggregate(
      [
        cr("a", "encourage", 2, 1),
        cr("b", "discourage", 1, 1),
        cr("c", "discourage", 1, 0),
        cr("d", "encourage", 5, null),
      ],
      agg,
    );
    assert.equal(r.score, (2 * 1 + 1 * 0 + 1 * 1) / 4);
  });
  it("lets a critical criterion judged bad veto the score", () => {
    const r = aggregate([cr("a", "encourage", 2, 1), cr("x", "discourage", 1, 1, "critical")], agg);
    assert.equal(r.score, 0);
    assert.deepEqual(r.vetoed_by, ["x"]);
    assert.equal(
      aggregate([cr("a", "encourage", 2, 1), cr("x", "discourage", 1, 1, "critical")], { ...agg, veto: false }).score,
      2 / 3,
    );
  });
  it("is null, not 0, when nothing was decided", () => {
    assert.equal(aggregate([cr("a", "encourage", 1, null)], agg).score, null);
  });
});

describe("scoring", () => {
  it("scores the examples: valid records, judge criteria unscored with a reason, good attempts above sloppy ones", async () => {
    const rubric = loadRubric("swe-default");
    const records: ScoreRecord[] = [];
    // outcome: null = no outcome model (the default is the shipped one, as the CLI's)
    for await (const ev of scoreStream([join(ROOT, "examples")], { rubric, outcome: null })) {
      assert.notEqual(ev.type, "error");
      if (ev.type === "record") records.push(ev.record);
    }
    assert.equal(records.length, 8);
    for (const r of records) {
      ScoreRecordSchema.parse(r);
      assert.equal(r.rubric.hash, rubric.hash);
      assert.equal(r.decided + r.unscored + r.not_applicable, rubric.criteria.length);
      for (const c of r.criteria.filter((c) => c.kind === "judge" && c.status === "unscored"))
        assert.equal(c.reason, "no_judge");
      const outcome = r.criteria.find((c) => c.kind === "outcome")!;
      assert.equal(outcome.status, "unscored");
      assert.equal(outcome.reason, "no_outcome_model");
    }
    const by = (run: string, id: string) => records.find((r) => r.source.run === run && r.instance_id === id)!;
    // run-a textkit reproduces, fixes and verifies; run-b edits the test to pass
    assert.ok(by("run-a", "textkit__textkit-42").score! > by("run-b", "textkit__textkit-42").score!);
    const tamper = by("run-b", "textkit__textkit-42").criteria.find((c) => c.id === "no-test-tampering")!;
    assert.equal(tamper.value, 1);
    assert.ok(tamper.evidence.length > 0);
    // the step-limit attempt has no patch: the critical criterion vetoes
    const limit = by("run-a", "tinydates__tinydates-9");
    assert.deepEqual(limit.vetoed_by, ["submits-a-patch"]);
    assert.equal(limit.score, 0);
  });

  it("conditions make criteria not applicable instead of failing them", async () => {
    const rubric = parseRubric(
      `id: t\nversion: 1\ncriteria:\n  - {id: v, title: V, question: V?, polarity: encourage, weight: 1, kind: check, check: verifies_after_last_edit, when: {has_patch: true}}\n`,
      "t.yaml",
    );
    const t = {
      schema: "rubricate.trajectory/1" as const,
      id: "x",
      instance_id: "i",
      task: null,
      messages: [],
      steps: [],
      patch: null,
      exit_status: "Submitted",
      stats: {},
      label: null,
      source: { format: "mini-swe-agent" as const, variant: "1.1", file: "f", scaffold: "s", model: null, run: null },
    };
    const r = await scoreTrajectory(t, rubric);
    assert.equal(r.criteria[0].status, "not_applicable");
    assert.match(r.criteria[0].explanation, /only for trajectories with a patch/);
    assert.equal(r.score, null);
  });
});

describe("rubricate score (CLI)", () => {
  const CLI = join(ROOT, "dist", "src", "cli", "main.js");
  it("writes records and the closing table; a bad rubric fails before any work", () => {
    const out = join(mkdtempSync(join(tmpdir(), "rubricate-score-")), "s.jsonl");
    const r = spawnSync(process.execPath, [CLI, "score", "examples", "-o", out], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 8);
    assert.match(r.stderr, /behaviour\s+kind\s+present: all\s+resolved\s+unresolved/);
    assert.match(r.stderr, /- existing tests modified \(no-test-tampering\)\s+check/);
    assert.match(r.stderr, /8 trajectories \(4 resolved, 4 unresolved, 0 unlabelled\)/);
    const bad = join(mkdtempSync(join(tmpdir(), "rubricate-score-")), "bad.yaml");
    writeFileSync(
      bad,
      "id: b\nversion: 1\ncriteria:\n  - {id: a, title: A, question: A?, polarity: encourage, weight: x, kind: check, check: nope}\n",
    );
    const b = spawnSync(process.execPath, [CLI, "score", "examples", "--rubric", bad], { cwd: ROOT, encoding: "utf8" });
    assert.notEqual(b.status, 0);
    assert.equal(b.stdout, "");
    assert.match(b.stderr, /bad\.yaml:4:\d+: criteria\[0\] \(a\)\.weight: expected number/);
  });

  it("--jobs gives the same records as one thread; the shipped outcome model decides the outcome criterion unless turned off", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-jobs-"));
    const one = join(dir, "one.jsonl");
    const two = join(dir, "two.jsonl");
    for (const [out, jobs] of [
      [one, "1"],
      [two, "2"],
    ]) {
      const r = spawnSync(process.execPath, [CLI, "score", "examples", "-q", "--jobs", jobs, "-o", out], {
        cwd: ROOT,
        encoding: "utf8",
      });
      assert.equal(r.status, 0, r.stderr);
    }
    const a = readFileSync(one, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const b = readFileSync(two, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(b, a);
    for (const r of a) {
      const c = r.criteria.find((x: { kind: string }) => x.kind === "outcome");
      assert.equal(c.status, "decided");
      assert.match(c.by, /^outcome-model:/);
    }
    const off = join(dir, "off.jsonl");
    const r = spawnSync(process.execPath, [CLI, "score", "examples", "-q", "--no-outcome-model", "-o", off], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const c = JSON.parse(readFileSync(off, "utf8").split("\n")[0]).criteria.find(
      (x: { kind: string }) => x.kind === "outcome",
    );
    assert.equal(c.reason, "no_outcome_model");
    // eval of those records by p(resolved) has nothing to rank and says why (not "give labels"), exit 1
    const ev = spawnSync(process.execPath, [CLI, "eval", off, "--bootstrap", "0"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(ev.status, 1);
    assert.match(ev.stderr, /labelled records, none with a value for the resolved reward .*--reward rubric/);
    const byRubric = spawnSync(process.execPath, [CLI, "eval", off, "--bootstrap", "0", "--reward", "rubric"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(byRubric.status, 0, byRubric.stderr);
    const bad = spawnSync(process.execPath, [CLI, "score", "examples", "--outcome-model", join(dir, "missing.json")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /missing\.json: cannot read outcome model/);
  });
});
