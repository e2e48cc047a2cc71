/** Checks on the final patch: empty, debugging leftovers, files the agent never looked at. */
import { z } from "zod";
import { isTestFile, type Facts } from "../analyze/facts.js";
import { samePath } from "../analyze/paths.js";
import type { Trajectory } from "../types/trajectory.js";
import { defineCheck, result } from "./types.js";

export const emptyPatch = defineCheck({
  name: "empty_patch",
  description: "The trajectory ends without a patch, or with one that changes no file.",
  params: z.object({}).strict(),
  run(f, t) {
    if (!t.patch) return result(true, [], "no patch was submitted");
    if (!f.patch.files.length) return result(true, [], "the patch changes no file");
    return result(false, [], `the patch changes ${f.patch.files.length} file(s)`);
  },
});

const SCRATCH_FILE =
  /(^|\/)(\w*reproduc\w*|repro\w*|replicat\w*|debug\w*|scratch\w*|test_(issue|fix|repro|bug)\w*|simple_test\w*|quick_test\w*|check_\w+|verify_\w+)\.\w+$/i;
/** A debugging line: a breakpoint, or a print marked as debugging output (one pattern, tried once per added line). */
const DEBUG_LINE = new RegExp(
  "^\\s*(?:" +
    [
      /import pdb|import ipdb|pdb\.set_trace\(\)|ipdb\.set_trace\(\)|breakpoint\(\)/,
      /print\(\s*f?["'](?:DEBUG|debug|>>>|XXX|HERE|here|Debug)/,
      /print\(\s*f?["'][^"']*(?:debug|DEBUG)/,
      /console\.(?:log|debug)\(\s*["'`](?:DEBUG|debug)/,
      /System\.(?:out|err)\.println\(\s*"(?:DEBUG|debug)/,
    ]
      .map((re) => re.source)
      .join("|") +
    ")",
);

/**
 * A new file at the repository root that the agent itself ran (`python x.py`, `javac X.java`,
 * `bash run_test.sh`, `pytest test_foo.py`): a throwaway reproduction, whatever its name.
 */
function ranAtRoot(f: Facts, t: Trajectory, path: string): boolean {
  if (path.includes("/")) return false;
  const name = new RegExp(`(^|[\\s/'"=])${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s'";&|)])`);
  return f.steps.some(
    (s) => (s.kinds.includes("run") || s.kinds.includes("test")) && name.test(t.steps[s.index].action),
  );
}

export const debugArtifacts = defineCheck({
  name: "debug_artifacts",
  description:
    "The final patch leaves debugging artifacts: reproduction or scratch scripts, or debug prints and breakpoints in source files.",
  params: z.object({}).strict(),
  run(f, t) {
    const reasons: string[] = [];
    const evidence: number[] = [];
    for (const p of f.patch.files) {
      const scratchFile =
        p.isNew &&
        (SCRATCH_FILE.test(p.path) || [...f.scratch].some((s) => samePath(s, p.path)) || ranAtRoot(f, t, p.path));
      if (scratchFile) reasons.push(`adds ${p.path}`);
      else if (!isTestFile(p.path)) {
        const dbg = p.addedLines.filter((l) => DEBUG_LINE.test(l));
        if (dbg.length) reasons.push(`adds ${dbg.length} debug line(s) to ${p.path}`);
        else continue;
      } else continue;
      for (const [path, steps] of f.written) if (samePath(path, p.path)) evidence.push(...steps);
    }
    if (!reasons.length) return result(false, [], "no scratch files or debug lines in the patch");
    return result(true, evidence, reasons.join("; "));
  },
});

export const patchUnviewedFiles = defineCheck({
  name: "patch_unviewed_files",
  description:
    "The patch modifies existing files that the agent never opened, printed or searched into during the trajectory.",
  params: z.object({}).strict(),
  run(f) {
    const modified = f.patch.files.filter((p) => !p.isNew);
    if (!modified.length) return result(null, [], "the patch modifies no existing file");
    const seen = [...f.viewed];
    const unseen = modified.filter((p) => !seen.some((v) => samePath(v, p.path)));
    if (!unseen.length) return result(false, [], `all ${modified.length} modified file(s) were viewed first`);
    const evidence = unseen.flatMap((p) => [...f.written].filter(([w]) => samePath(w, p.path)).flatMap(([, s]) => s));
    return result(true, evidence, `modified without viewing: ${unseen.map((p) => p.path).join(", ")}`);
  },
});
