import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { OpenAICompatible, type ChatRequest } from "../../src/judge/backend.js";
import { cachedBackend, cacheKey, JudgeCache, type CachedResponse } from "../../src/judge/cache.js";
import { judgeDecider } from "../../src/judge/judge.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import { ROOT } from "../helpers.js";
import { traj } from "./cli.js";
import { completion, startServer, type TestServer } from "./server.js";

let server: TestServer;
let dir: string;
let n = 0;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), "rubricate-cache-test-"));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh cache file (in a not-yet-existing subdirectory), a clean request log and the default replies. */
function fresh(): string {
  server.requests.length = 0;
  server.script = null;
  return join(dir, `run-${++n}`, "judge-cache.jsonl");
}
// (a generous timeout: on a loaded machine a request may wait seconds for the event loop; counts must not depend on it)
const http = (model = "test-judge") =>
  new OpenAICompatible({ baseURL: server.url, model, maxRetries: 0, timeoutMs: 60_000 });
const REQ: ChatRequest = { system: "You judge.", user: "Is the patch good?", maxTokens: 64 };
/** the response as it survives JSON (undefined fields dropped), without the cache mark */
const plain = (r: CachedResponse) => {
  const { cacheHit: _c, ...rest } = r;
  return JSON.parse(JSON.stringify(rest));
};

test("a second identical call makes no request and returns the same response marked as a cache hit", async () => {
  const cache = new JudgeCache(fresh());
  const b = cachedBackend(http(), cache, "ns");
  const first = (await b.chat(REQ)) as CachedResponse;
  assert.equal(server.requests.length, 1);
  assert.notEqual(first.cacheHit, true);
  const second = (await b.chat({ ...REQ })) as CachedResponse;
  assert.equal(server.requests.length, 1, "answered from the cache");
  assert.equal(second.cacheHit, true);
  assert.deepEqual(plain(second), plain(first));
  assert.deepEqual(
    second.usage,
    { prompt: 100, completion: 10, cached: 40 },
    "the original usage is kept, marked by cacheHit",
  );
  assert.equal(b.hits, 1);
  assert.equal(b.misses, 1);
  assert.equal(cache.stats().entries, 1);
  assert.ok(cache.stats().bytes > 0);
  cache.close();
});

test("any change in a request field, the model or the namespace misses", async () => {
  const cache = new JudgeCache(fresh());
  const base = cachedBackend(http(), cache, "ns");
  await base.chat(REQ);
  const variants: [string, () => Promise<unknown>][] = [
    ["user text", () => base.chat({ ...REQ, user: "Is the patch bad?" })],
    ["system text", () => base.chat({ ...REQ, system: "You judge harshly." })],
    ["maxTokens", () => base.chat({ ...REQ, maxTokens: 65 })],
    ["topLogprobs", () => base.chat({ ...REQ, topLogprobs: 5 })],
    ["schema", () => base.chat({ ...REQ, schema: { name: "s", schema: { type: "object" } } })],
    ["schema body", () => base.chat({ ...REQ, schema: { name: "s", schema: { type: "object", required: [] } } })],
    ["temperature", () => base.chat({ ...REQ, temperature: 0.7 })],
    ["n", () => base.chat({ ...REQ, n: 2 })],
    ["a field ChatRequest does not have yet", () => base.chat({ ...REQ, seed: 7 } as ChatRequest)],
    ["model", () => cachedBackend(http("other-judge"), cache, "ns").chat(REQ)],
    ["namespace", () => cachedBackend(http(), cache, "ns2").chat(REQ)],
  ];
  for (const [what, call] of variants) {
    const before = server.requests.length;
    await call();
    assert.equal(server.requests.length, before + 1, `a different ${what} must miss`);
  }
  // the key ignores key order and undefined fields, and the server's URL
  const k = cacheKey({ namespace: "ns", model: "m", request: REQ });
  assert.match(k, /^[0-9a-f]{64}$/);
  assert.equal(
    cacheKey({
      request: { maxTokens: 64, user: REQ.user, system: REQ.system, n: undefined },
      model: "m",
      namespace: "ns",
    }),
    k,
  );
  assert.notEqual(
    cacheKey({ namespace: "ns", model: "m", request: { ...REQ, schema: { name: "s", schema: { a: 1, b: 2 } } } }),
    cacheKey({ namespace: "ns", model: "m", request: { ...REQ, schema: { name: "s", schema: { a: 1, b: 3 } } } }),
  );
  const n0 = server.requests.length;
  const elsewhere = cachedBackend(
    new OpenAICompatible({ baseURL: server.url.replace("127.0.0.1", "localhost"), model: "test-judge", maxRetries: 0 }),
    cache,
    "ns",
  );
  assert.equal(((await elsewhere.chat(REQ)) as CachedResponse).cacheHit, true, "same model on another URL hits");
  assert.equal(server.requests.length, n0);
  cache.close();
});

test("the cache persists across close and reopen of the file", async () => {
  const file = fresh();
  let cache = new JudgeCache(file);
  const first = await cachedBackend(http(), cache, "ns").chat(REQ);
  cache.close();
  cache = new JudgeCache(file);
  const b = cachedBackend(http(), cache, "ns");
  const again = (await b.chat(REQ)) as CachedResponse;
  assert.equal(server.requests.length, 1);
  assert.equal(again.cacheHit, true);
  assert.deepEqual(plain(again), plain(first));
  // the file: a header line, then one JSON line per entry
  const lines = readFileSync(file, "utf8").split("\n");
  assert.deepEqual(JSON.parse(lines[0]), { rubricate: "judge-cache", format: 1 });
  assert.equal(JSON.parse(lines[1]).k, cacheKey({ namespace: "ns", model: "test-judge", request: REQ }));
  assert.equal(lines.length, 3, "two lines, each ending with a newline");
  cache.close();
});

test("errors, refusals, truncated and empty answers are not cached", async () => {
  const cache = new JudgeCache(fresh());
  const b = cachedBackend(http(), cache, "ns");
  const cut = completion('{"criteria": [') as { choices: { finish_reason: string }[] };
  cut.choices[0].finish_reason = "length";
  const bad: [string, () => object][] = [
    ["a 400", () => ({ status: 400, json: { error: { message: "bad request" } } })],
    ["a refusal", () => ({ json: completion("I cannot.", { refusal: "I cannot help with that." }) })],
    ["finish_reason length", () => ({ json: cut })],
    ["an empty answer", () => ({ json: completion("") })],
  ];
  for (const [what, reply] of bad) {
    server.requests.length = 0;
    server.script = reply;
    const req = { ...REQ, user: `case: ${what}` };
    await b.chat(req).catch(() => undefined);
    await b.chat(req).catch(() => undefined);
    assert.equal(server.requests.length, 2, `${what} is asked again`);
    assert.equal(cache.stats().entries, 0, `${what} is not stored`);
  }
  // once the server answers properly the answer is stored
  server.script = null;
  await b.chat({ ...REQ, user: "case: a 400" });
  assert.equal(cache.stats().entries, 1);
  cache.close();
});

test("an entry that is not an answer is a miss, not a crash; the answer asked again replaces it", async () => {
  const file = fresh();
  let cache = new JudgeCache(file);
  await cachedBackend(http(), cache, "ns").chat(REQ);
  cache.close();
  const [head, entry] = readFileSync(file, "utf8").split("\n");
  writeFileSync(file, `${head}\n${JSON.stringify({ ...JSON.parse(entry), r: "not an answer" })}\n`);
  cache = new JudgeCache(file);
  const key = cacheKey({ namespace: "ns", model: "test-judge", request: REQ });
  assert.equal(cache.get(key), undefined);
  const b = cachedBackend(http(), cache, "ns");
  const res = (await b.chat(REQ)) as CachedResponse;
  assert.equal(server.requests.length, 2, "asked again");
  assert.equal(res.text, "YES");
  assert.equal(cache.get(key)?.text, "YES", "and the entry is replaced");
  cache.put("k", { wrong: "shape" } as never, { model: "m" });
  assert.equal(cache.get("k"), undefined);
  cache.close();
  assert.equal(new JudgeCache(file).get(key)?.text, "YES", "the later line wins on reopening");
});

test("a torn last line (a process killed mid-write) is ignored, and an entry appended after it is kept", async () => {
  const file = fresh();
  let cache = new JudgeCache(file);
  await cachedBackend(http(), cache, "ns").chat(REQ);
  cache.close();
  const whole = readFileSync(file, "utf8");
  const entry = whole.split("\n")[1];
  appendFileSync(file, entry.slice(0, 40)); // torn: no newline
  cache = new JudgeCache(file);
  assert.equal(cache.stats().entries, 1);
  const other = { ...REQ, user: "Another question?" };
  await cachedBackend(http(), cache, "ns").chat(other); // appended right after the torn bytes
  cache.close();
  cache = new JudgeCache(file);
  assert.equal(cache.stats().entries, 2, "both whole entries are read, the torn bytes are not");
  assert.equal(cache.get(cacheKey({ namespace: "ns", model: "test-judge", request: other }))?.text, "YES");
  cache.close();
});

test("a process sees what another appended to the same file after it opened it", async () => {
  const file = fresh();
  const one = new JudgeCache(file);
  const two = new JudgeCache(file);
  await cachedBackend(http(), one, "ns").chat(REQ);
  const res = (await cachedBackend(http(), two, "ns").chat(REQ)) as CachedResponse;
  assert.equal(res.cacheHit, true);
  assert.equal(server.requests.length, 1);
  one.close();
  two.close();
});

test("concurrent identical requests make one server request", async () => {
  const cache = new JudgeCache(fresh());
  const b = cachedBackend(http(), cache, "ns");
  server.script = () => ({ delayMs: 100, json: completion("YES") });
  // the five calls are made before any answer can come back (the in-flight entry is set before the
  // first call waits), so the count does not depend on how fast the machine is
  const all = (await Promise.all(Array.from({ length: 5 }, () => b.chat(REQ)))) as CachedResponse[];
  assert.equal(server.requests.length, 1);
  assert.equal(all.filter((r) => r.cacheHit).length, 4, "the four that waited spent nothing");
  assert.ok(all.every((r) => r.text === "YES"));
  assert.equal(b.misses, 1);
  assert.equal(b.hits, 4);
  cache.close();
});

test("a file that is not a judge cache, or an older rubricate's SQLite cache, gives an error naming the file", () => {
  const file = join(dir, "not-a-cache.jsonl");
  writeFileSync(file, "this is some text, not a cache\n".repeat(200));
  assert.throws(
    () => new JudgeCache(file),
    (e: Error) =>
      e.message.includes(file) &&
      /not a rubricate judge cache/.test(e.message) &&
      /expected a rubricate judge cache/.test(e.message),
  );
  const old = join(dir, "judge.sqlite");
  writeFileSync(old, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4080)]));
  assert.throws(
    () => new JudgeCache(old),
    /judge\.sqlite: cannot open it \(it is a SQLite cache of an older rubricate/,
  );
  assert.equal(readFileSync(old).length, 4096, "the old file is left as it was");
});

test("two processes can write one cache file at once", async () => {
  const file = fresh();
  new JudgeCache(file).close();
  const mod = join(ROOT, "dist", "src", "judge", "cache.js");
  const code = `import { JudgeCache } from ${JSON.stringify(mod)};
const c = new JudgeCache(process.argv[1]);
const res = { text: "YES", finishReason: "stop", refusal: null, choices: [{ text: "YES", finishReason: "stop", refusal: null }], usage: { prompt: 1, completion: 1, cached: 0 } };
for (let i = 0; i < 300; i++) c.put(process.argv[2] + i, res, { model: "m" });
c.close();`;
  const run = (tag: string) =>
    new Promise<number | null>((ok) => {
      const p = spawn(process.execPath, ["--input-type=module", "-e", code, file, tag], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      p.on("close", ok);
    });
  assert.deepEqual(await Promise.all([run("a"), run("b")]), [0, 0]);
  const cache = new JudgeCache(file);
  assert.equal(cache.stats().entries, 600);
  cache.close();
});

test("a full provider run scored twice: the second pass makes no request and decides the same", async () => {
  const rubric = loadRubric("swe-default");
  const file = fresh();
  const score = async () => {
    const cache = new JudgeCache(file);
    const judge = judgeDecider(cachedBackend(http(), cache, "swe-default"), { mode: "criterion", outcome: true });
    const rec = await scoreTrajectory(traj("a"), rubric, { judge, outcome: judge });
    cache.close();
    return { rec, stats: judge.stats };
  };
  const one = await score();
  const asked = server.requests.length;
  assert.ok(asked >= 2, "the first pass asks the server");
  assert.equal(one.stats.cacheHits, 0);
  const two = await score();
  assert.equal(server.requests.length, asked, "the second pass makes zero requests");
  assert.equal(two.stats.requests, 0);
  assert.equal(two.stats.cacheHits, asked);
  assert.equal(two.stats.promptTokens, 0, "cache hits cost no tokens");
  const decided = one.rec.criteria.filter((c) => c.by?.startsWith("judge"));
  assert.ok(decided.length >= 2 && decided.every((c) => c.status === "decided"));
  assert.deepEqual(two.rec.criteria, one.rec.criteria);
});
