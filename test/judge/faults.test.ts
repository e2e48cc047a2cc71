/**
 * The judge against a loopback server that misbehaves: bodies cut off half way, 200s that are not
 * JSON, bodies that stall after the headers, vLLM's finish_reason "length" on one-token answers,
 * impossible log-probabilities, an API key echoed back, and a damaged cache file.
 */
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { OpenAICompatible } from "../../src/judge/backend.js";
import { CacheDamaged, JudgeCache, cachedBackend } from "../../src/judge/cache.js";
import { judgeDecider } from "../../src/judge/judge.js";
import { clearSecrets } from "../../src/io/redact.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { completion, defaultReply, startServer, type TestServer } from "./server.js";
import { freshCache, runCli, traj } from "./cli.js";
import { ROOT } from "../helpers.js";

describe("judge faults (a misbehaving loopback server)", () => {
  let server: TestServer;
  const rubric = loadRubric("swe-default");
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());
  const judge = (mode: "rubric" | "criterion", o: { timeoutMs?: number; maxRetries?: number } = {}) =>
    judgeDecider(
      new OpenAICompatible({
        baseURL: server.url,
        model: "test-judge",
        maxRetries: o.maxRetries ?? 2,
        timeoutMs: o.timeoutMs ?? 20_000,
      }),
      { mode },
    );
  const judged = (rec: { criteria: { kind: string; status: string; reason?: string; explanation: string }[] }) =>
    rec.criteria.filter((c) => c.kind === "judge");

  it("a body cut off half way is retried like a 5xx, and so is a 200 whose body is not JSON", async () => {
    server.requests.length = 0;
    server.script = (b, n) => (n === 1 ? { ...defaultReply(b), truncate: true } : undefined);
    let rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("rubric") });
    assert.equal(server.requests.length, 2, "asked again after the cut-off body");
    assert.ok(judged(rec).every((c) => c.status === "decided"));

    server.requests.length = 0;
    server.script = (_b, n) => (n === 1 ? { raw: '{"id": "x", "choices": [{"index": 0, "mess' } : undefined);
    rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("rubric") });
    assert.equal(server.requests.length, 2, "asked again after the unparseable 200");
    assert.ok(judged(rec).every((c) => c.status === "decided"));

    // when every attempt is cut off: judge_error (so --resume asks again), never a value
    server.requests.length = 0;
    server.script = (b) => ({ ...defaultReply(b), truncate: true });
    rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("rubric", { maxRetries: 1 }) });
    assert.equal(server.requests.length, 2);
    const c = judged(rec)[0];
    assert.equal(c.reason, "judge_error");
    assert.match(c.explanation, /cut off|terminated|JSON/i);
    server.script = null;
  });

  it("--timeout bounds the whole request: a body that stalls after the headers is aborted and retried", async () => {
    server.requests.length = 0;
    server.script = (b) => ({ ...defaultReply(b), stallMs: 30_000 });
    const t0 = Date.now();
    const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("rubric", { timeoutMs: 300, maxRetries: 1 }) });
    const took = Date.now() - t0;
    assert.equal(server.requests.length, 2, "the stalled attempt was retried once");
    assert.ok(took < 10_000, `two attempts of 0.3 s each took ${took} ms (a stalled body would take 30 s)`);
    const c = judged(rec)[0];
    assert.equal(c.reason, "judge_error");
    assert.match(c.explanation, /timed out.*headers and body/);

    // a stall shorter than the timeout is no fault
    server.requests.length = 0;
    server.script = (b) => ({ ...defaultReply(b), stallMs: 100 });
    const ok = await scoreTrajectory(traj("a"), rubric, { judge: judge("rubric", { timeoutMs: 5000, maxRetries: 0 }) });
    assert.ok(judged(ok).every((x) => x.status === "decided"));
    server.script = null;
  });

  it("one-token YES/NO answers ending with finish_reason 'length' (as vLLM sends) are cached", async () => {
    const cache = new JudgeCache(":memory:");
    const vllmLike = (body: Record<string, unknown>) => {
      const r = defaultReply(body);
      const j = r.json as { choices: { finish_reason: string }[] };
      if (body.max_tokens === 1) j.choices[0].finish_reason = "length";
      return r;
    };
    const decider = () =>
      judgeDecider(
        cachedBackend(
          new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0, timeoutMs: 20_000 }),
          cache,
          rubric.hash,
        ),
        { mode: "criterion" },
      );
    server.requests.length = 0;
    server.script = vllmLike;
    const first = await scoreTrajectory(traj("a"), rubric, { judge: decider() });
    const asked = server.requests.length;
    assert.ok(asked >= 2, "one request per judge criterion");
    assert.equal(cache.stats().entries, asked, "every one-token answer was stored");
    const second = await scoreTrajectory(traj("a"), rubric, { judge: decider() });
    assert.equal(server.requests.length, asked, "the re-run made no request");
    assert.deepEqual(
      judged(second).map((c) => c.status),
      judged(first).map((c) => c.status),
    );

    // a longer answer cut off at its token limit is still not stored
    server.requests.length = 0;
    server.script = (b) => ({ json: completion('{"criteria": []}', { finish: "length" }) });
    const before = cache.stats().entries;
    await scoreTrajectory(traj("b"), rubric, {
      judge: judgeDecider(
        cachedBackend(
          new OpenAICompatible({ baseURL: server.url, model: "test-judge", maxRetries: 0, timeoutMs: 20_000 }),
          cache,
          rubric.hash,
        ),
        { mode: "rubric" },
      ),
    });
    assert.equal(cache.stats().entries, before);
    cache.close();
    server.script = null;
  });

  it("a log-probability above 0 is a typed error (malformed_response), not retried and not a value", async () => {
    for (const logprob of [0.7, 12]) {
      server.requests.length = 0;
      server.script = () => ({
        json: completion("YES", {
          logprobs: [
            { token: "YES", logprob },
            { token: "NO", logprob: -1 },
          ],
        }),
      });
      const rec = await scoreTrajectory(traj("a"), rubric, { judge: judge("criterion") });
      const cs = judged(rec);
      assert.equal(server.requests.length, cs.length, "asked once per criterion, never again");
      for (const c of cs) {
        assert.equal(c.status, "unscored");
        assert.equal(c.reason, "malformed_response");
        assert.match(c.explanation, new RegExp(`impossible log-probability ${logprob}`));
      }
    }
    server.script = null;
  });

  it("an API key the server echoes in its 401 never reaches a record, stdout or stderr", async () => {
    const key = "sk-test-0123456789abcdefSECRET";
    server.script = () => ({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${key}. Check your key.` } },
    });
    const dir = mkdtempSync(join(tmpdir(), "rubricate-secret-"));
    const input = join(ROOT, "examples");
    const out = join(dir, "scores.jsonl");
    const env: NodeJS.ProcessEnv = { ...freshCache(), RUBRICATE_API_KEY: key };
    const r = await runCli(
      ["score", input, "-o", out, "--judge", server.url, "--model", "test-judge", "--no-probe", "--retries", "0"],
      env,
    );
    const written = readFileSync(out, "utf8");
    assert.match(written, /\[redacted\]/, "the record says what the server said, with the key cut out");
    for (const text of [written, r.stdout, r.stderr]) assert.ok(!text.includes(key), "the key leaked");
    // nor into the cache (nothing is cached from a failure, and nothing else holds the key)
    const cacheDir = join(env.XDG_CACHE_HOME!, "rubricate");
    for (const f of readdirSync(cacheDir)) assert.ok(!readFileSync(join(cacheDir, f)).includes(key));
    clearSecrets();
    server.script = null;
  });

  it("a damaged cache file is refused with a message, or rebuilt from what can still be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-damaged-"));
    const path = join(dir, "judge-cache.jsonl");
    const cache = new JudgeCache(path);
    const res = {
      text: "YES",
      choices: [{ text: "YES", finishReason: "stop", refusal: null }],
      finishReason: "stop",
      refusal: null,
      usage: { prompt: 1, completion: 1, cached: 0 },
    };
    for (let i = 0; i < 400; i++)
      cache.put(i.toString(16).padStart(64, "0"), { ...res, text: `YES ${"x".repeat(200)} ${i}` }, { model: "m" });
    cache.close();
    // 200 flipped bytes in the second page (a b-tree page of the table)
    const size = readFileSync(path).length;
    assert.ok(size > 8192);
    const fd = openSync(path, "r+");
    const page = readFileSync(path).subarray(4096, 4096 + 200);
    writeSync(fd, Buffer.from(page.map((b) => b ^ 0xa5)), 0, 200, 4096);
    closeSync(fd);
    assert.throws(
      () => new JudgeCache(path),
      (e: Error) => {
        assert.ok(e instanceof CacheDamaged);
        assert.match(e.message, /judge cache .*judge-cache\.jsonl is damaged .*--repair-cache/);
        return true;
      },
    );
    const repaired = new JudgeCache(path, { repair: true });
    assert.match(repaired.repaired ?? "", /moved to .*damaged-.* and rebuilt with the \d+ entries/);
    const kept = repaired.stats().entries;
    assert.ok(kept < 400, `some entries were lost to the damage (kept ${kept})`);
    repaired.close();
    // the rebuilt file is sound: it opens without repair
    new JudgeCache(path).close();
    assert.ok(
      readdirSync(dir).some((f) => f.startsWith("judge-cache.jsonl.damaged-")),
      "the damaged file is kept aside",
    );
  });
});
