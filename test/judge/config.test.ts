/** Judge configuration: flags over the config file over the environment; errors name the file, line and field; price tables. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { JudgeConfigFile, defaultCachePath, readJudgeConfig, resolveJudge } from "../../src/judge/config.js";
import { ROOT } from "../helpers.js";
import { costOf, DEFAULT_PRICES, loadPrices, priceOf } from "../../src/judge/prices.js";

const dir = mkdtempSync(join(tmpdir(), "rubricate-config-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("judge configuration", () => {
  it("no judge anywhere: null; a model without a server or a server without a model: a clear error", () => {
    assert.equal(resolveJudge({}, undefined, {}), null);
    assert.throws(() => resolveJudge({ model: ["m"] }, undefined, {}), /no server: pass --judge/);
    assert.throws(() => resolveJudge({ url: "http://127.0.0.1:8000/v1" }, undefined, {}), /--judge needs --model/);
  });

  it("flags override the file, the file overrides the environment, defaults fill the rest", () => {
    const env = { RUBRICATE_JUDGE_URL: "http://env:1/v1", RUBRICATE_JUDGE_MODEL: "env-model", XDG_CACHE_HOME: "/x" };
    const fromEnv = resolveJudge({}, undefined, env)!;
    assert.deepEqual(
      fromEnv.panel.map((m) => [m.url, m.model, m.dialect]),
      [["http://env:1/v1", "env-model", "openai"]],
    );
    assert.equal(fromEnv.mode, "rubric");
    assert.equal(fromEnv.concurrency, 8);
    assert.equal(fromEnv.cache, defaultCachePath(env));
    assert.equal(fromEnv.probe, true);
    const cfg = readJudgeConfig(
      file(
        "j.yaml",
        "url: http://file:2/v1\nmodel: file-model\ndialect: vllm\nmode: criterion\nconcurrency: 32\ncache: false\nsamples: 3\n",
      ),
    );
    const fromFile = resolveJudge({}, cfg, env)!;
    assert.deepEqual(
      fromFile.panel.map((m) => [m.url, m.model, m.dialect]),
      [["http://file:2/v1", "file-model", "vllm"]],
    );
    assert.equal(fromFile.mode, "criterion");
    assert.equal(fromFile.concurrency, 32);
    assert.equal(fromFile.cache, null);
    assert.equal(fromFile.samples, 3);
    const fromFlags = resolveJudge(
      { model: ["a", "b"], mode: "outcome", concurrency: 2, cache: "/tmp/c.sqlite" },
      cfg,
      env,
    )!;
    assert.deepEqual(
      fromFlags.panel.map((m) => m.model),
      ["a", "b"],
    );
    assert.equal(fromFlags.mode, "outcome");
    assert.equal(fromFlags.concurrency, 2);
    assert.equal(fromFlags.cache, "/tmp/c.sqlite");
  });

  it("a panel in the file, each member with its own server and key variable; a missing key variable is an error", () => {
    const cfg = readJudgeConfig(
      file(
        "p.yaml",
        "url: http://a:1/v1\npanel:\n  - model: m1\n  - model: m2\n    url: http://b:2/v1\n    dialect: ollama\n    api_key_env: B_KEY\n",
      ),
    );
    const r = resolveJudge({}, cfg, { B_KEY: "secret", OPENAI_API_KEY: "k" })!;
    assert.deepEqual(
      r.panel.map((m) => [m.url, m.model, m.dialect, m.apiKey]),
      [
        ["http://a:1/v1", "m1", "openai", "k"],
        ["http://b:2/v1", "m2", "ollama", "secret"],
      ],
    );
    assert.throws(() => resolveJudge({}, cfg, {}), /API key variable B_KEY, but it is not set/);
  });

  it("errors name the file and every problem at its own line and column, with the field meant", () => {
    const bad = file("bad.yaml", "url: http://a:1/v1\nmodel: m\nconcurency: 4\nmode: fast\nretries: -1\nzzz: 1\n");
    let message = "";
    try {
      readJudgeConfig(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    assert.deepEqual(message.split("\n"), [
      `${bad}:3:1: concurency: unknown field 'concurency'; did you mean 'concurrency'?`,
      `${bad}:4:7: mode: expected one of "rubric", "criterion", "outcome"`,
      `${bad}:5:10: retries: Too small: expected number to be >=0`,
      `${bad}:6:1: zzz: unknown field 'zzz'; allowed: ${Object.keys(JudgeConfigFile.shape).join(", ")}`,
    ]);
    const wrong = file("wrong.yaml", "url: http://a:1/v1\nmodel: m\nmode: fast\n");
    assert.throws(
      () => readJudgeConfig(wrong),
      (e: Error) => e.message.startsWith(`${wrong}:3:7: mode:`),
    );
    const broken = file("broken.yaml", "url: [\n");
    assert.throws(
      () => readJudgeConfig(broken),
      (e: Error) => e.message.startsWith(`${broken}:2:1: not valid YAML`),
    );
    assert.throws(() => readJudgeConfig(join(dir, "missing.yaml")), /missing\.yaml: cannot read the judge config/);
    assert.ok(
      readJudgeConfig(file("j.json", '{"url": "http://a:1/v1", "model": ["x", "y"]}')).model!.length === 2,
      "JSON is YAML",
    );
  });

  it("the documented example config is valid", () => {
    const cfg = readJudgeConfig(join(ROOT, "docs", "judge.example.yaml"));
    const r = resolveJudge({}, cfg, {})!;
    assert.equal(r.panel[0].dialect, "vllm");
    assert.equal(r.mode, "criterion");
  });

  it("prices: built-in table, overrides from a file, names with provider prefixes or dates, cached tokens billed apart", () => {
    assert.deepEqual(priceOf(DEFAULT_PRICES, "openai/gpt-4o-mini-2024-07-18"), DEFAULT_PRICES["gpt-4o-mini"]);
    assert.equal(priceOf(DEFAULT_PRICES, "Qwen/Qwen3-32B"), null);
    assert.equal(costOf(null, { prompt: 1, completion: 1, cached: 0 }), null);
    assert.equal(
      costOf({ input: 1, output: 2, cached_input: 0.5 }, { prompt: 1_000_000, completion: 1_000_000, cached: 500_000 }),
      0.5 + 0.25 + 2,
    );
    const table = loadPrices(
      file("prices.yaml", "Qwen/Qwen3-32B: {input: 0.1, output: 0.3}\ngpt-4o: {input: 9, output: 9}\n"),
    );
    assert.equal(priceOf(table, "Qwen/Qwen3-32B")!.output, 0.3);
    assert.equal(table["gpt-4o"].input, 9);
    assert.equal(table["gpt-4o-mini"].input, DEFAULT_PRICES["gpt-4o-mini"].input);
    const bad = file("badprices.yaml", "m: {input: cheap, output: 1}\n");
    assert.throws(
      () => loadPrices(bad),
      (e: Error) => e.message.startsWith(bad) && /m\.input/.test(e.message),
    );
  });
});
