/**
 * Final-patch statistics from a unified diff (`git diff` output): the files, their hunks, the
 * lines added and removed. Read line by line: headers between files, and inside a hunk exactly
 * the number of old and new lines its `@@` header announces, as `git apply` reads them.
 */

export interface PatchFile {
  path: string;
  added: number;
  deleted: number;
  hunks: number;
  isNew: boolean;
  isDeleted: boolean;
  isTest: boolean;
  /** git showed no lines, only that the file differs (`Binary files ... differ`, `GIT binary patch`) */
  isBinary: boolean;
  /** the file's path before the change, when the patch renames it */
  renamedFrom?: string;
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

const TEST_PATH =
  /(^|\/)(tests?|testing|__tests__|spec)(\/|$)|(^|\/)test_[^/]*\.py$|_tests?\.py$|(^|\/)conftest\.py$|\.(test|spec)\.[jt]sx?$|Test[^/]*\.java$|_test\.go$/;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** git's note after a last line without a newline: part of no side */
const NO_NEWLINE = "\\ No newline at end of file";
const HUNK = /^@@\s+-(\d+),?(\d+)?\s+\+(\d+),?(\d+)?\s@@/;
/** git's prefixes for the two sides (`a/`, `b/`; `i/`, `w/`, `c/`, `o/`, `1/`, `2/` with other settings) */
const SIDE = /^[abiwco12]\//;

/** A side of a file header (`--- a/x.py`, `+++ /dev/null`, with an optional timestamp) as a path. */
function headerPath(line: string): string {
  let name = line.replace(/^[-+]+/, "").trim();
  const stamp = /\t.*|\d{4}-\d\d-\d\d\s\d\d:\d\d:\d\d(.\d+)?\s(\+|-)\d\d\d\d/.exec(name);
  if (stamp) name = name.slice(0, stamp.index).trim();
  return name.replace(/^\\?['"]|\\?['"]$/g, "").replace(SIDE, "");
}

/**
 * The two paths of `diff --git a/x b/y`, each a side prefix and what follows (the old one up to
 * the last ` b/`), as far as they can be read.
 */
function diffLinePaths(line: string): { from?: string; to?: string } {
  const sides = line.match(/[aiwco12]\/.*(?=["']? ["']?[biwco12]\/)|[biwco12]\/.*$/g) ?? [];
  const [from, to] = sides.map((s) => s.replace(SIDE, "").replace(/("|')$/, ""));
  return { from, to };
}

interface Reading {
  file: PatchFile;
  /** the `diff` line that began the file, read for the paths only if no header names them */
  diffLine?: string;
  from?: string;
  to?: string;
}

export function patchStats(patch: string | null): PatchStats {
  const stats: PatchStats = { files: [], added: 0, deleted: 0, hunks: 0 };
  if (!patch || /^\s+$/.test(patch)) return stats;
  const files: Reading[] = [];
  let cur: Reading | null = null;
  let inHunk = false;
  let oldLeft = 0; // lines of the current hunk still to read
  let newLeft = 0;
  const start = (line?: string): Reading => {
    const r: Reading = {
      diffLine: line,
      file: {
        path: "",
        added: 0,
        deleted: 0,
        hunks: 0,
        isNew: false,
        isDeleted: false,
        isTest: false,
        isBinary: false,
        addedLines: [],
        removedLines: [],
      },
    };
    files.push(r);
    return r;
  };
  // a header after a file's hunks begins the next file
  const current = (): Reading => (cur && !cur.file.hunks ? cur : (cur = start()));
  // line by line without splitting: inside a hunk only the first character is read
  for (let pos = 0, end = 0; pos <= patch.length; pos = end + 1) {
    end = patch.indexOf("\n", pos);
    if (end < 0) end = patch.length;
    if (inHunk) {
      const c = patch.charCodeAt(pos);
      if (c === 45 /* - */) {
        cur!.file.deleted++;
        cur!.file.removedLines.push(patch.slice(pos + 1, end));
        oldLeft--;
      } else if (c === 43 /* + */) {
        cur!.file.added++;
        cur!.file.addedLines.push(patch.slice(pos + 1, end));
        newLeft--;
      } else if (!(c === 92 && end - pos === NO_NEWLINE.length && patch.startsWith(NO_NEWLINE, pos))) {
        oldLeft--;
        newLeft--;
      }
      if (oldLeft === 0 && newLeft === 0) inHunk = false;
      continue;
    }
    const line = patch.slice(pos, end);
    if (/^diff\s/.test(line)) cur = start(line);
    else if (/^new file mode \d+$/.test(line)) {
      const r = current();
      r.file.isNew = true;
      r.from = "/dev/null";
    } else if (/^deleted file mode \d+$/.test(line)) {
      const r = current();
      r.file.isDeleted = true;
      r.to = "/dev/null";
    } else if (/^(?:old|new) mode \d+$|^index\s[\da-zA-Z]+\.\.[\da-zA-Z]+(\s(\d+))?$/.test(line)) current();
    else if (line.startsWith("Binary files ") || line === "GIT binary patch") current().file.isBinary = true;
    else if (/^---\s/.test(line)) current().from = headerPath(line);
    else if (/^\+\+\+\s/.test(line)) current().to = headerPath(line);
    else if (line.startsWith("@@")) {
      const m = HUNK.exec(line);
      if (!m) continue;
      if (!cur) cur = start(line);
      cur.file.hunks++;
      oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      newLeft = m[4] === undefined ? 1 : Number(m[4]);
      inHunk = oldLeft !== 0 || newLeft !== 0;
    }
  }
  for (const r of files) {
    if (r.diffLine !== undefined && (r.from === undefined || r.to === undefined)) {
      const d = diffLinePaths(r.diffLine);
      r.from ??= d.from;
      r.to ??= d.to;
    }
    const { file, from, to } = r;
    if (from === "/dev/null") file.isNew = true;
    if (to === "/dev/null") file.isDeleted = true;
    file.path = (to && to !== "/dev/null" ? to : from) ?? "";
    if (from && from !== "/dev/null" && from !== file.path) file.renamedFrom = from;
    file.isTest = isTestPath(file.path);
    stats.files.push(file);
    stats.added += file.added;
    stats.deleted += file.deleted;
    stats.hunks += file.hunks;
  }
  return stats;
}
