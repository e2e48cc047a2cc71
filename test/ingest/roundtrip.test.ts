import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ingest } from "../../src/ingest/pipeline.js";
import { TrajectorySchema } from "../../src/types/trajectory.js";
import { FIXTURES, HAS_SHARED, ROOT, shared } from "../helpers.js";

async function lines(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const ev of ingest(inputs)) {
    if (ev.type === "error") assert.fail(ev.error.describe());
    if (ev.type === "trajectory") out.push(JSON.stringify(ev.trajectory));
  }
  return out;
}

describe("canonical JSONL", () => {
  it("every adapter's output passes the schema, and re-ingesting it round-trips byte for byte", async () => {
    const inputs = [
      join(ROOT, "examples"),
      join(FIXTURES, "sweagent"),
      join(FIXTURES, "openhands"),
      join(FIXTURES, "parquet"),
      join(FIXTURES, "chat"),
    ];
    if (HAS_SHARED)
      inputs.push(
        shared("moatless-lite"),
        shared("acr-gpt4-lite/results/acr-run-1"),
        shared("sweagent-format-samples"),
        shared("openhands-codeact-claude35"),
      );
    const first = await lines(inputs);
    assert.ok(first.length > 20);
    for (const l of first) {
      const r = TrajectorySchema.safeParse(JSON.parse(l));
      assert.ok(
        r.success,
        r.success
          ? ""
          : `${JSON.parse(l).source.file}: ${r.error.issues[0].path.join(".")} ${r.error.issues[0].message}`,
      );
    }
    const file = join(mkdtempSync(join(tmpdir(), "rubricate-rt-")), "all.jsonl");
    writeFileSync(file, first.join("\n") + "\n");
    const second = await lines([file]);
    assert.equal(second.join("\n") + "\n", readFileSync(file, "utf8"));
  });

  it("gives the same id to the same content and different ids to different content", async () => {
    const a = await lines([join(ROOT, "examples")]);
    const b = await lines([join(ROOT, "examples")]);
    const ids = a.map((l) => JSON.parse(l).id);
    assert.deepEqual(
      ids,
      b.map((l) => JSON.parse(l).id),
    );
    assert.equal(new Set(ids).size, ids.length);
  });
});
