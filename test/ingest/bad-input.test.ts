import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ingest } from "../../src/ingest/pipeline.js";
import type { IngestError } from "../../src/io/error.js";
import { TRAJECTORY_SCHEMA } from "../../src/types/trajectory.js";

const dir = mkdtempSync(join(tmpdir(), "rubricate-bad-"));
function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const mini = (id: string) => ({
  trajectory_format: "mini-swe-agent-1.1",
  instance_id: id,
  info: { exit_status: "Submitted", submission: "" },
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

async function run(inputs: string[], opts = {}) {
  const errors: IngestError[] = [];
  const ids: (string | null)[] = [];
  const skipped: string[] = [];
  for await (const ev of ingest(inputs, opts)) {
    if (ev.type === "error") errors.push(ev.error);
    else if (ev.type === "trajectory") ids.push(ev.trajectory.instance_id);
    else skipped.push(ev.file);
  }
  return { errors, ids, skipped };
}

describe("bad input", () => {
  it("empty, whitespace-only, binary and truncated files each get a clear error and do not stop the others", async () => {
    const good = write("good.traj.json", JSON.stringify(mini("ok__1")));
    const empty = write("empty.json", "");
    const blank = write("blank.json", "  \n ");
    const binary = write("binary.json", Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff]));
    const truncated = write("trunc.traj.json", JSON.stringify(mini("t__1"), null, 1).slice(0, 200));
    const { errors, ids } = await run([empty, blank, good, binary, truncated]);
    assert.deepEqual(ids, ["ok__1"]);
    const msg = errors.map((e) => e.describe());
    assert.match(msg[0], /empty\.json: empty file/);
    assert.match(msg[1], /blank\.json: .*whitespace/);
    assert.match(msg[2], /binary\.json: binary file/);
    assert.match(msg[3], /trunc\.traj\.json(:\d+)?: malformed JSON/);
  });

  it("names line and column of malformed JSON", async () => {
    const p = write("bad.json", '{\n  "a": 1,\n  "b": ]\n}');
    const { errors } = await run([p]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, 3);
    assert.match(errors[0].describe(), /bad\.json:3: malformed JSON at line 3, column \d+/);
  });

  it("names the formats tried for a file in no known format", async () => {
    const p = write("other.json", JSON.stringify({ hello: "world" }));
    const { errors } = await run([p]);
    assert.match(
      errors[0].describe(),
      /other\.json: no known trajectory format \(tried: mini-swe-agent, sweagent-traj, .*autocoderover\)/,
    );
  });

  it("skips unknown JSON files found by walking a folder instead of failing", async () => {
    const sub = mkdtempSync(join(dir, "walk-"));
    writeFileSync(join(sub, "notes.json"), JSON.stringify({ hello: 1 }));
    writeFileSync(join(sub, "a.traj.json"), JSON.stringify(mini("w__1")));
    const { errors, ids, skipped } = await run([sub]);
    assert.deepEqual(errors, []);
    assert.deepEqual(ids, ["w__1"]);
    assert.equal(skipped.length, 1);
  });

  it("names the field of a wrong-typed value", async () => {
    const doc = mini("f__1") as Record<string, unknown>;
    (doc.messages as unknown[])[2] = { role: "robot", content: "hi" };
    const { errors } = await run([write("field.traj.json", JSON.stringify(doc))]);
    assert.equal(errors[0].field, "messages[2].role");
    assert.match(errors[0].describe(), /field 'messages\[2\]\.role': expected role/);
  });

  it("handles deeply nested JSON without crashing", async () => {
    const depth = 200_000;
    const p = write("deep.json", "[".repeat(depth) + "]".repeat(depth));
    const { errors, ids } = await run([p]);
    assert.deepEqual(ids, []);
    assert.equal(errors.length, 1);
  });

  it("skips an overlong JSONL line with an error naming its line and keeps the rest", async () => {
    const rec = (id: string) => JSON.stringify({ schema: TRAJECTORY_SCHEMA, ...canonical(id) });
    const p = write(
      "big.jsonl",
      [rec("a"), `{"x":"${"y".repeat(5000)}"}`, "", rec("b"), "{not json", rec("c")].join("\n"),
    );
    const { errors, ids } = await run([p], { maxLineBytes: 2000 });
    assert.deepEqual(ids, ["a", "b", "c"]);
    assert.deepEqual(
      errors.map((e) => e.line),
      [2, 5],
    );
    assert.match(errors[0].describe(), /big\.jsonl:2: line longer than 2000 bytes/);
    assert.match(errors[1].describe(), /big\.jsonl:5: malformed JSON/);
  });

  it("reports missing paths and globs that match nothing", async () => {
    const { errors } = await run([join(dir, "missing.traj"), join(dir, "*.nothing")]);
    assert.match(errors[0].describe(), /missing\.traj: no such file or directory/);
    assert.match(errors[1].describe(), /glob matched no files/);
  });
});

function canonical(id: string) {
  return {
    id,
    instance_id: id,
    source: { format: "rubricate", variant: "1", file: "x", scaffold: "s", model: null, run: null },
    task: null,
    messages: [],
    steps: [],
    patch: null,
    exit_status: null,
    stats: {},
    label: null,
  };
}
