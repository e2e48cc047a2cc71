/**
 * Scoring on worker threads: inputs go out in chunks of neighbours and come back in input order,
 * with the records one thread would write; the default number of workers follows the input size.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadRubric } from "../../src/rubric/load.js";
import { autoJobs, chunkSize, scoreParallel } from "../../src/score/parallel.js";
import { scoreStream, type ScoreEvent } from "../../src/score/stream.js";
import { shared, sharedSuite } from "../helpers.js";

describe("worker threads: chunks and the default count", () => {
  it("chunks: about 8 per worker, at least 1 input, at most 64", () => {
    assert.equal(chunkSize(3, 2), 1);
    assert.equal(chunkSize(358, 2), 22);
    assert.equal(chunkSize(3580, 2), 64);
    assert.equal(chunkSize(3580, 8), 55);
  });

  it("the default: one worker per share of input bytes, at most one per core and per input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-jobs-"));
    try {
      for (const n of ["a", "b", "c"]) writeFileSync(join(dir, `${n}.json`), "x".repeat(1000));
      assert.equal(await autoJobs([dir], 8, 1000), 3);
      assert.equal(await autoJobs([dir], 2, 1000), 2);
      assert.equal(await autoJobs([dir], 8, 1500), 2);
      assert.equal(await autoJobs([dir], 8, 5000), 1);
      assert.equal(await autoJobs([join(dir, "a.json")], 8, 10), 1);
      assert.equal(await autoJobs([join(dir, "missing")], 8, 10), 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

sharedSuite("worker threads over real data", (it) => {
  it("chunks of several inputs give the records and order of one thread", async () => {
    const input = shared("sweagent-gpt4-lite");
    const rubric = loadRubric("swe-default");
    const records = async (events: AsyncIterable<ScoreEvent>) => {
      const out: unknown[] = [];
      for await (const ev of events) if (ev.type === "record") out.push(ev.record);
      return out;
    };
    let total = 0;
    const parallel = await records(
      scoreParallel([input], { rubric: "swe-default", jobs: 2, onProgress: (_, n) => (total = n) }),
    );
    assert.ok(chunkSize(total, 2) > 1, `${total} inputs make chunks of one`);
    const one = await records(scoreStream([input], { rubric, runContext: false, outcome: null }));
    assert.equal(parallel.length, one.length);
    assert.deepEqual(parallel, one);
  });
});
