import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { getEncoding } from "js-tiktoken";
import { renderTranscript, shareCap } from "../../src/judge/render.js";
import { defaultCounter, hfCounter, loadCounter, tiktokenCounter, type TokenCounter } from "../../src/judge/tokens.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { collect, HAS_SHARED, SHARED } from "../helpers.js";

/** A tiny BPE tokenizer.json: lowercase letters, two merge chains, everything else [UNK]; a <s> special token added by the template. */
function writeTokenizer(dir: string): string {
  const letters = "abcdefghijklmnopqrstuvwxyz".split("");
  const vocab: Record<string, number> = { "[UNK]": 0, "<s>": 1 };
  for (const t of [...letters, "he", "ll", "hell", "hello", "wo", "wor"]) vocab[t] = Object.keys(vocab).length;
  const json = {
    version: "1.0",
    added_tokens: [
      { id: 1, content: "<s>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: "Whitespace" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: null,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "[UNK]",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: ["h e", "l l", "he ll", "hell o", "w o", "wo r"],
    },
  };
  const path = join(dir, "tokenizer.json");
  writeFileSync(path, JSON.stringify(json));
  writeFileSync(
    join(dir, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "PreTrainedTokenizerFast", bos_token: "<s>", unk_token: "[UNK]" }),
  );
  return path;
}

let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const cjk = (n: number) =>
  Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + Math.floor(rnd() * 20000))).join("");
const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("");

/** Steps whose observations tokenise far more densely than 4 characters a token. */
function dense(steps: number, obs: (i: number) => string): Trajectory {
  const task = `Fix it. ${cjk(3000)}`;
  const turns = Array.from({ length: steps }, (_, i) => bash(`cat f${i}`, obs(i), `step ${i}`));
  return trajectory({
    task,
    turns,
    instance: "x__y-2",
    patch: `diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-${hex(3000)}\n+${cjk(3000)}\n`,
  });
}

describe("token counters", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "rubricate-tok-"));
  });

  it("tiktoken: known counts, and the same counts as js-tiktoken's encode", () => {
    const o200k = tiktokenCounter();
    assert.equal(o200k.name, "o200k_base");
    assert.equal(defaultCounter(), o200k);
    assert.equal(o200k.count(""), 0);
    assert.equal(o200k.count("hello world"), 2);
    assert.equal(tiktokenCounter("cl100k_base").count("hello world"), 2);
    assert.equal(
      o200k.count("<|endoftext|>"),
      getEncoding("o200k_base").encode("<|endoftext|>", [], []).length,
      "special-token text counts as text",
    );
    const samples = [
      "def f(x):\n    return x  # it's\r\n\n\n",
      "=".repeat(700),
      cjk(400),
      hex(2000),
      "héllo wörld 😀 \u0301x \t\n y",
      "  lots   of    spaces\n\n  ",
    ];
    for (const enc of ["o200k_base", "cl100k_base"] as const) {
      const ref = getEncoding(enc);
      for (const s of samples)
        assert.equal(
          tiktokenCounter(enc).count(s),
          ref.encode(s, [], []).length,
          `${enc}: ${JSON.stringify(s.slice(0, 30))}`,
        );
    }
    assert.equal(loadCounter().name, "o200k_base");
    assert.equal(loadCounter("o200k").name, "o200k_base");
    assert.equal(loadCounter("cl100k").name, "cl100k_base");
    assert.throws(() => tiktokenCounter("o300k" as "o200k_base"), /unknown tiktoken encoding "o300k"/);
  });

  it("tiktoken: a long run of one script is counted in time linear in its length (js-tiktoken's merge is cubic)", () => {
    const counter = defaultCounter();
    counter.count(cjk(1000)); // load the tables first
    const time = (n: number) => {
      const s = cjk(n);
      const t0 = performance.now();
      const tokens = counter.count(s);
      assert.ok(tokens > n, `${tokens} tokens for ${n} characters`);
      return performance.now() - t0;
    };
    // ten times the text: about ten times the time when linear, a thousand when cubic (both timed in this run)
    const small = time(20_000);
    const large = time(200_000);
    assert.ok(large < 60 * Math.max(small, 1), `20k characters: ${small.toFixed(0)} ms; 200k: ${large.toFixed(0)} ms`);
  });

  it("hf: a tokenizer.json written here counts words, merges and unknowns; no special tokens added", () => {
    const path = writeTokenizer(mkdtempSync(join(dir, "hf-")));
    const c = hfCounter(path);
    assert.equal(c.name, `hf:${path}`);
    // hello -> 1; world -> wor l d = 3; "!" -> [UNK]; "HI" -> 2 x [UNK]
    assert.equal(c.count("hello world"), 4);
    assert.equal(c.count("hello world! HI"), 7);
    assert.equal(c.count(""), 0);
    assert.equal(c.count("<s> hello"), 2, "<s> in the text is one added token");
    assert.equal(loadCounter(path).count("hello world"), 4, "a path loads an hf counter");
    assert.equal(loadCounter(join(path, "..")).count("hello world"), 4, "so does its folder");
  });

  it("hf: a missing file, bad JSON or a JSON that is not a tokenizer are named in the error", () => {
    const missing = join(dir, "nope", "tokenizer.json");
    assert.throws(
      () => hfCounter(missing),
      (e: Error) => e.message.includes(missing) && /not found/.test(e.message),
    );
    assert.throws(() => loadCounter(missing), /not found/);
    const bad = join(mkdtempSync(join(dir, "bad-")), "tokenizer.json");
    writeFileSync(bad, "{ not json");
    assert.throws(
      () => hfCounter(bad),
      (e: Error) => e.message.includes(bad) && /not valid JSON/.test(e.message),
    );
    const other = join(mkdtempSync(join(dir, "other-")), "tokenizer.json");
    writeFileSync(other, JSON.stringify({ name: "package", version: "1.0.0" }));
    assert.throws(
      () => hfCounter(other),
      (e: Error) => e.message.includes(other) && /is not a tokenizer\.json/.test(e.message),
    );
    writeFileSync(other, JSON.stringify({ model: { type: "Nonsense" } }));
    assert.throws(
      () => hfCounter(other),
      (e: Error) => e.message.includes(other) && /cannot load/.test(e.message),
    );
  });
});

describe("the render budget holds by the counter in use", () => {
  const counters = (): TokenCounter[] => [
    defaultCounter(),
    tiktokenCounter("cl100k_base"),
    hfCounter(writeTokenizer(mkdtempSync(join(tmpdir(), "rubricate-tok-")))),
  ];

  it("text far denser than 4 characters a token (CJK, hex) is cut further until it fits", () => {
    const t = dense(12, (i) => (i % 2 ? cjk(20_000) : hex(20_000)));
    for (const c of counters()) {
      for (const max of [3000, 8000, 24000]) {
        const r = renderTranscript(t, max, c);
        assert.equal(r.counter, c.name);
        assert.equal(r.tokens, c.count(r.text), "tokens are the counter's exact count");
        assert.ok(r.tokens <= max, `${c.name} at ${max}: ${r.tokens} tokens`);
        assert.ok(r.tokens > max * 0.5, `${c.name} at ${max}: not cut far more than needed (${r.tokens})`);
        assert.equal(r.text.match(/### Step \d+/g)!.length, 12, "every step kept");
        assert.match(r.text, /\[\.\.\. \d+ characters cut \.\.\.\]/);
      }
    }
  });

  it("short observations stay whole and leave their room to the long ones", () => {
    assert.equal(shareCap([1000, 10, 20], 100), 70);
    assert.equal(shareCap([50, 50], 60), 30);
    assert.equal(shareCap([1, 2], 100), Number.MAX_SAFE_INTEGER, "everything fits: no cap");
    assert.equal(shareCap([], 0), Number.MAX_SAFE_INTEGER);
  });

  it("a trajectory that fits is rendered whole, the same by every counter", () => {
    const t = dense(2, () => "ok");
    const texts = counters().map((c) => renderTranscript(t, 24000, c));
    assert.ok(texts.every((r) => r.cut === 0 && r.hash === texts[0].hash));
  });

  it("on the shared real trajectories", { skip: !HAS_SHARED && "no shared data" }, async () => {
    const { trajectories } = await collect([SHARED]);
    assert.ok(trajectories.length > 300);
    const [o200k, cl100k, hf] = counters();
    for (const t of trajectories) {
      for (const [c, max] of [
        [o200k, 24000],
        [o200k, 6000],
        [cl100k, 6000],
      ] as const) {
        const r = renderTranscript(t, max, c);
        assert.ok(r.tokens <= max, `${t.id} by ${c.name}: ${r.tokens} > ${max}`);
      }
    }
    // the toy hf tokenizer makes most characters a token: a quarter of the estimate
    for (const t of trajectories.filter((_, i) => i % 12 === 0)) {
      const r = renderTranscript(t, 12000, hf);
      assert.ok(r.tokens <= 12000, `${t.id} by the toy hf tokenizer: ${r.tokens}`);
    }
  });
});
