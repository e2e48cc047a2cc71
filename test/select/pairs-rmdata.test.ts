import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { choosePairs, pairReport, spread, standings, type Attempt } from "../../src/select/pairs.js";
import { patchKey, planRm, type Sample } from "../../src/select/rmdata.js";
import { pResolved } from "../../src/score/reward.js";
import type { ScoreRecord } from "../../src/types/score.js";

const attempt = (
  id: string,
  resolved: boolean | null,
  score: number | null,
  extra: Partial<Attempt> = {},
): Attempt => ({
  id,
  task: "t1",
  group: "t1:p",
  resolved,
  vetoed: false,
  score,
  p: null,
  ...extra,
});

describe("preference pairs", () => {
  it("chosen: resolved and within the margin of the best; rejected: unresolved, vetoed, or clearly worse", () => {
    const xs = [
      attempt("best", true, 0.95, { p: 0.8 }),
      attempt("near", true, 0.9),
      attempt("worse", true, 0.7),
      attempt("fail", false, 0.96, { p: 0.5 }),
      attempt("veto", true, 0.0, { vetoed: true }),
      attempt("nolabel", null, 0.99),
    ];
    const s = standings(xs, 0.1);
    assert.deepEqual(
      xs.map((a) => s.get(a.id)),
      ["good", "good", "bad", "bad", "bad", null],
    );
    const pairs = choosePairs(xs, { margin: 0.1, perTask: 100 });
    const kinds = new Map(pairs.map((p) => [`${p.chosen}>${p.rejected}`, p.kind]));
    assert.equal(kinds.get("best>fail"), "outcome");
    assert.equal(kinds.get("best>veto"), "veto");
    assert.equal(kinds.get("best>worse"), "behaviour");
    assert.equal(kinds.get("near>worse"), "behaviour"); // 0.9 - 0.7 >= 0.1
    assert.ok(!pairs.some((p) => p.chosen === "nolabel" || p.rejected === "nolabel"));
    const outcome = pairs.find((p) => p.chosen === "best" && p.rejected === "fail")!;
    assert.ok(Math.abs(outcome.p_margin! - 0.3) < 1e-9);
    assert.ok(Math.abs(outcome.margin! + 0.01) < 1e-9);
  });

  it("a behaviour pair needs the margin between the two attempts themselves", () => {
    const xs = [attempt("a", true, 0.95), attempt("b", true, 0.88), attempt("c", true, 0.8)];
    // b is good (within 0.1 of a); c is bad (0.15 below a) but only 0.08 below b
    const pairs = choosePairs(xs, { margin: 0.1, perTask: 10 });
    assert.deepEqual(
      pairs.map((p) => `${p.chosen}>${p.rejected}`),
      ["a>c"],
    );
  });

  it("the cap is per task over all its prompt groups: outcome pairs first, uses spread", () => {
    const xs = [
      attempt("g1", true, 0.9),
      attempt("g2", true, 0.9),
      attempt("u1", false, 0.5),
      attempt("u2", false, 0.5),
      attempt("v1", true, 0.1, { vetoed: true }),
      attempt("h1", true, 0.9, { group: "t1:q" }),
      attempt("h2", false, 0.2, { group: "t1:q" }),
    ];
    const pairs = choosePairs(xs, { margin: 0.1, perTask: 3 });
    assert.equal(pairs.length, 3);
    assert.ok(pairs.every((p) => p.kind === "outcome"));
    // three outcome pairs from three different chosen attempts before any is reused
    assert.equal(new Set(pairs.map((p) => p.chosen)).size, 3);
    const rep = pairReport(xs, pairs, 0.1);
    assert.deepEqual(rep.perTask, { "3": 1 });
    assert.equal(rep.splitTasks, 1);
  });

  it("spread takes every candidate once the cap allows, reusing items only when it must", () => {
    const c = (a: string, b: string) => ({ a, b, rank: 0, gap: 0 });
    const got = spread([c("x", "1"), c("x", "2"), c("y", "1"), c("y", "2")], 2);
    assert.equal(got.length, 2);
    assert.equal(new Set(got.map((g) => g.a)).size, 2);
    assert.equal(new Set(got.map((g) => g.b)).size, 2);
    assert.equal(spread([c("x", "1"), c("x", "2")], 5).length, 2);
  });

  it("p(resolved) is read from a top-level field when present, else from the outcome criterion", () => {
    const rec = {
      criteria: [{ id: "o", kind: "outcome", status: "decided", value: 0.42 }],
    } as unknown as ScoreRecord;
    assert.equal(pResolved(rec), 0.42);
    assert.equal(pResolved({ ...rec, p_resolved: 0.7 } as ScoreRecord), 0.7);
    assert.equal(pResolved({ criteria: [] } as unknown as ScoreRecord), null);
  });
});

describe("reward-model data plan", () => {
  const s = (id: string, task: string, label: boolean, group: string, patch: string | null = id): Sample => ({
    id,
    task,
    label,
    group,
    patch: patchKey(patch),
  });

  it("merges identical patches of a task and drops a patch seen with both outcomes", () => {
    const plan = planRm(
      [
        s("a", "t1", true, "g", "diff x\nindex 1..2\n+y  "),
        s("b", "t1", true, "g", "diff x\nindex 3..4\n+y"),
        s("c", "t2", true, "g", "same"),
        s("d", "t2", false, "g", "same"),
        s("e", "t3", false, "g", null),
        s("f", "t3", false, "g", null),
      ],
      { ratio: 1, validation: 0, seed: "s" },
    );
    assert.equal(plan.duplicates, 1);
    assert.equal(plan.conflicting, 2);
    // one positive (a or b) and, at 1:1, one of the two patchless negatives
    assert.equal(plan.train.filter((x) => x.label).length, 1);
    assert.equal(plan.train.filter((x) => !x.label).length, 1);
  });

  it("meets the ratio exactly and a mixture's shares exactly, without repeating a sample", () => {
    const samples: Sample[] = [];
    for (let i = 0; i < 40; i++) samples.push(s(`a${i}`, `ta${i}`, i < 30, "A"));
    for (let i = 0; i < 20; i++) samples.push(s(`b${i}`, `tb${i}`, i < 5, "B"));
    const all = planRm(samples, { ratio: 2, validation: 0, seed: "s", balance: "all" });
    const pos = all.train.filter((x) => x.label).length;
    const neg = all.train.length - pos;
    assert.equal(pos, 2 * neg);
    assert.equal(neg, 17); // 35 positives allow 17 negatives, which allow 34 positives
    // by default the ratio holds within each group: A 30/10 keeps 20/10, B 5/15 keeps 4/2
    const plain = planRm(samples, { ratio: 2, validation: 0, seed: "s" });
    assert.deepEqual(
      plain.table.map((r) => [r.group, r.kept.pos, r.kept.neg]),
      [
        ["A", 20, 10],
        ["B", 4, 2],
      ],
    );
    const mix = planRm(samples, {
      ratio: 2,
      validation: 0,
      seed: "s",
      mixture: new Map([
        ["A", 1],
        ["B", 1],
      ]),
    });
    const a = mix.table.find((r) => r.group === "A")!;
    const b = mix.table.find((r) => r.group === "B")!;
    assert.equal(a.kept.pos + a.kept.neg, b.kept.pos + b.kept.neg);
    assert.equal(a.kept.pos, 2 * a.kept.neg);
    assert.equal(b.kept.pos, 2 * b.kept.neg);
    assert.equal(b.kept.neg, 2); // B's 5 positives bind: 2 negatives, 4 positives
    assert.equal(new Set(mix.train.map((x) => x.id)).size, mix.train.length);
  });

  it("splits by task: a task's samples are all on one side; the same seed gives the same split", () => {
    const samples: Sample[] = [];
    for (let t = 0; t < 50; t++) for (let k = 0; k < 3; k++) samples.push(s(`t${t}-${k}`, `t${t}`, k === 0, "A"));
    const one = planRm(samples, { ratio: 0.5, validation: 0.2, seed: "x" });
    const two = planRm(samples, { ratio: 0.5, validation: 0.2, seed: "x" });
    const trainTasks = new Set(one.train.map((x) => x.task));
    assert.ok(one.validation.length > 0 && one.validation.every((x) => !trainTasks.has(x.task)));
    assert.deepEqual(
      one.validation.map((x) => x.id),
      two.validation.map((x) => x.id),
    );
  });
});
