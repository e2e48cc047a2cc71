/**
 * What a run step exercised (src/analyze/runs.ts) and the testing checks built on it, on small
 * synthetic trajectories (mini-swe-agent shape), one per pattern the hand-labelled sample showed:
 * probes, start-up failures, pytest missing or crashing, mocks, a script loading the project's file
 * by path, output that still shows the reported error, a test the agent weakened during the run.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../../src/analyze/facts.js";
import { notExercised, probeCode, projectOf, startupFailure } from "../../src/analyze/runs.js";
import { CHECKS, type CheckResult } from "../../src/checks/index.js";
import { successClaim } from "../../src/checks/testing.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, miniOut, trajectory } from "../build.js";

interface Act {
  cmd: string;
  out?: string;
  rc?: number;
}

const SRC_FIX = [
  "diff --git a/pkg/core.py b/pkg/core.py",
  "index 1111111..2222222 100644",
  "--- a/pkg/core.py",
  "+++ b/pkg/core.py",
  "@@ -1,2 +1,2 @@",
  " def f():",
  "-    return a - b",
  "+    return a + b",
  "",
].join("\n");

const VIEW: Act = { cmd: "cat pkg/core.py", out: "def f():\n    return a - b" };
const EDIT: Act = { cmd: "sed -i 's/a - b/a + b/' pkg/core.py" };
const TASK =
  "f() returns the wrong sign.\n\nTraceback (most recent call last):\nValueError: wrong sign for inputs 1 and 2\n";

let seq = 0;
function synth(acts: Act[], closing?: string): Trajectory {
  seq++;
  return trajectory({
    turns: acts.map((a, i) => bash(a.cmd, miniOut(a.out ?? "", a.rc ?? 0), `THOUGHT: step ${i}`)),
    patch: SRC_FIX,
    closing,
    seed: `runs-${seq}`,
    instance: `synthetic__runs-${seq}`,
    task: TASK,
  });
}

function check(name: string, t: Trajectory): CheckResult {
  const c = CHECKS.get(name);
  assert.ok(c, `no check ${name}`);
  return c.run(analyze(t), t, c.params.parse({}), {});
}

/** Why each run step of a trajectory did not exercise the code (null: it did), by step. */
function reasons(t: Trajectory): Record<number, string | null> {
  const f = analyze(t);
  const p = projectOf(t, f);
  const out: Record<number, string | null> = {};
  for (const s of f.steps) if (s.kinds.includes("run") || s.kinds.includes("test")) out[s.index] = notExercised(s, p);
  return out;
}

describe("what a run step exercised", () => {
  it("an import or version probe is not a run of the code", () => {
    assert.equal(probeCode("import pkg; print(pkg.__file__)"), true);
    assert.equal(probeCode("from pkg.core import f\nprint(f(1, 2))"), false);
    const t = synth([VIEW, { cmd: "python -c 'import pkg; print(pkg.__version__)'", out: "1.0" }, EDIT]);
    assert.equal(reasons(t)[1], "probe");
    assert.equal(check("reproduces_first", t).present, false);
  });

  it("a program that stopped at a missing module, or pytest that is not installed, did not start the code", () => {
    const missing =
      "Traceback (most recent call last):\n  File \"/testbed/r.py\", line 1, in <module>\n    import numpy as np\nModuleNotFoundError: No module named 'numpy'";
    const t = synth([
      VIEW,
      {
        cmd: "cat > r.py <<'EOF'\nimport numpy as np\nfrom pkg.core import f\nprint(f())\nEOF\npython r.py",
        out: missing,
        rc: 1,
      },
      { cmd: "python -m pytest tests/test_core.py", out: "/usr/bin/python: No module named pytest", rc: 1 },
      EDIT,
    ]);
    assert.deepEqual(reasons(t), { 1: "start-up failure", 2: "start-up failure" });
    const r = check("reproduces_first", t);
    assert.equal(r.present, false);
    assert.match(r.explanation, /step 1 \(start-up failure\), step 2 \(start-up failure\)/);
  });

  it("the same missing-module message is a reproduction when the task reports it", () => {
    assert.equal(
      startupFailure("ModuleNotFoundError: No module named 'pkg.compat'", "No module named 'pkg.compat'", null),
      null,
    );
    assert.match(startupFailure("ModuleNotFoundError: No module named 'numpy'", TASK, null) ?? "", /numpy/);
  });

  it("an error the program caught and printed as its result is no start-up failure", () => {
    const out = "Caught expected ImproperlyConfigured: settings.FIXTURE_DIRS contains duplicates.";
    assert.equal(startupFailure(out, TASK, "repro.py"), null);
    assert.match(
      startupFailure("django.core.exceptions.ImproperlyConfigured: settings are not configured", TASK, null) ?? "",
      /settings are not configured/,
    );
  });

  it("pytest that crashed reading its configuration ran no test", () => {
    const crash =
      "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/site-packages/_pytest/config/__init__.py\", line 1814, in _getini_toml\n    raise TypeError(\nTypeError: /testbed/pyproject.toml: config option 'testpaths' expects a list for type 'args', got str";
    const t = synth([VIEW, EDIT, { cmd: "python -m pytest tests/test_core.py -x 2>&1 | tail -20", out: crash }]);
    assert.equal(reasons(t)[2], "no tests ran");
    assert.equal(check("verifies_after_last_edit", t).present, false);
  });

  it("a script that copies the code instead of importing it is a mock; one that loads the file by path is not", () => {
    const copy = "cat > check.py <<'EOF'\ndef f():\n    return 1 + 2\nprint(f())\nEOF";
    const load =
      "cat > load.py <<'EOF'\nimport importlib.util\nspec = importlib.util.spec_from_file_location('core', './pkg/core.py')\ncore = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(core)\nprint(core.f())\nEOF";
    const t = synth([
      VIEW,
      EDIT,
      { cmd: copy },
      { cmd: "python check.py", out: "3" },
      { cmd: load },
      { cmd: "python load.py", out: "3" },
    ]);
    const why = reasons(t);
    assert.equal(why[3], "mock");
    assert.equal(why[5], null);
    assert.deepEqual(check("verifies_after_last_edit", t).evidence, [5]);
  });
});

describe("unverified_success_claim reads the run's output and the agent's words", () => {
  const script =
    "cat > repro.py <<'EOF'\nfrom pkg.core import f\ntry:\n    f(1, 2)\nexcept ValueError as e:\n    print('ValueError:', e)\nEOF";
  it("a run that exits 0 but still prints the reported error is no passing run", () => {
    const t = synth(
      [VIEW, { cmd: script }, EDIT, { cmd: "python repro.py", out: "ValueError: wrong sign for inputs 1 and 2" }],
      "The issue has been fixed.",
    );
    const r = check("unverified_success_claim", t);
    assert.equal(r.present, true, r.explanation);
  });
  it("the same run without the error verifies the claim", () => {
    const t = synth([VIEW, { cmd: script }, EDIT, { cmd: "python repro.py", out: "3" }], "The issue has been fixed.");
    assert.equal(check("unverified_success_claim", t).present, false);
  });
  it("advice to implement a fix, and a fix only proposed with nothing changed, are no claims", () => {
    assert.equal(successClaim("This solution should be implemented directly within core.py."), null);
    assert.equal(successClaim("Given the environment, the issue should be resolved."), "resolved");
    const proposed = trajectory({
      turns: [bash("cat pkg/core.py", miniOut("def f():\n    return a - b"))],
      patch: null,
      closing: "I cannot directly modify the code here. This approach should resolve the issue.",
      seed: "runs-proposal",
      instance: "synthetic__runs-proposal",
      task: TASK,
    });
    const r = check("unverified_success_claim", proposed);
    assert.equal(r.present, false, r.explanation);
  });
  it("the editor's 'successfully applied' is not a claim", () => {
    const t = synth([VIEW, EDIT], "The edit has been successfully applied to pkg/core.py.");
    assert.equal(check("unverified_success_claim", t).present, false);
  });
});

describe("weakens_tests during the run", () => {
  const failing =
    'Traceback (most recent call last):\n  File "/testbed/test_fix.py", line 3, in <module>\n    assert f(1, 2) == 3\nAssertionError';
  const before = "from pkg.core import f\nassert f(0, 0) == 0\nassert f(1, 2) == 3\nprint('ok')\n";
  it("flags a failing assertion of the agent's own test wrapped in a try/except that swallows it", () => {
    const after =
      "from pkg.core import f\nassert f(0, 0) == 0\ntry:\n    assert f(1, 2) == 3\nexcept AssertionError:\n    pass\nprint('ok')\n";
    const t = synth([
      VIEW,
      EDIT,
      { cmd: `cat > test_fix.py <<'EOF'\n${before}EOF` },
      { cmd: "python test_fix.py", out: failing, rc: 1 },
      { cmd: `cat > test_fix.py <<'EOF'\n${after}EOF` },
      { cmd: "python test_fix.py", out: "ok" },
    ]);
    const r = check("weakens_tests", t);
    assert.equal(r.present, true, r.explanation);
    assert.deepEqual(r.evidence, [4]);
    assert.match(r.explanation, /wraps the assertion that failed at step 3 in test_fix\.py in try\/except/);
  });
  it("flags the failing assertion deleted from the agent's own test", () => {
    const after = "from pkg.core import f\nassert f(0, 0) == 0\nprint('ok')\n";
    const t = synth([
      VIEW,
      EDIT,
      { cmd: `cat > test_fix.py <<'EOF'\n${before}EOF` },
      { cmd: "python test_fix.py", out: failing, rc: 1 },
      { cmd: `cat > test_fix.py <<'EOF'\n${after}EOF` },
    ]);
    const r = check("weakens_tests", t);
    assert.equal(r.present, true, r.explanation);
    assert.match(r.explanation, /drops the assertion that failed at step 3/);
  });
  it("does not flag a failing assertion replaced by a corrected one", () => {
    const after = "from pkg.core import f\nassert f(1, 2) == -1\nprint('ok')\n";
    const t = synth([
      VIEW,
      EDIT,
      { cmd: `cat > test_fix.py <<'EOF'\n${before}EOF` },
      { cmd: "python test_fix.py", out: failing, rc: 1 },
      { cmd: `cat > test_fix.py <<'EOF'\n${after}EOF` },
    ]);
    assert.equal(check("weakens_tests", t).present, false);
  });
  it("does not flag a rewrite that keeps the failing assertion", () => {
    const after = "from pkg.core import f\nimport sys\nassert f(0, 0) == 0\nassert f(1, 2) == 3\nprint('ok')\n";
    const t = synth([
      VIEW,
      EDIT,
      { cmd: `cat > test_fix.py <<'EOF'\n${before}EOF` },
      { cmd: "python test_fix.py", out: failing, rc: 1 },
      { cmd: `cat > test_fix.py <<'EOF'\n${after}EOF` },
    ]);
    assert.equal(check("weakens_tests", t).present, false);
  });
});
