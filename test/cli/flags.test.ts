/** Numeric flags are checked against their range, and usage errors exit 2 before any work. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ROOT } from "../helpers.js";
import { CLI } from "../judge/cli.js";

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("numeric flags and usage errors", () => {
  const bad: [string[], RegExp][] = [
    [
      ["score", "examples", "--jobs", "0"],
      /'--jobs <n>' argument '0' is invalid\. expected a whole number from 1 to 256/,
    ],
    [["score", "examples", "--jobs", "abc"], /'--jobs <n>' argument 'abc' is invalid/],
    [
      ["filter", "examples", "--per-task", "abc"],
      /'--per-task <k>' argument 'abc' is invalid\. expected a whole number of at least 1/,
    ],
    [["select", "examples", "--alpha", "7"], /'--alpha <x>' argument '7' is invalid\. expected a number from 0 to 1/],
    [
      ["eval", "scores.jsonl", "--bins", "1"],
      /'--bins <n>' argument '1' is invalid\. expected a whole number from 2 to 1000/,
    ],
    [
      ["score", "examples", "--timeout", "-3"],
      /'--timeout <s>' argument '-3' is invalid\. expected a number of at least 0\.001/,
    ],
    [["score", "examples", "--no-such-flag"], /unknown option '--no-such-flag'/],
  ];
  for (const [args, message] of bad)
    it(`${args.join(" ")}: exit 2, the range named, nothing on stdout`, () => {
      const r = run(args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    });

  it("--help and --version still exit 0", () => {
    assert.equal(run(["--version"]).status, 0);
    const h = run(["score", "--help"]);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /Usage: rubricate score/);
  });
});
