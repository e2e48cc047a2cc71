/** Pairwise best-of-N: Bradley–Terry, the comparison budget and schedule, both orders, the protocol, select and eval. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OpenAICompatible } from "../../src/judge/backend.js";
import { firstProbability, pairwiseJudge } from "../../src/judge/protocols/pairwise.js";
import { loadRubric } from "../../src/rubric/load.js";
import { fitBradleyTerry } from "../../src/select/bradley-terry.js";
import { combined, comparisonBudget, flipRate, rankTask, type Comparison } from "../../src/select/pairwise.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { isProbe, runCli } from "./cli.js";
import { completion, startServer, userText, type TestServer } from "./server.js";

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/** A judge that knows each attempt's true strength and prefers the first position by `bias`. */
function biasedAsk(truth: Map<string, number>, bias: number, calls: [string, string][]) {
  return async (first: string, second: string) => {
    calls.push([first, second]);
    const p = Math.min(0.99, Math.max(0.01, sigma(truth.get(first)! - truth.get(second)!) + bias));
    return { p, note: `p(A) = ${p}` };
  };
}

describe("pairwise aggregation", () => {
  it("Bradley–Terry recovers log-odds from soft outcomes, stays finite on clean sweeps, and anchors unseen players at 0", () => {
    const outcomes = Array.from({ length: 400 }, () => ({ i: 0, j: 1, p: 0.75 }));
    const [a, b, c] = fitBradleyTerry(3, outcomes);
    assert.ok(Math.abs(a - b - Math.log(3)) < 0.02, `${a - b}`);
    assert.equal(c, 0);
    const sweep = fitBradleyTerry(2, [{ i: 0, j: 1, p: 1 }]);
    assert.ok(Number.isFinite(sweep[0]) && Number.isFinite(sweep[1]) && sweep[0] > sweep[1]);
    assert.throws(() => fitBradleyTerry(2, [{ i: 0, j: 1, p: 1.5 }]), /bad comparison/);
  });

  it("the budget: every pair up to N = 17, then at most ⌊2·N·log2 N⌋", () => {
    for (let n = 2; n <= 17; n++) assert.equal(comparisonBudget(n), (n * (n - 1)) / 2);
    assert.equal(comparisonBudget(18), 150);
    for (let n = 2; n <= 300; n++) assert.ok(comparisonBudget(n) <= 2 * n * Math.log2(n));
    assert.equal(comparisonBudget(1), 0);
  });

  it("all pairs in both orders for small N: position bias cancels, flips are counted, the strongest is picked", async () => {
    const truth = new Map([
      ["t1", 0],
      ["t2", 1.5],
      ["t3", 0.1],
      ["t4", -1],
    ]);
    const calls: [string, string][] = [];
    const r = await rankTask("task", [...truth.keys()], biasedAsk(truth, 0.05, calls), "judge:x");
    assert.equal(r.comparisons.length, 6);
    assert.equal(calls.length, 12, "each pair in both orders");
    for (const c of r.comparisons) {
      assert.ok(calls.some(([f, s]) => f === c.a && s === c.b) && calls.some(([f, s]) => f === c.b && s === c.a));
      const want = sigma(truth.get(c.a)! - truth.get(c.b)!);
      assert.ok(Math.abs(c.p! - want) < 1e-9, "the mean of both orders has no position bias");
      // the first position wins both orders exactly when the true preference is weaker than the bias
      assert.equal(c.flipped, Math.abs(want - 0.5) < 0.05);
    }
    const f = flipRate(r.comparisons);
    assert.equal(f.both, 6);
    assert.ok(f.flipped >= 1, "t1 vs t3 is close: the position decides it");
    const best = r.strength.indexOf(Math.max(...r.strength));
    assert.equal(r.ids[best], "t2");
    // p(resolved) can outweigh a small strength difference
    const c = combined(r.strength, [0.1, 0.1, 0.99, 0.1]);
    assert.ok(c.withPrior);
    assert.equal(c.score.indexOf(Math.max(...c.score)), 2);
    assert.equal(combined(r.strength, [0.1, null, 0.9, 0.1]).withPrior, false, "all attempts need p(resolved)");
  });

  it("large N: a Swiss tournament within ⌊2·N·log2 N⌋ distinct pairs still finds the strongest", async () => {
    const n = 48;
    const truth = new Map(Array.from({ length: n }, (_, i) => [`t${String(i).padStart(2, "0")}`, ((i * 37) % n) / 6]));
    const calls: [string, string][] = [];
    const r = await rankTask("task", [...truth.keys()], biasedAsk(truth, 0.05, calls), "judge:x");
    const budget = Math.floor(2 * n * Math.log2(n));
    assert.equal(r.budget, budget);
    assert.ok(r.comparisons.length <= budget && r.comparisons.length > n, `${r.comparisons.length}`);
    assert.equal(calls.length, 2 * r.comparisons.length);
    const pairs = new Set(r.comparisons.map((c) => [c.a, c.b].sort().join(",")));
    assert.equal(pairs.size, r.comparisons.length, "no pair compared twice");
    assert.ok(
      r.comparisons.some((c) => c.round > 1),
      "several rounds",
    );
    const top = [...truth].sort((a, b) => b[1] - a[1])[0][0];
    assert.equal(r.ids[r.strength.indexOf(Math.max(...r.strength))], top);
  });

  it("an order the judge did not answer: the other order alone; neither: left out of the fit", async () => {
    const ask = async (first: string, second: string) =>
      first === "a" && second === "b"
        ? { p: null, note: "failed" }
        : first === "c" || second === "c"
          ? { p: null, note: "failed" }
          : { p: 0.3, note: "" };
    const r = await rankTask("task", ["a", "b", "c"], ask, "judge:x");
    const ab = r.comparisons.find((c) => c.a === "a" && c.b === "b")!;
    assert.equal(ab.p_a_first, null);
    assert.ok(Math.abs(ab.p! - 0.7) < 1e-12);
    assert.equal(ab.flipped, null);
    const withC = r.comparisons.filter((c) => c.a === "c" || c.b === "c");
    assert.ok(withC.every((c) => c.p === null));
    assert.equal(r.strength[2], 0, "no answered comparison: no evidence");
  });
});

/** An attempt whose patch says how good it is (`quality` lines of "+fixed"). */
function attempt(instance: string, k: number, quality: number, resolved: boolean): Trajectory {
  const t = trajectory({
    turns: [bash("cat a.py", "x = 1", "look"), bash("sed -i s/1/2/ a.py", "", "fix")],
    task: `Fix ${instance}.`,
    instance,
    seed: `${instance}-${k}`,
    patch: `diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,${quality + 1} @@\n-x = 1\n+x = 2\n${"+fixed\n".repeat(quality)}`,
  });
  return { ...t, label: { resolved, origin: "test" } };
}

const quality = (section: string) => (section.match(/^\+fixed$/gm) ?? []).length;

/** A scripted pairwise judge: prefers the attempt with more "+fixed" lines, with a pull toward position A. */
function pairScript(bias = 0.15) {
  return (b: Record<string, unknown>) => {
    const u = userText(b);
    if (!u.includes("Attempt B:")) return undefined;
    const [a, second] = u.split("\n\nAttempt B:\n");
    const p = Math.min(0.98, Math.max(0.02, sigma(quality(a) - quality(second)) + bias));
    return {
      json: completion(p >= 0.5 ? "A" : "B", {
        logprobs: [
          { token: p >= 0.5 ? "A" : " B", logprob: Math.log(Math.max(p, 1 - p)) },
          { token: p >= 0.5 ? " B" : "A", logprob: Math.log(Math.min(p, 1 - p)) },
        ],
      }),
    };
  };
}

describe("pairwise judging against a local server", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it("the protocol: the same system prompt each time, attempt A then B, the question last, one token with logprobs", async () => {
    server.requests.length = 0;
    server.script = pairScript(0);
    const rubric = loadRubric("swe-default");
    const j = pairwiseJudge([new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 })], {
      criteria: rubric.criteria,
    });
    const one = await j.ask("## Task\nx\n+fixed\n+fixed", "## Task\nx");
    const two = await j.ask("## Task\nx", "## Task\nx\n+fixed\n+fixed");
    assert.ok(Math.abs(one.p! - sigma(2)) < 1e-9);
    assert.ok(Math.abs(two.p! - sigma(-2)) < 1e-9);
    const [x, y] = server.requests;
    assert.equal((x.messages as { content: string }[])[0].content, (y.messages as { content: string }[])[0].content);
    assert.match((x.messages as { content: string }[])[0].content, /- discouraged: .*\n/);
    const u = userText(x);
    assert.ok(u.indexOf("Attempt A:\n<<<TRAJECTORY") < u.indexOf("Attempt B:\n<<<TRAJECTORY"));
    assert.match(u, /Which attempt better satisfies the rubric, A or B\?\nAnswer with exactly one letter: A or B\.$/);
    assert.equal(x.max_tokens, 1);
    assert.equal(x.top_logprobs, 20);
    assert.equal(j.stats.requests, 2);
    // token variants, a missing side, no logprobs, and an answer that is neither letter
    assert.ok(
      Math.abs(
        firstProbability([
          { token: " A", logprob: Math.log(0.6) },
          { token: "**B", logprob: Math.log(0.3) },
        ])! -
          2 / 3,
      ) < 1e-9,
    );
    assert.ok(Math.abs(firstProbability([{ token: "A", logprob: Math.log(0.9) }])! - 0.9) < 1e-9);
    assert.equal(firstProbability([{ token: "a", logprob: 0 }]), null);
    server.script = () => ({ json: completion("B") });
    assert.equal((await j.ask("x", "y")).p, 0);
    server.script = () => ({ json: completion("Both") });
    const bad = await j.ask("x", "y");
    assert.equal(bad.p, null);
    assert.match(bad.note, /expected A or B/);
    server.script = null;
  });

  it("select --judge-pairwise: both orders per pair, comparisons written, the better attempt picked; eval --pairwise compares with pointwise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-pairwise-"));
    const input = join(dir, "runs.jsonl");
    const attempts = [
      attempt("acme__a-1", 0, 0, false),
      attempt("acme__a-1", 1, 3, true),
      attempt("acme__a-1", 2, 1, false),
      attempt("acme__b-2", 0, 2, true),
      attempt("acme__b-2", 1, 0, false),
      attempt("acme__c-3", 0, 1, true),
    ];
    writeFileSync(input, attempts.map((t) => JSON.stringify(t)).join("\n") + "\n");
    const scores = join(dir, "scores.jsonl");
    const s = await runCli(["score", input, "-o", scores, "-q"]);
    assert.equal(s.status, 0, s.stderr);

    server.requests.length = 0;
    server.script = pairScript(0.3);
    const preds = join(dir, "preds.jsonl");
    const choices = join(dir, "choices.jsonl");
    const comparisons = join(dir, "comparisons.jsonl");
    const args = [
      "select",
      input,
      "--scores",
      scores,
      "--judge-pairwise",
      "--judge",
      server.url,
      "--model",
      "test-judge",
    ];
    const r = await runCli([
      ...args,
      "--pairwise-only",
      "--comparisons",
      comparisons,
      "--choices",
      choices,
      "-o",
      preds,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const asked = server.requests.filter((b) => !isProbe(b));
    assert.equal(asked.length, 2 * (3 + 1), "task a: 3 pairs, task b: 1 pair, task c: none; each in both orders");
    const cs = readFileSync(comparisons, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Comparison);
    assert.equal(cs.length, 4);
    for (const c of cs) assert.ok(c.p_a_first !== null && c.p_a_second !== null);
    assert.ok(
      cs.some((c) => c.flipped),
      "a position bias of 0.3 flips the close pairs",
    );
    const picked = readFileSync(choices, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { instance_id: string; trajectory_id: string; how: string; ranking: unknown[] });
    const want = new Map([
      ["acme__a-1", attempts[1].id],
      ["acme__b-2", attempts[3].id],
      ["acme__c-3", attempts[5].id],
    ]);
    for (const p of picked) assert.equal(p.trajectory_id, want.get(p.instance_id), p.instance_id);
    assert.equal(picked.find((p) => p.instance_id === "acme__a-1")!.how, "pairwise strength");
    assert.equal(picked.find((p) => p.instance_id === "acme__c-3")!.how, "only attempt");
    const lines = readFileSync(preds, "utf8").trim().split("\n");
    assert.equal(lines.length, 3);
    assert.match(r.stderr, /4 comparisons in both orders \(8 requests/);
    assert.match(r.stderr, /order flips \d+ of 4/);
    assert.match(r.stderr, /3 of 3 labelled picks resolved/);
    for (const b of asked) assert.ok(!/resolved|label/i.test(userText(b)), "labels never reach the judge");

    // with p(resolved): the pick says it combined them
    const both = await runCli([...args, "--choices", choices, "-o", preds]);
    assert.equal(both.status, 0, both.stderr);
    assert.match(readFileSync(choices, "utf8"), /pairwise strength \+ logit p\(resolved\)/);

    const ev = await runCli(["eval", scores, "--pairwise", comparisons, "--bootstrap", "50"]);
    assert.equal(ev.status, 0, ev.stderr);
    assert.match(ev.stdout, /Pairwise vs pointwise best-of-N on the same 2 tasks \(5 attempts, 4 comparisons/);
    const row = ev.stdout.split("\n").find((l) => /^3\s/.test(l))!;
    assert.ok(row, ev.stdout);
    const cells = row.trim().split(/\s{2,}/);
    assert.equal(cells[4].split(" ")[0], "1.000", `the pairwise pick of 3 is right: ${row}`);

    const wrong = await runCli(["select", input, "--scores", scores, "--comparisons", comparisons, "-o", preds]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /go with --judge-pairwise/);
    server.script = null;
  });
});
