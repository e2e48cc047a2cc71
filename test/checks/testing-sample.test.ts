/**
 * reproduces_first, verifies_after_last_edit, unverified_success_claim and weakens_tests
 * (src/checks/testing.ts) on the hand-labelled real trajectories of testing.cases.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sharedSuite, trainSuite } from "../helpers.js";
import { check, load } from "./labelled.js";
import { CASES, CHECKED } from "./testing.cases.js";

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
