import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parquetReadObjects } from "hyparquet";
import { ROOT } from "../helpers.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const dir = mkdtempSync(join(tmpdir(), "rubricate-export-"));
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r;
}
const lines = (f: string) =>
  readFileSync(f, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("export", () => {
  const scores = join(dir, "scores.jsonl");
  run("score", "examples", "-o", scores, "-q");

  it("OpenAI chat JSONL: roles, string arguments that parse, every tool result answers a call, weights on looping turns", () => {
    const out = join(dir, "openai.jsonl");
    const r = run("export", "examples", "--format", "openai", "-o", out, "--scores", scores);
    const recs = lines(out);
    assert.equal(recs.length, 8);
    let zero = 0;
    for (const rec of recs) {
      assert.ok(
        Array.isArray(rec.tools) &&
          rec.tools.every(
            (t: { type: string; function: { name: string } }) => t.type === "function" && t.function.name,
          ),
      );
      const ids = new Set<string>();
      for (const m of rec.messages) {
        assert.ok(["system", "user", "assistant", "tool"].includes(m.role));
        assert.equal(typeof m.content, "string");
        for (const c of m.tool_calls ?? []) {
          assert.equal(typeof c.function.arguments, "string");
          JSON.parse(c.function.arguments);
          ids.add(c.id);
        }
        if (m.role === "tool")
          assert.ok(ids.has(m.tool_call_id), `tool result ${m.tool_call_id} answers no earlier call`);
        if (m.weight === 0) zero++;
        assert.ok(!("demo" in m) && !("synthetic" in m));
      }
    }
    // pagerlite run-a repeats the same command four times: those turns are weighted 0
    assert.ok(zero >= 4, `zero-weighted turns: ${zero}`);
    assert.match(r.stderr, /assistant turns weighted 0/);
  });

  it("TRL keeps arguments as objects and a tools column; xml style writes calls into the text", () => {
    const trl = join(dir, "trl.jsonl");
    run("export", "examples", "--format", "trl", "-o", trl);
    const call = lines(trl)[0].messages.find((m: { tool_calls?: unknown[] }) => m.tool_calls)!.tool_calls[0];
    assert.equal(typeof call.function.arguments, "object");
    const xml = join(dir, "xml.jsonl");
    run("export", "examples", "--tool-style", "xml", "-o", xml);
    const rec = lines(xml)[0];
    assert.ok(rec.messages.every((m: { role: string; tool_calls?: unknown }) => m.role !== "tool" && !m.tool_calls));
    assert.ok(rec.messages.some((m: { content: string }) => /<function=bash>\n<parameter=command>/.test(m.content)));
  });

  it("ShareGPT alternates human/observation with gpt/function_call and writes dataset_info.json", () => {
    const out = join(dir, "sharegpt.jsonl");
    const sys = join(dir, "system.txt");
    writeFileSync(sys, "You are a careful engineer.");
    run("export", "examples", "--format", "sharegpt", "-o", out, "--system-prompt", sys);
    for (const rec of lines(out)) {
      assert.equal(rec.system, "You are a careful engineer.");
      rec.conversations.forEach((t: { from: string; value: string }, i: number) => {
        assert.ok(
          i % 2 === 0 ? ["human", "observation"].includes(t.from) : ["gpt", "function_call"].includes(t.from),
          `turn ${i} is ${t.from}`,
        );
        if (t.from === "function_call") JSON.parse(t.value);
      });
      JSON.parse(rec.tools);
    }
    const info = JSON.parse(readFileSync(join(dir, "dataset_info.json"), "utf8"));
    assert.equal(info.sharegpt.formatting, "sharegpt");
    assert.equal(info.sharegpt.file_name, "sharegpt.jsonl");
    assert.equal(info.sharegpt.tags.function_tag, "function_call");
  });

  it("Parquet reads back with hyparquet: one row per trajectory, messages as JSON", async () => {
    const out = join(dir, "sft.parquet");
    run("export", "examples", "--format", "parquet", "-o", out, "--scores", scores);
    const buf = readFileSync(out);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
    assert.equal(rows.length, 8);
    for (const row of rows) {
      assert.ok(Array.isArray(JSON.parse(row.messages as string)));
      assert.equal(typeof row.score, "number");
      assert.equal(typeof row.resolved, "boolean");
    }
  });
});
