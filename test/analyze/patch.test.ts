/** Final-patch statistics (src/analyze/patch.ts) on diffs written for these tests, in git's format. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { patchStats } from "../../src/analyze/patch.js";

const TWO_FILES = [
  "diff --git a/pkg/core.py b/pkg/core.py",
  "index 1111111..2222222 100644",
  "--- a/pkg/core.py",
  "+++ b/pkg/core.py",
  "@@ -1,4 +1,4 @@",
  " import os",
  "-x = 1",
  "+x = 2",
  "+y = 3",
  " ",
  "--- not a header: a removed line that starts with two dashes",
  "@@ -20 +21 @@ def f():",
  "-    return 1",
  "+    return 2",
  "diff --git a/tests/test_core.py b/tests/test_core.py",
  "new file mode 100644",
  "index 0000000..3333333",
  "--- /dev/null",
  "+++ b/tests/test_core.py",
  "@@ -0,0 +1,2 @@",
  "+def test_x():",
  "+    assert True",
  "\\ No newline at end of file",
  "",
].join("\n");

describe("patchStats", () => {
  it("reads files, hunks and changed lines, counting each hunk's lines as its header announces", () => {
    const s = patchStats(TWO_FILES);
    assert.equal(s.files.length, 2);
    const [core, test] = s.files;
    assert.deepEqual(
      {
        path: core.path,
        added: core.added,
        deleted: core.deleted,
        hunks: core.hunks,
        isNew: core.isNew,
        isTest: core.isTest,
      },
      { path: "pkg/core.py", added: 3, deleted: 3, hunks: 2, isNew: false, isTest: false },
    );
    assert.deepEqual(core.addedLines, ["x = 2", "y = 3", "    return 2"]);
    assert.deepEqual(core.removedLines, [
      "x = 1",
      "-- not a header: a removed line that starts with two dashes",
      "    return 1",
    ]);
    // git's "no newline" note belongs to neither side
    assert.deepEqual(
      { path: test.path, isNew: test.isNew, isTest: test.isTest, addedLines: test.addedLines },
      { path: "tests/test_core.py", isNew: true, isTest: true, addedLines: ["def test_x():", "    assert True"] },
    );
    assert.deepEqual({ added: s.added, deleted: s.deleted, hunks: s.hunks }, { added: 5, deleted: 3, hunks: 3 });
  });

  it("a deleted file, a binary file (paths from the diff line), and header timestamps", () => {
    const s = patchStats(
      [
        "diff --git a/old.txt b/old.txt",
        "deleted file mode 100644",
        "--- a/old.txt",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-gone",
        "diff --git a/img/logo.png b/img/logo.png",
        "Binary files a/img/logo.png and b/img/logo.png differ",
        "diff -u a/src/x.c b/src/x.c",
        "--- a/src/x.c\t2024-01-01 10:00:00.000000000 +0000",
        "+++ b/src/x.c\t2024-01-02 10:00:00.000000000 +0000",
        "@@ -1,1 +1,1 @@",
        "-a",
        "+b",
      ].join("\n"),
    );
    assert.deepEqual(
      s.files.map((f) => [f.path, f.isNew, f.isDeleted, f.added, f.deleted]),
      [
        ["old.txt", false, true, 0, 1],
        ["img/logo.png", false, false, 0, 0],
        ["src/x.c", false, false, 1, 1],
      ],
    );
  });

  it("keeps carriage returns of a CRLF patch in its lines; tolerates a leading blank line", () => {
    const s = patchStats("\r\ndiff --git a/a.py b/a.py\r\n--- a/a.py\r\n+++ b/a.py\r\n@@ -1 +1 @@\r\n-x\r\n+y\r\n");
    assert.equal(s.files.length, 1);
    assert.deepEqual([s.files[0].path, s.files[0].addedLines, s.files[0].removedLines], ["a.py", ["y\r"], ["x\r"]]);
  });

  it("no patch, an empty one, and one of blanks have no files", () => {
    for (const p of [null, "", " \n\t\n"])
      assert.deepEqual(patchStats(p), { files: [], added: 0, deleted: 0, hunks: 0 });
  });
});
