import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers.js";
import { openaiViolations, sharegptViolations, trlViolations } from "./consumers.js";
import { duckRows, duckTypes, hyparquetRows } from "./duck.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const dir = mkdtempSync(join(tmpdir(), "rubricate-export-"));
function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
}
function run(...args: string[]) {
  const r = cli(...args);
  assert.equal(r.status, 0, r.stderr);
  return r;
}
const lines = (f: string) =>
  readFileSync(f, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("export (the bundled examples)", () => {
  const scores = join(dir, "scores.jsonl");
  run("score", "examples", "-o", scores, "-q");
  // trajectories written without their labels: the labels must come from the score records
  const unlabelled = join(dir, "unlabelled.jsonl");
  run("ingest", "examples", "--no-auto-labels", "-o", unlabelled, "-q");

  it("OpenAI: only OpenAI's keys, every call answered, weights on looping turns, metadata and labels beside it", () => {
    const out = join(dir, "openai.jsonl");
    const r = run("export", unlabelled, "--format", "openai", "-o", out, "--scores", scores, "--no-auto-labels");
    const recs = lines(out);
    assert.equal(recs.length, 8);
    for (const rec of recs) assert.deepEqual(openaiViolations(rec), []);
    const zero = recs.flatMap((r) => r.messages).filter((m: { weight?: number }) => m.weight === 0).length;
    // pagerlite run-a repeats the same command four times: those turns are weighted 0
    assert.ok(zero >= 4, `zero-weighted turns: ${zero}`);
    const meta = lines(join(dir, "openai.meta.jsonl"));
    assert.equal(meta.length, 8);
    assert.ok(meta.every((m) => typeof m.resolved === "boolean" && typeof m.score === "number" && "patch" in m));
    assert.match(r.stderr, /taken from the score records/);
  });

  it("TRL: arguments as objects, a tools column, labels; a warning that weights have no place", () => {
    const out = join(dir, "trl.jsonl");
    const r = run("export", unlabelled, "--format", "trl", "-o", out, "--scores", scores, "--no-auto-labels");
    const recs = lines(out);
    for (const rec of recs) assert.deepEqual(trlViolations(rec), []);
    assert.ok(recs.every((x) => typeof x.resolved === "boolean"));
    assert.match(r.stderr, /no per-message weight/);
  });

  it("ShareGPT: LLaMA-Factory's turn order, dataset_info.json merged into, not clobbered", () => {
    const sub = join(dir, "lf");
    mkdirSync(sub);
    const info = join(sub, "dataset_info.json");
    writeFileSync(info, JSON.stringify({ alpaca_en_demo: { file_name: "alpaca_en_demo.json" } }, null, 2));
    const sys = join(dir, "system.txt");
    writeFileSync(sys, "You are a careful engineer.");
    const out = join(sub, "rubricate_sft.jsonl");
    run("export", "examples", "--format", "sharegpt", "-o", out, "--system-prompt", sys);
    for (const rec of lines(out)) {
      assert.deepEqual(sharegptViolations(rec), []);
      assert.equal(rec.system, "You are a careful engineer.");
    }
    const merged = JSON.parse(readFileSync(info, "utf8"));
    assert.deepEqual(merged.alpaca_en_demo, { file_name: "alpaca_en_demo.json" });
    assert.equal(merged.rubricate_sft.file_name, "rubricate_sft.jsonl");
    assert.equal(merged.rubricate_sft.tags.function_tag, "function_call");
    // a second export under another name adds a second entry
    run("export", "examples", "--format", "sharegpt", "-o", join(sub, "other.jsonl"));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(info, "utf8"))), ["alpaca_en_demo", "rubricate_sft", "other"]);
  });

  it("a dataset_info.json that is not JSON is a clear error before anything is written", () => {
    const sub = join(dir, "badinfo");
    mkdirSync(sub);
    writeFileSync(join(sub, "dataset_info.json"), '{"a": {"file_name": "a.json"},\n  "b": }\n');
    const out = join(sub, "x.jsonl");
    const r = cli("export", "examples", "--format", "sharegpt", "-o", out);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /dataset_info\.json:2: malformed JSON at line 2, column \d+/);
    assert.ok(!existsSync(out));
    assert.equal(readFileSync(join(sub, "dataset_info.json"), "utf8"), '{"a": {"file_name": "a.json"},\n  "b": }\n');
  });

  it("Parquet: nested list/struct columns, read alike by hyparquet and DuckDB", async () => {
    const out = join(dir, "sft.parquet");
    run("export", "examples", "--format", "parquet", "-o", out, "--scores", scores);
    const types = await duckTypes(out);
    assert.match(
      types.messages,
      /^STRUCT\("role" VARCHAR, "content" VARCHAR, .*tool_calls STRUCT\(id VARCHAR, .*\)\[\]\)\[\]$/,
    );
    assert.match(types.tools, /^STRUCT\("type" VARCHAR, "function" STRUCT\(.*\)\)\[\]$/);
    assert.equal(types.resolved, "BOOLEAN");
    const a = await hyparquetRows(out);
    const b = await duckRows(out);
    assert.equal(a.length, 8);
    assert.equal(b.length, 8);
    for (let i = 0; i < a.length; i++) {
      const ma = a[i].messages as { role: string; content: string; tool_calls?: { id: string }[] }[];
      const mb = b[i].messages as { role: string; content: string; tool_calls: { id: string }[] | null }[];
      assert.deepEqual(
        ma.map((m) => [m.role, m.content, (m.tool_calls ?? []).map((c) => c.id)]),
        mb.map((m) => [m.role, m.content, (m.tool_calls ?? []).map((c) => c.id)]),
      );
      assert.deepEqual(trlViolations({ ...a[i], messages: ma.map(objectArguments), tools: a[i].tools }), []);
      assert.equal(typeof a[i].resolved, "boolean");
    }
  });

  it("an existing output is not overwritten without --force", () => {
    const out = join(dir, "keep.jsonl");
    writeFileSync(out, "precious\n");
    const r = cli("export", "examples", "-o", out);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /output exists: .*keep\.jsonl \(use --force to overwrite\)/);
    assert.equal(readFileSync(out, "utf8"), "precious\n");
    run("export", "examples", "-o", out, "--force");
    assert.equal(lines(out).length, 8);
  });

  it("a missing --scores file is an error before any work", () => {
    const out = join(dir, "never.jsonl");
    const r = cli("export", "examples", "-o", out, "--scores", join(dir, "no-such-scores.jsonl"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--scores .*no-such-scores\.jsonl: no such file/);
    assert.ok(!existsSync(out));
  });

  it("a mistyped input path is an error before any output is created, in every training-data command", () => {
    const missing = join(dir, "no-such-runs");
    const cases: [string[], string][] = [
      [["export", missing, "--format", "sharegpt", "-o", join(dir, "m", "sft.jsonl")], join(dir, "m", "sft.jsonl")],
      [["pairs", missing, "--scores", scores, "-o", join(dir, "m-dpo.jsonl")], join(dir, "m-dpo.jsonl")],
      [["rm-data", missing, "-o", join(dir, "m-rm")], join(dir, "m-rm")],
      [["feedback", missing, "--scores", scores, "-o", join(dir, "m-fb.jsonl")], join(dir, "m-fb.jsonl")],
    ];
    mkdirSync(join(dir, "m"), { recursive: true });
    for (const [args, out] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /input not found: .*no-such-runs \(expected trajectory files or folders\)/);
      assert.ok(!existsSync(out), `${args[0]} created ${out}`);
    }
    assert.ok(!existsSync(join(dir, "m", "dataset_info.json")));
  });

  it("bad option values are usage errors (exit 2) naming the option", () => {
    const r1 = cli("rm-data", "examples", "--ratio", "two", "-o", join(dir, "r-rm"));
    assert.equal(r1.status, 2);
    assert.match(r1.stderr, /--ratio: expected positives:negatives such as 2:1, got "two"/);
    const r2 = cli("pairs", "examples", "--scores", scores, "--margin", "3", "-o", join(dir, "r-dpo.jsonl"));
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /'--margin <x>' argument '3' is invalid\. expected a number from 0 to 1/);
    const r3 = cli("feedback", "examples", "-o", join(dir, "r-fb.jsonl"));
    assert.equal(r3.status, 2);
    assert.match(r3.stderr, /--scores is required/);
  });

  it("inputs that match nothing usable are an error (exit 1), not a quiet empty file", () => {
    const other = join(dir, "other-scores.jsonl");
    writeFileSync(
      other,
      lines(scores)
        .map((r) => JSON.stringify({ ...r, trajectory_id: `x${r.trajectory_id}` }))
        .join("\n") + "\n",
    );
    const r1 = cli("pairs", "examples", "--scores", other, "-o", join(dir, "e-dpo.jsonl"));
    assert.equal(r1.status, 1, r1.stderr);
    assert.match(r1.stderr, /error: 8 of 8 trajectories have no record in --scores/);
    const r2 = cli("rm-data", "examples", "--mixture", "nosuch=1,mini-swe-agent 2.2.7=1", "-o", join(dir, "e-rm"));
    assert.equal(r2.status, 1, r2.stderr);
    assert.match(r2.stderr, /--mixture names scaffold groups with no labelled samples: nosuch/);
  });

  it("a trajectory that cannot be written is skipped with its reason; the others are written (exit 1)", () => {
    const t = lines(unlabelled);
    const broken = {
      ...t[0],
      id: "broken",
      messages: t[0].messages.filter((m: { role: string }) => m.role !== "user"),
    };
    const input = join(dir, "with-broken.jsonl");
    writeFileSync(input, [...t, broken].map((x) => JSON.stringify(x)).join("\n") + "\n");
    const out = join(dir, "skip.jsonl");
    const r = cli("export", input, "--format", "sharegpt", "-o", out, "--dataset-name", "skiptest");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /skipped 1:\n\s+.*: the conversation does not start with a user turn/);
    assert.equal(lines(out).length, 8);
  });
});

/** A Parquet message as TRL's JSONL layout has it: null fields absent, arguments as objects (Parquet holds JSON text). */
function objectArguments(row: Record<string, unknown>): Record<string, unknown> {
  const m = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
  const calls = m.tool_calls as { function: { name: string; arguments: string } }[] | undefined;
  if (!calls) return m;
  return {
    ...m,
    tool_calls: calls.map((c) => ({ ...c, function: { ...c.function, arguments: JSON.parse(c.function.arguments) } })),
  };
}
