/**
 * Scoring over a real Redis (redis-server on loopback) with real worker processes: a run collected
 * from three workers, one killed mid-run, equals `rubricate score` byte for byte; the judge cache
 * and rate limits are shared across workers (counted at the test judge server); a Redis restart
 * mid-run; a poisoned job fails after its attempts and the rest completes.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { runKeys } from "../../src/queue/keys.js";
import { FIXTURES, HAS_SHARED, ROOT, shared } from "../helpers.js";
import { isProbe, runCli } from "../judge/cli.js";
import { defaultReply, startServer, type TestServer } from "../judge/server.js";
import { HAS_REDIS, type RedisServer, startRedis, stopAll, until, worker } from "./redis.js";

const skip = !HAS_REDIS && "redis-server is not installed (apt-get install redis-server)";
const tmp = () => mkdtempSync(join(tmpdir(), "rubricate-queue-test-"));

/** The inputs: real trajectories of several scaffolds when the shared data is here, a JSONL file split into row ranges. */
const INPUTS = [
  ...(HAS_SHARED
    ? [shared("moatless-lite/evaluations/20240623_moatless_claude-3.5-sonnet"), shared("minisweagent-deepseek")]
    : []),
  join("examples"),
  join("test", "fixtures", "chat", "swesmith.jsonl"),
];

async function done(redis: RedisServer, run: string, jobs: number, ms: number): Promise<void> {
  const c = redis.client();
  try {
    await until(async () => (await c.hlen(runKeys(run).results)) >= jobs, ms, `${jobs} jobs of ${run}`);
  } finally {
    c.disconnect();
  }
}

async function jobsOf(redis: RedisServer, run: string): Promise<number> {
  const c = redis.client();
  try {
    return await c.llen(runKeys(run).jobs);
  } finally {
    c.disconnect();
  }
}

describe("queue: scoring spread over workers", { skip }, () => {
  let redis: RedisServer;
  let workers: ChildProcess[] = [];
  before(async () => {
    redis = await startRedis();
  });
  afterEach(() => stopAll());
  after(async () => {
    await stopAll();
    await redis.stop();
  });

  it("three workers, one killed with SIGKILL mid-run: collect equals score byte for byte", async () => {
    const dir = tmp();
    const sub = await runCli([
      "queue",
      "submit",
      ...INPUTS,
      "--redis",
      redis.url,
      "--run",
      "kill",
      "--rows-per-job",
      "1",
    ]);
    assert.equal(sub.status, 0, sub.stderr);
    const jobs = await jobsOf(redis, "kill");
    assert.ok(jobs >= 13, `${jobs} jobs (the JSONL file split into one job a row)`);
    workers = [worker(redis.url, "w1"), worker(redis.url, "w2"), worker(redis.url, "w3")];
    // kill one as soon as the run is under way
    const c = redis.client();
    await until(async () => (await c.hlen(runKeys("kill").results)) >= 2, 60_000, "the first results");
    c.disconnect();
    workers[0].kill("SIGKILL");
    await done(redis, "kill", jobs, 120_000);
    const status = await runCli(["queue", "status", "kill", "--redis", redis.url, "--json"]);
    const s = JSON.parse(status.stdout) as { done: number; failed: unknown[]; workers: Record<string, number> };
    assert.equal(s.done, jobs);
    assert.deepEqual(s.failed, []);
    assert.ok(Object.keys(s.workers).length >= 2, `per-worker counts: ${JSON.stringify(s.workers)}`);
    const out = join(dir, "collected.jsonl");
    const col = await runCli(["queue", "collect", "kill", "--redis", redis.url, "-o", out, "-q"]);
    assert.equal(col.status, 0, col.stderr);
    const ref = join(dir, "score.jsonl");
    const sc = await runCli(["score", ...INPUTS, "-q", "-o", ref]);
    assert.equal(sc.status, 0, sc.stderr);
    assert.equal(
      readFileSync(out, "utf8"),
      readFileSync(ref, "utf8"),
      "the collected records are score's, in its order",
    );
    // submitting again adds nothing: every job has its result
    const again = await runCli([
      "queue",
      "submit",
      ...INPUTS,
      "--redis",
      redis.url,
      "--run",
      "kill",
      "--rows-per-job",
      "1",
    ]);
    assert.match(again.stderr, /0 added now/);
    await stopAll(workers);
  });

  it("a job whose input lies outside the run's folders fails after its attempts; the rest completes and status lists it", async () => {
    const sub = await runCli([
      "queue",
      "submit",
      "examples",
      "--redis",
      redis.url,
      "--run",
      "poison",
      "--attempts",
      "2",
    ]);
    assert.equal(sub.status, 0, sub.stderr);
    const c = redis.client();
    const keys = runKeys("poison");
    // poison a job that holds a trajectory: its queue entry, changed by another party, names a file outside the submitted folders
    const specs = (await c.lrange(keys.jobs, 0, -1)).map((j) => JSON.parse(j) as { path: string });
    const poisoned = specs.findIndex((j) => j.path.endsWith(".traj.json"));
    const spec = specs[poisoned];
    await c.lset(keys.jobs, poisoned, JSON.stringify({ ...spec, path: join(ROOT, "package.json") }));
    const jobs = await c.llen(keys.jobs);
    workers = [worker(redis.url, "p1"), worker(redis.url, "p2")];
    await until(async () => (await c.hlen(keys.results)) >= jobs - 1, 60_000, "the good jobs");
    c.disconnect();
    let st: { failed: { index: number; reason: string; attempts: number }[]; pending: number } = {
      failed: [],
      pending: 1,
    };
    await until(
      async () => {
        st = JSON.parse((await runCli(["queue", "status", "poison", "--redis", redis.url, "--json"])).stdout);
        return st.failed.length === 1 && st.pending === 0;
      },
      60_000,
      "the poisoned job to fail",
    );
    assert.equal(st.failed[0].index, poisoned);
    assert.equal(st.failed[0].attempts, 2);
    assert.match(st.failed[0].reason, /outside the folders the run declared/);
    const refused = await runCli(["queue", "collect", "poison", "--redis", redis.url, "-q"]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /not finished/);
    const partial = await runCli(["queue", "collect", "poison", "--redis", redis.url, "--partial", "-q"]);
    assert.equal(partial.status, 1, "a job left out is not a clean run");
    // the records of every input but the poisoned one, as score writes them
    const lines = (text: string) => text.split("\n").filter(Boolean).length;
    const count = async (inputs: string[]) => lines((await runCli(["score", ...inputs, "-q"])).stdout);
    assert.equal(lines(partial.stdout), (await count(["examples"])) - (await count([spec.path])));
    await stopAll(workers);
  });
});

describe("queue: the judge shared across workers", { skip }, () => {
  let redis: RedisServer;
  let server: TestServer;
  let workers: ChildProcess[] = [];
  before(async () => {
    redis = await startRedis();
    server = await startServer();
  });
  afterEach(() => stopAll());
  after(async () => {
    await stopAll();
    await redis.stop();
    await server.close();
  });

  it("the same trajectory in two inputs, judged by two workers at once: each question reaches the server once", async () => {
    const dir = tmp();
    const one = join(FIXTURES, "..", "..", "examples", "mini-swe-agent", "run-a");
    cpSync(one, join(dir, "a"), { recursive: true });
    cpSync(one, join(dir, "b"), { recursive: true });
    server.requests.length = 0;
    // each answer takes a while, so both workers ask at the same time
    server.script = (body) => ({ ...defaultReply(body), delayMs: 300 });
    const sub = await runCli([
      "queue",
      "submit",
      join(dir, "a"),
      join(dir, "b"),
      "--redis",
      redis.url,
      "--run",
      "cache",
      "--judge",
      server.url,
      "--model",
      "test-judge",
      "--judge-mode",
      "criterion",
      "--no-probe",
      "--no-auto-labels",
    ]);
    assert.equal(sub.status, 0, sub.stderr);
    const jobs = await jobsOf(redis, "cache");
    workers = [worker(redis.url, "j1", ["--concurrency", "4"]), worker(redis.url, "j2", ["--concurrency", "4"])];
    await done(redis, "cache", jobs, 90_000);
    const asked = server.requests.filter((b) => !isProbe(b)).map((b) => JSON.stringify(b));
    assert.ok(asked.length > 0);
    assert.equal(new Set(asked).size, asked.length, "no request paid twice");
    const col = await runCli(["queue", "collect", "cache", "--redis", redis.url, "-q"]);
    const records = col.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { usage?: { cache_hits: number; requests: number } });
    assert.equal(records.length, jobs);
    const hits = records.reduce((a, r) => a + (r.usage?.cache_hits ?? 0), 0);
    // each question was paid once; the copy's (and any repeat's) answers came from the shared cache
    assert.ok(hits >= asked.length, `${hits} cache hits for ${asked.length} paid answers`);
    server.script = null;
    await stopAll(workers);
  });

  it("a run's --rpm holds across all its workers", async () => {
    server.requests.length = 0;
    const sub = await runCli([
      "queue",
      "submit",
      "examples",
      "--redis",
      redis.url,
      "--run",
      "rpm",
      "--judge",
      server.url,
      "--model",
      "test-judge",
      "--judge-mode",
      "criterion",
      "--rpm",
      "5",
      "--no-probe",
      "--no-auto-labels",
    ]);
    assert.equal(sub.status, 0, sub.stderr);
    workers = [
      worker(redis.url, "r1", ["--concurrency", "4"]),
      worker(redis.url, "r2", ["--concurrency", "4"]),
      worker(redis.url, "r3", ["--concurrency", "4"]),
    ];
    // from the first request on, give them time to ask far more than the limit allows
    const asked = () => server.requests.filter((b) => !isProbe(b)).length;
    await until(async () => asked() >= 1, 90_000, "the first judge request");
    const first = Date.now();
    await new Promise((ok) => setTimeout(ok, 8000));
    const n = asked();
    assert.ok(Date.now() - first < 55_000, "still inside the first minute");
    assert.ok(n <= 5, `${n} requests reached the server in the first minute (limit 5)`);
    await runCli(["queue", "cancel", "rpm", "--redis", redis.url]);
    await stopAll(workers);
  });
});

describe("queue: Redis restarted during a run", { skip }, () => {
  let redis: RedisServer;
  let workers: ChildProcess[] = [];
  before(async () => {
    redis = await startRedis({ persist: true });
  });
  afterEach(() => stopAll());
  after(async () => {
    await stopAll();
    await redis.stop();
  });

  it("workers reconnect and the run completes, with the records score writes", async () => {
    const dir = tmp();
    const inputs = ["examples", join("test", "fixtures", "chat", "swesmith.jsonl")];
    const sub = await runCli([
      "queue",
      "submit",
      ...inputs,
      "--redis",
      redis.url,
      "--run",
      "restart",
      "--rows-per-job",
      "1",
    ]);
    assert.equal(sub.status, 0, sub.stderr);
    const jobs = await jobsOf(redis, "restart");
    workers = [worker(redis.url, "x1"), worker(redis.url, "x2")];
    const c = redis.client();
    await until(async () => (await c.hlen(runKeys("restart").results)) >= 1, 60_000, "the first result");
    c.disconnect();
    await redis.stop();
    await new Promise((ok) => setTimeout(ok, 1500));
    await redis.start();
    await done(redis, "restart", jobs, 120_000);
    const out = join(dir, "collected.jsonl");
    const col = await runCli(["queue", "collect", "restart", "--redis", redis.url, "-o", out, "-q"]);
    assert.equal(col.status, 0, col.stderr);
    const ref = join(dir, "score.jsonl");
    await runCli(["score", ...inputs, "-q", "-o", ref]);
    assert.equal(readFileSync(out, "utf8"), readFileSync(ref, "utf8"));
    await stopAll(workers);
  });
});
