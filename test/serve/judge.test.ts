/**
 * The reward server with an LLM judge (the test suite's OpenAI-compatible server on 127.0.0.1): a
 * judge that fails or times out mid-batch, 429 under overload, the per-request deadline, and
 * shutdown with requests in flight.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { resolveJudge, type JudgeConfig } from "../../src/judge/config.js";
import type { ScoreAnswer } from "../../src/serve/rich.js";
import { createRewardServer, serve } from "../../src/serve/start.js";
import { startServer, type TestServer } from "../judge/server.js";
import { agentRun } from "./render.js";

function judgeConfig(url: string, o: { timeout_s?: number; concurrency?: number } = {}): JudgeConfig {
  return resolveJudge(
    {
      url,
      model: ["test-judge"],
      cache: false,
      probe: false,
      retries: 0,
      timeout_s: o.timeout_s ?? 30,
      concurrency: o.concurrency ?? 4,
    },
    undefined,
    {},
  )!;
}

const userText = (b: Record<string, unknown>) => JSON.stringify(b.messages ?? "");

async function score(app: FastifyInstance, body: unknown) {
  const r = await app.inject({
    method: "POST",
    url: "/v1/score",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify(body),
  });
  return { status: r.statusCode, headers: r.headers, body: r.json() as ScoreAnswer };
}

describe("rubricate serve with a judge", () => {
  let judge: TestServer;
  before(async () => {
    judge = await startServer();
  });
  after(() => judge.close());

  it("a judge that fails or times out mid-batch: those rollouts get the fallback and their error, the batch succeeds", async () => {
    judge.script = (body) => {
      const text = userText(body);
      if (text.includes("FAIL-ME")) return { status: 500, json: { error: { message: "the judge fell over" } } };
      if (text.includes("SLOW-ME")) return { delayMs: 3000 };
      return undefined;
    };
    const { app, service } = await createRewardServer({
      token: null,
      reward: "rubric",
      fallback: -1,
      judge: judgeConfig(judge.url, { timeout_s: 0.5 }),
    });
    try {
      const items = [
        { id: "ok", messages: agentRun("ok").messages },
        { id: "fails", messages: agentRun("", "FAIL-ME: fix the slug bug").messages },
        { id: "slow", messages: agentRun("", "SLOW-ME: fix the slug bug").messages },
        { id: "ok2", messages: agentRun("ok2").messages },
      ];
      const r = await score(app, { items });
      assert.equal(r.status, 200);
      const [ok, fails, slow, ok2] = r.body.results;
      for (const x of [ok, ok2]) {
        assert.equal(x.failed, false, JSON.stringify(x.error));
        assert.ok(x.criteria.filter((c) => c.kind === "judge").every((c) => c.status !== "unscored"));
        assert.ok(x.usage!.requests >= 1, "the judge was asked");
      }
      for (const x of [fails, slow]) {
        assert.equal(x.failed, true);
        assert.equal(x.reward, -1);
        assert.equal(x.error!.type, "judge");
        assert.match(x.error!.message, /criterion .* \(judge:test-judge\): judge request failed/);
        assert.ok(x.behaviour_score !== null, "the rest of the record is still reported");
      }
      assert.match(fails.error!.message, /500|fell over/);
      assert.match(slow.error!.message, /time|abort/i);
      const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
      assert.match(metrics, /^rubricate_item_errors_total\{type="judge"\} 2$/m);
      assert.match(metrics, /^rubricate_judge_requests_total [1-9]/m);
      // failures are not cached: asked again, the judge is asked again
      const before = judge.requests.length;
      await score(app, { items: [items[1]] });
      assert.ok(judge.requests.length > before);
      assert.equal(service.queue.depth, 0);
    } finally {
      judge.script = null;
      await app.close();
    }
  });

  it("with --judge-outcome the judge decides p(resolved): a failed judge means the fallback in the resolved mode too", async () => {
    judge.script = (body) => (userText(body).includes("FAIL-ME") ? { status: 500, json: {} } : undefined);
    const config = { ...judgeConfig(judge.url), outcome: true };
    const { app } = await createRewardServer({ token: null, judge: config });
    try {
      const r = await score(app, {
        items: [{ messages: agentRun("a").messages }, { messages: agentRun("", "FAIL-ME").messages }],
      });
      assert.equal(r.status, 200);
      const [a, b] = r.body.results;
      assert.equal(a.failed, false);
      assert.equal(a.reward, a.p_resolved);
      assert.ok(Math.abs(a.p_resolved! - 0.818) < 0.01, `p(YES) from the judge's logprobs: ${a.p_resolved}`);
      assert.equal(b.failed, true);
      assert.equal(b.error!.type, "judge");
    } finally {
      judge.script = null;
      await app.close();
    }
  });

  it("429 with Retry-After when the queue is full; the admitted request still succeeds", async () => {
    judge.latencyMs = 400;
    const { app } = await createRewardServer({
      token: null,
      judge: judgeConfig(judge.url, { concurrency: 1 }),
      maxQueue: 2,
    });
    try {
      const first = score(app, {
        items: [{ messages: agentRun("q1").messages }, { messages: agentRun("q2").messages }],
      });
      await new Promise((ok) => setTimeout(ok, 50));
      const refused = await score(app, { items: [{ messages: agentRun("q3").messages }] });
      assert.equal(refused.status, 429);
      assert.match(String(refused.headers["retry-after"]), /^[1-9]\d*$/);
      assert.equal((refused.body as unknown as { error: { type: string } }).error.type, "overloaded");
      const done = await first;
      assert.equal(done.status, 200);
      assert.ok(done.body.results.every((x) => !x.failed));
      const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
      assert.match(metrics, /^rubricate_rejected_requests_total\{route="\/v1\/score"\} 1$/m);
    } finally {
      judge.latencyMs = 0;
      await app.close();
    }
  });

  it("the per-request deadline: rollouts not scored in time get the fallback, and the answer comes on time", async () => {
    judge.latencyMs = 1500;
    const { app } = await createRewardServer({ token: null, judge: judgeConfig(judge.url, { concurrency: 1 }) });
    try {
      const t0 = performance.now();
      const r = await score(app, {
        items: [{ messages: agentRun("d1").messages }, { messages: agentRun("d2").messages }],
        options: { timeout_s: 0.3 },
      });
      const ms = performance.now() - t0;
      assert.equal(r.status, 200);
      assert.ok(ms < 1400, `answered after ${ms.toFixed(0)} ms`);
      for (const x of r.body.results) {
        assert.equal(x.failed, true);
        assert.equal(x.error!.type, "deadline");
        assert.match(x.error!.message, /not scored within the request's 300 ms deadline/);
      }
    } finally {
      judge.latencyMs = 0;
      await app.close();
    }
  });

  it("shutdown with requests in flight: they are answered, then no new connection is taken", async () => {
    judge.latencyMs = 600;
    const s = await serve({ port: 0, token: null, judge: judgeConfig(judge.url) });
    try {
      const inflight = fetch(`${s.url}/v1/score`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ messages: agentRun("s1").messages }, { messages: agentRun("s2").messages }] }),
      });
      // close once the judge holds a question of the request (not after a fixed time: a busy machine is slower)
      const seen = judge.requests.length;
      while (judge.requests.length === seen) await new Promise((ok) => setTimeout(ok, 5));
      const closing = s.close();
      const res = await inflight;
      assert.equal(res.status, 200);
      const body = (await res.json()) as ScoreAnswer;
      assert.equal(body.results.length, 2);
      assert.ok(
        body.results.every((x) => !x.failed),
        JSON.stringify(body.results.map((x) => x.error)),
      );
      await closing;
      await assert.rejects(fetch(`${s.url}/healthz`), /fetch failed/);
    } finally {
      judge.latencyMs = 0;
      await s.close().catch(() => {});
    }
  });
});
