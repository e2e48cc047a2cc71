/**
 * The reward server through Fastify's inject: OpenRLHF's protocol (Qwen and Llama 3 templated text,
 * batches and single strings), the rich form in every input form, groups, bad bodies, auth, the
 * rubric and health routes, metrics, the result cache.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { parse, stringify } from "yaml";
import { createRewardServer } from "../../src/serve/start.js";
import type { RewardAnswer } from "../../src/serve/openrlhf.js";
import type { ScoreAnswer } from "../../src/serve/rich.js";
import { shared, sharedSuite } from "../helpers.js";
import { PATCH, agentRun, chatml, llama3 } from "./render.js";

const json = { "content-type": "application/json" };

async function post<T>(app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await app.inject({
    method: "POST",
    url,
    headers: { ...json, ...headers },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: r.statusCode, headers: r.headers, body: r.body ? (JSON.parse(r.body) as T) : (undefined as T) };
}

const criteriaOf = (r: ScoreAnswer["results"][number]) => r.criteria.map((c) => [c.id, c.status, c.value]);

describe("rubricate serve: routes", () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await createRewardServer({ token: null, logger: false }));
  });
  after(() => app.close());

  it("POST /get_reward: a Qwen-templated sample scores as the same conversation sent as messages", async () => {
    const t = agentRun();
    const text = chatml(t.messages);
    const r = await post<RewardAnswer>(app, "/get_reward", {
      query: [text],
      prompts: [chatml(t.messages.slice(0, 2), true)],
      labels: ["x"],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.rewards.length, 1);
    assert.deepEqual(r.body.errors, [null]);
    const rich = await post<ScoreAnswer>(app, "/v1/score", { items: [{ messages: t.messages }] });
    const item = rich.body.results[0];
    assert.equal(item.failed, false);
    assert.ok(item.p_resolved! > 0 && item.p_resolved! < 1);
    assert.equal(r.body.rewards[0], item.reward, "the reward is p(resolved), as for the messages");
    assert.equal(r.body.scores[0], item.reward);
    assert.deepEqual(r.body.extra_logs.rubricate_p_resolved, [item.p_resolved]);
    assert.deepEqual(r.body.extra_logs.rubricate_behaviour_score, [item.behaviour_score]);
    assert.deepEqual(r.body.extra_logs.rubricate_failed, [0]);
    for (const v of Object.values(r.body.extra_logs))
      assert.ok(
        v.every((x) => typeof x === "number"),
        "numbers only",
      );
  });

  it("POST /get_reward: Llama-3-templated text, a single string, and a batch with a bad sample in it", async () => {
    const a = agentRun("a");
    const b = agentRun("b");
    // Llama 3 writes a custom tool call as the whole turn: the thought beside it is not in the text
    const callsOnly = (m: (typeof a.messages)[number]) => (m.tool_calls?.length ? { ...m, content: "" } : m);
    const rich = await post<ScoreAnswer>(app, "/v1/score", {
      items: [{ messages: a.messages.map(callsOnly) }, { messages: b.messages }],
    });
    const one = await post<RewardAnswer>(app, "/get_reward", { query: llama3(a.messages) });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.rewards, [rich.body.results[0].reward]);
    const batch = await post<RewardAnswer>(app, "/get_reward", {
      query: [llama3(a.messages), 42, chatml(b.messages)],
      prompts: ["", "", ""],
      labels: [null, null, null],
      extra_key: "ignored",
    });
    assert.equal(batch.status, 200);
    assert.equal(batch.body.rewards.length, 3);
    assert.equal(batch.body.rewards[0], rich.body.results[0].reward);
    assert.equal(batch.body.rewards[2], rich.body.results[1].reward);
    assert.equal(batch.body.rewards[1], 0, "the fallback reward");
    assert.deepEqual(batch.body.extra_logs.rubricate_failed, [0, 1, 0]);
    assert.match(batch.body.errors[1]!, /^parse: query\[1\]: expected a string/);
  });

  it("POST /v1/score: messages, templated text, prompt + response, and a trajectory file's JSON", async () => {
    const t = agentRun();
    const prompt = t.messages.slice(0, 2);
    const forms = [
      { id: "messages", messages: t.messages },
      { id: "text", text: chatml(t.messages) },
      {
        id: "prompt+response",
        prompt: chatml(prompt, true),
        response: chatml(t.messages.slice(2)).replace(/^<\|im_start\|>assistant\n/, ""),
      },
      {
        id: "prompt-messages+response",
        prompt,
        response: chatml(t.messages.slice(2)).replace(/^<\|im_start\|>assistant\n/, ""),
      },
      { id: "trajectory", trajectory: { ...t, id: "whatever" } },
    ];
    const r = await post<ScoreAnswer>(app, "/v1/score", { items: forms });
    assert.equal(r.status, 200);
    const [first, ...rest] = r.body.results;
    assert.equal(first.id, "messages");
    assert.equal(first.steps, 5);
    for (const x of rest) {
      assert.equal(x.error, null, `${x.id}: ${JSON.stringify(x.error)}`);
      assert.equal(x.steps, 5, x.id as string);
      assert.deepEqual(criteriaOf(x), criteriaOf(first), `${x.id} scores as the messages do`);
      assert.equal(x.reward, first.reward);
    }
    assert.equal(first.criteria.find((c) => c.id === "submits-a-patch")!.value, 0, "the patch shown last is the patch");
  });

  it("POST /v1/score: per-item errors for wrong types, group statistics and normalised rewards", async () => {
    const items = [
      { id: "a", group: "task-1", messages: agentRun("a").messages },
      { id: "b", group: "task-1", messages: agentRun("b").messages.slice(0, 4) },
      { id: "c", group: "task-1", messages: "not a list" },
      { id: "d", group: "task-2", messages: agentRun("d").messages, resolved: true },
      { id: "e", group: "task-1", text: "Note: nothing here" },
    ];
    const r = await post<ScoreAnswer>(app, "/v1/score", { items });
    assert.equal(r.status, 200);
    const [a, b, c, d, e] = r.body.results;
    assert.equal(c.failed, true);
    assert.equal(c.id, "c", "the id is kept even when the item is malformed");
    assert.equal(c.error!.type, "parse");
    assert.match(c.error!.message, /items\[2\]: field 'messages'/);
    assert.equal(c.normalized_reward, null);
    const g = r.body.groups["task-1"];
    assert.equal(g.n, 4);
    const ok = [a, b, e].filter((x) => !x.failed);
    assert.equal(g.scored, ok.length);
    const mean = ok.reduce((s, x) => s + x.reward, 0) / ok.length;
    assert.ok(Math.abs(g.mean! - mean) < 1e-12);
    const sd = Math.sqrt(ok.reduce((s, x) => s + (x.reward - mean) ** 2, 0) / ok.length);
    for (const x of ok) assert.ok(Math.abs(x.normalized_reward! - (sd > 1e-12 ? (x.reward - mean) / sd : 0)) < 1e-9);
    assert.equal(r.body.groups["task-2"].n, 1);
    assert.equal(d.normalized_reward, 0);
  });

  it("rewards are deterministic; a repeat is answered from the result cache", async () => {
    const items = [{ messages: agentRun("cache").messages }];
    const first = await post<ScoreAnswer>(app, "/v1/score", { items });
    const again = await post<ScoreAnswer>(app, "/v1/score", { items: [{ id: "other id", ...items[0] }] });
    assert.equal(first.body.results[0].cache_hit, false);
    assert.equal(again.body.results[0].cache_hit, true);
    assert.equal(again.body.results[0].reward, first.body.results[0].reward);
    assert.equal(again.body.results[0].trajectory_id, first.body.results[0].trajectory_id);
  });

  it("bad bodies: malformed JSON, wrong types, unknown fields and rubrics, deep nesting, oversize, wrong media type", async () => {
    const bad = async (payload: string, re: RegExp, status = 400, url = "/v1/score") => {
      const r = await post<{ error: { type: string; message: string } }>(app, url, payload);
      assert.equal(r.status, status, `${payload.slice(0, 60)}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error.message, re);
    };
    await bad('{"items": [', /not valid JSON/);
    await bad("", /empty/);
    await bad('{"items": "x"}', /field 'items'/);
    await bad('{"items": []}', /field 'items'/);
    await bad('{"items": [{}], "bogus": 1}', /bogus/);
    await bad(
      '{"items": [{}], "rubric": "../../etc/passwd"}',
      /unknown rubric '\.\.\/\.\.\/etc\/passwd'; this server serves: swe-default/,
    );
    await bad('{"items": [{"__proto__": {"x": 1}}]}', /not valid JSON/);
    await bad(`{"items": [${"[".repeat(100)}${"]".repeat(100)}]}`, /deeper than 64 levels/);
    await bad('{"query": {"a": 1}}', /field 'query': expected a list of strings/, 400, "/get_reward");
    await bad('{"query": ["a"], "prompts": 3}', /field 'prompts'/, 400, "/get_reward");
    await bad("[1, 2]", /expected a JSON object/, 400, "/get_reward");
    const form = await app.inject({
      method: "POST",
      url: "/v1/score",
      headers: { "content-type": "text/plain" },
      payload: "hi",
    });
    assert.equal(form.statusCode, 415);
    const small = await createRewardServer({ token: null, bodyLimit: 1024 });
    try {
      const big = await post<{ error: { type: string } }>(small.app, "/v1/score", {
        items: [{ text: "x".repeat(5000) }],
      });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.type, "too_large");
    } finally {
      await small.app.close();
    }
  });

  it("GET /healthz, /v1/rubrics, /metrics (Prometheus text), unknown routes", async () => {
    const h = await app.inject({ method: "GET", url: "/healthz" });
    assert.equal(h.statusCode, 200);
    assert.equal(h.json().status, "ok");
    const rub = (await app.inject({ method: "GET", url: "/v1/rubrics" })).json();
    assert.equal(rub.default, "swe-default");
    assert.equal(rub.reward, "resolved");
    assert.ok(rub.rubrics[0].criteria.some((c: { kind: string }) => c.kind === "outcome"));
    const m = await app.inject({ method: "GET", url: "/metrics" });
    assert.match(m.headers["content-type"] as string, /^text\/plain/);
    for (const name of [
      "rubricate_http_requests_total",
      "rubricate_http_request_duration_seconds_bucket",
      "rubricate_items_total",
      "rubricate_item_errors_total",
      "rubricate_queue_depth",
      "rubricate_judge_requests_total",
      "rubricate_result_cache_total",
    ])
      assert.match(m.body, new RegExp(`^${name}`, "m"), name);
    assert.match(m.body, /^rubricate_item_errors_total\{type="parse"\} [1-9]/m);
    const nf = await app.inject({ method: "GET", url: "/nope" });
    assert.equal(nf.statusCode, 404);
  });
});

describe("rubricate serve: auth and where it listens", () => {
  it("with a token, every route but /healthz needs it; the token is never echoed", async () => {
    const token = "s3cret-token-for-tests";
    const { app } = await createRewardServer({ token, logger: false });
    try {
      const body = { items: [{ text: "User: hi\nAssistant: hello" }] };
      assert.equal((await post(app, "/v1/score", body)).status, 401);
      const wrong = await post<{ error: { message: string } }>(app, "/v1/score", body, {
        authorization: "Bearer nope",
      });
      assert.equal(wrong.status, 401);
      assert.equal((await app.inject({ method: "GET", url: "/metrics" })).statusCode, 401);
      assert.equal((await app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
      const ok = await post<ScoreAnswer>(app, "/v1/score", body, { authorization: `Bearer ${token}` });
      assert.equal(ok.status, 200);
      const echo = await post(
        app,
        "/v1/score",
        { items: [{ text: token, bogus: token }] },
        { authorization: `Bearer ${token}` },
      );
      assert.ok(!JSON.stringify(echo.body).includes(token), "the token does not come back in an error");
    } finally {
      await app.close();
    }
  });

  it("refuses to listen beyond loopback without a token", async () => {
    await assert.rejects(
      createRewardServer({ host: "0.0.0.0", token: null }),
      /refusing to listen on 0\.0\.0\.0 without a token/,
    );
    const { app } = await createRewardServer({ host: "0.0.0.0", token: "t0ken-long-enough" });
    await app.close();
  });
});

describe("rubricate serve: reward modes", () => {
  it("terminal needs the rollout's `resolved`; rubric is the behaviour score", async () => {
    const { app } = await createRewardServer({ token: null, reward: "terminal", outcomeModel: false });
    try {
      const r = await post<ScoreAnswer>(app, "/v1/score", {
        items: [{ messages: agentRun().messages, resolved: true }, { messages: agentRun().messages }],
      });
      assert.equal(r.body.results[0].reward, 1);
      assert.equal(r.body.results[1].failed, true);
      assert.equal(r.body.results[1].error!.type, "no_reward");
      assert.match(r.body.results[1].error!.message, /needs the rollout's test outcome/);
    } finally {
      await app.close();
    }
    const beh = await createRewardServer({ token: null, reward: "rubric", outcomeModel: false });
    try {
      const r = await post<ScoreAnswer>(beh.app, "/v1/score", {
        items: [{ messages: agentRun().messages, patch: PATCH }],
      });
      const [x] = r.body.results;
      assert.equal(x.failed, false);
      assert.equal(x.reward, x.behaviour_score);
      assert.equal(x.p_resolved, null);
    } finally {
      await beh.app.close();
    }
  });

  it("the default reward is p(resolved), as in eval and select: refused at start when nothing predicts it; asked of the outcome model when the rubric has no outcome criterion", async () => {
    await assert.rejects(
      createRewardServer({ token: null, outcomeModel: false }),
      /the resolved reward is p\(resolved\), and nothing here predicts it/,
    );
    const dir = mkdtempSync(join(tmpdir(), "rubricate-serve-"));
    const base = parse(readFileSync(new URL("../../../rubrics/swe-default.yaml", import.meta.url), "utf8"));
    const file = join(dir, "no-outcome.yaml");
    base.id = "no-outcome";
    base.criteria = base.criteria.filter((c: { kind: string }) => c.kind !== "outcome");
    writeFileSync(file, stringify(base));
    const { app, service } = await createRewardServer({ token: null, rubrics: ["swe-default", file] });
    try {
      assert.equal(service.mode, "resolved");
      const items = [{ messages: agentRun().messages, patch: PATCH }];
      const withOutcome = (await post<ScoreAnswer>(app, "/v1/score", { items })).body.results[0];
      const without = (await post<ScoreAnswer>(app, "/v1/score", { items, rubric: "no-outcome" })).body.results[0];
      for (const x of [withOutcome, without]) {
        assert.equal(x.failed, false);
        assert.ok(x.p_resolved !== null && x.p_resolved > 0 && x.p_resolved < 1, `p(resolved) ${x.p_resolved}`);
        assert.equal(x.reward, x.p_resolved);
      }
      assert.ok(!without.criteria.some((c) => c.kind === "outcome"));
      assert.match(without.p_resolved_by!, /^outcome-model:/);
      assert.equal(without.p_resolved, withOutcome.p_resolved, "the same model, asked directly");
      assert.equal(without.behaviour_score, withOutcome.behaviour_score, "outcome criteria are not behaviour");
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

sharedSuite("rubricate serve: a real trajectory", (it) => {
  it("a real mini-swe-agent file's JSON in /v1/score scores as its messages with scaffold mini-swe-agent", async () => {
    const { app } = await createRewardServer({ token: null });
    try {
      const raw = JSON.parse(
        readFileSync(
          shared(
            "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs/django__django-16136/django__django-16136.traj.json",
          ),
          "utf8",
        ),
      ) as { messages: { role: string; content: string }[]; info: { submission: string } };
      const r = await post<ScoreAnswer>(app, "/v1/score", {
        items: [
          { trajectory: raw },
          { messages: raw.messages, patch: raw.info.submission, scaffold: "mini-swe-agent", exit_status: "Submitted" },
        ],
      });
      assert.equal(r.status, 200);
      const [file, msgs] = r.body.results;
      assert.equal(file.error, null);
      assert.equal(file.steps, msgs.steps);
      assert.deepEqual(criteriaOf(msgs), criteriaOf(file));
    } finally {
      await app.close();
    }
  });
});

describe("rubricate serve: scoring in worker threads", () => {
  it("--workers 2 answers as the server's own thread does, admits by rollout count, and sums the workers' metrics", async () => {
    const here = await createRewardServer({ token: null });
    const pooled = await createRewardServer({ token: null, workers: 2, maxQueue: 3 });
    try {
      const items = [{ messages: agentRun("w1").messages }, { text: chatml(agentRun("w2").messages) }, { messages: 5 }];
      const a = await post<ScoreAnswer>(here.app, "/v1/score", { items });
      const b = await post<ScoreAnswer>(pooled.app, "/v1/score", { items });
      assert.equal(b.status, 200);
      const strip = (r: ScoreAnswer) => r.results.map((x) => ({ ...x, latency_ms: 0 }));
      assert.deepEqual(strip(b.body), strip(a.body));
      const q = await post<RewardAnswer>(pooled.app, "/get_reward", { query: [chatml(agentRun("w3").messages)] });
      assert.equal(q.status, 200);
      const tooMany = await post(pooled.app, "/v1/score", { items: [...items, ...items] });
      assert.equal(tooMany.status, 200, "a request larger than the queue is taken into an empty queue");
      const bad = await post<{ error: { message: string } }>(pooled.app, "/v1/score", '{"items": [');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /not valid JSON/);
      const m = (await pooled.app.inject({ method: "GET", url: "/metrics" })).body;
      assert.match(m, /^rubricate_items_total\{route="\/v1\/score",result="fallback"\} 3$/m);
      assert.match(m, /^rubricate_items_total\{route="\/get_reward",result="scored"\} 1$/m);
      assert.match(m, /^rubricate_queue_capacity 3$/m);
      assert.match(m, /^rubricate_http_requests_total\{route="\/v1\/score",status="200"\} 2$/m);
      // the process's CPU is counted once, not once per thread: 0.3 s of CPU spent here shows as 0.3 s
      const cpuOf = async () => {
        const text = (await pooled.app.inject({ method: "GET", url: "/metrics" })).body;
        return Number(/^rubricate_process_cpu_seconds_total (\S+)$/m.exec(text)?.[1]);
      };
      const before = await cpuOf();
      const t0 = process.cpuUsage();
      while (process.cpuUsage(t0).user < 300_000);
      const spent = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1e6;
      const counted = (await cpuOf()) - before;
      assert.ok(counted >= spent * 0.9 && counted < spent * 1.5, `${counted} s counted for ${spent} s spent`);
    } finally {
      await here.app.close();
      await pooled.app.close();
    }
  });
});
