/**
 * The judge client's transport and scheduling: sockets with TCP_NODELAY, the questions about one
 * trajectory sharing their prefix with the first sent alone, and exact token counting only where
 * the budget is close.
 */
import assert from "node:assert/strict";
import { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { OpenAICompatible } from "../../src/judge/backend.js";
import { STALLS_BEFORE_FRESH, noDelayAgents, noDelayFetch } from "../../src/judge/http.js";
import { judgeDecider } from "../../src/judge/judge.js";
import { renderTranscript } from "../../src/judge/render.js";
import { defaultCounter, type TokenCounter } from "../../src/judge/tokens.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { bash, trajectory } from "../build.js";
import { traj } from "./cli.js";
import { defaultReply, startServer, userText, type TestServer } from "./server.js";

describe("judge client", () => {
  let server: TestServer;
  const rubric = loadRubric("swe-default");
  before(async () => {
    server = await startServer({ noDelay: false });
  });
  after(() => server.close());

  it("sets TCP_NODELAY on every socket it sends a request on, a reused one too", async () => {
    const calls: { socket: Socket; on: boolean }[] = [];
    const original = Socket.prototype.setNoDelay;
    Socket.prototype.setNoDelay = function (this: Socket, on?: boolean) {
      calls.push({ socket: this, on: on !== false });
      return original.call(this, on);
    };
    try {
      server.requests.length = 0;
      server.script = null;
      server.spans = [];
      // the backend as users get it: its default transport
      const b = new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 });
      for (let i = 0; i < 3; i++) {
        const r = await b.chat({ system: "s", user: `question ${i}`, maxTokens: 1, topLogprobs: 5 });
        assert.equal(r.text, "YES");
      }
      assert.equal(server.requests.length, 3);
      assert.equal(new Set(server.spans.map((s) => s.conn)).size, 1, "one connection, kept alive and reused");
      const port = Number(new URL(server.url).port);
      const client = calls.filter((c) => c.socket.remotePort === port);
      assert.ok(client.length >= 3, `setNoDelay on the client's socket for each request (${client.length} calls)`);
      assert.ok(
        client.every((c) => c.on),
        "always turned on",
      );
    } finally {
      Socket.prototype.setNoDelay = original;
      server.spans = null;
    }
  });

  it("its agents ask for TCP_NODELAY on new sockets and keep connections alive", () => {
    const a = noDelayAgents();
    for (const agent of [a.http, a.https]) {
      const o = (agent as unknown as { options: { noDelay?: boolean; keepAlive?: boolean } }).options;
      assert.equal(o.noDelay, true);
      assert.equal(o.keepAlive, true);
    }
    a.http.destroy();
    a.https.destroy();
  });

  it("stops reusing connections to a server whose answers keep stalling on them, and only to that one", async () => {
    // a body that arrives ≥ 30 ms after its headers on a reused connection, as with a server that
    // leaves Nagle on and writes the two apart (here the server holds the second half on purpose)
    const b = new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 });
    const origin = new URL(server.url).origin;
    server.spans = [];
    server.script = (body) => ({ ...defaultReply(body), stallMs: 60 });
    for (let i = 0; i < STALLS_BEFORE_FRESH + 1; i++) await b.chat({ system: "s", user: `q${i}`, maxTokens: 1 });
    assert.equal(b.transport.fresh.has(origin), true, "stalls seen: connections no longer reused");
    assert.equal(b.transport.stalls.get(origin), STALLS_BEFORE_FRESH, "the first answer came on a fresh connection");
    const before = new Set(server.spans.map((s) => s.conn)).size;
    server.script = null;
    for (let i = 0; i < 3; i++) await b.chat({ system: "s", user: `r${i}`, maxTokens: 1 });
    assert.equal(new Set(server.spans.map((s) => s.conn)).size, before + 3, "one fresh connection per request");
    // a server answering in one piece keeps its kept-alive connection
    const other = new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 });
    server.spans = [];
    for (let i = 0; i < 5; i++) await other.chat({ system: "s", user: `o${i}`, maxTokens: 1 });
    assert.equal(other.transport.fresh.size, 0);
    assert.equal(new Set(server.spans.map((s) => s.conn)).size, 1);
    server.spans = null;
  });

  it("a body cut off fails the read with a TypeError, an abort with an AbortError", async () => {
    const f = noDelayFetch();
    server.script = () => ({ json: { hello: "x".repeat(5000) }, truncate: true });
    const res = await f(`${server.url}/chat/completions`, { method: "POST", body: "{}" });
    assert.equal(res.status, 200);
    await assert.rejects(res.text(), (e: Error) => e instanceof TypeError && /terminated/.test(e.message));
    server.script = () => ({ json: {}, delayMs: 5000 });
    const ctl = new AbortController();
    const pending = f(`${server.url}/chat/completions`, { method: "POST", body: "{}", signal: ctl.signal });
    ctl.abort();
    await assert.rejects(pending, (e: Error) => e.name === "AbortError");
    server.script = null;
  });

  it("criterion mode: the questions of one trajectory share its prefix; the first goes alone, the others together once it is answered", async () => {
    server.requests.length = 0;
    server.spans = [];
    const arrivals: { user: string; inFlight: number }[] = [];
    let release: () => void = () => {};
    const later = new Promise<void>((ok) => (release = ok));
    // asked one after another, the second question would be held until this gives up
    const fallback = setTimeout(release, 10_000);
    server.script = (body, n) => {
      arrivals.push({ user: userText(body), inFlight: server.inFlight });
      if (n === 1) return { ...defaultReply(body), delayMs: 100 };
      if (n === 4) release();
      // the later questions are answered only once all of them are in flight
      return { ...defaultReply(body), waitFor: later };
    };
    const j = judgeDecider(new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 }), {
      mode: "criterion",
      rubric: rubric.criteria,
    });
    const rec = await scoreTrajectory(traj("def slug(): pass"), rubric, { judge: j });
    clearTimeout(fallback);
    const spans = server.spans;
    server.spans = null;
    server.script = null;
    const judged = rec.criteria.filter((c) => c.kind === "judge");
    assert.equal(arrivals.length, judged.length, "one question per judge criterion");
    assert.ok(judged.every((c) => c.status === "decided"));
    const prefix = (u: string) => u.slice(0, u.indexOf("\n\nQuestion ("));
    assert.ok(prefix(arrivals[0].user).length > 100);
    assert.ok(
      arrivals.every((a) => prefix(a.user) === prefix(arrivals[0].user)),
      "every question starts with the same fenced trajectory",
    );
    assert.equal(arrivals[0].inFlight, 1, "the first question went alone");
    assert.ok(
      spans.slice(1).every((s) => s.at >= spans[0].end),
      "the others were sent once the first was answered",
    );
    assert.equal(arrivals[3].inFlight, 3, "the other three were in flight together");
  });

  it("counts tokens exactly only when the cheap bound (UTF-8 bytes) does not already fit the budget", () => {
    const calls: number[] = [];
    const base = defaultCounter();
    const counter: TokenCounter = {
      name: base.name,
      count: (text) => {
        calls.push(text.length);
        return base.count(text);
      },
      atMost: base.atMost,
    };
    const small = traj("def slug(s): return s.lower()");
    const far = renderTranscript(small, 24000, counter);
    assert.equal(calls.length, 0, "far within the budget: not counted");
    assert.equal(far.exact, false);
    assert.equal(far.tokens, Buffer.byteLength(far.text), "the bound is given as the size");
    assert.ok(base.count(far.text) <= far.tokens, "and it is an upper bound");

    const big = trajectory({
      turns: Array.from({ length: 6 }, (_, i) => bash(`cat f${i}.py`, "word ".repeat(400))),
      task: "Fix it.",
      instance: "x__y-2",
    });
    const near = renderTranscript(big, 1500, counter);
    assert.ok(calls.length >= 1, "near the budget: counted exactly");
    assert.equal(near.exact, true);
    assert.equal(near.tokens, base.count(near.text));
    assert.ok(near.tokens <= 1500);
  });

  it("a record says when its transcript size is a bound rather than a count", async () => {
    server.script = null;
    const j = judgeDecider(new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 }), {
      mode: "criterion",
      rubric: rubric.criteria,
    });
    const rec = await scoreTrajectory(traj("ok"), rubric, { judge: j });
    assert.equal(rec.usage?.transcript?.tokens_upper_bound, true);
    const counted = judgeDecider(new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0 }), {
      mode: "criterion",
      rubric: rubric.criteria,
      maxPromptTokens: 50,
    });
    const rec2 = await scoreTrajectory(traj("ok"), rubric, { judge: counted });
    assert.equal(rec2.usage?.transcript?.tokens_upper_bound, undefined, "counted exactly: no flag");
  });
});
