/**
 * Synthetic scored data for the report tests: trajectories from the one builder (test/build.ts),
 * written as canonical JSONL, and scored by the real scorer with the built-in rubric.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";
import type { ScoreRecord } from "../../src/types/score.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, miniOut, trajectory, type Turn } from "../build.js";

export const XSS = `</script><script>window.__pwned = 1; alert("pwned")</script><img src=x onerror="window.__pwned=2">`;

const PATCH = `diff --git a/pkg/mod.py b/pkg/mod.py
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -1,3 +1,3 @@
 def f(x):
-    return x + 1
+    return x + 2
`;

/** A trajectory of one of four shapes (good, unverified, failing edits, no patch) for `task`. */
function make(task: string, shape: number, k: number): Trajectory {
  const turns: Turn[] = [
    bash("ls pkg", miniOut("mod.py\ntests"), `Looking around for ${task}.`),
    bash("cat pkg/mod.py", miniOut("def f(x):\n    return x + 1\n")),
  ];
  if (shape === 0) {
    turns.push(bash("python reproduce.py", miniOut("AssertionError: f(1) == 2 failed", 1), "Reproduce first."));
    turns.push(bash("sed -i 's/x + 1/x + 2/' pkg/mod.py", miniOut("")));
    turns.push(bash("python -m pytest tests -q", miniOut("5 passed in 0.12s"), "Verify the fix."));
  } else if (shape === 1) {
    turns.push(bash("sed -i 's/x + 1/x + 2/' pkg/mod.py", miniOut("")));
    turns.push(bash(`echo "${"long output line ".repeat(20)}"`, miniOut(`${"long output line\n".repeat(80)}${XSS}`)));
  } else if (shape === 2) {
    for (let i = 0; i < 4; i++)
      turns.push(
        bash(
          `sed -i 's/nope${i}/x/' pkg/missing.py`,
          miniOut("sed: can't read pkg/missing.py: No such file or directory", 2),
        ),
      );
  } else {
    turns.push(bash("echo giving up", miniOut("giving up")));
  }
  return trajectory({
    turns,
    instance: task,
    seed: `${task}-${shape}-${k}`,
    run: `run-${k % 3}`,
    patch: shape === 3 ? null : PATCH,
    closing: shape === 0 ? "All tests pass; the fix is done." : undefined,
  });
}

export interface Synthetic {
  dir: string;
  trajectories: Trajectory[];
  records: ScoreRecord[];
  /** canonical JSONL of the trajectories */
  trajFile: string;
  /** ScoreRecord JSONL */
  scoresFile: string;
}

/**
 * `tasks` tasks with `per` attempts each, scored with swe-default (no judge, no outcome model).
 * With `labels`, shape 0 (reproduces, fixes, verifies) is resolved and the others mostly not.
 */
export async function synthetic(o: { tasks?: number; per?: number; labels?: boolean } = {}): Promise<Synthetic> {
  const dir = mkdtempSync(join(tmpdir(), "rubricate-report-"));
  const rubric = loadRubric("swe-default");
  const trajectories: Trajectory[] = [];
  const records: ScoreRecord[] = [];
  for (let t = 0; t < (o.tasks ?? 4); t++)
    for (let k = 0; k < (o.per ?? 3); k++) {
      const shape = (t + k) % 4;
      const tr = make(`proj__proj-${100 + t}`, shape, k);
      if (o.labels !== false) tr.label = { resolved: shape === 0 || (shape === 1 && t % 2 === 0), origin: "synthetic" };
      trajectories.push(tr);
      records.push(await scoreTrajectory(tr, rubric));
    }
  const trajFile = join(dir, "trajectories.jsonl");
  const scoresFile = join(dir, "scores.jsonl");
  writeFileSync(trajFile, trajectories.map((t) => JSON.stringify(t)).join("\n") + "\n");
  writeFileSync(scoresFile, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return { dir, trajectories, records, trajFile, scoresFile };
}
