/** Final-patch statistics from a unified diff. */
import parseDiff from "parse-diff";

export interface PatchFile {
  path: string;
  added: number;
  deleted: number;
  hunks: number;
  isNew: boolean;
  isDeleted: boolean;
  isTest: boolean;
  /** added and removed lines (without the +/- marker) */
  addedLines: string[];
  removedLines: string[];
}

export interface PatchStats {
  files: PatchFile[];
  added: number;
  deleted: number;
  hunks: number;
}

const TEST_PATH = /(^|\/)(tests?|testing|__tests__|spec)(\/|$)|(^|\/)test_[^/]*\.py$|_tests?\.py$|(^|\/)conftest\.py$|\.(test|spec)\.[jt]sx?$|Test[^/]*\.java$|_test\.go$/;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

export function patchStats(patch: string | null): PatchStats {
  const stats: PatchStats = { files: [], added: 0, deleted: 0, hunks: 0 };
  if (!patch) return stats;
  for (const f of parseDiff(patch)) {
    const path = (f.to && f.to !== "/dev/null" ? f.to : f.from) ?? "";
    const file: PatchFile = {
      path,
      added: f.additions,
      deleted: f.deletions,
      hunks: f.chunks.length,
      isNew: !!f.new || f.from === "/dev/null",
      isDeleted: !!f.deleted || f.to === "/dev/null",
      isTest: isTestPath(path),
      addedLines: [],
      removedLines: [],
    };
    for (const chunk of f.chunks) {
      for (const c of chunk.changes) {
        if (c.type === "add") file.addedLines.push(c.content.slice(1));
        else if (c.type === "del") file.removedLines.push(c.content.slice(1));
      }
    }
    stats.files.push(file);
    stats.added += file.added;
    stats.deleted += file.deleted;
    stats.hunks += file.hunks;
  }
  return stats;
}
