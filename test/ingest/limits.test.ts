/**
 * Input limits and strict fields: deep nesting, wrong-typed and missing fields, invalid UTF-8,
 * symbolic links (followed, read once, loops named) and special files (refused, never opened).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ingest } from "../../src/ingest/pipeline.js";
import type { IngestError } from "../../src/io/error.js";
import { invalidUtf8At, overDepth } from "../../src/io/limits.js";

const dir = mkdtempSync(join(tmpdir(), "rubricate-limits-"));
function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const mini = (id: string, info: Record<string, unknown> = { exit_status: "Submitted", submission: "diff" }) => ({
  trajectory_format: "mini-swe-agent-1.1",
  instance_id: id,
  info,
  messages: [
    { role: "system", content: "sys" },
    { role: "user", content: "fix it" },
    {
      role: "assistant",
      content: "",
      tool_calls: [{ id: "c1", type: "function", function: { name: "bash", arguments: '{"command":"ls"}' } }],
    },
    { role: "tool", tool_call_id: "c1", content: "a.py" },
  ],
});

async function run(inputs: string[]) {
  const errors: IngestError[] = [];
  const ids: (string | null)[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for await (const ev of ingest(inputs)) {
    if (ev.type === "error") errors.push(ev.error);
    else if (ev.type === "trajectory") ids.push(ev.trajectory.instance_id);
    else skipped.push({ file: ev.file, reason: ev.reason });
  }
  return { errors, ids, skipped };
}

describe("input limits", () => {
  it("finds nesting depth without recursion, skipping brackets inside strings", () => {
    assert.equal(overDepth('{"a":[1,{"b":"[[[[["}]}', 3), -1);
    assert.equal(overDepth('{"a":[1,{"b":"[[[[["}]}', 2), 8);
    assert.equal(overDepth("[[[1]]]", 2), 2);
    assert.equal(overDepth('["\\"[[[", [[0]]]', 2), 11);
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    assert.equal(overDepth(deep), 512);
  });

  it("finds the first invalid UTF-8 byte (bad continuation, overlong form, surrogate)", () => {
    assert.equal(invalidUtf8At(Buffer.from("héllo ✓ 𝄞")), -1);
    assert.equal(invalidUtf8At(Buffer.from([0x61, 0x62, 0xc3, 0x28])), 2);
    assert.equal(invalidUtf8At(Buffer.from([0x61, 0xe0, 0x80, 0xaf])), 1);
    assert.equal(invalidUtf8At(Buffer.from([0xed, 0xa0, 0x80])), 0);
    assert.equal(invalidUtf8At(Buffer.from([0x61, 0xff])), 1);
  });

  it("tool-call arguments nested 5,000 deep are an error naming the file and field; the other files are read", async () => {
    const t = mini("deep__1");
    const args = `{"command":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    (t.messages[2].tool_calls as { function: { arguments: string } }[])[0].function.arguments = args;
    const deep = write("deep.traj.json", JSON.stringify(t));
    const good = write("good.traj.json", JSON.stringify(mini("good__1")));
    const { errors, ids } = await run([deep, good]);
    assert.deepEqual(ids, ["good__1"]);
    assert.equal(errors.length, 1);
    assert.match(
      errors[0].describe(),
      /deep\.traj\.json.*messages\[2\]\.tool_calls\[0\]\.function\.arguments.*nested deeper/,
    );
  });

  it("a whole file nested deeper than the limit is an error with its line and column", async () => {
    const f = write("deepfile.json", `{"a":\n${"[".repeat(3000)}${"]".repeat(3000)}}`);
    const { errors } = await run([f]);
    assert.equal(errors.length, 1);
    assert.match(errors[0].describe(), /deepfile\.json:2: JSON nested deeper than 512 levels at line 2, column 512/);
  });

  it("a field of the wrong type is an error naming it, never read as absent", async () => {
    const list = write("list.traj.json", JSON.stringify(mini("l__1", { exit_status: "Submitted", submission: ["x"] })));
    const obj = write("obj.traj.json", JSON.stringify(mini("o__1", { exit_status: 3, submission: "" })));
    const { errors, ids } = await run([list, obj]);
    assert.deepEqual(ids, []);
    assert.match(
      errors[0].describe(),
      /list\.traj\.json: field 'info\.submission': expected a string, got an? (array|list)/,
    );
    assert.match(errors[1].describe(), /obj\.traj\.json: field 'info\.exit_status': expected a string, got a number/);
  });

  it("a deleted required field is an error naming it", async () => {
    const f = write("nosub.traj.json", JSON.stringify(mini("n__1", { exit_status: "Submitted" })));
    const { errors, ids } = await run([f]);
    assert.deepEqual(ids, []);
    assert.match(errors[0].describe(), /nosub\.traj\.json: field 'info\.submission': missing field/);
  });

  it("invalid UTF-8 is an error naming the line and byte, never replaced silently", async () => {
    const text = JSON.stringify(mini("u__1"), null, 1);
    const at = text.indexOf("fix it");
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(text.slice(at)),
    ]);
    const f = write("utf8.traj.json", bytes);
    const line = text.slice(0, at).split("\n").length;
    const { errors, ids } = await run([f]);
    assert.deepEqual(ids, []);
    assert.match(
      errors[0].describe(),
      new RegExp(`utf8\\.traj\\.json:${line}: invalid UTF-8 at line ${line}, byte \\d+ \\(bytes c3 28`),
    );
  });

  it("follows symbolic links to files and folders, reads each file once and names loops", async () => {
    const root = join(dir, "links");
    const blobs = join(root, "blobs");
    const snap = join(root, "snapshots", "abc");
    mkdirSync(blobs, { recursive: true });
    mkdirSync(snap, { recursive: true });
    writeFileSync(join(blobs, "1234"), JSON.stringify(mini("link__1")));
    // a Hugging Face cache snapshot: every file is a link into blobs/
    symlinkSync(join(blobs, "1234"), join(snap, "a.traj.json"));
    symlinkSync(join(blobs, "1234"), join(snap, "b.traj.json"));
    symlinkSync(join(blobs, "missing"), join(snap, "c.traj.json"));
    symlinkSync(snap, join(snap, "loop"));
    const { errors, ids, skipped } = await run([snap]);
    assert.deepEqual(ids, ["link__1"]);
    assert.equal(errors.length, 1);
    assert.match(errors[0].describe(), /c\.traj\.json: broken symbolic link/);
    const reasons = skipped.map((s) => `${s.file}: ${s.reason}`).join("\n");
    assert.match(reasons, /b\.traj\.json: the same file as .*a\.traj\.json, read once/);
    assert.match(reasons, /loop: symbolic link loop: it leads back to/);
  });

  it("refuses a named pipe called *.json instead of blocking on it", async (t) => {
    const fifo = join(dir, "pipe.json");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      t.skip("mkfifo is not available");
      return;
    }
    const good = write("good2.traj.json", JSON.stringify(mini("good__2")));
    const named = await run([fifo, good]);
    assert.deepEqual(named.ids, ["good__2"]);
    assert.match(named.errors[0].describe(), /pipe\.json: a named pipe, not a regular file: refused/);
    // found by walking the folder, too
    const walked = await run([dir]);
    assert.ok(walked.errors.some((e) => /pipe\.json: a named pipe/.test(e.describe())));
  });
});
