/**
 * Observations (src/analyze/observe.ts): exit codes, test-run summaries and
 * error markers, on output snippets written for these tests (in the formats
 * the tools print) and on real observations from the shared data.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { observe, testSummary, type ErrorMark, type Observed, type TestSummary } from "../../src/analyze/observe.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { HAS_SHARED, collect, shared, sharedSuite } from "../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

function tests(text: string): Omit<TestSummary, "ok"> & { ok: boolean } {
  const s = observe(text).tests;
  assert.ok(s, `no test summary in ${JSON.stringify(text.slice(0, 200))}`);
  return s;
}

/** What an observation says, as plain data (`tests` is a getter: parsed on first read). */
function plain(o: Observed): Observed {
  return { exitCode: o.exitCode, tests: o.tests, marks: o.marks, missing: o.missing };
}

function marks(text: string): ErrorMark[] {
  return observe(text).marks;
}

describe("observe: exit codes", () => {
  it("mini-swe-agent <returncode>, also after an <exception> block", () => {
    assert.equal(observe("<returncode>0</returncode>\n<output>\nok\n</output>").exitCode, 0);
    const timedOut = observe(
      "<exception>An error occurred while executing the command: Command '['bash', '-c', 'pip install -e .']' timed out after 60 seconds</exception>\n<returncode>-1</returncode>\n<output>\n</output>",
    );
    assert.equal(timedOut.exitCode, -1);
    assert.deepEqual(timedOut.marks, ["nonzero_exit", "timeout"]);
  });

  it("OpenHands: both exit-code footers", () => {
    assert.equal(observe("total 0\n[The command completed with exit code 2.]").exitCode, 2);
    assert.equal(observe("root@openhands-workspace:/workspace/x # \n[Command finished with exit code 1]").exitCode, 1);
  });

  it("no exit code in SWE-agent output; empty and null observations", () => {
    assert.deepEqual(plain(observe('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: x')), {
      exitCode: null,
      tests: null,
      marks: ["traceback"],
      missing: [],
    });
    assert.deepEqual(plain(observe("")), { exitCode: null, tests: null, marks: [], missing: [] });
    assert.deepEqual(plain(observe(null)), { exitCode: null, tests: null, marks: [], missing: [] });
  });

  it("finds a literal after near misses of the part it is looked up from", () => {
    // "exit code" is looked up from "xit code", "not found" from "found", "Ran " needs a digit
    assert.equal(observe("Exit code 3, xit code\n[The command completed with exit code 2.]").exitCode, 2);
    assert.deepEqual(observe("found it; File src/a.py not found").missing, ["src/a.py"]);
    // its JSON is the plain data, the test summary included
    assert.deepEqual(JSON.parse(JSON.stringify(observe("===== 2 passed in 0.1s ====="))), {
      exitCode: null,
      tests: { framework: "pytest", passed: 2, failed: 0, errors: 0, skipped: 0, ok: true },
      marks: [],
      missing: [],
    });
    assert.equal(testSummary("Ran away\nRan 3 tests in 0.1s\n\nOK")?.passed, 3);
  });

  it("parses the test summary when first read; it serializes and can be replaced", () => {
    const o = observe("===== 2 passed in 0.1s =====");
    assert.equal(JSON.parse(JSON.stringify(o)).tests.passed, 2);
    assert.equal(o.tests, o.tests);
    o.tests = null;
    assert.equal(o.tests, null);
  });

  it("a nonzero exit code is marked", () => {
    assert.deepEqual(marks("<returncode>1</returncode>\n<output>\n</output>"), ["nonzero_exit"]);
    assert.deepEqual(marks("<returncode>0</returncode>\n<output>\n</output>"), []);
  });
});

describe("observe: test summaries", () => {
  it("pytest banner: counts, ok only without failures or errors", () => {
    assert.deepEqual(
      tests(
        "tests/test_a.py ..F.                         [100%]\n\n=================== 1 failed, 3 passed, 1 skipped in 0.52s ===================\n",
      ),
      {
        framework: "pytest",
        passed: 3,
        failed: 1,
        errors: 0,
        skipped: 1,
        ok: false,
      },
    );
    assert.deepEqual(tests("============================== 6 passed in 0.02s ===============================\n"), {
      framework: "pytest",
      passed: 6,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: true,
    });
    assert.deepEqual(tests("==================== 10 passed, 2 warnings, 1 error in 1.10s ====================="), {
      framework: "pytest",
      passed: 10,
      failed: 0,
      errors: 1,
      skipped: 0,
      ok: false,
    });
  });

  it("pytest < 5 ('in 0.12 seconds'), deselected, and the last banner wins", () => {
    assert.deepEqual(tests("===== 2 passed, 5 deselected in 0.12 seconds ====="), {
      framework: "pytest",
      passed: 2,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: true,
    });
    const two = "==== 1 failed in 0.1s ====\nfixing...\n==== 2 passed in 0.1s ====\n";
    assert.equal(tests(two).ok, true);
  });

  it("pytest: only expected failures is a pass; nothing collected is not", () => {
    assert.deepEqual(tests("======================== 1 xfailed in 0.05s ========================="), {
      framework: "pytest",
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: true,
    });
    assert.deepEqual(tests("============================ no tests ran in 0.01s ============================="), {
      framework: "pytest",
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: false,
    });
  });

  it("pytest -q short summary without the banner", () => {
    assert.deepEqual(tests("....\n4 passed in 0.03s\n"), {
      framework: "pytest",
      passed: 4,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: true,
    });
    assert.deepEqual(tests("F.\n1 failed, 1 passed in 0.05s\n"), {
      framework: "pytest",
      passed: 1,
      failed: 1,
      errors: 0,
      skipped: 0,
      ok: false,
    });
  });

  it("unittest / Django runner: Ran N tests, OK or FAILED (...)", () => {
    assert.deepEqual(
      tests(
        "......\n----------------------------------------------------------------------\nRan 6 tests in 0.004s\n\nOK\n",
      ),
      {
        framework: "unittest",
        passed: 6,
        failed: 0,
        errors: 0,
        skipped: 0,
        ok: true,
      },
    );
    assert.deepEqual(
      tests(
        "Ran 12 tests in 0.300s\n\nFAILED (failures=1, errors=2, skipped=3)\nDestroying test database for alias 'default'...",
      ),
      {
        framework: "unittest",
        passed: 6,
        failed: 1,
        errors: 2,
        skipped: 3,
        ok: false,
      },
    );
    assert.deepEqual(tests("Ran 1 test in 0.000s\n\nOK (skipped=1)"), {
      framework: "unittest",
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 1,
      ok: false,
    });
  });

  it("sympy bin/test, also when the summary wraps (before pytest: the banners look alike)", () => {
    assert.deepEqual(
      tests(
        "sympy/sets/tests/test_contains.py[6] ......  [OK]\n\n================== tests finished: 6 passed, in 0.03 seconds ===================",
      ),
      {
        framework: "sympy",
        passed: 6,
        failed: 0,
        errors: 0,
        skipped: 0,
        ok: true,
      },
    );
    assert.deepEqual(
      tests(
        "=========== tests finished: 5 passed, 1 failed, 2 skipped, 1 exceptions, in 0.40 seconds ============\nDO *NOT* COMMIT!",
      ),
      {
        framework: "sympy",
        passed: 5,
        failed: 1,
        errors: 1,
        skipped: 2,
        ok: false,
      },
    );
    assert.deepEqual(
      tests(
        " tests finished: 212 passed, 6 expected to fail, 1 expected to fail but passed, \n1 exceptions, in 5.78 seconds \nDO *NOT* COMMIT!",
      ),
      {
        framework: "sympy",
        passed: 212,
        failed: 0,
        errors: 1,
        skipped: 0,
        ok: false,
      },
    );
  });

  it("Maven Surefire: the last (total) line; BUILD FAILURE is never ok", () => {
    const out = [
      "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.1 s - in a.ATest",
      "[INFO] Results:",
      "[ERROR] Tests run: 10, Failures: 1, Errors: 0, Skipped: 2",
      "[INFO] BUILD FAILURE",
    ].join("\n");
    assert.deepEqual(tests(out), { framework: "junit", passed: 7, failed: 1, errors: 0, skipped: 2, ok: false });
    assert.equal(tests("[INFO] Tests run: 4, Failures: 0, Errors: 0, Skipped: 0\n[INFO] BUILD SUCCESS").ok, true);
  });

  it("Gradle's failure count", () => {
    assert.deepEqual(
      tests(
        "CustomJsonNodeTest > testX FAILED\n\n5 tests completed, 1 failed, 1 skipped\n\nFAILURE: Build failed with an exception.",
      ),
      {
        framework: "gradle",
        passed: 3,
        failed: 1,
        errors: 0,
        skipped: 1,
        ok: false,
      },
    );
  });

  it("go test", () => {
    assert.deepEqual(
      tests("--- FAIL: TestParse (0.00s)\nFAIL\nFAIL\texample.com/p\t0.012s\nok  \texample.com/q\t0.020s\n"),
      {
        framework: "go",
        passed: 1,
        failed: 2,
        errors: 0,
        skipped: 0,
        ok: false,
      },
    );
  });

  it("no summary in ordinary output", () => {
    assert.equal(observe("Checking for errors in the config...\nall good").tests, null);
    assert.equal(testSummary("nothing to see"), null);
    assert.equal(testSummary("==== 2 passed in 0.1s ====")?.passed, 2);
  });
});

describe("observe: error markers", () => {
  it("tracebacks, syntax errors and missing commands", () => {
    assert.deepEqual(marks('Traceback (most recent call last):\n  File "r.py", line 3, in <module>\nImportError: x'), [
      "traceback",
    ]);
    assert.deepEqual(
      marks(
        '  File "t.py", line 19\n    print(f"{}")\n          ^\nSyntaxError: f-string: empty expression not allowed',
      ),
      ["syntax_error"],
    );
    assert.deepEqual(marks("IndentationError: unexpected indent"), ["syntax_error"]);
    assert.deepEqual(marks("/bin/bash: line 14541: mvn: command not found"), ["command_not_found"]);
    assert.deepEqual(marks("sh: 1: ponyc: not found"), ["command_not_found"]);
  });

  it("missing paths from cat/ls/python/cd messages, SWE-agent and OpenHands", () => {
    const cases: [string, string[]][] = [
      ["cat: foo.py: No such file or directory", ["foo.py"]],
      ["ls: cannot access 'src/lib': No such file or directory", ["src/lib"]],
      [
        "python: can't open file '/testbed/reproduce_issue_strict.py': [Errno 2] No such file or directory",
        ["/testbed/reproduce_issue_strict.py"],
      ],
      ["/bin/bash: line 11077: ./gradlew: No such file or directory", ["./gradlew"]],
      ["File /django__django/django/db/models/fields.py not found", ["/django__django/django/db/models/fields.py"]],
      ["Directory jib-gradle-plugin/src not found", ["jib-gradle-plugin/src"]],
      ["ERROR:\nThe path /workspace/x/y.py does not exist. Please provide a valid path.", ["/workspace/x/y.py"]],
      ["Could not find file astropy/foo.py in the codebase.", ["astropy/foo.py"]],
      ["FileNotFoundError: [Errno 2] No such file or directory: 'data/t.qdp'", ["data/t.qdp"]],
    ];
    for (const [text, missing] of cases) {
      const o = observe(text);
      assert.deepEqual(o.missing, missing, text);
      assert.ok(o.marks.includes("missing_path"), text);
    }
  });

  it("scaffold format errors", () => {
    for (const text of [
      "Please always provide EXACTLY ONE action in triple backticks, found 2 actions.",
      "Your output was not formatted correctly. You must always include one discussion and one command",
      "ERROR:\nParameter `old_str` is required for command: str_replace.",
      "The search API calls seem not valid. Please check the arguments you give carefully and try again.",
    ])
      assert.deepEqual(marks(text), ["format_error"], text);
  });

  it("rejected edits", () => {
    for (const text of [
      "Your proposed edit has introduced new syntax error(s). Please understand the fixes and retry your edit commmand.",
      "ERROR:\nNo replacement was performed, old_str `x = 1` did not appear verbatim in /workspace/a.py.",
      "Your edit could not be applied to the program. None of the edits can match the original program.",
      "The following diff was not applied:\n --- a.py\n+++ a.py",
      "The code in the search tag is the same as the code in the replace tag",
    ])
      assert.ok(marks(text).includes("edit_rejected"), text);
  });

  it("timeouts", () => {
    for (const text of [
      "\nEXECUTION TIMED OUT",
      "The last command <command>sleep 999</command> timed out and has been killed.",
      "Command timed out. Sending SIGINT to the process",
      "subprocess.TimeoutExpired: Command 'x' timed out after 30 seconds",
    ]) {
      assert.ok(marks(text).includes("timeout"), text);
    }
    assert.ok(!marks("The request timed out on their server, as the issue describes").includes("timeout"));
  });

  it("scaffold messages are looked for only at the ends of long output", () => {
    const body = "x\n".repeat(5000);
    assert.deepEqual(marks(body + "Please always provide EXACTLY ONE action in triple backticks"), ["format_error"]);
    assert.deepEqual(marks(body + "Please always provide EXACTLY ONE action in triple backticks" + body), []);
  });

  it("huge output: the head and the tail are scanned", () => {
    const big = "=== 1 failed in 0.1s ===\n" + "y\n".repeat(100_000) + "==== 3 passed in 0.2s ====\n";
    assert.deepEqual(observe(big).tests, {
      framework: "pytest",
      passed: 3,
      failed: 0,
      errors: 0,
      skipped: 0,
      ok: true,
    });
  });
});

/** Real observations: each case names the file and step and what the observation says. */
sharedSuite("observe: real observations from the shared data", (it) => {
  const cache = new Map<string, Trajectory[]>();
  after(() => cache.clear());
  async function step(rel: string, index: number, line = 1): Promise<string | null> {
    if (!cache.has(rel)) cache.set(rel, (await collect([shared(rel)])).trajectories);
    const t = cache.get(rel)!.find((x) => (x.source.line ?? 1) === line)!;
    return t.steps[index].observation;
  }
  const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs";
  const DEEPSEEK = "minisweagent-deepseek/output";
  const OH =
    "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";
  const OH_SAMPLE = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl";

  it("gemini django-11099 #18: `python3 ./tests/runtests.py auth_tests.test_validators` ran 22 tests, OK", async () => {
    const o = observe(await step(`${GEMINI}/django__django-11099/django__django-11099.traj.json`, 18));
    assert.equal(o.exitCode, 0);
    assert.deepEqual(o.tests, { framework: "unittest", passed: 22, failed: 0, errors: 0, skipped: 0, ok: true });
  });

  it("gemini sympy-23950 #23: bin/test 5 passed, 1 exceptions (a failure, despite the pytest-like banner)", async () => {
    const o = observe(await step(`${GEMINI}/sympy__sympy-23950/sympy__sympy-23950.traj.json`, 23));
    assert.equal(o.exitCode, 1);
    assert.deepEqual(o.tests, { framework: "sympy", passed: 5, failed: 0, errors: 1, skipped: 0, ok: false });
    assert.ok(o.marks.includes("traceback"));
  });

  it("gemini sympy-23950 #25: a bin/test summary wrapped over two lines", async () => {
    const o = observe(await step(`${GEMINI}/sympy__sympy-23950/sympy__sympy-23950.traj.json`, 25));
    assert.deepEqual(o.tests, { framework: "sympy", passed: 212, failed: 0, errors: 1, skipped: 0, ok: false });
  });

  it("gemini astropy-12907 #9: pytest, 11 passed", async () => {
    const o = observe(await step(`${GEMINI}/astropy__astropy-12907/astropy__astropy-12907.traj.json`, 9));
    assert.deepEqual(o.tests?.framework, "pytest");
    assert.deepEqual([o.tests?.passed, o.tests?.ok], [11, true]);
  });

  it("gemini django-16136 #18: python cannot open the script (missing path, exit 2)", async () => {
    const o = observe(await step(`${GEMINI}/django__django-16136/django__django-16136.traj.json`, 18));
    assert.deepEqual(plain(o), {
      exitCode: 2,
      tests: null,
      marks: ["nonzero_exit", "missing_path"],
      missing: ["/testbed/reproduce_issue_strict.py"],
    });
  });

  it("gemini astropy-13033 #26: several actions in one response is a format error", async () => {
    const o = observe(await step(`${GEMINI}/astropy__astropy-13033/astropy__astropy-13033.traj.json`, 26));
    assert.deepEqual(o.marks, ["format_error"]);
  });

  it("deepseek astropy-14995 #6: `pip install -e . -q` timed out (<exception>, returncode -1)", async () => {
    const o = observe(
      await step(`${DEEPSEEK}/deepseek_chat_test_1-100/astropy__astropy-14995/astropy__astropy-14995.traj.json`, 6),
    );
    assert.equal(o.exitCode, -1);
    assert.deepEqual(o.marks, ["nonzero_exit", "timeout"]);
  });

  it("deepseek astroid-1866 #71: pytest 319 passed, 57 skipped, 1093 deselected, 3 xfailed", async () => {
    const o = observe(
      await step(`${DEEPSEEK}/deepseek_chat_dev/pylint-dev__astroid-1866/pylint-dev__astroid-1866.traj.json`, 71),
    );
    assert.deepEqual(o.tests, { framework: "pytest", passed: 319, failed: 0, errors: 0, skipped: 57, ok: true });
  });

  it("deepseek pydicom-1139 (rerun) #30: unittest Ran 1 test, FAILED (errors=1) after an import error", async () => {
    const o = observe(
      await step(`${DEEPSEEK}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`, 30),
    );
    assert.deepEqual(o.tests, { framework: "unittest", passed: 0, failed: 0, errors: 1, skipped: 0, ok: false });
    assert.ok(o.marks.includes("traceback"));
  });

  it("deepseek sqlfluff-1733 (lite_dev) #5: sqlfluff: command not found, exit 127", async () => {
    const o = observe(
      await step(`${DEEPSEEK}/deepseek_lite_dev/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`, 5),
    );
    assert.deepEqual(plain(o), {
      exitCode: 127,
      tests: null,
      marks: ["nonzero_exit", "command_not_found"],
      missing: [],
    });
  });

  it("OpenHands astropy-12907 #0: '[Command finished with exit code 0]'", async () => {
    const o = observe(
      await step(`${OH}/astropy__astropy-12907/litellm_proxy__claude-3-5-sonnet-20241022-1733339462.430701.json`, 0),
    );
    assert.equal(o.exitCode, 0);
  });

  it("OpenHands output.jsonl line 2 #1: `ls src/lib` cannot access, exit 2", async () => {
    const o = observe(await step(OH_SAMPLE, 1, 2));
    assert.deepEqual(plain(o), {
      exitCode: 2,
      tests: null,
      marks: ["nonzero_exit", "missing_path"],
      missing: ["src/lib"],
    });
  });

  it("OpenHands output.jsonl line 2 #18: str_replace without old_str is a format error", async () => {
    assert.deepEqual(marks((await step(OH_SAMPLE, 18, 2))!), ["format_error"]);
  });

  it("OpenHands output.jsonl line 1 #11: old_str did not appear verbatim", async () => {
    assert.deepEqual(marks((await step(OH_SAMPLE, 11, 1))!), ["edit_rejected"]);
  });

  it("SWE-agent pydicom-1458 #5: the linter rejected the edit", async () => {
    const o = observe(
      await step(
        "sweagent-format-samples/tests/test_data/trajectories/gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1/pydicom__pydicom-1458.traj",
        5,
      ),
    );
    assert.ok(o.marks.includes("edit_rejected"));
    assert.equal(o.exitCode, null);
  });

  it("SWE-agent cost_2_3/django-13401 #9: opening a file that does not exist", async () => {
    const o = observe(await step("sweagent-gpt4-lite/results/swe-agent-results/cost_2_3/django__django-13401.traj", 9));
    assert.deepEqual(o.missing, ["/django__django/django/db/models/fields.py"]);
  });

  it("SWE-agent Java doubao jackson-databind-4050 #5: EXECUTION TIMED OUT", async () => {
    const o = observe(
      await step(
        "sweagent-java/evaluation/java/verified/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4050.traj",
        5,
      ),
    );
    assert.deepEqual(o.marks, ["timeout"]);
  });

  it("SWE-agent Java deepseek-chat-v2 jackson-core-891 #6: `mvn test` but mvn is not installed", async () => {
    const o = observe(
      await step(
        "sweagent-java/evaluation/java/verified/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-core-891.traj",
        6,
      ),
    );
    assert.deepEqual(plain(o), { exitCode: null, tests: null, marks: ["command_not_found"], missing: [] });
  });

  it("AutoCodeRover astropy-14365 (run 1) #3: invalid search API calls", async () => {
    assert.deepEqual(
      marks(
        (await step("acr-gpt4-lite/results/acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09", 3))!,
      ),
      ["format_error"],
    );
  });

  it("AutoCodeRover pytest-7490 (run 2) #5: the patch could not be applied", async () => {
    assert.ok(
      marks(
        (await step(
          "acr-gpt4-lite/results/acr-run-2/raw_patch_but_unmatched/pytest-dev__pytest-7490_2024-04-04_14-54-03",
          5,
        ))!,
      ).includes("edit_rejected"),
    );
  });

  it("Moatless django-16816 (gpt-4o 0617) #12: the diff was not applied", async () => {
    assert.ok(
      marks(
        (await step(
          "moatless-lite/evaluations/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16816.json",
          12,
        ))!,
      ).includes("edit_rejected"),
    );
  });
});
