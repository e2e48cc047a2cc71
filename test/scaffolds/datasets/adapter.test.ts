import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parquetMetadataAsync, asyncBufferFromFile } from "hyparquet";
import { chatRecordAdapter } from "../../../src/scaffolds/datasets/adapter.js";
import { parquetRows } from "../../../src/ingest/parquet.js";
import type { Trajectory } from "../../../src/types/trajectory.js";
import { FIXTURES, collect } from "../../helpers.js";

const NEBIUS = join(FIXTURES, "parquet", "nebius.parquet");
const OPENAI = join(FIXTURES, "parquet", "openai.parquet");
const SWESMITH = join(FIXTURES, "chat", "swesmith.jsonl");

async function all(file: string): Promise<Trajectory[]> {
  const { trajectories, errors, skipped } = await collect([file]);
  assert.deepEqual(
    errors.map((e) => e.describe()),
    [],
  );
  assert.deepEqual(skipped, []);
  return trajectories;
}

/** No outcome field or evaluation text anywhere in the messages. */
function assertNoLeak(t: Trajectory, secrets: string[]): void {
  const text = JSON.stringify(t.messages);
  for (const s of secrets) assert.ok(!text.includes(s), `${s} leaked into the messages of row ${t.source.line}`);
  for (const m of t.messages) for (const k of ["resolved", "target", "label"]) assert.ok(!(k in m), `message has ${k}`);
}

describe("parquetRows", () => {
  it("streams every row group of a ZSTD file, row indexes in order, INT64 as numbers", async () => {
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(OPENAI));
    assert.equal(meta.row_groups.length, 3);
    assert.ok(meta.row_groups.every((g) => g.columns.every((c) => c.meta_data?.codec === "ZSTD")));
    const rows: { row: unknown; index: number }[] = [];
    for await (const r of parquetRows(OPENAI)) rows.push(r);
    assert.deepEqual(
      rows.map((r) => r.index),
      [0, 1, 2, 3, 4],
    );
    const first = rows[0].row as Record<string, unknown>;
    assert.equal(first.resolved, 1);
    assert.equal(first.instance_id, "acme__gadgets-201");
  });
});

describe("chat records: nebius SWE-agent layout (Parquet)", () => {
  it("reads the ai turns' fenced commands as synthetic calls, mask as train, target as label", async () => {
    const ts = await all(NEBIUS);
    assert.equal(ts.length, 5);
    assert.deepEqual(
      ts.map((t) => t.source.line),
      [1, 2, 3, 4, 5],
    );
    const t = ts[0];
    assert.equal(t.source.format, "parquet");
    assert.equal(t.source.variant, "nebius");
    assert.equal(t.source.model, "swe-agent-llama-70b");
    assert.equal(t.instance_id, "acme__widgets-101");
    assert.equal(t.task, "Widget.resize ignores min_width: resizing to 10 gives width 10 even when min_width is 50.");
    assert.deepEqual(
      t.messages.map((m) => m.role),
      ["system", "user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant", "user"],
    );
    assert.match(t.messages[0].content, /^SETTING: You are an autonomous programmer/); // from `system_prompt`
    assert.deepEqual(
      t.messages.map((m) => m.train),
      [false, false, true, false, true, false, true, false, true, false],
    );
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["find_file", "open", "edit", "submit"],
    );
    const edit = t.steps[2];
    assert.ok(t.messages[edit.message_index].tool_calls?.[0].synthetic);
    assert.equal(edit.action, "edit 40:40\n        self.width = max(width, self.min_width)\nend_of_edit");
    assert.equal(edit.thought, "DISCUSSION\nThe width is not clamped. I will clamp it.");
    assert.equal(edit.observation, "File updated.");
    assert.match(t.patch ?? "", /^diff --git a\/src\/widgets\/core.py/);
    assert.equal(t.exit_status, "submitted");
    assert.deepEqual(t.label, { resolved: true, origin: `${NEBIUS}:1#target` });

    const noPatch = ts[1];
    assert.equal(noPatch.patch, null);
    assert.equal(noPatch.exit_status, "exit_cost");
    assert.deepEqual(noPatch.label, { resolved: false, origin: `${NEBIUS}:2#target` });
    assert.deepEqual(
      noPatch.steps.map((s) => s.tool),
      ["bash", "none"],
    ); // a turn without a command is a step of its own
    assert.deepEqual(
      ts.map((x) => x.label?.resolved),
      [true, false, true, false, true],
    );
    for (const x of ts) assertNoLeak(x, ["EVAL LOG"]);
  });
});

describe("chat records: OpenAI messages layout (Parquet, ZSTD)", () => {
  it("keeps native tool calls, answers them by id, parses tool schemas, labels from `resolved`", async () => {
    const ts = await all(OPENAI);
    assert.equal(ts.length, 5);
    const t = ts[0];
    assert.equal(t.source.format, "parquet");
    assert.equal(t.source.variant, "trajectory");
    assert.equal(t.source.scaffold, "openhands");
    assert.equal(t.task, "Gadget.parse crashes on an empty string.");
    assert.deepEqual(
      t.steps.map((s) => s.tool),
      ["execute_bash", "str_replace_editor", "execute_bash", "str_replace_editor", "finish"],
    );
    assert.ok(t.messages.every((m) => !m.tool_calls?.some((c) => c.synthetic)));
    // two parallel calls in one assistant turn, each answered by its own tool message
    const [, view, run] = t.steps;
    assert.equal(view.message_index, run.message_index);
    assert.equal(view.tool_call_id, "call_a2");
    assert.match(view.observation ?? "", /def parse\(s\)/);
    assert.equal(run.observation, "IndexError: list index out of range");
    assert.equal(run.action, "python -c \"import gadgets.parse as p; p.parse('')\"");
    assert.deepEqual(t.steps[4].args, {});
    assert.equal(t.steps[4].observation, null);
    assert.equal(t.tools?.length, 3);
    const bash = t.tools?.[0] as { function: { name: string; parameters: unknown } };
    assert.equal(bash.function.name, "execute_bash");
    assert.deepEqual(bash.function.parameters, {
      type: "object",
      properties: { command: { type: "string" } },
      required: ["command"],
    });
    assert.deepEqual(
      ts.map((x) => x.label),
      [1, 2, 3, 4, 5].map((n) => ({ resolved: n % 2 === 1, origin: `${OPENAI}:${n}#resolved` })),
    );
    assert.equal(ts[1].patch, null);
    assert.equal(ts[1].exit_status, "max_iterations");
    for (const x of ts) assertNoLeak(x, ["gen_tests_correct"]);
  });
});

describe("chat records: SWE-smith JSONL", () => {
  it("reads XML function calls, native calls with object arguments, and fenced blocks", async () => {
    const [xml, native, ticks] = await all(SWESMITH);
    for (const t of [xml, native, ticks]) {
      assert.equal(t.source.format, "chat-jsonl");
      assert.equal(t.source.variant, "messages");
    }
    assert.deepEqual(
      [xml, native, ticks].map((t) => t.source.line),
      [1, 2, 3],
    );

    assert.equal(xml.task, "Fraction.normalize returns 2/4 instead of 1/2.");
    assert.equal(xml.source.model, "claude-3-7-sonnet-20250219");
    assert.deepEqual(
      xml.steps.map((s) => s.tool),
      ["bash", "str_replace_editor", "submit"],
    );
    assert.ok(xml.messages[2].tool_calls?.[0].synthetic);
    assert.equal(xml.steps[0].action, "grep -rn 'class Fraction' /testbed");
    assert.equal(xml.steps[0].thought, "Let me find the Fraction class first.");
    assert.deepEqual(xml.steps[1].args, {
      command: "str_replace",
      path: "/testbed/numkit/fraction.py",
      old_str: "        return Fraction(self.n, self.d)",
      new_str: "        g = math.gcd(self.n, self.d)\n        return Fraction(self.n // g, self.d // g)",
    });
    assert.match(xml.steps[1].observation ?? "", /has been edited/);
    assert.deepEqual(xml.label, { resolved: true, origin: `${SWESMITH}:1#resolved` });
    assert.match(xml.patch ?? "", /^diff --git a\/numkit\/fraction.py/);

    const calls = native.messages.flatMap((m) => m.tool_calls ?? []);
    assert.deepEqual(
      calls.map((c) => [c.id, c.function.name, c.synthetic]),
      [
        ["toolu_01", "bash", undefined],
        ["toolu_02", "str_replace_editor", undefined],
        ["toolu_03", "submit", undefined],
      ],
    );
    assert.equal(calls[0].function.arguments, '{"command":"ls /testbed/numkit"}'); // object arguments become a JSON string
    assert.deepEqual(native.steps[1].args, { command: "view", path: "/testbed/numkit/vector.py" });
    assert.equal(native.steps[0].observation, "__init__.py\nfraction.py\nvector.py");
    assert.equal(native.patch, null);
    assert.deepEqual(native.label, { resolved: false, origin: `${SWESMITH}:2#resolved` });

    assert.deepEqual(
      ticks.steps.map((s) => [s.tool, s.action, s.observation]),
      [
        ["open", "open numkit/matrix.py", "[File: /testbed/numkit/matrix.py (40 lines total)]"],
        ["bash", "python -m pytest tests/test_matrix.py -q", "3 passed"],
      ],
    );
    for (const t of [xml, native, ticks]) assertNoLeak(t, []);
  });
});

describe("chat records: detection", () => {
  it("matches dataset rows but not canonical records or OpenHands output lines", () => {
    assert.ok(chatRecordAdapter.detect({ messages: [{ role: "user", content: "hi" }], resolved: true }));
    assert.ok(
      chatRecordAdapter.detect({
        trajectory: [
          { role: "system", system_prompt: "x", mask: false },
          { role: "ai", text: "y" },
        ],
      }),
    );
    assert.ok(
      !chatRecordAdapter.detect({ schema: "rubricate.trajectory/1", messages: [{ role: "user", content: "hi" }] }),
    );
    assert.ok(
      !chatRecordAdapter.detect({
        instance_id: "a__b-1",
        history: [{ id: 0, source: "user" }],
        test_result: { git_patch: "" },
        messages: [],
      }),
    );
    assert.ok(!chatRecordAdapter.detect({ instance_id: "a__b-1", resolved: true }));
    assert.ok(!chatRecordAdapter.detect([{ role: "user" }]));
    assert.ok(!chatRecordAdapter.detect(null));
  });

  it("reads a chat stored as a JSON string column", () => {
    const row = {
      messages: '[{"role": "user", "content": "Fix it."}, {"role": "assistant", "content": "```\\nls\\n```"}]',
      resolved: 0,
    };
    assert.ok(chatRecordAdapter.detect(row));
    const t = chatRecordAdapter.read(
      row,
      { file: "rows.parquet", line: 7, hash: "ab".repeat(32), readRelative: async () => null },
      "parquet",
    );
    assert.equal(t.source.format, "parquet");
    assert.deepEqual(
      t.steps.map((s) => [s.tool, s.action]),
      [["bash", "ls"]],
    );
    assert.deepEqual(t.label, { resolved: false, origin: "rows.parquet:7#resolved" });
  });
});

describe("bad Parquet input", () => {
  let tmp = "";
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "rubricate-parquet-"));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("a truncated file is an error naming the file", async () => {
    const file = join(tmp, "cut.parquet");
    const bytes = readFileSync(OPENAI);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { trajectories, errors } = await collect([file]);
    assert.equal(trajectories.length, 0);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, file);
    assert.match(errors[0].message, /truncated or corrupt Parquet file/);
  });

  it("a file that is not Parquet is an error naming the file", async () => {
    const file = join(tmp, "text.parquet");
    writeFileSync(file, "instance_id,resolved\nacme__widgets-101,true\n");
    const { trajectories, errors } = await collect([file]);
    assert.equal(trajectories.length, 0);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, file);
    assert.match(errors[0].describe(), /text\.parquet: not a Parquet file/);
  });
});
