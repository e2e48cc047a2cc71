/**
 * Trajectory-level facts (src/analyze/facts.ts): scratch files, source and
 * test edits, first/last source edit, test and script runs, and how a run
 * ended, on the project's examples, the shared data and synthetic runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { analyze, type ExitFamily, type Facts } from "../../src/analyze/facts.js";
import { endingOf } from "../../src/scaffolds/actions.js";
import { outsideRepo, repoPath, samePath } from "../../src/analyze/paths.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { HAS_SHARED, ROOT, collect, shared, sharedSuite } from "../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

/** The trajectory-level fields a test compares. */
function summary(f: Facts) {
  return {
    scratch: [...f.scratch].sort(),
    sourceEdits: f.sourceEdits,
    testEdits: f.testEdits,
    firstSourceEdit: f.firstSourceEdit,
    lastSourceEdit: f.lastSourceEdit,
    testRuns: f.testRuns,
    scriptRuns: f.scriptRuns,
    exit: f.exit,
  };
}

const cache = new Map<string, Trajectory[]>();
after(() => cache.clear());
async function load(file: string, line = 1): Promise<Trajectory> {
  if (!cache.has(file)) cache.set(file, (await collect([file])).trajectories);
  const t = cache.get(file)!.find((x) => (x.source.line ?? 1) === line);
  assert.ok(t, `${file}:${line}`);
  return t;
}

// ---------------------------------------------------------------------------------------------

describe("paths", () => {
  it("repoPath strips sandbox roots and ./, resolves against a directory, keeps outside paths", () => {
    const cases: [string, string | null, string][] = [
      ["/testbed/django/db/models/query.py", null, "django/db/models/query.py"],
      ["/workspace/django__django__3.0/django/forms/models.py", null, "django/forms/models.py"],
      ["/django__django/django/contrib/admin/helpers.py", null, "django/contrib/admin/helpers.py"],
      ["/ponylang__ponyc__0.1/src/libponyc/ast/parser.c", null, "src/libponyc/ast/parser.c"],
      ["./pkg/a.py", null, "pkg/a.py"],
      ["a.py", "/testbed/src", "src/a.py"],
      ["../setup.py", "/testbed/src", "setup.py"],
      ["/testbed", null, "."],
      ["/workspace/django__django__3.0", null, "."],
      // OpenHands writes its scripts next to the checkout: they stay outside it
      ["/workspace/reproduce.py", null, "/workspace/reproduce.py"],
      ["/tmp/fix.py", null, "/tmp/fix.py"],
      // absolute paths that need trimming, unquoting or normalising, and ones that do not
      ["/testbed/./a.py", null, "a.py"],
      ["/testbed//pkg/../a.py", null, "a.py"],
      ["/testbed/a.py ", null, "a.py"],
      ["/testbed/a.py'", null, "a.py"],
      ["/testbed/pkg/", null, "pkg/"],
      ["/testbed/.github/x.yml", null, ".github/x.yml"],
      ["/x/y", "/testbed", "/x/y"],
    ];
    for (const [p, cwd, want] of cases) assert.equal(repoPath(p, cwd), want, `${p} in ${cwd}`);
  });

  it("samePath matches a path with the prefix the other lacks; outsideRepo", () => {
    assert.ok(samePath("src/a.py", "a.py"));
    assert.ok(!samePath("src/a.py", "b/a.py"));
    assert.ok(
      outsideRepo("/usr/lib/python3.9/site-packages/x.py") &&
        outsideRepo("/etc/apt/sources.list") &&
        outsideRepo("/tmp/x"),
    );
    assert.ok(!outsideRepo("pkg/a.py"));
    // system folders only at the root; package folders anywhere, also in relative paths
    assert.ok(
      outsideRepo("/") &&
        outsideRepo("/usr") &&
        outsideRepo("venv/lib/site-packages/x.py") &&
        outsideRepo("/opt/conda/lib/dist-packages/y"),
    );
    assert.ok(
      !outsideRepo("/testbed/usr/a.py") &&
        !outsideRepo("/usrlocal/a.py") &&
        !outsideRepo("pkg/my-packages/a.py") &&
        !outsideRepo("tmp/x"),
    );
  });
});

describe("analyze: the project's examples", () => {
  const MINI = join(ROOT, "examples", "mini-swe-agent");
  const OH = join(ROOT, "examples", "openhands", "output.jsonl");

  it("run-a textkit-42: reproduction script deleted before submitting; one fix, tests after it", async () => {
    const f = analyze(await load(join(MINI, "run-a/textkit__textkit-42/textkit__textkit-42.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["patch.txt", "reproduce_slug.py"],
      sourceEdits: [4],
      testEdits: [],
      firstSourceEdit: 4,
      lastSourceEdit: 4,
      testRuns: [6],
      scriptRuns: [3, 5, 7],
      exit: "submitted",
    });
  });

  it("run-b textkit-42: rewrites the module with `cat > file <<EOF`, then edits the test's expectation", async () => {
    const f = analyze(await load(join(MINI, "run-b/textkit__textkit-42/textkit__textkit-42.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["patch.txt"],
      sourceEdits: [1],
      testEdits: [3],
      firstSourceEdit: 1,
      lastSourceEdit: 1,
      testRuns: [2, 4],
      scriptRuns: [],
      exit: "submitted",
    });
  });

  it("run-a pagerlite-17: four no-op sed edits then a heredoc edit; `git diff > patch.txt` is no source edit", async () => {
    const f = analyze(await load(join(MINI, "run-a/pagerlite__pagerlite-17/pagerlite__pagerlite-17.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["patch.txt"],
      sourceEdits: [2, 3, 4, 5, 7],
      testEdits: [],
      firstSourceEdit: 2,
      lastSourceEdit: 7,
      testRuns: [8],
      scriptRuns: [1, 2, 3, 4, 5, 7],
      exit: "submitted",
    });
  });

  it("run-b pagerlite-17: debug print (python heredoc) and a wrong sed fix; reproduce.py is scratch though submitted", async () => {
    const f = analyze(await load(join(MINI, "run-b/pagerlite__pagerlite-17/pagerlite__pagerlite-17.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["patch.txt", "reproduce.py"],
      sourceEdits: [2, 3],
      testEdits: [],
      firstSourceEdit: 2,
      lastSourceEdit: 3,
      testRuns: [2],
      scriptRuns: [1, 2, 4],
      exit: "submitted",
    });
    assert.deepEqual(f.steps[2].written, ["pagerlite/paginator.py"]);
  });

  it("run-a tinydates-9: edits with Python heredocs, a root-level check script, the step limit", async () => {
    const f = analyze(await load(join(MINI, "run-a/tinydates__tinydates-9/tinydates__tinydates-9.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["check_offsets.py"],
      sourceEdits: [2, 8, 9, 10],
      testEdits: [],
      firstSourceEdit: 2,
      lastSourceEdit: 10,
      testRuns: [4, 11],
      scriptRuns: [1, 3, 5, 6, 8, 9, 10, 11],
      exit: "step_limit",
    });
  });

  it("run-b tinydates-9: `cat > module <<'EOF'` is the one source edit; the script is removed", async () => {
    const f = analyze(await load(join(MINI, "run-b/tinydates__tinydates-9/tinydates__tinydates-9.traj.json")));
    assert.deepEqual(summary(f), {
      scratch: ["patch.txt", "reproduce_tz.py"],
      sourceEdits: [3],
      testEdits: [],
      firstSourceEdit: 3,
      lastSourceEdit: 3,
      testRuns: [4],
      scriptRuns: [2, 3],
      exit: "submitted",
    });
  });

  it("OpenHands line 1 textkit-42: editor create/str_replace, the script deleted at the end", async () => {
    const f = analyze(await load(OH, 1));
    assert.deepEqual(summary(f), {
      scratch: ["reproduce_issue.py"],
      sourceEdits: [4],
      testEdits: [],
      firstSourceEdit: 4,
      lastSourceEdit: 4,
      testRuns: [6],
      scriptRuns: [3, 5],
      exit: "submitted",
    });
  });

  it("OpenHands line 2 tinydates-9: max iterations is a step limit (not a time limit: 'RuntimeError')", async () => {
    const f = analyze(await load(OH, 2));
    assert.deepEqual(summary(f), {
      scratch: ["reproduce_tz.py"],
      sourceEdits: [5, 10],
      testEdits: [],
      firstSourceEdit: 5,
      lastSourceEdit: 10,
      testRuns: [12],
      scriptRuns: [3, 6, 9, 11, 13],
      exit: "step_limit",
    });
  });
});

sharedSuite("analyze: the shared data", (it) => {
  const LITE = "sweagent-gpt4-lite/results/swe-agent-results";
  const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs";
  const OHC =
    "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";

  it("SWE-agent cost_2_3/django-13401: replicate_issue.py (created, submitted) is scratch; the fix is step 16", async () => {
    const f = analyze(await load(shared(`${LITE}/cost_2_3/django__django-13401.traj`)));
    assert.deepEqual(summary(f), {
      scratch: ["replicate_issue.py"],
      sourceEdits: [16],
      testEdits: [],
      firstSourceEdit: 16,
      lastSourceEdit: 16,
      testRuns: [],
      scriptRuns: [2, 4, 6],
      exit: "submitted",
    });
  });

  it("SWE-agent cost_2_1/astropy-14365: the data file its reproduction wrote (test.qdp) is scratch", async () => {
    const f = analyze(await load(shared(`${LITE}/cost_2_1/astropy__astropy-14365.traj`)));
    assert.deepEqual(summary(f), {
      scratch: ["reproduce_bug.py", "test.qdp"],
      sourceEdits: [7],
      testEdits: [],
      firstSourceEdit: 7,
      lastSourceEdit: 7,
      testRuns: [],
      scriptRuns: [2, 8],
      exit: "submitted",
    });
    assert.deepEqual(f.written.get("test.qdp"), [2, 8]);
  });

  it("SWE-agent Java deepseek-chat-v2 jackson-databind-4159: a root-level Java file it compiled and ran is scratch", async () => {
    const f = analyze(
      await load(
        shared(
          "sweagent-java/evaluation/java/verified/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-databind-4159.traj",
        ),
      ),
    );
    assert.deepEqual([...f.scratch], ["EnumDeserializeTest.java"]);
    assert.deepEqual([f.firstSourceEdit, f.lastSourceEdit, f.testEdits], [7, 7, []]);
  });

  it("SWE-agent cost_2_3/sympy-17655: early_exit after a crashed edit; no source edit", async () => {
    const f = analyze(await load(shared(`${LITE}/cost_2_3/sympy__sympy-17655.traj`)));
    assert.equal(f.exit, "error");
    assert.deepEqual([f.sourceEdits, f.firstSourceEdit], [[], null]);
    assert.ok(f.steps[9].failedEdit);
  });

  it("mini-swe-agent deepseek pvlib-1606: only the run of fix_tools.py (37) edits source; 16 scratch scripts", async () => {
    const f = analyze(
      await load(
        shared(
          "minisweagent-deepseek/output/deepseek_chat_dev/pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json",
        ),
      ),
    );
    assert.deepEqual([f.sourceEdits, f.firstSourceEdit, f.lastSourceEdit, f.testEdits], [[37], 37, 37, []]);
    assert.deepEqual(f.testRuns, [42, 44]);
    assert.equal(f.scratch.size, 17);
    assert.ok(f.scratch.has("fix_tools.py") && f.scratch.has("pvlib/tools.py.backup") && f.scratch.has("patch.txt"));
    assert.ok(!f.scratch.has("pvlib/tools.py"));
  });

  it("mini-swe-agent gemini django-11099: two scratch scripts deleted at the end, one sed fix, Django's runner", async () => {
    const f = analyze(await load(shared(`${GEMINI}/django__django-11099/django__django-11099.traj.json`)));
    assert.deepEqual(summary(f), {
      scratch: ["reproduce_issue.py", "test_valid_usernames.py"],
      sourceEdits: [5],
      testEdits: [],
      firstSourceEdit: 5,
      lastSourceEdit: 5,
      testRuns: [18],
      scriptRuns: [4, 7, 9],
      exit: "submitted",
    });
  });

  it("mini-swe-agent gemini astropy-13033: refused responses run nothing and edit nothing", async () => {
    const f = analyze(await load(shared(`${GEMINI}/astropy__astropy-13033/astropy__astropy-13033.traj.json`)));
    assert.ok(!f.sourceEdits.includes(26) && !f.testEdits.includes(26) && !f.testEdits.includes(27));
    assert.ok(!f.scriptRuns.includes(26) && !f.scriptRuns.includes(27));
  });

  it("OpenHands django-11099: scripts in /workspace are scratch; the failed str_replace is no edit", async () => {
    const f = analyze(
      await load(shared(`${OHC}/django__django-11099/litellm_proxy__claude-3-5-sonnet-20241022-1733344284.03328.json`)),
    );
    assert.deepEqual(summary(f), {
      scratch: ["/workspace/test_username_validator.py"],
      sourceEdits: [8, 9],
      testEdits: [],
      firstSourceEdit: 8,
      lastSourceEdit: 9,
      testRuns: [],
      scriptRuns: [5, 6, 10, 14],
      exit: "submitted",
    });
  });

  it("OpenHands output.jsonl line 2: eleven refused or rejected str_replace calls, one applied edit", async () => {
    const f = analyze(
      await load(
        shared("openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl"),
        2,
      ),
    );
    assert.deepEqual([f.sourceEdits, f.firstSourceEdit, f.lastSourceEdit], [[29], 29, 29]);
  });

  it("Moatless pytest-7490 (gpt-4o 0617): failed and declined EditCode calls are no source edits", async () => {
    const f = analyze(
      await load(
        shared("moatless-lite/evaluations/20240617_moatless_gpt-4o-2024-05-13/trajs/pytest-dev__pytest-7490.json"),
      ),
    );
    assert.deepEqual([f.sourceEdits, f.exit], [[5], "submitted"]);
  });

  it("AutoCodeRover pytest-7490 (run 2): no patch could be applied, so nothing was edited", async () => {
    const f = analyze(
      await load(
        shared("acr-gpt4-lite/results/acr-run-2/raw_patch_but_unmatched/pytest-dev__pytest-7490_2024-04-04_14-54-03"),
      ),
    );
    assert.deepEqual([f.sourceEdits, f.firstSourceEdit, f.exit], [[], null, "error"]);
  });

  it("every exit status in the shared data has an ending", async () => {
    const statuses = new Map<string | null, ExitFamily>();
    for (const dir of [
      "sweagent-gpt4-lite",
      "sweagent-java",
      "acr-gpt4-lite",
      "moatless-lite",
      "minisweagent-deepseek",
      "minisweagent-gemini3pro",
      "openhands-codeact-claude35",
      "openhands-output-format-sample",
    ]) {
      for (const t of (await collect([shared(dir)])).trajectories) statuses.set(t.exit_status, endingOf(t));
    }
    const unknown = [...statuses].filter(([s, fam]) => fam === "unknown" && s !== null).map(([s]) => s);
    assert.deepEqual(unknown, []);
    assert.equal(statuses.get("submitted (exit_cost)"), "cost_limit");
  });
});

// ---------------------------------------------------------------------------------------------

function synth(commands: [string, string][], patch: string | null): Trajectory {
  return trajectory({
    turns: commands.map(([c, obs]) => bash(c, obs)),
    patch,
    closing: "Fixed: all tests pass.",
    instance: "pkg__pkg-1",
    task: "Fix it.",
  });
}
const ok = "<returncode>0</returncode>\n<output>\n</output>";
const diff = (path: string, isNew = false) =>
  `diff --git a/${path} b/${path}\n${isNew ? "new file mode 100644\n--- /dev/null" : `--- a/${path}`}\n+++ b/${path}\n${isNew ? "@@ -0,0 +1 @@\n" : "@@ -1 +1 @@\n-x = 1\n"}+x = 2\n`;

describe("analyze: scratch files and source edits (synthetic)", () => {
  it("a file written and read in the same step was created there (`cat > f <<EOF && python f`)", () => {
    const f = analyze(
      synth(
        [
          ["cat > check.py <<'EOF'\nimport pkg\nprint(pkg.f())\nEOF\npython check.py", ok],
          ["sed -i 's/1/2/' pkg/core.py", ok],
        ],
        diff("pkg/core.py"),
      ),
    );
    assert.deepEqual([[...f.scratch], f.sourceEdits], [["check.py"], [1]]);
  });

  it("a new module in the patch is source; a new test file is a test edit; scratch names are scratch even when submitted", () => {
    const patch = diff("pkg/helpers.py", true) + diff("tests/test_helpers.py", true) + diff("reproduce_bug.py", true);
    const f = analyze(
      synth(
        [
          ["cat > pkg/helpers.py <<'EOF'\nx = 2\nEOF", ok],
          ["cat > tests/test_helpers.py <<'EOF'\ndef test_x(): pass\nEOF", ok],
          ["cat > reproduce_bug.py <<'EOF'\nprint(1)\nEOF", ok],
        ],
        patch,
      ),
    );
    assert.deepEqual([[...f.scratch], f.sourceEdits, f.testEdits], [["reproduce_bug.py"], [0], [1]]);
  });

  it("data a run writes at the root is scratch even when submitted; a new template in the package is source", () => {
    const patch = diff("t.qdp", true) + diff("pkg/templates/page.html", true);
    const f = analyze(
      synth(
        [
          ["cat > pkg/templates/page.html <<'EOF'\n<p>x</p>\nEOF", ok],
          [`python -c "open('t.qdp', 'w').write('READ SERR 1')"`, ok],
        ],
        patch,
      ),
    );
    assert.deepEqual([[...f.scratch], f.sourceEdits], [["t.qdp"], [0]]);
    assert.deepEqual(f.steps[1].kinds, ["run"]);
  });

  it("files written outside the checkout, deleted later or left out of the patch are scratch", () => {
    const f = analyze(
      synth(
        [
          ["echo x > /tmp/notes.txt", ok],
          ["cat > tmp_check.py <<'EOF'\nprint(1)\nEOF", ok],
          ["echo 'print(1)' > helper_script.py && python helper_script.py && rm helper_script.py", ok],
          ["sed -i 's/1/2/' pkg/core.py", ok],
        ],
        diff("pkg/core.py"),
      ),
    );
    assert.deepEqual([...f.scratch].sort(), ["/tmp/notes.txt", "helper_script.py", "tmp_check.py"]);
    assert.deepEqual(f.sourceEdits, [3]);
  });

  it("an existing file read earlier and then edited is not scratch even when the edit is reverted", () => {
    const f = analyze(
      synth(
        [
          ["cat pkg/core.py", ok],
          ["sed -i 's/1/2/' pkg/core.py", ok],
          ["git checkout pkg/core.py", ok],
        ],
        null,
      ),
    );
    assert.deepEqual([[...f.scratch], f.sourceEdits], [[], [1]]);
  });

  it("patch files no step was seen writing go to the run that names them, not to the step writing the script", () => {
    const f = analyze(
      synth(
        [
          ["cat > apply.sh <<'EOF'\nsed -i 's/1/2/' pkg/core.py\nEOF", ok],
          ["bash apply.sh pkg/core.py", ok],
        ],
        diff("pkg/core.py"),
      ),
    );
    assert.deepEqual(f.written.get("pkg/core.py"), [1]);
    assert.deepEqual(f.sourceEdits, [1]);
  });

  it("failed edits are neither source nor test edits", () => {
    const f = analyze(
      synth([["sed -i 's/1/2/' pkg/core.py", "Your proposed edit has introduced new syntax error(s)."]], null),
    );
    assert.deepEqual([f.sourceEdits, f.firstSourceEdit, f.lastSourceEdit], [[], null, null]);
  });

  it("viewed files, the final message", () => {
    const f = analyze(
      synth(
        [
          ["grep -n def pkg/core.py", ok],
          ["cat setup.py", ok],
        ],
        null,
      ),
    );
    assert.deepEqual([...f.viewed], ["pkg/core.py", "setup.py"]);
    assert.equal(f.finalMessage, "Fixed: all tests pass.");
  });
});
