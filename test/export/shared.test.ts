/**
 * Every export over the shared real trajectories (every scaffold in them), read back by the
 * independent consumer checks and, for Parquet, by two Parquet implementations.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before } from "node:test";
import { ROOT, SHARED, sharedSuite } from "../helpers.js";
import { openaiViolations, sharegptViolations, trlViolations } from "./consumers.js";
import { duckRows, duckTypes, hyparquetRows } from "./duck.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const LABELS = join(SHARED, "index.jsonl");
function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  return r;
}
const lines = (f: string) =>
  readFileSync(f, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

sharedSuite("exports of the shared real trajectories", (it) => {
  const dir = mkdtempSync(join(tmpdir(), "rubricate-export-shared-"));
  const all = join(dir, "all.jsonl");
  const scores = join(dir, "scores.jsonl");
  let scaffolds: string[] = [];
  before(() => {
    run("ingest", SHARED, "--labels", LABELS, "-o", all, "-q");
    run("score", all, "--no-outcome-model", "-o", scores, "-q");
    scaffolds = [...new Set(lines(all).map((t) => t.source.scaffold as string))].sort();
  });

  const check = (format: string, violations: (r: Record<string, unknown>) => string[], ...extra: string[]) => {
    const out = join(dir, `sft-${format}-${extra.join("")}.jsonl`);
    run("export", all, "--format", format, "-o", out, "--scores", scores, "--no-auto-labels", ...extra);
    const rows = lines(out);
    assert.equal(rows.length, lines(all).length, "every trajectory written");
    const bad = rows.flatMap((r, i) => violations(r).map((v) => `row ${i}: ${v}`));
    assert.deepEqual(bad.slice(0, 10), []);
    return { out, rows };
  };

  it("OpenAI: every row of every scaffold passes OpenAI's rules; labels for every labelled trajectory", () => {
    const { out } = check("openai", openaiViolations);
    const meta = lines(out.replace(/\.jsonl$/, ".meta.jsonl"));
    assert.deepEqual([...new Set(meta.map((m) => m.scaffold))].sort(), scaffolds);
    const labelled = lines(all).filter((t) => t.label).length;
    assert.equal(meta.filter((m) => m.resolved !== null).length, labelled);
    assert.ok(scaffolds.length >= 6, scaffolds.join(", "));
  });

  it("TRL: every row passes; text scaffolds' actions are calls answered by tool messages", () => {
    const { rows } = check("trl", trlViolations);
    const sweagent0 = rows.filter((r) => r.scaffold === "SWE-agent");
    const calls = sweagent0.flatMap((r) => r.messages).filter((m: { tool_calls?: unknown[] }) => m.tool_calls?.length);
    const answers = sweagent0.flatMap((r) => r.messages).filter((m: { role: string }) => m.role === "tool");
    assert.ok(
      calls.length > 1000 && answers.length >= calls.length,
      `${calls.length} calls, ${answers.length} answers`,
    );
  });

  it("ShareGPT: every row in LLaMA-Factory's order; the reasoning beside calls is kept", () => {
    const { rows } = check("sharegpt", sharegptViolations);
    const openai = lines(join(dir, "sft-openai-.jsonl"));
    const text = (s: string) => s.replace(/<tool_call>[\s\S]*?<\/tool_call>$/, "").trim();
    const shareText = rows
      .flatMap((r) => r.conversations)
      .filter((t: { from: string }) => t.from === "gpt" || t.from === "function_call")
      .reduce(
        (n: number, t: { from: string; value: string }) => n + (t.from === "gpt" ? t.value : text(t.value)).length,
        0,
      );
    const openaiText = openai
      .flatMap((r) => r.messages)
      .filter((m: { role: string }) => m.role === "assistant")
      .reduce((n: number, m: { content: string }) => n + m.content.trim().length, 0);
    // every character of assistant text the OpenAI export has is in the ShareGPT export too
    assert.ok(shareText >= openaiText * 0.99, `${shareText} vs ${openaiText}`);
  });

  it("xml and fenced tool styles pass OpenAI's and LLaMA-Factory's rules too (12 trajectories of each scaffold)", () => {
    const some = join(dir, "some.jsonl");
    const seen = new Map<string, number>();
    const picked = lines(all).filter((t) => {
      const n = seen.get(t.source.scaffold) ?? 0;
      seen.set(t.source.scaffold, n + 1);
      return n < 12;
    });
    writeFileSync(some, picked.map((t) => JSON.stringify(t)).join("\n") + "\n");
    for (const [format, style, violations] of [
      ["openai", "xml", openaiViolations],
      ["sharegpt", "fenced", sharegptViolations],
    ] as const) {
      const out = join(dir, `${style}.jsonl`);
      run(
        "export",
        some,
        "--format",
        format,
        "--tool-style",
        style,
        "-o",
        out,
        "--no-auto-labels",
        "--dataset-name",
        style,
      );
      const rows = lines(out);
      assert.equal(rows.length, picked.length);
      assert.deepEqual(rows.flatMap((r) => violations(r)).slice(0, 10), []);
    }
  });

  it("Parquet: nested types and the same rows in hyparquet and DuckDB, every scaffold", async () => {
    const out = join(dir, "sft.parquet");
    run("export", all, "--format", "parquet", "-o", out, "--scores", scores, "--no-auto-labels");
    const types = await duckTypes(out);
    assert.match(types.messages, /^STRUCT\(.*\)\[\]$/);
    assert.match(types.tools, /^STRUCT\(.*\)\[\]$/);
    const a = await hyparquetRows(out);
    const b = await duckRows(out);
    assert.equal(a.length, lines(all).length);
    assert.equal(b.length, a.length);
    assert.deepEqual([...new Set(b.map((r) => r.scaffold as string))].sort(), scaffolds);
    const trl = lines(join(dir, "sft-trl-.jsonl"));
    for (let i = 0; i < a.length; i++) {
      const ids = (ms: { tool_calls?: { id: string }[] | null; tool_call_id?: string | null }[]) =>
        ms.flatMap((m) => [
          ...(m.tool_calls ?? []).map((c) => c.id),
          ...(m.tool_call_id ? [`>${m.tool_call_id}`] : []),
        ]);
      const ma = a[i].messages as Parameters<typeof ids>[0];
      assert.deepEqual(ids(ma), ids(b[i].messages as Parameters<typeof ids>[0]));
      assert.deepEqual(ids(ma), ids(trl[i].messages));
    }
  });

  it("pairs: DPO rows share their prompt; chosen resolved, rejected unresolved, vetoed or clearly worse", () => {
    const out = join(dir, "dpo.jsonl");
    const report = join(dir, "pairs.json");
    run("pairs", all, "--scores", scores, "--no-auto-labels", "-o", out, "--report", report);
    const rows = lines(out);
    const rep = JSON.parse(readFileSync(report, "utf8"));
    assert.ok(rows.length > 10 && rows.length === rep.pairs);
    const byId = new Map(lines(scores).map((r) => [r.trajectory_id, r]));
    for (const row of rows) {
      const c = byId.get(row.chosen_id);
      const r = byId.get(row.rejected_id);
      assert.equal(c.label.resolved, true);
      assert.equal(c.vetoed_by.length, 0);
      if (row.kind === "outcome") assert.equal(r.label.resolved, false);
      if (row.kind === "veto") assert.ok(r.vetoed_by.length > 0);
      if (row.kind === "behaviour") assert.ok(c.score - r.score >= 0.1 - 1e-9);
      assert.deepEqual(trlViolations({ messages: [...row.prompt, ...row.chosen], tools: row.tools }), []);
      assert.deepEqual(trlViolations({ messages: [...row.prompt, ...row.rejected], tools: row.tools }), []);
      assert.equal(row.chosen[0].role, "assistant");
    }
    const perTask = new Map<string, number>();
    for (const row of rows) perTask.set(row.instance_id, (perTask.get(row.instance_id) ?? 0) + 1);
    assert.ok(Math.max(...perTask.values()) <= 4);
  });

  it("pairs, KTO layout as Parquet: the attempts of the DPO pairs, read alike by hyparquet and DuckDB", async () => {
    const out = join(dir, "kto.parquet");
    run("pairs", all, "--scores", scores, "--no-auto-labels", "--layout", "kto", "-o", out);
    const types = await duckTypes(out);
    for (const col of ["prompt", "completion", "tools"]) assert.match(types[col], /^STRUCT\(.*\)\[\]$/, col);
    assert.equal(types.label, "BOOLEAN");
    const a = await hyparquetRows(out);
    const b = await duckRows(out);
    assert.equal(a.length, b.length);
    const dpo = lines(join(dir, "dpo.jsonl"));
    const chosen = new Set(dpo.map((r) => r.chosen_id));
    const rejected = new Set(dpo.map((r) => r.rejected_id));
    assert.deepEqual(new Set(a.map((r) => r.trajectory_id)), new Set([...chosen, ...rejected]));
    const plain = (m: Record<string, unknown>) => {
      const x = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null && v !== undefined));
      const calls = x.tool_calls as { function: { name: string; arguments: string } }[] | undefined;
      if (!calls?.length) delete x.tool_calls;
      else
        x.tool_calls = calls.map((c) => ({
          ...c,
          function: { ...c.function, arguments: JSON.parse(c.function.arguments) },
        }));
      return x;
    };
    for (let i = 0; i < a.length; i++) {
      const r = a[i];
      assert.equal(r.label, chosen.has(r.trajectory_id as string), String(r.trajectory_id));
      assert.equal(b[i].trajectory_id, r.trajectory_id);
      assert.equal(b[i].label, r.label);
      const messages = [...(r.prompt as Record<string, unknown>[]), ...(r.completion as Record<string, unknown>[])];
      assert.deepEqual(trlViolations({ messages: messages.map(plain), tools: r.tools }), []);
      assert.equal((r.completion as { role: string }[])[0].role, "assistant");
    }
  });

  it("rm-data: 2:1, no task on both sides of the split, texts within the budget ending with the patch", () => {
    const out = join(dir, "rm");
    run("rm-data", all, "--scores", scores, "--no-auto-labels", "--max-tokens", "8000", "-o", out);
    const train = lines(join(out, "classify", "train.jsonl"));
    const valid = lines(join(out, "classify", "validation.jsonl"));
    const rows = [...train, ...valid];
    const pos = rows.filter((r) => r.label === 1).length;
    const neg = rows.filter((r) => r.label === 0).length;
    assert.ok(Math.abs(pos - 2 * neg) <= 1, `${pos}:${neg}`);
    // the ratio holds within each scaffold too, so the scaffold does not tell the label
    const mix = JSON.parse(readFileSync(join(out, "mixture.json"), "utf8"));
    assert.equal(mix.balance, "group");
    for (const g of mix.table) assert.equal(g.kept.pos, 2 * g.kept.neg, g.group);
    const trainTasks = new Set(train.map((r) => r.instance_id));
    assert.ok(valid.every((r) => !trainTasks.has(r.instance_id)));
    assert.ok(rows.every((r) => r.tokens <= 8000 && /\[final patch\]\n/.test(r.text)));
    const pairs = lines(join(out, "pairs", "train.jsonl"));
    assert.ok(pairs.length > 0 && pairs.every((p) => typeof p.chosen === "string" && typeof p.rejected === "string"));
  });

  it("feedback: failed criteria in words with their evidence steps", () => {
    const out = join(dir, "feedback.jsonl");
    run("feedback", all, "--scores", scores, "--no-auto-labels", "-o", out);
    const rows = lines(out);
    assert.ok(rows.length > 100);
    const repro = rows.flatMap((r) => r.failed).find((f) => f.criterion === "reproduces-first" && f.steps.length);
    assert.match(
      repro.guidance,
      /^you edited the source without first running anything that shows the bug \(steps? [\d–, ]+\)$/,
    );
    assert.ok(rows.every((r) => r.feedback.startsWith("In this attempt ") && r.failed.length));
  });
});
