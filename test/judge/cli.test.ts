/** `rubricate score --judge ...` end to end through the CLI: modes over the shared real trajectories, config files, panels, probe errors. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ScoreRecord } from "../../src/types/score.js";
import { HAS_SHARED, ROOT, SHARED } from "../helpers.js";
import { freshCache, isProbe, runCli } from "./cli.js";
import { startServer, type TestServer } from "./server.js";

const tmp = () => mkdtempSync(join(tmpdir(), "rubricate-judge-cli-"));
const read = (f: string) =>
  readFileSync(f, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ScoreRecord);
/** the shared real trajectories, else the project's examples */
const INPUTS = HAS_SHARED ? [SHARED] : [join(ROOT, "examples")];

describe("score with a judge, through the CLI", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  for (const mode of ["rubric", "criterion", "outcome"] as const) {
    it(`--judge-mode ${mode} over ${HAS_SHARED ? "all the shared real trajectories" : "the examples"}: every applicable criterion decided, calls as the mode says`, async () => {
      server.requests.length = 0;
      server.script = null;
      const out = join(tmp(), "s.jsonl");
      const r = await runCli([
        "score",
        ...INPUTS,
        "--judge",
        server.url,
        "--model",
        "test-judge",
        "--judge-mode",
        mode,
        "--concurrency",
        "16",
        "--no-run-context",
        "-o",
        out,
        ...(mode === "criterion" ? ["--tokenizer", "cl100k"] : []),
        ...(HAS_SHARED ? ["--labels", join(SHARED, "index.jsonl")] : []),
      ]);
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      const records = read(out);
      assert.ok(records.length >= (HAS_SHARED ? 352 : 8), `${records.length} records`);
      assert.ok(
        records.every((x) => !x.error),
        "no error records",
      );
      let calls = 0;
      for (const rec of records) {
        const judged = rec.criteria.filter((c) => c.kind === "judge" && c.status !== "not_applicable");
        const outcome = rec.criteria.filter((c) => c.kind === "outcome" && c.status !== "not_applicable");
        if (mode === "outcome") {
          for (const c of outcome)
            assert.ok(
              c.status === "decided" && c.by === "judge:test-judge",
              `${rec.trajectory_id} ${c.id}: ${c.explanation}`,
            );
          for (const c of judged) {
            assert.equal(c.reason, "no_judge");
            assert.match(c.explanation, /not asked: --judge-mode outcome/);
          }
          calls += outcome.length;
        } else {
          for (const c of judged) assert.equal(c.status, "decided", `${rec.trajectory_id} ${c.id}: ${c.explanation}`);
          for (const c of outcome) assert.match(c.by, /^outcome-model:/, "the outcome model keeps outcome criteria");
          calls += mode === "rubric" ? (judged.length ? 1 : 0) : judged.length;
        }
        for (const c of [...judged, ...outcome]) for (const e of c.evidence) assert.ok(e < rec.steps);
        if (rec.usage) {
          assert.ok(rec.usage.requests > 0, "usage per record");
          assert.match(rec.usage.transcript!.sha256, /^[0-9a-f]{64}$/);
          assert.ok(
            rec.usage.transcript!.tokens <= 24000 || rec.steps > 150,
            `${rec.trajectory_id}: ${rec.usage.transcript!.tokens} tokens`,
          );
          assert.equal(rec.usage.transcript!.tokenizer, mode === "criterion" ? "cl100k_base" : "o200k_base");
        }
      }
      assert.equal(server.requests.filter((b) => !isProbe(b)).length, calls);
      assert.match(r.stderr, new RegExp(`judge test-judge \\(${mode} mode\\): ${calls} requests`));
      if (mode === "outcome") {
        // the judge's p(YES) alone, evaluated against the labels (the scripted judge says 0.82 to everything: AUC 0.5)
        const ev = await runCli(["eval", out, "--criterion", "predicted-resolution", "--bootstrap", "0"]);
        assert.equal(ev.status, 0, ev.stderr);
        assert.match(ev.stdout, /AUC/);
        assert.match(ev.stdout, /0\.500/);
        const none = await runCli(["eval", out, "--criterion", "no-such-criterion"]);
        assert.equal(none.status, 1);
        assert.match(none.stderr, /no record has a decided value for criterion no-such-criterion/);
      }
    });
  }

  it("a re-run answered from the cache makes zero requests and writes the same records; --no-cache asks again", async () => {
    server.script = null;
    const d = tmp();
    const cache = join(d, "cache.sqlite");
    const args = [
      "score",
      join(ROOT, "examples"),
      "--judge",
      server.url,
      "--model",
      "test-judge",
      "--judge-mode",
      "criterion",
      "--judge-outcome",
      "--cache",
      cache,
    ];
    server.requests.length = 0;
    let r = await runCli([...args, "-o", join(d, "a.jsonl")]);
    assert.equal(r.status, 0, r.stderr);
    const first = server.requests.filter((b) => !isProbe(b)).length;
    assert.ok(first > 8, `${first} requests`);
    server.requests.length = 0;
    r = await runCli([...args, "-o", join(d, "b.jsonl"), "--no-probe"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(server.requests.length, 0, "nothing sent: every answer came from the cache");
    assert.match(r.stderr, new RegExp(`0 requests, ${first} cache hits`));
    const strip = (f: string) => read(f).map((x) => ({ ...x, usage: undefined }));
    assert.deepEqual(strip(join(d, "b.jsonl")), strip(join(d, "a.jsonl")));
    assert.ok(read(join(d, "b.jsonl")).every((x) => !x.usage || (x.usage.requests === 0 && x.usage.cache_hits > 0)));
    r = await runCli([...args, "-o", join(d, "c.jsonl"), "--no-probe", "--no-cache"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(server.requests.length, first);
  });

  it("--resume asks again for trajectories whose judge requests failed, and keeps every other record once", async () => {
    const d = tmp();
    const cfg = join(d, "judge.yaml");
    writeFileSync(cfg, `url: ${server.url}\nmodel: test-judge\nretries: 0\ncache: false\n`);
    const out = join(d, "s.jsonl");
    server.script = (b, n) =>
      n % 2 === 0 && !isProbe(b) ? { status: 503, json: { error: { message: "down for a moment" } } } : undefined;
    let r = await runCli(["score", join(ROOT, "examples"), "--judge-config", cfg, "-o", out, "--concurrency", "1"]);
    const failed = read(out).filter((x) => x.criteria.some((c) => c.reason === "judge_error")).length;
    assert.ok(failed > 0, "some trajectories met the outage");
    // criteria left undecided by a failure: exit 1 and one line saying which and what to do
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `score: ${failed} trajectories have criteria that could not be decided because of a failure \\(judge_error \\d+;.*run again with --resume`,
      ),
    );
    server.script = null;
    r = await runCli(["score", join(ROOT, "examples"), "--judge-config", cfg, "-o", out, "--resume"]);
    assert.equal(r.status, 0, r.stderr);
    const records = read(out);
    assert.equal(records.length, 8);
    assert.equal(new Set(records.map((x) => x.trajectory_id)).size, 8);
    const left = records.flatMap((x) => x.criteria.filter((c) => c.reason === "judge_error").map((c) => c.explanation));
    assert.deepEqual(left, [], "no judge error left");
    assert.match(r.stderr, new RegExp(`resume: ${8 - failed} trajectories already scored`));
  });

  it("--judge-config: a panel from a YAML file, flags over it, votes and agreement in the records", async () => {
    server.requests.length = 0;
    server.models = ["test-judge", "second-judge"];
    server.script = null;
    const d = tmp();
    const cfg = join(d, "judge.yaml");
    writeFileSync(
      cfg,
      `url: ${server.url}\npanel:\n  - model: test-judge\n  - model: second-judge\nconcurrency: 4\nmax_prompt_tokens: 8000\n`,
    );
    const out = join(d, "s.jsonl");
    const r = await runCli(["score", join(ROOT, "examples"), "--judge-config", cfg, "-o", out, "--no-cache"]);
    assert.equal(r.status, 0, r.stderr);
    const models = new Set(server.requests.filter((b) => !isProbe(b)).map((b) => b.model));
    assert.deepEqual([...models].sort(), ["second-judge", "test-judge"]);
    const c = read(out)
      .flatMap((x) => x.criteria)
      .find((x) => x.kind === "judge" && x.status === "decided")!;
    assert.equal(c.votes!.length, 2);
    assert.equal(c.agreement, 1);
    assert.equal(server.requests.filter(isProbe).length, 2, "each panel member probed");
    server.models = ["test-judge"];
  });

  it("the API key goes from the environment to the server and nowhere else", async () => {
    server.script = null;
    server.auth.length = 0;
    const d = tmp();
    const key = "sk-test-0123456789abcdef";
    const cfg = join(d, "judge.yaml");
    writeFileSync(cfg, `url: ${server.url}\nmodel: test-judge\napi_key_env: MY_JUDGE_KEY\n`);
    const out = join(d, "s.jsonl");
    const r = await runCli(["score", join(ROOT, "examples"), "--judge-config", cfg, "-o", out], {
      ...freshCache(),
      MY_JUDGE_KEY: key,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(
      server.auth.length > 0 && server.auth.every((a) => a === `Bearer ${key}`),
      "every request carries the key",
    );
    for (const text of [r.stdout, r.stderr, readFileSync(out, "utf8")])
      assert.ok(!text.includes(key) && !text.includes("0123456789abcdef"), "the key is in no output");
    const cache = readFileSync(join(r.env!.XDG_CACHE_HOME!, "rubricate", "judge-cache.jsonl"));
    assert.ok(!cache.includes(key), "nor in the cache");
  });

  it("a model the server does not serve, a bad config field, a server that is down: clear errors before any work", async () => {
    let r = await runCli(["score", join(ROOT, "examples"), "--judge", server.url, "--model", "no-such-model"]);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /does not serve model no-such-model; it serves \(closest first\): test-judge; pass one of them to --model/,
    );
    // a server that refuses unknown models with 404 (as vLLM does): the served models, closest first, never --no-probe
    server.models = ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-32B", "Qwen/Qwen3-8B", "test-judge"];
    server.onlyListedModels = true;
    try {
      r = await runCli(["score", join(ROOT, "examples"), "--judge", server.url, "--model", "Qwen/Qwen3-32b"]);
    } finally {
      server.models = ["test-judge"];
      server.onlyListedModels = false;
    }
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /does not serve model Qwen\/Qwen3-32b; it serves \(closest first\): Qwen\/Qwen3-32B, Qwen\/Qwen3-8B, test-judge, meta-llama\/Llama-3\.1-8B-Instruct; pass one of them to --model/,
    );
    assert.doesNotMatch(r.stderr, /no-probe|404/);
    const cfg = join(tmp(), "j.yaml");
    writeFileSync(cfg, `url: ${server.url}\nmodel: test-judge\nsamples: many\n`);
    r = await runCli(["score", join(ROOT, "examples"), "--judge-config", cfg]);
    assert.equal(r.status, 2);
    assert.ok(r.stderr.includes(`${cfg}:3:10: samples:`), r.stderr);
    r = await runCli(["score", join(ROOT, "examples"), "--judge", "http://127.0.0.1:9/v1", "--model", "m"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /failed the start-up probe: cannot reach the judge server/);
    r = await runCli([
      "score",
      join(ROOT, "examples"),
      "--judge",
      server.url,
      "--model",
      "test-judge",
      "--samples",
      "0",
    ]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /expected a whole number of at least 1/);
  });
});
