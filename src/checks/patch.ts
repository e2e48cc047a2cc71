/** Checks on the final patch: empty, debugging leftovers, files the agent never looked at. */
import { z } from "zod";
import { isTestFile, type Facts } from "../analyze/facts.js";
import { repoPath, samePath } from "../analyze/paths.js";
import type { PatchFile } from "../analyze/patch.js";
import type { Trajectory } from "../types/trajectory.js";
import { defineCheck, result } from "./types.js";

export const emptyPatch = defineCheck({
  name: "empty_patch",
  present: "no patch submitted",
  description: "The trajectory ends without a patch, or with one that changes no file.",
  params: z.object({}).strict(),
  run(f, t) {
    if (!t.patch) return result(true, [], "no patch was submitted");
    if (!f.patch.files.length) return result(true, [], "the patch changes no file");
    return result(false, [], `the patch changes ${f.patch.files.length} file(s)`);
  },
});

const SCRATCH_FILE =
  /(^|\/)(\w*repro\w*|\w*replicat\w*|debug\w*|scratch\w*|test_(issue|fix|repro|bug)\w*|simple_test\w*|quick_test\w*|check_\w+|verify_\w+)\.\w+$/i;
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

/** Files a program or tool writes: databases, images, compiled, pickled or log files, backups. */
const OUTPUT_FILE =
  /\.(db|sqlite3?|png|jpe?g|gif|bmp|eps|ps|pdf|fits|pyc|class|jar|o|so|pkl|pickle|npy|npz|log|out|orig|rej|bak|swp)$|~$|[._]backup\b/i;
/** Folders that builds and test runs write into. */
const OUTPUT_DIR = /^(build|dist|target)\/|(^|\/)(_build|__pycache__|\.pytest_cache|[^/]+\.egg-info)\//;
/** Folders for documentation and release notes, where text files and images belong. */
const DOC_DIR = /(^|\/)(docs?|documentation|changelog|changes|news|release_?notes)\//i;
/** A folder whose name says it is a throwaway (`reproduction/`, `test_app/`, `django/bug_replication/`). */
const SCRATCH_DIR =
  /(^|\/)(\w*repro\w*|\w*replicat\w*|debug\w*|scratch\w*|te?mp(_\w*)?|test_?app\w*|\w+_example\w*|example_\w+|demo\w*|sandbox\w*|playground\w*)\//i;
/** Files a change may add at the repository root. */
const PROJECT_ROOT_FILE =
  /^(README|CHANGES|CHANGELOG|HISTORY|NEWS|AUTHORS|LICENSE|CONTRIBUTING)(\.\w+)?$|^(setup\.(py|cfg)|pyproject\.toml|conftest\.py|tox\.ini|Makefile|MANIFEST\.in|pom\.xml|build\.gradle|\.gitignore|requirements[\w-]*\.txt)$/;

/**
 * The steps that wrote `path` (a file of the patch). A written path names it when it is the same
 * path or a shorter form of it (written relative to another folder), but not when it is exactly
 * another file of the patch (`requests/models.py` did not write `build/lib/requests/models.py`).
 */
function writers(f: Facts, path: string): number[] {
  const steps: number[] = [];
  for (const [w, at] of f.written)
    if (samePath(w, path) && (w === path || !f.patch.files.some((q) => q.path === w))) steps.push(...at);
  return steps;
}

/**
 * Why a new file of the patch is a leftover of the agent's debugging rather than part of the
 * change, or null: a script it wrote for itself or ran, a file no step of its own wrote (output of
 * a program it ran), build output, a backup or binary, a note, or any other new file at the
 * repository root.
 */
function leftover(f: Facts, t: Trajectory, p: PatchFile): string | null {
  const path = p.path;
  if (SCRATCH_FILE.test(path) || [...f.scratch].some((s) => samePath(s, path)) || ranAtRoot(f, t, path))
    return "a scratch file";
  // no step wrote it: a program the agent ran made it (a database, `makemigrations`, `startproject`),
  // or, when it ran none, the file was in the checkout before it began (an untracked build folder
  // that `git add -A` swept in): not its leftover
  if (!writers(f, path).length)
    return f.steps.some((s) => s.kinds.includes("run") || s.kinds.includes("test"))
      ? "written by a program the agent ran"
      : null;
  if (OUTPUT_DIR.test(path)) return "build or run output";
  if (SCRATCH_DIR.test(path)) return "a scratch folder";
  if (isTestFile(path) && path.includes("/")) return null;
  if (!path.includes("/")) return PROJECT_ROOT_FILE.test(path) ? null : "a new file at the repository root";
  if (DOC_DIR.test(path)) return null;
  if (p.isBinary || OUTPUT_FILE.test(path)) return "program output or a backup";
  if (/\.(md|txt)$/i.test(path)) return "a note";
  return null;
}

export const debugArtifacts = defineCheck({
  name: "debug_artifacts",
  present: "debugging artifacts left",
  description:
    "The final patch leaves debugging artifacts: reproduction or scratch scripts, files its runs generated (databases, images, build output, backups), notes, or debug prints and breakpoints in source files.",
  params: z.object({}).strict(),
  run(f, t) {
    const reasons: string[] = [];
    const evidence: number[] = [];
    for (const p of f.patch.files) {
      const why = p.isNew ? leftover(f, t, p) : null;
      if (why) reasons.push(`adds ${p.path} (${why})`);
      else if (!isTestFile(p.path)) {
        const dbg = p.addedLines.filter((l) => DEBUG_LINE.test(l));
        if (dbg.length) reasons.push(`adds ${dbg.length} debug line(s) to ${p.path}`);
        else continue;
      } else continue;
      evidence.push(...writers(f, p.path));
    }
    if (!reasons.length) return result(false, [], "no scratch files or debug lines in the patch");
    return result(true, evidence, reasons.join("; "));
  },
});

/**
 * Files the agent saw: every file a step read, and each file it edited in the scaffold's editor
 * (an edit of the open file: the editor showed the file when it was opened or created).
 */
function seenFiles(f: Facts): string[] {
  const seen = [...f.viewed];
  for (const a of f.actions) if (a.onOpen && a.path && a.kind === "edit") seen.push(repoPath(a.path));
  return seen;
}

/**
 * Whether the agent changed `path` itself: a step wrote it, or an editing or running action names
 * it (a script or patch that rewrites it). A file no action touches changed without the agent: the image's own
 * edits (pinned dependencies in setup.py, tox.ini) swept in by `git add -A`, or a file a run
 * regenerated (a parser table).
 */
function changedByAgent(f: Facts, t: Trajectory, path: string): boolean {
  for (const w of f.written.keys()) if (samePath(w, path)) return true;
  return f.steps.some(
    (s) => s.kinds.some((k) => k === "edit" || k === "create" || k === "run") && t.steps[s.index].action.includes(path),
  );
}

export const patchUnviewedFiles = defineCheck({
  name: "patch_unviewed_files",
  present: "edits files never read",
  description:
    "The patch modifies existing files that the agent never opened, printed or searched into during the trajectory (files no action of the agent changed are left out).",
  params: z.object({}).strict(),
  run(f, t) {
    const modified = f.patch.files.filter((p) => !p.isNew);
    if (!modified.length) return result(null, [], "the patch modifies no existing file");
    const seen = seenFiles(f);
    const own = modified.filter((p) => changedByAgent(f, t, p.path));
    const others = modified.length - own.length;
    const note = others ? ` (${others} file(s) changed by no action of the agent left out)` : "";
    // (a file the patch renames was seen under its old name)
    const unseen = own.filter(
      (p) => !seen.some((v) => samePath(v, p.path) || (p.renamedFrom !== undefined && samePath(v, p.renamedFrom))),
    );
    if (!unseen.length) return result(false, [], `all ${own.length} modified file(s) were viewed first${note}`);
    const evidence = unseen.flatMap((p) => [...f.written].filter(([w]) => samePath(w, p.path)).flatMap(([, s]) => s));
    return result(true, evidence, `modified without viewing: ${unseen.map((p) => p.path).join(", ")}${note}`);
  },
});
