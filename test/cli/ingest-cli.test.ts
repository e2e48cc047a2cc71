import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("rubricate ingest / inspect (CLI)", () => {
  it("writes JSONL and a closing summary; exit 0 on clean input", () => {
    const out = join(mkdtempSync(join(tmpdir(), "rubricate-cli-")), "x.jsonl");
    const r = run(["ingest", "examples", "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /8 trajectories, 8 labelled \(4 resolved, 4 unresolved\)/);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 8);
  });

  it("reports bad files, keeps the good ones and exits 1; --strict stops at the first", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-cli-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"a": ');
    const r = run(["ingest", bad, "examples/openhands/output.jsonl"]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout.trim().split("\n").length, 2);
    assert.match(r.stderr, /error: .*bad\.json(:\d+)?: malformed JSON: unexpected end of input/);
    const s = run(["ingest", "--strict", bad, "examples/openhands/output.jsonl"]);
    assert.equal(s.status, 1);
    assert.equal(s.stdout, "");
    assert.match(s.stderr, /stopped at the first error/);
  });

  it("inspect shows format, label, steps and patch", () => {
    const r = run(["inspect", "examples/openhands/output.jsonl", "--limit", "1"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /format\s+openhands-output \(events\)/);
    assert.match(r.stdout, /label\s+(resolved|unresolved) \(from /);
    assert.match(r.stdout, /step\s+tool/);
    assert.match(r.stdout, /patch\s+\d+ files?, \d+ hunks?/);
    assert.match(r.stderr, /1 more trajectories/);
  });

  it("--help explains the commands", () => {
    const r = run(["ingest", "--help"]);
    assert.match(r.stdout, /--labels <path>/);
    assert.match(r.stdout, /Formats are detected automatically/);
  });
});
