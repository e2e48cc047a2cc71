import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { calibratorFrom, crossValidate, fit, fitIsotonic, loadCalibrator } from "../../src/eval/calibrate.js";
import { ece, rng } from "../../src/eval/metrics.js";

describe("calibration", () => {
  const r = rng(5);
  // scores that overstate the truth: P(resolved | s) = s^2
  const items = Array.from({ length: 2000 }, (_, i) => {
    const s = r();
    return { score: s, label: r() < s * s, task: `t${i % 400}` };
  });

  it("Platt and isotonic both reduce held-out ECE on miscalibrated scores", () => {
    for (const m of ["platt", "isotonic"] as const) {
      const cv = crossValidate(m, items, 5);
      assert.equal(cv.n, items.length);
      assert.ok(cv.after.ece! < cv.before.ece! / 2, `${m}: ${cv.before.ece} -> ${cv.after.ece}`);
    }
  });

  it("isotonic output is monotone and bounded", () => {
    const { x, y } = fitIsotonic(items);
    for (let i = 1; i < y.length; i++) assert.ok(y[i] >= y[i - 1] && x[i] >= x[i - 1]);
    const c = fit("isotonic", items, {});
    assert.ok(c.apply(-5) >= 0 && c.apply(5) <= 1);
    assert.ok(ece(items.map((i) => ({ score: c.apply(i.score), label: i.label })))! < 0.05);
  });

  it("saves and loads, rejecting files that are not calibrators", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-cal-"));
    const c = fit("platt", items, { records: items.length });
    const p = join(dir, "c.json");
    writeFileSync(p, JSON.stringify(c.file));
    assert.equal(loadCalibrator(p).apply(0.3), calibratorFrom(c.file).apply(0.3));
    writeFileSync(p, JSON.stringify({ hello: 1 }));
    assert.throws(() => loadCalibrator(p), /not a calibrator file/);
  });
});
