/** The library with no options gives what the CLI gives with no flags: same records, same evaluation. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFAULTS, evaluate, loadRubric, scoreStream, type ScoreRecord } from "../../src/index.js";
import { ROOT } from "../helpers.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const examples = join(ROOT, "examples");
/** what differs between runs of the same inputs: the time and the tool's version */
const stable = (r: ScoreRecord) => JSON.stringify({ ...r, scored_at: undefined, provenance: undefined });

describe("library defaults are the CLI's", () => {
  it("scoreStream and evaluate with no options match `rubricate score` and `rubricate eval` on the examples", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-defaults-"));
    try {
      const out = join(dir, "scores.jsonl");
      const score = spawnSync(process.execPath, [CLI, "score", examples, "-o", out], { encoding: "utf8" });
      assert.equal(score.status, 0, score.stderr);
      const cli = readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as ScoreRecord);

      const lib: ScoreRecord[] = [];
      for await (const ev of scoreStream([examples], { rubric: loadRubric(DEFAULTS.rubric) }))
        if (ev.type === "record") lib.push(ev.record);

      assert.equal(lib.length, cli.length);
      assert.ok(lib.length >= 8);
      const byId = new Map(cli.map((r) => [r.trajectory_id, r]));
      for (const r of lib) {
        const c = byId.get(r.trajectory_id);
        assert.ok(c, `${r.trajectory_id} scored by both`);
        assert.equal(r.score, c.score, `${r.trajectory_id}: behaviour score`);
        assert.equal(typeof r.p_resolved, "number", "the library uses the shipped outcome model by default");
        assert.equal(r.p_resolved, c.p_resolved, `${r.trajectory_id}: p(resolved)`);
        assert.equal(stable(r), stable(c), `${r.trajectory_id}: the whole record`);
      }
      // no outcome model when asked for none, as --no-outcome-model
      for await (const ev of scoreStream([examples], { rubric: loadRubric(DEFAULTS.rubric), outcome: null }))
        if (ev.type === "record") assert.equal(ev.record.p_resolved, null);

      const json = join(dir, "eval.json");
      const ev = spawnSync(process.execPath, [CLI, "eval", out, "--json", json], { encoding: "utf8" });
      assert.equal(ev.status, 0, ev.stderr);
      const cliEval = JSON.parse(readFileSync(json, "utf8")) as ReturnType<typeof evaluate>;
      const libEval = evaluate(lib);
      assert.ok(libEval.labelled > 0);
      assert.deepEqual(libEval.overall.auc, cliEval.overall.auc, "the same reward (p(resolved)) by default");
      assert.deepEqual(libEval.overall.brier, cliEval.overall.brier);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
