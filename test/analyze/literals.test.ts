/** The one-pass literal search (src/analyze/literals.ts) against `includes`, literal by literal. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LiteralSet } from "../../src/analyze/literals.js";

const LITERALS = ["not found", "exit code", "Traceback (most recent call last)", "No such file or directory", "TimeoutExpired", "did not include a"];
const set = new LiteralSet(LITERALS);

function expected(t: string, lits = LITERALS): number {
  return lits.reduce((mask, l, i) => (t.includes(l) ? mask | (1 << i) : mask), 0);
}

/** A small deterministic generator (the same texts every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe("LiteralSet", () => {
  it("finds a literal at the start, the end, alone, and overlapping another", () => {
    assert.equal(set.scan("not found"), 1);
    assert.equal(set.scan("bash: foo: command not found"), 1);
    assert.equal(set.scan("not found at the start"), 1);
    assert.equal(set.scan("[exit code 1] not found"), 0b11);
    assert.equal(set.scan("not foundexit code"), 0b11);
    assert.equal(set.scan("nnot foun"), 0);
    assert.equal(set.scan(""), 0);
    assert.equal(set.scan("short"), 0);
  });

  it("agrees with includes on texts made of the literals' own pieces, at every offset", () => {
    const next = rng(7);
    const pieces = [...LITERALS.flatMap((l) => [l, l.slice(0, 5), l.slice(3), l.slice(1, -1)]), " ", "\n", "é", "漢字", "x"];
    for (let k = 0; k < 3000; k++) {
      let t = "";
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) t += pieces[Math.floor(next() * pieces.length)];
      assert.equal(set.scan(t), expected(t), JSON.stringify(t));
    }
  });

  it("agrees with includes on real-looking output (two-byte text too)", () => {
    const text = "Traceback (most recent call last):\n  File \"x.py\", line 1\nFileNotFoundError: [Errno 2] No such file or directory: 'a.txt'\n";
    assert.equal(set.scan(text), expected(text));
    const cjk = "错误：".repeat(50) + "TimeoutExpired" + "。".repeat(50);
    assert.equal(set.scan(cjk), expected(cjk));
  });

  it("refuses literals it cannot search for", () => {
    assert.throws(() => new LiteralSet(["ab"]), /at least 3 characters/);
    assert.throws(() => new LiteralSet(Array.from({ length: 32 }, (_, i) => `literal ${i}`)), /at most 31/);
  });
});
