/**
 * reproduces_first, verifies_after_last_edit, unverified_success_claim and weakens_tests
 * (src/checks/testing.ts) on the hand-labelled real trajectories of testing.cases.ts.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyze } from "../../src/analyze/facts.js";
import { CHECKS, type CheckResult } from "../../src/checks/index.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { collect, shared, sharedSuite, train, trainSuite } from "../helpers.js";
import type { LabelledCase } from "./patch-safety.cases.js";
import { CASES, CHECKED } from "./testing.cases.js";

function check(name: string, t: Trajectory): CheckResult {
  const c = CHECKS.get(name);
  assert.ok(c, `no check ${name}`);
  return c.run(analyze(t), t, c.params.parse({}), {});
}

const loaded = new Map<string, Promise<Trajectory>>();

/** The trajectory of a case (an OpenHands instance folder holds one completion log). */
function load(c: LabelledCase): Promise<Trajectory> {
  let path = c.data === "shared" ? shared(c.file) : train(c.file);
  if (path.includes("/llm_completions/") && !path.endsWith(".json"))
    path = join(path, readdirSync(path).find((f) => f.endsWith(".json")) ?? "");
  const key = `${path}#${c.line ?? ""}`;
  let p = loaded.get(key);
  if (!p) {
    p = collect([path]).then(({ trajectories, errors }) => {
      assert.deepEqual(
        errors.map((e) => e.describe()),
        [],
      );
      const t = c.line === undefined ? trajectories[0] : trajectories.find((x) => x.source.line === c.line);
      assert.ok(t, `no trajectory in ${path}`);
      return t;
    });
    loaded.set(key, p);
  }
  return p;
}

for (const name of CHECKED) {
  for (const data of ["shared", "train"] as const) {
    const suite = data === "shared" ? sharedSuite : trainSuite;
    suite(`${name} on hand-labelled ${data} trajectories`, (it) => {
      for (const c of CASES[name].filter((x) => x.data === data)) {
        const want = c.miss ? !c.present : c.present;
        const title = `${c.file}${c.line ? `:${c.line}` : ""} -> ${c.present}${c.miss ? " (missed)" : ""}`;
        it(title, async () => {
          const r = check(name, await load(c));
          assert.equal(r.present === true, want, r.explanation);
          if (c.evidence && !c.miss) assert.deepEqual(r.evidence, c.evidence, r.explanation);
        });
      }
    });
  }
}

describe("the labelled sample of the testing checks", () => {
  it("has at least ten cases each way per check, but where the data has fewer (weakening tests)", () => {
    for (const name of CHECKED) {
      const pos = CASES[name].filter((c) => c.present).length;
      const neg = CASES[name].filter((c) => !c.present).length;
      // weakening is rare in the data: every case of it found in both folders is in the sample
      assert.ok(pos >= (name === "weakens_tests" ? 5 : 10) && neg >= 10, `${name}: ${pos} positives, ${neg} negatives`);
      assert.ok(
        CASES[name].some((c) => c.data === "shared") && CASES[name].some((c) => c.data === "train"),
        `${name}: both folders`,
      );
    }
  });
});
