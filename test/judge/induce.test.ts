/** Rubric induction: planning, merging, the label-consistency filter, and the pipeline end to end against a scripted server. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { planInduction, type Sample } from "../../src/judge/induce/index.js";
import { MAX_PROPOSALS, PROPOSAL_SCHEMA } from "../../src/judge/induce/propose.js";
import { merge, slug, type Proposed } from "../../src/judge/induce/merge.js";
import { candidateStats, dropReason } from "../../src/judge/induce/validate.js";
import { loadRubric } from "../../src/rubric/load.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { isProbe, runCli } from "./cli.js";
import type { JsonSchema } from "./guided.js";
import { askedIds, completion, requestedSchema, startServer, userText, type TestServer } from "./server.js";

const proposal = (question: string, polarity: "encourage" | "discourage" = "encourage", title = question) => ({
  rationale: "r",
  title,
  question,
  kind: "principle" as const,
  polarity,
  present_in: "A" as const,
});

describe("induce: planning, merging, filtering", () => {
  it("the plan: pairs of one resolved and one unresolved attempt at proposal tasks, held-aside attempts at other tasks, reproducibly", () => {
    const samples: Sample[] = [];
    for (let t = 0; t < 10; t++)
      for (let k = 0; k < 3; k++)
        samples.push({ id: `t${t}-${k}`, task: `task-${t}`, resolved: t < 8 ? k === 0 : true });
    const plan = planInduction(samples, { holdout: 0.5 });
    assert.equal(plan.contrasting, 8);
    assert.equal(plan.pairs.length, 4);
    const byId = new Map(samples.map((s) => [s.id, s]));
    for (const p of plan.pairs) {
      assert.equal(byId.get(p.first)!.resolved, p.firstResolved);
      assert.equal(byId.get(p.second)!.resolved, !p.firstResolved);
      assert.equal(byId.get(p.first)!.task, p.task);
    }
    assert.ok(
      new Set(plan.pairs.map((p) => p.firstResolved)).size === 2,
      "the resolved attempt is not always shown first",
    );
    const proposing = new Set(plan.pairs.map((p) => p.task));
    assert.ok(
      plan.held.every((s) => !proposing.has(s.task)),
      "held-aside tasks are not proposal tasks",
    );
    assert.equal(plan.held.length, 18);
    assert.deepEqual(planInduction(samples, { holdout: 0.5 }), plan, "reproducible");
    assert.notDeepEqual(planInduction(samples, { holdout: 0.5, seed: 2 }).pairs, plan.pairs);
    assert.equal(planInduction(samples, { maxPairs: 2, maxValidate: 5 }).pairs.length, 2);
    assert.equal(planInduction(samples, { maxValidate: 5 }).held.length, 5);
  });

  it("near-duplicates merge (same polarity, shared content words); support counts pairs; ids are unique slugs", () => {
    const items: Proposed[] = [
      { proposal: proposal("Does the agent run the test suite before submitting?"), pair: 0, agrees: true },
      { proposal: proposal("Did the agent run the tests before it submitted?"), pair: 1, agrees: true },
      { proposal: proposal("Did the agent run the tests before it submitted?"), pair: 2, agrees: false },
      { proposal: proposal("Did the agent run the tests before it submitted?"), pair: 2, agrees: false },
      {
        proposal: proposal("Does the agent run the test suite before submitting?", "discourage"),
        pair: 3,
        agrees: true,
      },
      { proposal: proposal("Is the patch limited to the files the task names?"), pair: 0, agrees: false },
    ];
    const cs = merge(items);
    assert.equal(cs.length, 3);
    assert.equal(cs[0].support, 3, "three pairs, one of them twice");
    assert.equal(cs[0].agreeing, 2);
    assert.equal(cs[0].question, "Did the agent run the tests before it submitted?", "the most proposed wording");
    assert.equal(cs[0].wordings.length, 2);
    assert.ok(
      cs.some((c) => c.polarity === "discourage"),
      "opposite polarity is another criterion",
    );
    assert.equal(new Set(cs.map((c) => c.id)).size, 3);
    const taken = new Set<string>();
    assert.equal(slug("Runs the tests!", taken), "runs-the-tests");
    assert.equal(slug("Runs the tests?", taken), "runs-the-tests-2");
    assert.equal(slug("???", taken), "criterion");
  });

  it("the filter: AUC, within-task consistency and lift against the labels", () => {
    const obs = [
      { task: "a", resolved: true, goodness: 1 },
      { task: "a", resolved: false, goodness: 0 },
      { task: "b", resolved: true, goodness: 1 },
      { task: "b", resolved: false, goodness: 1 },
      { task: "c", resolved: false, goodness: null },
    ];
    const s = candidateStats(obs);
    assert.equal(s.decided, 4);
    assert.equal(s.unscored, 1);
    assert.equal(s.auc, 0.75);
    assert.equal(s.consistency, 0.75);
    assert.equal(s.pairs, 2);
    assert.ok(Math.abs(s.lift! - 2 / 3 / 0.5) < 1e-12);
    assert.equal(dropReason(s, { minAuc: 0.6, minDecided: 4 }), null);
    assert.match(dropReason(s, { minAuc: 0.8, minDecided: 4 })!, /AUC 0\.750 below 0\.8/);
    assert.match(dropReason(s, { minAuc: 0.6, minDecided: 5 })!, /fewer than 5/);
    const flat = candidateStats(obs.map((o) => ({ ...o, goodness: o.goodness === null ? null : 1 })));
    assert.match(dropReason(flat, { minAuc: 0.6, minDecided: 4 })!, /AUC 0\.500/);
  });
});

/** An attempt: resolved ones ran the tests; whether it edited with sed has nothing to do with the outcome. */
function attempt(task: number, k: number, resolved: boolean, sed: boolean): Trajectory {
  const edit = sed ? bash("sed -i s/1/2/ a.py", "", "fix") : bash("python fix.py", "done", "fix");
  const turns = [bash("cat a.py", "x = 1", "look"), edit];
  if (resolved) turns.push(bash("pytest tests/test_a.py", "1 passed", "check"));
  const t = trajectory({
    turns,
    task: `Fix bug ${task}.`,
    instance: `acme__lib-${task}`,
    seed: `${task}-${k}`,
    patch: "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n",
  });
  return { ...t, label: { resolved, origin: "labels.jsonl" } };
}

/** Attempt A's and B's transcripts in a pair prompt. */
const sections = (u: string) => u.split("\n\nAttempt B:\n");

/**
 * The scripted induce server: proposals name what differs between A and B (tests run, sed used, and a
 * criterion about test files on which they never differ); validation answers each candidate question from
 * the transcript it is shown.
 */
function induceScript(b: Record<string, unknown>) {
  const schema = requestedSchema(b);
  const u = userText(b);
  if (schema?.required?.includes("criteria")) {
    const [a, second] = sections(u);
    const which = (re: RegExp) => (re.test(a) ? "A" : re.test(second) ? "B" : "A");
    const n = (u.length % 2) as 0 | 1;
    const items: unknown[] = [
      {
        rationale: "one attempt ran the tests",
        title: n ? "Runs the tests" : "Verifies with the test suite",
        question: n
          ? "Did the agent run the tests before it submitted?"
          : "Does the agent run the test suite before submitting?",
        kind: "principle",
        polarity: "encourage",
        present_in: which(/pytest/),
      },
      {
        rationale: "one attempt used sed",
        title: "Edits with sed",
        question: "Does the agent edit files with sed?",
        kind: "principle",
        polarity: "encourage",
        present_in: which(/sed -i/),
      },
      {
        rationale: "neither touched tests",
        title: "Leaves test files alone",
        question: "Does the patch modify existing test files?",
        kind: "hard_rule",
        polarity: "discourage",
        present_in: "B",
      },
      { title: "broken item without the other fields" },
    ];
    return { json: completion(JSON.stringify({ criteria: items })) };
  }
  const ids = askedIds(b);
  if (ids.length) {
    const system = (b.messages as { content: string }[])[0].content;
    const entries = ids.map((id) => {
      const question = new RegExp(`^- ${id}: (.*)$`, "m").exec(system)![1];
      const yes = /tests? (suite )?before/.test(question)
        ? /pytest/.test(u)
        : /sed/.test(question)
          ? /sed -i/.test(u)
          : false;
      return [id, { rationale: "from the transcript", evidence: [], verdict: yes ? "yes" : "no" }];
    });
    return { json: completion(JSON.stringify(Object.fromEntries(entries))) };
  }
  return undefined;
}

describe("rubric induce end to end against a scripted server", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    server.script = induceScript;
  });
  after(() => server.close());

  it("proposes from pairs, merges, keeps only criteria consistent with the labels on held-aside tasks, writes a valid rubric", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-induce-"));
    const input = join(dir, "runs.jsonl");
    const ts: Trajectory[] = [];
    for (let t = 0; t < 12; t++) for (let k = 0; k < 4; k++) ts.push(attempt(t, k, k % 2 === 0, k < 2));
    writeFileSync(input, ts.map((t) => JSON.stringify(t)).join("\n") + "\n");
    const out = join(dir, "induced.yaml");
    server.requests.length = 0;
    const r = await runCli(["rubric", "induce", input, "--judge", server.url, "--model", "test-judge", "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    const asked = server.requests.filter((b) => !isProbe(b));
    const proposals = asked.filter((b) => requestedSchema(b)?.required?.includes("criteria"));
    const validations = asked.filter((b) => !requestedSchema(b)?.required?.includes("criteria"));
    assert.equal(proposals.length, 6, "one request per pair: half of the 12 contrasting tasks");
    assert.equal(validations.length, 24, "one request per held-aside attempt (the other 6 tasks x 4)");
    for (const b of asked) {
      const all = JSON.stringify(b.messages);
      assert.ok(!/resolved|labels\.jsonl/i.test(all), "no label reaches a prompt");
    }
    const firstRuns = proposals.map((b) => /pytest/.test(sections(userText(b))[0]));
    assert.ok(
      firstRuns.includes(true) && firstRuns.includes(false),
      "the resolved attempt is shown first only sometimes",
    );

    const rubric = loadRubric(out);
    assert.equal(rubric.id, "induced");
    assert.equal(rubric.criteria.length, 1);
    const c = rubric.criteria[0];
    assert.equal(c.kind, "judge");
    assert.equal(c.polarity, "encourage");
    assert.match(c.question, /run the test/);
    const yaml = readFileSync(out, "utf8");
    assert.match(
      yaml,
      /# principle: held-aside AUC 1\.000, within-task consistency 1\.000 \(24 pairs\), lift 2\.000; decided 24 \(12 resolved, 12 unresolved\)/,
    );
    assert.match(yaml, /proposed by 6 pairs, 6 favouring the attempt that resolved/);
    assert.match(r.stderr, /3 candidates after merging/);
    assert.match(r.stderr, /edits-with-sed .* no: AUC/);
    assert.match(r.stderr, /leaves-test-files-alone .* no: AUC 0\.500/);
    assert.match(r.stderr, /6 proposed items did not match the schema/);
    const lint = await runCli(["rubric", "lint", out]);
    assert.equal(lint.status, 0, lint.stderr);
  });

  it("a guided-decoding server giving the least or the same item again: one to five proposals per pair, never none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-induce-"));
    const input = join(dir, "runs.jsonl");
    const ts: Trajectory[] = [];
    for (let t = 0; t < 4; t++) for (let k = 0; k < 2; k++) ts.push(attempt(t, k, k === 0, false));
    writeFileSync(input, ts.map((t) => JSON.stringify(t)).join("\n") + "\n");
    const out = join(dir, "induced.yaml");
    const schema = PROPOSAL_SCHEMA as JsonSchema;
    assert.equal(schema.properties!.criteria.minItems, 1);
    assert.equal(schema.properties!.criteria.maxItems, MAX_PROPOSALS);
    server.script = null;
    server.dialect = "vllm";
    try {
      for (const [policy, items] of [
        [{ optional: "omit", arrays: "min" }, 1],
        [{ arrays: "repeat" }, 3],
      ] as const) {
        server.guided = policy;
        server.requests.length = 0;
        const r = await runCli([
          ...["rubric", "induce", input, "--judge", server.url, "--model", "test-judge", "--dialect", "vllm"],
          ...["--min-decided", "2", "-o", out],
        ]);
        // the server's verdicts are all "yes": no candidate agrees with the labels, so nothing is kept
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`${2 * items} criteria proposed from 2 pairs \\(0 failed\\)`));
        assert.match(r.stderr, /1 candidates after merging/, "the repeated item is one criterion");
        const asked = server.requests.filter((b) => !isProbe(b));
        assert.equal(asked.filter((b) => requestedSchema(b, "vllm")?.required?.includes("criteria")).length, 2);
      }
    } finally {
      server.script = induceScript;
      server.guided = {};
      server.dialect = undefined;
    }
  });

  it("without contrasting tasks, or without a judge, it says so and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-induce-"));
    const input = join(dir, "runs.jsonl");
    writeFileSync(
      input,
      [attempt(1, 0, true, false), attempt(2, 0, false, true)].map((t) => JSON.stringify(t)).join("\n"),
    );
    const out = join(dir, "induced.yaml");
    const r = await runCli(["rubric", "induce", input, "--judge", server.url, "--model", "test-judge", "-o", out]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no task has both a resolved and an unresolved attempt/);
    const none = await runCli(["rubric", "induce", input, "-o", out]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /rubric induce needs a judge/);
  });
});
