/**
 * Every trajectory listed in the shared index.jsonl is ingested and checked:
 * detected format, instance id, at least one step, a patch wherever the
 * upstream file has one, and the joined label equal to the index's `resolved`.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, it } from "node:test";
import { readTrajectories } from "../../src/labels/stream.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { HAS_SHARED, SHARED, shared } from "../helpers.js";

interface Row {
  instance_id: string;
  files: string[];
  format: string;
  trajectory: string;
  resolved: boolean | null;
  source: string;
}

const rows: Row[] = HAS_SHARED
  ? readFileSync(shared("index.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row)
  : [];

const FORMAT: [RegExp, string][] = [
  [/^sweagent-traj/, "sweagent-traj"],
  [/^mini-swe-agent/, "mini-swe-agent"],
  [/^openhands-output-jsonl/, "openhands-output"],
  [/^openhands-llm-completion/, "openhands-llm-completion"],
  [/^moatless/, "moatless"],
  [/^acr-dir/, "autocoderover"],
];

function expectedFormat(f: string): string {
  const hit = FORMAT.find(([re]) => re.test(f));
  if (!hit) throw new Error(`index format not mapped: ${f}`);
  return hit[1];
}

/** Whether the upstream attempt has a non-empty final patch, read independently of the adapters. */
function upstreamHasPatch(row: Row, t: Trajectory): boolean {
  const path = shared(row.trajectory);
  const fmt = expectedFormat(row.format);
  if (fmt === "autocoderover")
    return readdirSync(path).some((n) => /^extracted_patch_\d+\.diff$/.test(n) && statSync(join(path, n)).size > 0);
  if (fmt === "openhands-llm-completion") {
    const log = join(dirname(dirname(dirname(path))), "infer_logs", `instance_${row.instance_id}.log`);
    return existsSync(log) && /Got git diff for instance[\s\S]*?diff --git/.test(readFileSync(log, "utf8"));
  }
  if (fmt === "openhands-output") {
    const line = readFileSync(path, "utf8").split("\n")[(t.source.line ?? 1) - 1];
    return !!JSON.parse(line).test_result?.git_patch?.trim();
  }
  const doc = JSON.parse(readFileSync(path, "utf8"));
  const sub = doc.info?.submission ?? doc.output?.submission;
  return typeof sub === "string" && sub.trim().length > 0;
}

describe("ingest every trajectory in the shared index", { skip: !HAS_SHARED && "shared data not present" }, () => {
  it("reads all of them with the index's labels", async () => {
    const files = [...new Set(rows.map((r) => shared(r.trajectory)))];
    const got = new Map<string, Trajectory[]>();
    const errors: string[] = [];
    for await (const ev of readTrajectories(files, { labels: [shared("index.jsonl")], autoLabels: false })) {
      if (ev.type === "trajectory") {
        const k = ev.trajectory.source.file;
        got.set(k, [...(got.get(k) ?? []), ev.trajectory]);
      } else if (ev.type === "error") errors.push(ev.error.describe());
      else errors.push(`skipped ${ev.file}`);
    }
    assert.deepEqual(errors, []);
    const problems: string[] = [];
    for (const row of rows) {
      const ts = got.get(shared(row.trajectory)) ?? [];
      const t = ts.find((x) => x.instance_id === row.instance_id);
      const where = row.trajectory;
      if (!t) {
        problems.push(`${where}: no trajectory for ${row.instance_id} (got ${ts.map((x) => x.instance_id).join(",")})`);
        continue;
      }
      if (t.source.format !== expectedFormat(row.format)) problems.push(`${where}: format ${t.source.format}`);
      if (t.steps.length < 1) problems.push(`${where}: no steps`);
      if (upstreamHasPatch(row, t) !== (t.patch !== null))
        problems.push(`${where}: patch ${t.patch !== null}, upstream has one: ${!t.patch}`);
      const want = row.resolved;
      const have = t.label ? t.label.resolved : null;
      if (want !== have) problems.push(`${where}: label ${have}, index says ${want}`);
    }
    assert.deepEqual(problems, []);
    assert.equal(rows.length, 359);
  });

  it("finds the per-instance labels beside the runs that have them, agreeing with the index", async () => {
    // attempts whose per-instance evaluation file (report.json, run_instance.log, eval log) was copied
    // (two OpenHands eval logs stop before their "Result for" line: those have no label beside the run)
    const verdict = (r: Row, f: string) =>
      f.endsWith("report.json") || readFileSync(shared(f), "utf8").includes(`Result for ${r.instance_id}: resolved:`);
    const withLogs = rows.filter((r) =>
      r.files.some((f) => /report\.json$|run_instance\.log$|output\.swebench_eval\.logs\//.test(f) && verdict(r, f)),
    );
    assert.ok(withLogs.length >= 100);
    const want = new Map(withLogs.map((r) => [shared(r.trajectory), r.resolved]));
    let found = 0;
    for await (const ev of readTrajectories([...want.keys()])) {
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      const expected = want.get(t.source.file);
      if (t.label) {
        found++;
        assert.equal(t.label.resolved, expected, `${t.source.file}: auto label from ${t.label.origin}`);
        assert.ok(!t.label.origin.startsWith("/"), "origin is relative to the working directory");
      } else {
        assert.equal(expected, null, `${t.source.file}: no label found beside the run`);
      }
    }
    assert.equal(found, withLogs.filter((r) => r.resolved !== null).length);
  });

  it("does not borrow another run's per-instance report", async () => {
    // deepseek_chat_dev has the same instances as deepseek_lite_dev, but no reports of its own
    const other = rows.filter((r) => r.trajectory.includes("/deepseek_chat_dev/")).map((r) => shared(r.trajectory));
    assert.ok(other.length > 0);
    for await (const ev of readTrajectories(other)) {
      if (ev.type === "trajectory") assert.equal(ev.trajectory.label, null, basename(ev.trajectory.source.file));
    }
  });

  it("covers the whole directory when walked", async () => {
    const formats = new Map<string, number>();
    let n = 0;
    for await (const ev of readTrajectories([SHARED], { autoLabels: false })) {
      if (ev.type === "error") assert.fail(ev.error.describe());
      if (ev.type === "trajectory") {
        n++;
        formats.set(ev.trajectory.source.format, (formats.get(ev.trajectory.source.format) ?? 0) + 1);
      }
    }
    assert.equal(n, rows.length);
    assert.equal(formats.size, 6);
  });
});
