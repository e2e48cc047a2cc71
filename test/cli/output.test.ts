/**
 * Outputs: paths checked before any work, write errors (a full disk) stop the run with a message
 * and leave the last complete line, and an output is locked for the run that writes it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lockOutput } from "../../src/io/lock.js";
import { LineFile, OutputError } from "../../src/io/write.js";
import { ROOT } from "../helpers.js";
import { runCli } from "../judge/cli.js";

const examples = join(ROOT, "examples");
const tmp = () => mkdtempSync(join(tmpdir(), "rubricate-out-"));

describe("outputs", () => {
  it("a missing folder, a folder, or an input as -o: exit 2 with a message, before any work", async () => {
    const d = tmp();
    let r = await runCli(["score", examples, "-o", join(d, "no", "such", "s.jsonl")]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write .*s\.jsonl: the folder .*such does not exist/);
    r = await runCli(["ingest", examples, "-o", d]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write .*: it is a folder; name a file/);
    // an input, named or inside an input folder, is never overwritten
    const input = join(d, "a.traj.json");
    const text = readFileSync(join(examples, "mini-swe-agent", "example__coder-demo-1.run-a.json"), "utf8");
    writeFileSync(input, text);
    r = await runCli(["ingest", input, "-o", input]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /it is also an input/);
    r = await runCli(["ingest", d, "-o", input]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /inside the input folder/);
    assert.equal(readFileSync(input, "utf8"), text, "the input is intact");
    // (export checks its own targets: export/targets.ts)
    for (const cmd of [
      ["filter", examples],
      ["select", examples],
    ]) {
      r = await runCli([...cmd, "-o", join(d, "missing", "x.jsonl")]);
      assert.equal(r.status, 2, `${cmd[0]}: ${r.stderr}`);
      assert.match(r.stderr, /does not exist/, cmd[0]);
    }
  });

  it("a full disk stops the run with a message and a non-zero exit", async (t) => {
    if (!existsSync("/dev/full")) {
      t.skip("no /dev/full on this system");
      return;
    }
    const r = await runCli(["score", examples, "-o", "/dev/full"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write \/dev\/full: no space left on the device \(ENOSPC\); stopped/);
  });

  it("a write that fails part way leaves the file at its last complete line", () => {
    const p = join(tmp(), "cut.jsonl");
    let budget = 50; // bytes the "disk" takes before it is full
    const full = (fd: number, buf: Uint8Array, off: number, len: number) => {
      if (budget <= 0) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      const n = Math.min(len, budget);
      budget -= n;
      return writeSync(fd, buf, off, n);
    };
    const f = new LineFile(p, { writeSync: full });
    f.writeLine('{"n":1}');
    f.writeLine('{"n":2}');
    assert.throws(
      () => f.writeLine(JSON.stringify({ n: 3, pad: "x".repeat(100) })),
      (e: Error) =>
        e instanceof OutputError &&
        /no space left on the device \(ENOSPC\); stopped; the file ends at its last complete line \(2 lines, 16 bytes\)/.test(
          e.message,
        ),
    );
    assert.equal(readFileSync(p, "utf8"), '{"n":1}\n{"n":2}\n');
    assert.throws(() => f.writeLine("{}"), /closed after an error/);
  });

  it("an output being written by another run is refused; a lock left by a killed run is taken over", async () => {
    const d = tmp();
    const out = join(d, "t.jsonl");
    const lock = lockOutput(out, "a test holding the lock");
    try {
      const r = await runCli(["ingest", examples, "-o", out]);
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        new RegExp(`is being written by another run \\(process ${process.pid} .*a test holding the lock\\)`),
      );
      assert.ok(!existsSync(out) || readFileSync(out, "utf8") === "", "nothing was written");
    } finally {
      lock.release();
    }
    assert.ok(!existsSync(`${out}.lock`), "released");
    // the lock of a process that is gone (kill -9 leaves it behind)
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), started: "then" }));
    const r = await runCli(["ingest", examples, "-o", out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /took over the lock .*no longer running/);
    assert.ok(readFileSync(out, "utf8").split("\n").length > 3);
    assert.ok(!existsSync(`${out}.lock`), "released at the end of the run");
  });
});
