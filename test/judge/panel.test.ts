/** Judge panels, samples, dialect request fields, usage and cost accounting, start-up probe. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { OpenAICompatible, type Dialect } from "../../src/judge/backend.js";
import { DEFAULT_PRICES } from "../../src/judge/prices.js";
import { judgeDecider } from "../../src/judge/judge.js";
import { combine } from "../../src/judge/panel.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { scoreStream } from "../../src/score/stream.js";
import { completion, rubricAnswer, startServer, withChoices, type TestServer } from "./server.js";
import { traj } from "./cli.js";
import { ROOT } from "../helpers.js";
import { join } from "node:path";

const rubric = loadRubric("swe-default");
const verdicts = (b: Record<string, unknown>, verdict: (id: string, i: number) => string) =>
  rubricAnswer(b, (id, i) => ({ verdict: verdict(id, i) }));

describe("judge panels, samples and dialects", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());
  const backend = (model = "test-judge", dialect: Dialect = "openai") =>
    new OpenAICompatible({ baseURL: server.url, model, dialect, maxRetries: 0, timeoutMs: 60_000 });

  it("each dialect asks for structured output in its own field", async () => {
    const where: Record<Dialect, string> = {
      openai: "response_format",
      sglang: "response_format",
      ollama: "response_format",
      vllm: "structured_outputs",
      llamacpp: "json_schema",
    };
    for (const [dialect, field] of Object.entries(where) as [Dialect, string][]) {
      server.requests.length = 0;
      server.script = null;
      const rec = await scoreTrajectory(traj("a"), rubric, {
        judge: judgeDecider(backend("test-judge", dialect), { mode: "rubric" }),
      });
      assert.equal(server.requests.length, 1, dialect);
      const body = server.requests[0];
      assert.ok(field in body, `${dialect} sends ${field}`);
      for (const other of Object.values(where).filter((f) => f !== field))
        assert.ok(!(other in body), `${dialect} does not send ${other}`);
      assert.equal(rec.criteria.find((c) => c.id === "root-cause")!.status, "decided", dialect);
      if (dialect === "ollama") assert.equal(body.think, false);
      if (dialect === "vllm") assert.deepEqual(body.chat_template_kwargs, { enable_thinking: false });
    }
  });

  it("samples: one request with n where the server supports it, n requests where it does not; votes combined with agreement and spread", async () => {
    let k = 0;
    // three answers: yes, yes, no for every criterion
    const reply = (b: Record<string, unknown>) => {
      const pick = (j: number) => verdicts(b, () => (j === 2 ? "no" : "yes"));
      if (typeof b.n === "number") {
        const json = withChoices(completion(""), b.n) as { choices: { message: { content: string } }[] };
        json.choices.forEach((c, j) => (c.message = { ...c.message, content: pick(j) }));
        return { json };
      }
      return { json: completion(pick(k++ % 3)) };
    };
    for (const dialect of ["vllm", "ollama"] as const) {
      server.requests.length = 0;
      k = 0;
      server.script = reply;
      const p = judgeDecider(backend("test-judge", dialect), { mode: "rubric", samples: 3 });
      const rec = await scoreTrajectory(traj("a"), rubric, { judge: p });
      if (dialect === "vllm") {
        assert.equal(server.requests.length, 1);
        assert.equal(server.requests[0].n, 3);
      } else {
        assert.equal(server.requests.length, 3);
        assert.ok(server.requests.every((b) => b.n === undefined));
      }
      assert.ok(
        server.requests.every((b) => b.temperature === 0.7),
        "sampling needs a temperature above 0",
      );
      const c = rec.criteria.find((x) => x.id === "root-cause")!;
      assert.equal(c.status, "decided");
      assert.ok(Math.abs(c.value! - 2 / 3) < 1e-12, `mean of yes, yes, no: ${c.value}`);
      assert.ok(Math.abs(c.agreement! - 2 / 3) < 1e-12);
      assert.ok(Math.abs(c.spread! - Math.sqrt(2 / 9)) < 1e-12);
      assert.equal(c.votes!.length, 3);
      assert.match(c.explanation, /mean of 3 votes/);
    }
    server.script = null;
  });

  it("a panel of two models: each asked once; majority of a tie is 0.5; one failing member leaves the other's verdict", async () => {
    server.requests.length = 0;
    server.script = (b) => ({ json: completion(verdicts(b, () => (b.model === "judge-a" ? "yes" : "no"))) });
    const p = judgeDecider([backend("judge-a"), backend("judge-b")], { mode: "rubric", aggregate: "majority" });
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: p });
    assert.deepEqual(server.requests.map((b) => b.model).sort(), ["judge-a", "judge-b"]);
    const c = rec.criteria.find((x) => x.id === "root-cause")!;
    assert.equal(c.value, 0.5);
    assert.equal(c.agreement, 0.5);
    assert.deepEqual(c.votes, [
      { by: "judge:judge-a", value: 1 },
      { by: "judge:judge-b", value: 0 },
    ]);
    assert.equal(c.by, "judge-panel:judge-a+judge-b");

    server.script = (b) =>
      b.model === "judge-b"
        ? { status: 400, json: { error: { message: "bad request", type: "invalid_request_error" } } }
        : { json: completion(verdicts(b, () => "yes")) };
    const rec2 = await scoreTrajectory(traj("a"), rubric, { judge: p });
    const c2 = rec2.criteria.find((x) => x.id === "root-cause")!;
    assert.equal(c2.status, "decided");
    assert.equal(c2.value, 1);
    assert.match(c2.explanation, /1 without a verdict/);

    server.script = () => ({ status: 400, json: { error: { message: "bad request", type: "invalid_request_error" } } });
    const rec3 = await scoreTrajectory(traj("a"), rubric, { judge: p });
    assert.equal(
      rec3.criteria.find((x) => x.id === "root-cause")!.reason,
      "judge_error",
      "all members failing: unscored, never 0",
    );
    server.script = null;
  });

  it("criterion mode with a panel averages p(YES) across models", async () => {
    server.requests.length = 0;
    server.script = (b) => ({
      json: completion("YES", {
        logprobs:
          b.model === "judge-a"
            ? [
                { token: "YES", logprob: Math.log(0.9) },
                { token: "NO", logprob: Math.log(0.1) },
              ]
            : [
                { token: "NO", logprob: Math.log(0.7) },
                { token: "YES", logprob: Math.log(0.3) },
              ],
      }),
    });
    const rec = await scoreTrajectory(traj("a"), rubric, {
      judge: judgeDecider([backend("judge-a"), backend("judge-b")], { mode: "criterion" }),
    });
    assert.equal(server.requests.length, 8, "4 criteria x 2 models");
    const c = rec.criteria.find((x) => x.id === "root-cause")!;
    assert.ok(Math.abs(c.value! - 0.6) < 1e-9, String(c.value));
    assert.equal(c.agreement, 0.5);
    server.script = null;
  });

  it("combine: mean, majority, agreement, spread; no decided vote gives null", () => {
    const v = (value: number | null) => ({ by: "j", value, evidence: [], note: "" });
    assert.deepEqual(combine([v(1), v(1), v(0)], "majority"), { value: 1, agreement: 2 / 3, spread: Math.sqrt(2 / 9) });
    assert.equal(combine([v(0.2), v(0.4)], "mean")!.value, 0.30000000000000004);
    assert.equal(combine([v(null)], "mean"), null);
    assert.deepEqual(combine([v(0.7)], "mean"), { value: 0.7, agreement: 1, spread: 0 });
  });

  it("usage and cost per record: tokens from the server's usage, dollars from the price table, unknown price stays null", async () => {
    server.script = null;
    const events = scoreStream([join(ROOT, "examples")], {
      rubric,
      judge: judgeDecider(backend("gpt-4o-mini"), { mode: "criterion", prices: DEFAULT_PRICES }),
      autoLabels: false,
    });
    let seen = 0;
    for await (const ev of events) {
      if (ev.type !== "record") continue;
      const judged = ev.record.criteria.filter((c) => c.kind === "judge" && c.status !== "not_applicable").length;
      seen++;
      if (!judged) {
        assert.equal(ev.record.usage, undefined, "no judge call, no usage");
        continue;
      }
      const u = ev.record.usage!;
      assert.equal(u.requests, judged, "one request per judged criterion");
      // the test server reports 100 prompt tokens (40 cached) and 10 completion tokens per request
      assert.equal(u.prompt_tokens, 100 * judged);
      assert.equal(u.cached_tokens, 40 * judged);
      const want = (judged * (60 * 0.15 + 40 * 0.075 + 10 * 0.6)) / 1e6;
      assert.ok(Math.abs(u.cost_usd! - want) < 1e-12, `${u.cost_usd} vs ${want}`);
    }
    assert.equal(seen, 8);
    const p = judgeDecider(backend("my-local-model"), { mode: "criterion", prices: DEFAULT_PRICES });
    const d = await p.decide(
      traj("a"),
      {} as never,
      rubric.criteria.filter((c) => c.kind === "judge"),
    );
    assert.equal(d.usage!.cost_usd, null, "usage is a typed field of the decision");
    assert.equal(p.stats.cost, null);
  });

  it("the start-up probe lists models and finds logprobs; a server without logprobs is reported", async () => {
    server.script = null;
    const cap = await backend().probe();
    assert.deepEqual(cap.models, ["test-judge"]);
    assert.equal(cap.modelListed, true);
    assert.equal(cap.logprobs, true);
    server.script = () => ({ json: completion("YES") });
    const cap2 = await backend("other").probe();
    assert.equal(cap2.modelListed, false);
    assert.equal(cap2.logprobs, false);
    server.script = null;
    await assert.rejects(
      new OpenAICompatible({ baseURL: "http://127.0.0.1:9/v1", model: "x", maxRetries: 0, timeoutMs: 2000 }).probe(),
      /cannot reach the judge server/,
    );
  });
});
