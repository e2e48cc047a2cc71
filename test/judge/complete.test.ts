/**
 * Complete verdicts: the rubric answer's schema makes every criterion mandatory, so a server that
 * enforces it (guided decoding) answers each exactly once, in every dialect; a server that ignores
 * it is asked again for what it left out, and what is still missing is unscored as missing_verdict.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { OpenAICompatible, type Dialect } from "../../src/judge/backend.js";
import { judgeDecider } from "../../src/judge/judge.js";
import { answerSchema } from "../../src/judge/protocols/rubric.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { scoreStream } from "../../src/score/stream.js";
import type { ScoreRecord } from "../../src/types/score.js";
import { shared, sharedSuite } from "../helpers.js";
import { traj } from "./cli.js";
import { instanceOf, validate, type GuidedPolicy, type JsonSchema } from "./guided.js";
import {
  askedIds,
  completion,
  requestedSchema,
  startServer,
  userText,
  withChoices,
  type TestServer,
} from "./server.js";

const rubric = loadRubric("swe-default");
const judgeIds = rubric.criteria.filter((c) => c.kind === "judge").map((c) => c.id);
const POLICIES: GuidedPolicy[] = [
  { optional: "omit", arrays: "min" },
  { optional: "include", arrays: "repeat" },
  { optional: "include", arrays: "two", pick: (_p, o) => o[o.length - 1] },
];
const DIALECTS: Dialect[] = ["openai", "vllm", "sglang", "ollama", "llamacpp"];

/** The schema rubricate sent before: an array of {id, verdict, evidence, rationale} items. */
const ARRAY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["criteria"],
  properties: {
    criteria: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "verdict", "evidence", "rationale"],
        properties: {
          id: { type: "string", enum: judgeIds },
          verdict: { type: "string", enum: ["yes", "no", "unclear"] },
          evidence: { type: "array", items: { type: "integer" } },
          rationale: { type: "string" },
        },
      },
    },
  },
};

describe("complete verdicts under constrained decoding", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());
  const judge = (dialect: Dialect = "openai", samples = 1) =>
    judgeDecider(new OpenAICompatible({ baseURL: server.url, model: "test-judge", dialect, maxRetries: 0 }), {
      mode: "rubric",
      samples,
    });

  it("the schema requires one property per criterion, rationale then evidence then verdict; every instance answers each exactly once", () => {
    const schema = answerSchema(judgeIds) as JsonSchema;
    assert.deepEqual(schema.required, judgeIds);
    assert.equal(schema.additionalProperties, false);
    for (const id of judgeIds) {
      const entry = schema.properties![id];
      assert.deepEqual(Object.keys(entry.properties!), ["rationale", "evidence", "verdict"], "reasoning first");
      assert.deepEqual(entry.required, ["rationale", "evidence", "verdict"]);
    }
    for (const policy of POLICIES) {
      const answer = instanceOf(schema, policy) as Record<string, unknown>;
      assert.deepEqual(validate(schema, answer), []);
      assert.deepEqual(Object.keys(answer), judgeIds, "every criterion, once, in order");
    }
    const { [judgeIds[0]]: _left, ...incomplete } = instanceOf(schema) as Record<string, unknown>;
    assert.match(validate(schema, incomplete).join(), new RegExp(`missing ${judgeIds[0]}`));
    // the array schema allowed what the issue saw: no verdicts at all, or one criterion three times
    const empty = instanceOf(ARRAY_SCHEMA, { arrays: "min" }) as { criteria: unknown[] };
    assert.deepEqual(validate(ARRAY_SCHEMA, empty), []);
    assert.equal(empty.criteria.length, 0);
    const repeated = instanceOf(ARRAY_SCHEMA, { arrays: "repeat" }) as { criteria: { id: string }[] };
    assert.deepEqual(validate(ARRAY_SCHEMA, repeated), []);
    assert.deepEqual(new Set(repeated.criteria.map((c) => c.id)).size, 1);
  });

  it("a guided-decoding server in every dialect, giving the least the schema allows or repeats: every criterion decided in one request", async () => {
    for (const dialect of DIALECTS)
      for (const policy of POLICIES.slice(0, 2)) {
        server.requests.length = 0;
        server.script = null;
        server.guided = policy;
        server.dialect = dialect;
        const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge(dialect) });
        const what = `${dialect} ${JSON.stringify(policy.arrays)}`;
        assert.equal(server.requests.length, 1, what);
        assert.deepEqual(askedIds(server.requests[0]), judgeIds, what);
        for (const c of rec.criteria.filter((x) => x.kind === "judge")) {
          assert.equal(c.status, "decided", `${what}: ${c.id}: ${c.explanation}`);
          assert.equal(c.value, 1, what);
        }
      }
    server.guided = {};
    server.dialect = undefined;
  });

  it("a schema sent where the server does not read it is not enforced: vLLM's field to an SGLang server gets free text, unscored after one re-ask", async () => {
    server.requests.length = 0;
    server.script = null;
    server.guided = POLICIES[0];
    server.dialect = "sglang";
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("vllm") });
    assert.equal(server.requests.length, 2, "asked, then asked again");
    assert.ok(server.requests[0].structured_outputs, "the vllm dialect sends structured_outputs");
    for (const c of rec.criteria.filter((x) => x.kind === "judge")) assert.equal(c.reason, "malformed_response");
    server.guided = {};
    server.dialect = undefined;
  });

  it("the last enum value (unclear) is a judge_unclear, not a missing verdict", async () => {
    server.script = null;
    server.guided = POLICIES[2];
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("vllm") });
    for (const c of rec.criteria.filter((x) => x.kind === "judge")) assert.equal(c.reason, "judge_unclear");
    server.guided = {};
  });

  it("a server that ignores the schema: asked again for the missing criteria only; those still missing are missing_verdict", async () => {
    server.requests.length = 0;
    // first answer: the first criterion, and the second with a verdict outside the schema; the re-ask: one of the rest
    server.script = (b) => {
      const ids = askedIds(b);
      const first = server.requests.length === 1;
      const entries: Record<string, unknown> = first
        ? {
            [ids[0]]: { rationale: "seen", evidence: [0], verdict: "yes" },
            [ids[1]]: { rationale: "hm", evidence: [], verdict: "maybe" },
          }
        : { [ids[0]]: { rationale: "now", evidence: [1], verdict: "no" } };
      return { json: completion(JSON.stringify(entries)) };
    };
    const j = judge();
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: j });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(
      [j.counts.reaskedMissing, j.counts.reaskedUnreadable, j.counts.missing],
      [1, 0, judgeIds.length - 2],
      "one answer asked again for what it left out; the criteria still missing counted",
    );
    const [ask, again] = server.requests;
    assert.deepEqual(askedIds(ask), judgeIds);
    assert.deepEqual(askedIds(again), judgeIds.slice(1), "only the missing criteria");
    assert.deepEqual(requestedSchema(again)!.required, judgeIds.slice(1));
    assert.match(userText(again), new RegExp(`no valid verdict for ${judgeIds.slice(1).join(", ")}`));
    assert.equal(
      userText(again).slice(0, userText(again).indexOf("TRAJECTORY>>>")),
      userText(ask).slice(0, userText(ask).indexOf("TRAJECTORY>>>")),
      "the trajectory first: the re-ask shares the first request's prefix",
    );
    const by = new Map(rec.criteria.map((c) => [c.id, c]));
    assert.equal(by.get(judgeIds[0])!.value, 1);
    assert.equal(by.get(judgeIds[1])!.value, 0, "answered on the re-ask");
    for (const id of judgeIds.slice(2)) {
      const c = by.get(id)!;
      assert.equal(c.status, "unscored");
      assert.equal(c.reason, "missing_verdict");
      assert.match(c.explanation, /left out, even when asked again/);
    }
    server.script = null;
  });

  it("samples: only the answers lacking criteria are asked again, as many as lack them", async () => {
    server.requests.length = 0;
    server.script = (b) => {
      const ids = askedIds(b);
      const entry = { rationale: "r", evidence: [0], verdict: "yes" };
      const full = Object.fromEntries(ids.map((id) => [id, entry]));
      const n = typeof b.n === "number" ? b.n : 1;
      const json = withChoices(completion(""), n) as { choices: { message: { content: string } }[] };
      json.choices.forEach((c, j) => {
        const { [ids[0]]: _drop, ...partial } = full;
        c.message = { ...c.message, content: JSON.stringify(n === 3 && j === 2 ? partial : full) };
      });
      return { json };
    };
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("vllm", 3) });
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0].n, 3);
    assert.equal(server.requests[1].n, undefined, "one answer lacked a criterion: one answer asked for");
    assert.deepEqual(askedIds(server.requests[1]), [judgeIds[0]]);
    const c = rec.criteria.find((x) => x.id === judgeIds[0])!;
    assert.equal(c.votes!.length, 3);
    assert.ok(c.votes!.every((v) => v.value === 1));
    server.script = null;
  });
});

sharedSuite("complete verdicts on the 70 Moatless trajectories", (it) => {
  it("a vLLM-style guided server giving minimal schema instances: every judge criterion decided, one request per trajectory", async () => {
    const server = await startServer();
    try {
      server.guided = { optional: "omit", arrays: "min" };
      server.dialect = "vllm";
      const j = judgeDecider(
        new OpenAICompatible({ baseURL: server.url, model: "test-judge", dialect: "vllm", maxRetries: 0 }),
        {
          mode: "rubric",
          rubric: rubric.criteria,
        },
      );
      const records: ScoreRecord[] = [];
      for await (const ev of scoreStream([shared("moatless-lite")], { rubric, judge: j, concurrency: 4 }))
        if (ev.type === "record") records.push(ev.record);
      assert.equal(records.length, 70);
      const judged = records.flatMap((r) =>
        r.criteria.filter((c) => c.kind === "judge" && c.status !== "not_applicable"),
      );
      assert.ok(judged.length > 200, `${judged.length} judge criteria asked`);
      const unscored = judged.filter((c) => c.status !== "decided");
      assert.deepEqual(
        unscored.map((c) => `${c.id}: ${c.reason}`),
        [],
        "every judge criterion decided",
      );
      const asked = records.filter((r) => r.criteria.some((c) => c.kind === "judge" && c.status !== "not_applicable"));
      assert.equal(server.requests.length, asked.length, "no re-asks were needed");
      assert.equal(j.counts.missing, 0);
    } finally {
      await server.close();
    }
  });
});
