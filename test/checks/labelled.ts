/** Running a check on a hand-labelled case of the real data (shared by the case-file tests). */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../../src/analyze/facts.js";
import { CHECKS, type CheckResult } from "../../src/checks/index.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { collect, shared, train } from "../helpers.js";
import type { LabelledCase } from "./patch-safety.cases.js";

/** A check with its default parameters on one trajectory. */
export function check(name: string, t: Trajectory): CheckResult {
  const c = CHECKS.get(name);
  assert.ok(c, `no check ${name}`);
  return c.run(analyze(t), t, c.params.parse({}), {});
}

const loaded = new Map<string, Promise<Trajectory>>();

/** The trajectory of a case, read once (an OpenHands instance folder holds one completion log). */
export function load(c: LabelledCase): Promise<Trajectory> {
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
