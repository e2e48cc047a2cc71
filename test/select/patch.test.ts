/** Predictions `git apply` accepts: final newline, terminal-capture CRLF undone, content CRLF kept; --ids filtering. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseIds, predictionPatch } from "../../src/select/patch.js";
import { ROOT } from "../helpers.js";

const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });
const hasGit = git(tmpdir(), "--version").status === 0;

/** A repository with one committed file, and the diff of an edit to it (the edit undone). */
function fixture(content: string, edited: string): { repo: string; diff: string } {
  const repo = mkdtempSync(join(tmpdir(), "rubricate-patch-"));
  git(repo, "init", "-q");
  git(repo, "config", "core.autocrlf", "false");
  writeFileSync(join(repo, "a.py"), content);
  git(repo, "add", "a.py");
  git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
  writeFileSync(join(repo, "a.py"), edited);
  const diff = git(repo, "diff").stdout;
  git(repo, "checkout", "-q", "a.py");
  return { repo, diff };
}

function applies(repo: string, patch: string): { ok: boolean; err: string } {
  writeFileSync(join(repo, "p.diff"), patch);
  const r = git(repo, "apply", "--check", "p.diff");
  return { ok: r.status === 0, err: r.stderr };
}

describe("select: predictions git apply accepts", { skip: hasGit ? false : "git is not installed" }, () => {
  it("a patch without its final newline gets one; git apply --check then accepts it", () => {
    const { repo, diff } = fixture("def f():\n    return 1\n# end\n", "def f():\n    return 2\n# end\n");
    try {
      const stripped = diff.replace(/\n$/, "");
      const before = applies(repo, stripped);
      assert.equal(before.ok, false);
      assert.match(before.err, /corrupt patch/);
      const fixed = predictionPatch(stripped);
      assert.equal(fixed, diff);
      assert.ok(applies(repo, fixed).ok);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it("CRLF on every line, headers included (a terminal capture), becomes LF; CRLF in file content is kept", () => {
    const lf = fixture("a = 1\nb = 2\n", "a = 1\nb = 3\n");
    const crlfFile = fixture("a = 1\r\nb = 2\r\n", "a = 1\r\nb = 3\r\n");
    try {
      const captured = `\r\n${lf.diff.replace(/\n/g, "\r\n")}`;
      assert.equal(applies(lf.repo, captured).ok, false, "the capture as it is does not apply");
      assert.equal(predictionPatch(captured), lf.diff);
      assert.ok(applies(lf.repo, predictionPatch(captured)).ok);
      // a file with CRLF line ends: its diff's content lines end in CRLF, its headers in LF
      assert.match(crlfFile.diff, /^diff --git [^\r]*\n/);
      assert.match(crlfFile.diff, /\+b = 3\r\n/);
      assert.equal(predictionPatch(crlfFile.diff), crlfFile.diff, "content bytes kept");
      assert.ok(applies(crlfFile.repo, predictionPatch(crlfFile.diff)).ok);
      assert.equal(predictionPatch(""), "");
      assert.equal(predictionPatch(null), "");
    } finally {
      rmSync(lf.repo, { recursive: true, force: true });
      rmSync(crlfFile.repo, { recursive: true, force: true });
    }
  });
});

describe("select --ids", () => {
  it("reads ids one per line, as JSONL rows or a JSON array, and names the line of a bad one", () => {
    assert.deepEqual([...parseIds("# lite\na__a-1\n\nb__b-2\n", "ids.txt")], ["a__a-1", "b__b-2"]);
    assert.deepEqual(
      [...parseIds('{"instance_id": "a__a-1"}\n{"instance_id": "b__b-2"}\n', "ids.jsonl")],
      ["a__a-1", "b__b-2"],
    );
    assert.deepEqual([...parseIds('[{"instance_id": "a__a-1"}, "b__b-2"]', "ids.json")], ["a__a-1", "b__b-2"]);
    assert.throws(() => parseIds('a\n{"id": 3}\n', "ids.jsonl"), /^Error: ids\.jsonl:2: expected an instance id/);
    assert.throws(() => parseIds("\n# nothing\n", "ids.txt"), /ids\.txt: no instance ids in it/);
  });

  it("keeps only the tasks the file lists; every written patch ends with a newline", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-ids-"));
    try {
      const ids = join(dir, "lite.txt");
      writeFileSync(ids, "textkit__textkit-42\nnot__in-the-inputs-1\n");
      const out = join(dir, "preds.jsonl");
      const cli = join(ROOT, "dist", "src", "cli", "main.js");
      const r = spawnSync(process.execPath, [cli, "select", join(ROOT, "examples"), "--ids", ids, "-o", out], {
        encoding: "utf8",
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /select: \d+ of \d+ records are of the 2 ids in/);
      const preds = readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { instance_id: string; model_patch: string });
      assert.deepEqual(
        preds.map((p) => p.instance_id),
        ["textkit__textkit-42"],
      );
      for (const p of preds) assert.ok(p.model_patch === "" || p.model_patch.endsWith("\n"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
