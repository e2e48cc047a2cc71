/**
 * The outcome model's features (src/outcome/features.ts, src/outcome/text.ts) on small synthetic
 * trajectories in mini-swe-agent 1.1's shape (bash tool calls, <returncode> observations).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../../src/analyze/facts.js";
import { FEATURE_GROUPS, FEATURE_GROUP_OF, FEATURE_NAMES, closingText, features } from "../../src/outcome/features.js";
import { addedDefinitions, hunkScopes, namesFile, taskNames, trivialLine } from "../../src/outcome/text.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";

interface Act {
  cmd: string;
  out?: string;
  rc?: number;
  thought?: string;
}

let seq = 0;

function synth(task: string, acts: Act[], patch: string | null, closing?: string, exit = "Submitted"): Trajectory {
  seq++;
  const turns = acts.map((a, i) =>
    bash(
      a.cmd,
      `<returncode>${a.rc ?? 0}</returncode>\n<output>\n${a.out ?? ""}\n</output>`,
      a.thought ?? `THOUGHT: step ${i}`,
    ),
  );
  return trajectory({ task, turns, patch, closing, exit, seed: `outcome-${seq}`, instance: `synthetic__case-${seq}` });
}

function modify(path: string, removed: string[], added: string[], scope = "def parse_value(text):"): string {
  return [
    `diff --git a/${path} b/${path}`,
    "index 1111111..2222222 100644",
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -10,${1 + removed.length} +10,${1 + added.length} @@ ${scope}`,
    "     value = text.strip()",
    ...removed.map((l) => "-" + l),
    ...added.map((l) => "+" + l),
    "",
  ].join("\n");
}

function create(path: string, lines: string[]): string {
  return [
    `diff --git a/${path} b/${path}`,
    "new file mode 100644",
    "index 0000000..3333333",
    "--- /dev/null",
    `+++ b/${path}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => "+" + l),
    "",
  ].join("\n");
}

function feats(t: Trajectory): Record<string, number> {
  const x = features(t, analyze(t));
  assert.equal(x.length, FEATURE_NAMES.length);
  assert.ok(x.every(Number.isFinite), "every feature is a finite number");
  return Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, x[j]]));
}

const TASK = "parse_value crashes on empty input\n\nCalling `parse_value('')` in pkg/core.py raises IndexError.";
const FIX = modify("pkg/core.py", ["    return value[0]"], ["    return value[0] if value else None"]);
const FAILING =
  'Traceback (most recent call last):\n  File "repro.py", line 2, in <module>\nIndexError: string index out of range';

describe("outcome features", () => {
  it("names every feature once and gives each a group", () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    assert.equal(FEATURE_GROUP_OF.length, FEATURE_NAMES.length);
    assert.deepEqual([...new Set(FEATURE_GROUP_OF)], FEATURE_GROUPS);
  });

  it("verify: the reproduction failed before the edit and passed after it", () => {
    const acts: Act[] = [
      { cmd: "cat pkg/core.py", out: "def parse_value(text):\n    value = text.strip()\n    return value[0]" },
      { cmd: "python repro.py", out: FAILING, rc: 1 },
      { cmd: "sed -i 's/return value\\[0\\]/return value[0] if value else None/' pkg/core.py" },
      { cmd: "python repro.py", out: "None" },
    ];
    const fixed = feats(synth(TASK, acts, FIX, "I fixed the issue: parse_value now returns None for empty input."));
    assert.equal(fixed.ran_after_edit, 1);
    assert.equal(fixed.fail_to_pass, 1);
    assert.equal(fixed.last_run_after_edit_passed, 1);
    assert.equal(fixed.last_run_after_edit_failed, 0);
    assert.equal(fixed.claims_success, 1);
    assert.equal(fixed.admits_failure, 0);

    const still = feats(
      synth(
        TASK,
        [...acts.slice(0, 3), { cmd: "python repro.py", out: FAILING, rc: 1 }],
        FIX,
        "Unfortunately I could not make the reproduction pass.",
      ),
    );
    assert.equal(still.fail_to_pass, 0);
    assert.equal(still.last_run_after_edit_passed, 0);
    assert.equal(still.last_run_after_edit_failed, 1);
    assert.equal(still.admits_failure, 1);

    const blind = feats(synth(TASK, [acts[0], acts[2]], FIX));
    assert.equal(blind.ran_after_edit, 0);
    assert.equal(blind.last_run_after_edit_failed, 0);
    const tested = feats(
      synth(
        TASK,
        [...acts.slice(0, 3), { cmd: "python -m pytest tests/test_core.py", out: "===== 3 passed in 0.12s =====" }],
        FIX,
      ),
    );
    assert.equal(tested.tests_after_edit_ok, 1);
  });

  it("align: a patch to the file and function the task names, or elsewhere", () => {
    const edit: Act[] = [{ cmd: "sed -i 's/a/b/' pkg/core.py" }];
    const here = feats(synth(TASK, edit, FIX));
    assert.equal(here.task_names_patch_file, 1);
    assert.equal(here.patch_files_named_share, 1);
    assert.equal(here.hunk_scope_named, 1);
    const named = feats(
      synth(
        TASK,
        edit,
        modify(
          "pkg/core.py",
          ["    return value[0]"],
          ["    if not value:", "        raise IndexError('empty input')"],
        ),
      ),
    );
    assert.ok(
      named.changed_ids_named_share > here.changed_ids_named_share,
      "IndexError, empty and input are in the task",
    );
    const elsewhere = feats(
      synth(
        TASK,
        [{ cmd: "sed -i 's/a/b/' lib/other.py" }],
        modify("lib/other.py", ["    x = 1"], ["    x = 2"], "def unrelated():"),
      ),
    );
    assert.equal(elsewhere.task_names_patch_file, 0);
    assert.equal(elsewhere.hunk_scope_named, 0);
  });

  it("patch: comment-only changes, scratch files left at the root, test-only patches, the removed-line share", () => {
    const comment = feats(
      synth(
        TASK,
        [{ cmd: "sed -i 's/a/b/' pkg/core.py" }],
        modify("pkg/core.py", [], ["    # TODO: handle empty input"]),
      ),
    );
    assert.equal(comment.patch_trivial_share, 1);
    assert.equal(comment.patch_removed_share, 0);
    const fix = feats(synth(TASK, [{ cmd: "sed -i 's/a/b/' pkg/core.py" }], FIX));
    assert.equal(fix.patch_trivial_share, 0);
    assert.equal(fix.patch_removed_share, 0.5);
    assert.equal(fix.has_patch, 1);
    const left = feats(
      synth(TASK, [{ cmd: "sed -i 's/a/b/' pkg/core.py" }], FIX + create("reproduce.py", ["print(1)"])),
    );
    assert.equal(left.patch_root_new_files, 1);
    const tests = feats(
      synth(
        TASK,
        [{ cmd: "sed -i 's/a/b/' tests/test_core.py" }],
        create("tests/test_core.py", ["def test_empty():", "    assert parse_value('') is None"]),
      ),
    );
    assert.equal(tests.patch_only_tests, 1);
    assert.equal(tests.patch_tests_added, 1);
    const none = feats(synth(TASK, [{ cmd: "ls" }], null, undefined, "LimitsExceeded"));
    assert.equal(none.has_patch, 0);
    assert.equal(none.exit_limit, 1);
    assert.equal(none.exit_submitted, 0);
  });

  it("effort: hesitation in late thoughts and searches that found nothing", () => {
    const calm = feats(
      synth(
        TASK,
        [
          { cmd: "grep -rn parse_value pkg", out: "pkg/core.py:10:def parse_value(text):" },
          { cmd: "sed -i 's/a/b/' pkg/core.py" },
        ],
        FIX,
      ),
    );
    const lost = feats(
      synth(
        TASK,
        [
          {
            cmd: "grep -rn parse_values pkg",
            out: "",
            rc: 1,
            thought: "Hmm, that is strange. However the function should be here.",
          },
          { cmd: "sed -i 's/a/b/' pkg/core.py", thought: "Wait, this still seems wrong, but actually let me try." },
        ],
        FIX,
      ),
    );
    assert.ok(lost.hedges_late > calm.hedges_late);
    assert.ok(lost.hedges_per_message > calm.hedges_per_message);
    assert.equal(calm.searches_log, Math.log1p(1));
  });
});

describe("task text and patch reading", () => {
  it("finds files, modules and identifiers the task names", () => {
    const n = taskNames(
      'In `django.db.models.fields`, Field.__eq__ ignores the model.\n```\nFile "/usr/lib/python3/site-packages/astropy/io/fits/card.py", line 3, in _parse\n```\nSee utils.py and MyClassName.',
    );
    assert.ok(namesFile(n, "django/db/models/fields/__init__.py"), "module path names the package's __init__");
    assert.ok(namesFile(n, "astropy/io/fits/card.py"), "a traceback path through site-packages");
    assert.ok(!namesFile(n, "astropy/io/fits/header.py"));
    assert.ok(!namesFile(n, "other/utils.py"), "a common file name alone is no evidence");
    assert.ok(n.identifiers.has("MyClassName") && n.identifiers.has("_parse") && n.identifiers.has("__eq__"));
    assert.ok(!n.identifiers.has("the"));
  });

  it("reads hunk scopes, comment lines and added definitions", () => {
    assert.deepEqual(
      hunkScopes("@@ -1,2 +1,3 @@ class Card:\n x\n@@ -9,2 +9,3 @@     def _parse(self, text):\n y\n@@ -20 +20 @@\n"),
      ["Card", "_parse"],
    );
    assert.ok(trivialLine("   # a comment") && trivialLine("") && trivialLine('"""') && !trivialLine("x = 1  # set"));
    assert.deepEqual(
      addedDefinitions(["def test_empty():", "    class Inner:", "x = 1", "    public void testParse() {"]),
      ["test_empty", "Inner", "testParse"],
    );
  });
});

describe("closing text", () => {
  it("reads the last step's text arguments (Moatless finish(reason)) besides the last assistant text", () => {
    const t = trajectory({
      format: "moatless",
      task: TASK,
      instance: "synthetic__closing-1",
      turns: [
        { thought: "The relevant code is parse_value in pkg/core.py.", calls: [{ tool: "identify" }], obs: "" },
        {
          calls: [
            { tool: "finish", args: { reason: "The issue has been resolved by returning None for empty input." } },
          ],
          obs: "",
        },
      ],
      patch: FIX,
      exit: "finished",
    });
    const f = analyze(t);
    assert.match(closingText({ t, f }), /has been resolved/);
    assert.equal(feats(t).claims_success, 1);
  });
});
