/**
 * Step classification (src/analyze/classify.ts): real steps from every scaffold
 * in the shared data (each named by file and step and checked against the
 * trajectory), plus synthetic trajectories for the state carried across steps
 * (working directory, SWE-agent's open file, scripts the agent wrote, refused
 * responses).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { classifySteps, type StepFacts } from "../../src/analyze/classify.js";
import type { FormatName, Trajectory } from "../../src/types/trajectory.js";
import { trajectory, type Turn } from "../build.js";
import { HAS_SHARED, collect, shared, sharedSuite } from "../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

/** A step's facts, with the scaffold's tool name of the step (to say which step a test means). */
type Named = StepFacts & { tool?: string };

/** The fields a test compares (only the ones given in `want`). */
function expectStep(f: Named, want: Partial<Named>, label = `step ${f.index}`): void {
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, f[k as keyof Named]]));
  assert.deepEqual(got, want, label);
}

// ---------------------------------------------------------------------------------------------
// Synthetic trajectories

function synth(turns: Turn[], format: FormatName = "mini-swe-agent"): Trajectory {
  return trajectory({ turns, format });
}

const ok = (text = "") => `<returncode>0</returncode>\n<output>\n${text}</output>`;
const bash = (command: string, obs: string | null = ok()): Turn => ({
  calls: [{ tool: "bash", args: { command } }],
  obs,
});
/** SWE-agent style: the whole command line is the action */
const swe = (command: string, obs: string | null): Turn => ({
  calls: [{ tool: command.split(/\s/)[0], args: { command } }],
  obs,
});

describe("classifySteps: shell steps (synthetic)", () => {
  it("merges the commands of a step: kinds, files, test, script", () => {
    const [f] = classifySteps(
      synth([
        bash(
          "cd /testbed && cat > repro.py <<'EOF'\nimport pagerlite\nprint(1)\nEOF\npython repro.py && python -m pytest tests/test_pages.py -q",
        ),
      ]),
    );
    expectStep(f, {
      kind: "edit",
      kinds: ["navigate", "edit", "run", "test"],
      commands: ["cd", "cat", "python", "python"],
      read: ["repro.py"],
      written: ["repro.py"],
      test: { framework: "pytest", targets: ["tests/test_pages.py"] },
      script: "repro.py",
      executed: true,
    });
  });

  it("resolves relative paths against the directory the step changed to", () => {
    const [f] = classifySteps(synth([bash("cd /testbed/src && cat pkg/a.py && sed -i 's/x/y/' ../setup.py")]));
    expectStep(f, { read: ["src/pkg/a.py"], written: ["setup.py"] });
    const [g] = classifySteps(synth([bash("cd sub && cat a.py")]));
    expectStep(g, { read: ["sub/a.py"] });
  });

  it("keeps the working directory across steps where the shell persists (OpenHands, SWE-agent), not in mini-swe-agent", () => {
    const turns = [bash("cd /workspace/pkg__pkg__1.0/src"), bash("cat mod.py")];
    assert.deepEqual(classifySteps(synth(turns, "openhands-output"))[1].read, ["src/mod.py"]);
    assert.deepEqual(classifySteps(synth(turns, "mini-swe-agent"))[1].read, ["mod.py"]);
    // a `cd` whose target cannot be known resets to the repository root
    const reset = classifySteps(
      synth([bash("cd /testbed/src"), bash('cd "$(dirname x)"'), bash("cat mod.py")], "openhands-output"),
    );
    assert.deepEqual(reset[2].read, ["mod.py"]);
  });

  it("a Python script the agent wrote and then ran writes what its code writes", () => {
    const steps = classifySteps(
      synth([
        bash(
          "cat > fix.py <<'EOF'\nimport re\nwith open('pkg/core.py') as f:\n    s = f.read()\nwith open('pkg/core.py', 'w') as f:\n    f.write(re.sub('a', 'b', s))\nEOF",
        ),
        bash("python fix.py"),
        bash("python fix.py > /dev/null && echo done"),
      ]),
    );
    expectStep(steps[0], { kind: "edit", written: ["fix.py"] });
    expectStep(steps[1], {
      kind: "edit",
      kinds: ["run", "edit"],
      read: ["fix.py"],
      written: ["pkg/core.py"],
      script: "fix.py",
    });
    expectStep(steps[2], { written: ["pkg/core.py"] });
    // once overwritten by other means the old text is forgotten
    const later = classifySteps(
      synth([
        bash("cat > fix.py <<'EOF'\nopen('a.py', 'w').write('')\nEOF"),
        bash("echo 'print(1)' > fix.py"),
        bash("python fix.py"),
      ]),
    );
    expectStep(later[2], { kind: "run", written: [] });
  });

  it("marks edits the scaffold rejected as failed", () => {
    const [f] = classifySteps(
      synth([
        bash(
          "sed -i 's/a/b/' x.py",
          "Your proposed edit has introduced new syntax error(s). Please understand the fixes",
        ),
      ]),
    );
    expectStep(f, { kind: "edit", failedEdit: true });
  });

  it("a response refused for its format ran nothing: neither the answered action nor its siblings (nor is its sed a failed edit: the response failed for its format)", () => {
    const refused = "Please always provide EXACTLY ONE action in triple backticks, found 2 actions.";
    const steps = classifySteps(
      synth([
        {
          calls: [
            { tool: "bash", args: { command: "sed -i 's/a/b/' x.py" }, synthetic: true },
            { tool: "bash", args: { command: "python -m pytest" }, synthetic: true },
          ],
          obs: refused,
        },
        bash("python -m pytest"),
      ]),
    );
    expectStep(steps[0], {
      kind: "other",
      kinds: ["other"],
      commands: ["sed"],
      written: [],
      failedEdit: false,
      executed: false,
    });
    expectStep(steps[1], { kind: "other", test: null, failedEdit: false, executed: false });
    expectStep(steps[2], { kind: "test", executed: true });
  });

  it("an empty action is a thought; an unparsable one is other", () => {
    expectStep(classifySteps(synth([bash("   ")]))[0], { kind: "think" });
    expectStep(classifySteps(synth([bash("DISCUSSION\nLet me look at the file.")]))[0], { kind: "other" });
  });

  it("a script bash refused for its syntax ran nothing when the error is on line 1; earlier lines ran otherwise", () => {
    const refused =
      "<returncode>2</returncode>\n<output>\nbash: -c: line 1: syntax error near unexpected token `)'\n</output>";
    expectStep(classifySteps(synth([bash("sed -i 's/a/b)' x.py", refused)]))[0], {
      kind: "other",
      commands: [],
      written: [],
    });
    const line3 =
      "<returncode>2</returncode>\n<output>\nbash: -c: line 3: syntax error near unexpected token `('\n</output>";
    expectStep(classifySteps(synth([bash("cd src\nsed -i 's/a/b/' x.py\ndef f(x):", line3)]))[0], {
      kind: "edit",
      written: ["src/x.py"],
    });
    // SWE-agent checks the whole script first: an error on any line of the script means nothing ran
    const swe = classifySteps(
      synth(
        [
          bash(
            "python repro.py\necho 'unclosed",
            "/bin/bash: line 2: unexpected EOF while looking for matching `''\n/bin/bash: line 3: syntax error: unexpected end of file",
          ),
        ],
        "sweagent-traj",
      ),
    );
    expectStep(swe[0], { kind: "other", commands: [], script: null });
  });
});

describe("classifySteps: SWE-agent tools (synthetic)", () => {
  it("edit writes the open file; the [File: ...] header of the reply wins", () => {
    const steps = classifySteps(
      synth(
        [
          swe("open src/a.py", "[File: /repo/src/a.py (20 lines total)]\n1:import os\n"),
          swe("edit 3:3\n    x = 1\nend_of_edit", "[File: /repo/src/a.py (20 lines total)]\n1:import os\n"),
          swe("edit 5:5\n    y = 2\nend_of_edit", ""),
          swe("goto 10", "[File: /repo/src/b.py (40 lines total)]\n10:x\n"),
          swe("edit 10:10\n    z = 3\nend_of_edit", "[File: /repo/src/b.py (40 lines total)]\n"),
        ],
        "sweagent-traj",
      ),
    );
    expectStep(steps[0], { kind: "view", read: ["src/a.py"] });
    expectStep(steps[1], { kind: "edit", written: ["src/a.py"], failedEdit: false });
    expectStep(steps[2], { kind: "edit", written: ["src/a.py"] });
    expectStep(steps[3], { kind: "view", read: ["src/b.py"] });
    expectStep(steps[4], { written: ["src/b.py"] });
  });

  it("failed edits: linter rejection, usage error, crash, no open file", () => {
    for (const obs of [
      "Your proposed edit has introduced new syntax error(s). Please understand the fixes and retry your edit commmand.",
      "Usage: edit <start_line>:<end_line>",
      "\nCOMMAND FAILED TO EXECUTE. RESTARTING PROCESS.",
      "No file open. Use the `open` command first.",
    ]) {
      const steps = classifySteps(
        synth(
          [swe("open a.py", "[File: /repo/a.py (3 lines total)]\n"), swe("edit 1:1\nx\nend_of_edit", obs)],
          "sweagent-traj",
        ),
      );
      expectStep(steps[1], { kind: "edit", written: [], failedEdit: true }, obs);
    }
  });

  it("opening a file that does not exist keeps the previous open file", () => {
    const steps = classifySteps(
      synth(
        [
          swe("open a.py", "[File: /repo/a.py (3 lines total)]\n"),
          swe("open nothere.py", "File nothere.py not found"),
          swe("edit 1:1\nx\nend_of_edit", "[File: /repo/a.py (3 lines total)]\n"),
          swe("scroll_down", "[File: /repo/a.py (3 lines total)]\n"),
        ],
        "sweagent-traj",
      ),
    );
    expectStep(steps[1], { kind: "view", read: ["nothere.py"] });
    expectStep(steps[2], { written: ["a.py"] });
    expectStep(steps[3], { read: ["a.py"] });
  });

  it("create writes the new file and opens it; search_file reads the file it names or the open one", () => {
    const steps = classifySteps(
      synth(
        [
          swe("create repro.py", "[File: /repo/repro.py (1 lines total)]\n1:\n"),
          swe('search_file "def f" src/x.py', 'Found 1 matches for "def f" in /repo/src/x.py:\nLine 3:def f():\n'),
          swe('search_file "import"', 'Found 1 matches for "import" in /repo/repro.py:\nLine 1:import os\n'),
          swe('search_dir "TODO"', 'No matches found for "TODO" in /repo'),
          swe('find_file "x.py"', 'Found 1 matches for "x.py" in /repo:\n/repo/src/x.py\n'),
          swe("submit", "diff --git a/x b/x"),
        ],
        "sweagent-traj",
      ),
    );
    expectStep(steps[0], { kind: "create", written: ["repro.py"] });
    expectStep(steps[1], { kind: "search", read: ["src/x.py"] });
    expectStep(steps[2], { kind: "search", read: ["repro.py"] });
    expectStep(steps[3], { kind: "search", read: [] });
    expectStep(steps[4], { kind: "search", read: [] });
    expectStep(steps[5], { kind: "submit" });
  });

  it("a file created and filled with edits, then run, writes what the script writes", () => {
    const steps = classifySteps(
      synth(
        [
          swe("create fix.py", "[File: /repo/fix.py (1 lines total)]\n"),
          swe("edit 1:1\nopen('pkg/a.py', 'w').write('x = 1')\nend_of_edit", "[File: /repo/fix.py (1 lines total)]\n"),
          { calls: [{ tool: "bash", args: { command: "python fix.py" } }], obs: "" },
        ],
        "sweagent-traj",
      ),
    );
    expectStep(steps[2], { kinds: ["run", "edit"], written: ["pkg/a.py"], script: "fix.py" });
  });
});

describe("classifySteps: editor tools (synthetic)", () => {
  const ed = (args: Record<string, unknown>, obs: string): Turn => ({
    calls: [{ tool: "str_replace_editor", args }],
    obs,
  });
  it("view of a file reads it; of a directory navigates", () => {
    const steps = classifySteps(
      synth(
        [
          ed(
            { command: "view", path: "/workspace/pkg__pkg__1.0/pkg/a.py" },
            "Here's the result of running `cat -n` on /workspace/pkg__pkg__1.0/pkg/a.py:\n     1\tx\n",
          ),
          ed(
            { command: "view", path: "/workspace/pkg__pkg__1.0" },
            "Here's the files and directories up to 2 levels deep in /workspace/pkg__pkg__1.0, excluding hidden items:\n",
          ),
          ed(
            { command: "view", path: "/workspace/pkg__pkg__1.0/Makefile" },
            "Here's the result of running `cat -n` on /workspace/pkg__pkg__1.0/Makefile:\n",
          ),
        ],
        "openhands-output",
      ),
    );
    expectStep(steps[0], { kind: "view", read: ["pkg/a.py"] });
    expectStep(steps[1], { kind: "navigate", read: [] });
    expectStep(steps[2], { kind: "view", read: ["Makefile"] });
  });

  it("create / str_replace write; errors are failed edits; files in /workspace stay outside the repository", () => {
    const steps = classifySteps(
      synth(
        [
          ed(
            { command: "create", path: "/workspace/reproduce.py", file_text: "print(1)" },
            "File created successfully at: /workspace/reproduce.py",
          ),
          ed(
            { command: "str_replace", path: "/workspace/pkg__pkg__1.0/pkg/a.py", old_str: "a", new_str: "b" },
            "The file /workspace/pkg__pkg__1.0/pkg/a.py has been edited.",
          ),
          ed(
            { command: "str_replace", path: "/workspace/pkg__pkg__1.0/pkg/a.py", old_str: "zzz", new_str: "b" },
            "ERROR:\nNo replacement was performed, old_str `zzz` did not appear verbatim in /workspace/pkg__pkg__1.0/pkg/a.py.",
          ),
          ed(
            { command: "create", path: "/workspace/reproduce.py", file_text: "print(2)" },
            "ERROR:\nInvalid `path` parameter: /workspace/reproduce.py. File already exists at: /workspace/reproduce.py.",
          ),
        ],
        "openhands-output",
      ),
    );
    expectStep(steps[0], { kind: "create", written: ["/workspace/reproduce.py"], failedEdit: false });
    expectStep(steps[1], { kind: "edit", written: ["pkg/a.py"], failedEdit: false });
    expectStep(steps[2], { kind: "edit", written: [], failedEdit: true });
    expectStep(steps[3], { kind: "create", written: [], failedEdit: true });
  });

  it("OpenHands agent skills called from an IPython cell edit and view files", () => {
    const cell = (code: string): Turn => ({
      calls: [{ tool: "run_ipython", args: { code } }],
      obs: "[File: /workspace/pkg/a.py (10 lines total after edit)]",
    });
    const steps = classifySteps(
      synth(
        [
          cell("edit_file_by_replace('pkg/a.py', to_replace='x = 1', new_content='x = 2')"),
          cell("open_file('pkg/b.py', 40)"),
          cell("create_file('notes.py')"),
          cell("search_dir('needle', dir_path='pkg')"),
        ],
        "openhands-output",
      ),
    );
    expectStep(steps[0], { kind: "edit", kinds: ["edit"], written: ["pkg/a.py"], script: null });
    expectStep(steps[1], { kind: "view", read: ["pkg/b.py"] });
    expectStep(steps[2], { kind: "create", written: ["notes.py"] });
    expectStep(steps[3], { kind: "search" });
  });

  it("an IPython cell is a run that may write files", () => {
    const [f] = classifySteps(
      synth(
        [
          {
            calls: [{ tool: "execute_ipython_cell", args: { code: "open('pkg/a.py', 'w').write('x')\nprint('ok')" } }],
            obs: "ok",
          },
        ],
        "openhands-output",
      ),
    );
    expectStep(f, { kinds: ["edit", "run"], written: ["pkg/a.py"], script: "ipython" });
  });
});

// ---------------------------------------------------------------------------------------------
// Real trajectories

sharedSuite("classifySteps: real steps from every scaffold", (it) => {
  const cache = new Map<string, Trajectory[]>();
  after(() => cache.clear());
  async function steps(rel: string, line = 1): Promise<StepFacts[]> {
    if (!cache.has(rel)) cache.set(rel, (await collect([shared(rel)])).trajectories);
    const t = cache.get(rel)!.find((x) => (x.source.line ?? 1) === line);
    assert.ok(t, `${rel}:${line}`);
    return classifySteps(t).map((f, i): Named => ({ ...f, tool: t.steps[i].tool }));
  }
  const LITE = "sweagent-gpt4-lite/results/swe-agent-results";
  const JAVA = "sweagent-java/evaluation/java/verified";
  const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs";
  const DEEPSEEK = "minisweagent-deepseek/output";
  const OH =
    "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";
  const OH_SAMPLE = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl";

  describe("SWE-agent 0.x", () => {
    it("pydicom-1458 (test fixture): create, fill and run a reproduction, three rejected edits, then the fix", async () => {
      const s = await steps(
        "sweagent-format-samples/tests/test_data/trajectories/gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1/pydicom__pydicom-1458.traj",
      );
      expectStep(s[0], { tool: "create", kind: "create", written: ["reproduce_bug.py"] });
      expectStep(s[1], { tool: "edit", kind: "edit", written: ["reproduce_bug.py"], failedEdit: false });
      expectStep(s[2], { tool: "bash", kind: "run", script: "reproduce_bug.py", read: ["reproduce_bug.py"] });
      expectStep(s[3], { tool: "find_file", kind: "search" });
      expectStep(s[4], { tool: "open", kind: "view", read: ["pydicom/pixel_data_handlers/numpy_handler.py"] });
      for (const i of [5, 6, 7]) expectStep(s[i], { kind: "edit", written: [], failedEdit: true });
      expectStep(s[8], { kind: "edit", written: ["pydicom/pixel_data_handlers/numpy_handler.py"], failedEdit: false });
      expectStep(s[10], { kind: "delete", deleted: ["reproduce_bug.py"] });
      expectStep(s[11], { tool: "submit", kind: "submit" });
    });

    it("cost_2_3/django-13401: a missing file does not replace the open file; search_file and edit use the open file", async () => {
      const s = await steps(`${LITE}/cost_2_3/django__django-13401.traj`);
      expectStep(s[9], { tool: "open", kind: "view", read: ["django/db/models/fields.py"] });
      assert.deepEqual(s[9].observed.missing, ["/django__django/django/db/models/fields.py"]);
      expectStep(s[11], { tool: "open", read: ["django/db/models/fields/__init__.py"] });
      expectStep(s[12], { tool: "scroll_down", kind: "view", read: ["django/db/models/fields/__init__.py"] });
      expectStep(s[14], { tool: "search_file", kind: "search", read: ["django/db/models/fields/__init__.py"] });
      expectStep(s[16], { tool: "edit", kind: "edit", written: ["django/db/models/fields/__init__.py"] });
    });

    it("cost_2_3/scikit-learn-14894 #3: `edit 1:1` without a body crashed the shell, a failed edit", async () => {
      const s = await steps(`${LITE}/cost_2_3/scikit-learn__scikit-learn-14894.traj`);
      expectStep(s[3], { tool: "edit", kind: "edit", failedEdit: true, written: [] });
    });

    it("cost_2_3/pytest-7490: a shell script written with create/edit and run with `./run_test.sh`", async () => {
      const s = await steps(`${LITE}/cost_2_3/pytest-dev__pytest-7490.traj`);
      expectStep(s[2], { kind: "create", written: ["run_test.sh"] });
      expectStep(s[3], { kind: "edit", written: ["run_test.sh"] });
      expectStep(s[4], {
        kinds: ["env", "run"],
        commands: ["chmod", "run_test.sh"],
        script: "./run_test.sh",
        read: ["run_test.sh"],
      });
      assert.equal(s[4].observed.tests?.failed, 1);
    });

    it("cost_2_1/psf__requests-2674: the cost-limit pseudo-step is an exit", async () => {
      const s = await steps(`${LITE}/cost_2_1/psf__requests-2674.traj`);
      expectStep(s[s.length - 1], { tool: "exit_cost", kind: "exit" });
    });
  });

  describe("SWE-agent 1.x demonstrations", () => {
    it("xml variant: [File: ...] headers relative and absolute, a rejected edit, then the fix", async () => {
      const s = await steps(
        "sweagent-format-samples/trajectories/demonstrations/replay__marshmallow-code__marshmallow-1867__xml_sys-env_window100__t-0.20__p-0.95__c-2.00__install-1/marshmallow-code__marshmallow-1867.traj",
      );
      expectStep(s[0], { kind: "create", written: ["reproduce.py"] });
      expectStep(s[5], { tool: "open", read: ["src/marshmallow/fields.py"] });
      expectStep(s[6], { kind: "edit", failedEdit: true });
      expectStep(s[7], { kind: "edit", written: ["src/marshmallow/fields.py"] });
      expectStep(s[9], { kind: "delete", deleted: ["reproduce.py"] });
    });

    it("function-calling variant: insert, and a search/replace edit answered 'Text replaced'", async () => {
      const s = await steps(
        "sweagent-format-samples/trajectories/demonstrations/replay__marshmallow-code__marshmallow-1867__function_calling_replace__install-1/marshmallow-code__marshmallow-1867.traj",
      );
      expectStep(s[1], { tool: "insert", kind: "edit", written: ["reproduce.py"] });
      expectStep(s[5], { tool: "open", read: ["src/marshmallow/fields.py"] });
      expectStep(s[6], { tool: "edit", failedEdit: true });
      expectStep(s[7], { tool: "edit", written: ["src/marshmallow/fields.py"], failedEdit: false });
    });
  });

  describe("SWE-agent (Java)", () => {
    it("gpt-4o jackson-databind-3701: Gradle and Maven test runs with their targets (neither tool is installed)", async () => {
      const s = await steps(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-3701.traj`);
      expectStep(s[5], {
        kind: "test",
        test: { framework: "gradle", targets: ["com.fasterxml.jackson.databind.node.CustomJsonNodeTest"] },
      });
      assert.deepEqual(s[5].observed.missing, ["./gradlew"]);
      expectStep(s[6], {
        kind: "test",
        test: { framework: "maven", targets: ["com.fasterxml.jackson.databind.node.CustomJsonNodeTest"] },
      });
      assert.deepEqual(s[6].observed.marks, ["command_not_found"]);
    });

    it("doubao jackson-core-891: scripts bash refused in its syntax check ran nothing; ones it ran are parsed", async () => {
      const s = await steps(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-891.traj`);
      // a pasted file listing ("[File: ...reproduce.py (72 lines total)]" and Java code): syntax error, line 1
      expectStep(s[5], { tool: "bash", kind: "other", commands: [] });
      // a DISCUSSION paragraph naming `reproduce.py`, refused (unmatched quote) before it ran: no run
      expectStep(s[17], { kind: "other", commands: [], script: null });
      // a DISCUSSION paragraph that did run ("line 35206: DISCUSSION: command not found")
      expectStep(s[6], { kind: "other", commands: ["DISCUSSION", "The"] });
    });

    it("doubao jackson-databind-4050: edits /etc/apt/sources.list (outside the repository)", async () => {
      const s = await steps(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4050.traj`);
      expectStep(s[0], { kind: "run", read: ["BugReproduction.java"], script: "javac BugReproduction.java" });
      expectStep(s[12], { tool: "open", read: ["/etc/apt/sources.list"] });
      expectStep(s[13], { tool: "edit", written: ["/etc/apt/sources.list"] });
    });
  });

  describe("mini-swe-agent 1.x (Gemini 3 Pro)", () => {
    it("django-11099: heredoc script, sed fix, Django's runner with a target, cleanup, submission", async () => {
      const s = await steps(`${GEMINI}/django__django-11099/django__django-11099.traj.json`);
      expectStep(s[2], { kind: "view", read: ["django/contrib/auth/validators.py"] });
      expectStep(s[3], { kind: "edit", written: ["reproduce_issue.py"] });
      expectStep(s[4], { kind: "run", script: "reproduce_issue.py" });
      expectStep(s[5], { kind: "edit", written: ["django/contrib/auth/validators.py"] });
      expectStep(s[18], { kind: "test", test: { framework: "django", targets: ["auth_tests.test_validators"] } });
      expectStep(s[19], { kind: "delete", deleted: ["reproduce_issue.py", "test_valid_usernames.py"] });
      expectStep(s[20], { kind: "submit", kinds: ["submit", "git"] });
    });

    it("astropy-12907: pytest by path, appending a test with `cat <<EOF >>`, `git checkout file` reverts", async () => {
      const s = await steps(`${GEMINI}/astropy__astropy-12907/astropy__astropy-12907.traj.json`);
      expectStep(s[6], { kind: "edit", written: ["astropy/modeling/separable.py"] });
      expectStep(s[9], {
        kind: "test",
        test: { framework: "pytest", targets: ["astropy/modeling/tests/test_separable.py"] },
      });
      expectStep(s[11], { kind: "edit", written: ["astropy/modeling/tests/test_separable.py"] });
      expectStep(s[14], { kind: "git" });
      expectStep(s[16], { kind: "revert", destructive: ["git checkout pyproject.toml"] });
    });

    it("astropy-13033 #26-#27: a response with two bash blocks was refused; neither ran, and neither is a failed edit", async () => {
      const s = await steps(`${GEMINI}/astropy__astropy-13033/astropy__astropy-13033.traj.json`);
      expectStep(s[26], { kind: "other", executed: false, failedEdit: false, written: [] });
      expectStep(s[27], { kind: "other", executed: false, failedEdit: false, written: [] });
      assert.equal(s[27].observed.marks.length, 0);
    });

    it("sympy-23950: sympy's bin/test with a file target", async () => {
      const s = await steps(`${GEMINI}/sympy__sympy-23950/sympy__sympy-23950.traj.json`);
      expectStep(s[23], { kind: "test", test: { framework: "sympy", targets: ["sympy/sets/tests/test_contains.py"] } });
      assert.equal(s[23].observed.tests?.ok, false);
    });
  });

  describe("mini-swe-agent 2.x (deepseek)", () => {
    it("django-13710 (test) #26: a sed whose quoting bash refused on line 1 edited nothing", async () => {
      const s = await steps(`${DEEPSEEK}/deepseek_chat_test_1-100/django__django-13710/django__django-13710.traj.json`);
      expectStep(s[26], { kind: "other", commands: [], written: [] });
      expectStep(s[27], { written: ["fix_inline_manual.py"] });
    });

    it("pvlib-1606 (chat_dev): a fix script written with cat and run with python edits pvlib/tools.py", async () => {
      const s = await steps(
        `${DEEPSEEK}/deepseek_chat_dev/pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json`,
      );
      expectStep(s[35], { kind: "edit", read: ["pvlib/tools.py"], written: ["pvlib/tools.py.backup"] });
      expectStep(s[36], { kind: "edit", written: ["fix_tools.py"] });
      expectStep(s[37], { kind: "edit", kinds: ["run", "edit"], script: "fix_tools.py", written: ["pvlib/tools.py"] });
      expectStep(s[42], {
        kind: "test",
        test: { framework: "pytest", targets: ["pvlib/tests/test_tools.py::test__golden_sect_DataFrame"] },
      });
      expectStep(s[43], { kind: "install", env: ["pip install pytest -q"] });
      expectStep(s[59], { kind: "git", written: ["patch.txt"] });
    });

    it("pydicom-1139 (chat_dev) #52: `cat > /tmp/x.py <<EOF && python /tmp/x.py` writes the script and the source", async () => {
      const s = await steps(`${DEEPSEEK}/deepseek_chat_dev/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`);
      expectStep(s[52], {
        kind: "edit",
        written: ["/tmp/add_methods.py", "pydicom/valuerep.py"],
        script: "/tmp/add_methods.py",
      });
    });

    it("pydicom-1139 (rerun) #69: an inline program running a unittest suite is a test run", async () => {
      const s = await steps(
        `${DEEPSEEK}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`,
      );
      expectStep(s[69], { kind: "test", test: { framework: "unittest", targets: [] }, script: "-c" });
    });

    it("sqlfluff-1733 (lite_dev) #5: running the project's CLI is a run", async () => {
      const s = await steps(`${DEEPSEEK}/deepseek_lite_dev/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`);
      expectStep(s[5], {
        kind: "run",
        commands: ["sqlfluff"],
        script: "sqlfluff fix test_with_indent.sql --dialect ansi",
      });
    });
  });

  describe("OpenHands", () => {
    it("llm-completion django-11099: editor view/create, scripts in /workspace, a rejected str_replace", async () => {
      const s = await steps(
        `${OH}/django__django-11099/litellm_proxy__claude-3-5-sonnet-20241022-1733344284.03328.json`,
      );
      expectStep(s[0], { tool: "execute_bash", kind: "navigate" });
      expectStep(s[3], { tool: "str_replace_editor", kind: "view", read: ["django/contrib/auth/validators.py"] });
      expectStep(s[4], { kind: "create", written: ["/workspace/test_username_validator.py"] });
      expectStep(s[6], {
        kind: "run",
        read: ["/workspace/test_username_validator.py"],
        script: "test_username_validator.py",
      });
      expectStep(s[7], { kind: "edit", failedEdit: true, written: [] });
      expectStep(s[8], { kind: "edit", failedEdit: false, written: ["django/contrib/auth/validators.py"] });
      expectStep(s[11], { kind: "create", failedEdit: true });
      expectStep(s[12], { kind: "delete", deleted: ["/workspace/test_username_validator.py"] });
      expectStep(s[16], { tool: "finish", kind: "submit" });
    });

    it("output.jsonl line 1 (ponyc-4588): failed then applied str_replace; writes next to the checkout; ./test", async () => {
      const s = await steps(OH_SAMPLE, 1);
      expectStep(s[4], { kind: "view", read: ["src/libponyc/ast/parser.c"] });
      expectStep(s[11], { kind: "edit", failedEdit: true });
      expectStep(s[13], { kind: "edit", failedEdit: false, written: ["src/libponyc/ast/parser.c"] });
      expectStep(s[14], { kind: "edit", written: ["/workspace/test.c"] });
      expectStep(s[15], {
        commands: ["cd", "echo", "ponyc", "test"],
        written: ["/workspace/test.pony"],
        script: "ponyc test.pony -o .",
      });
      expectStep(s[22], { tool: "finish", kind: "submit" });
    });

    it("output.jsonl line 2 (ponyc-4593): str_replace without old_str was refused", async () => {
      const s = await steps(OH_SAMPLE, 2);
      for (const i of [18, 20, 21, 28]) expectStep(s[i], { kind: "other", executed: false, failedEdit: true });
      for (const i of [22, 24, 25, 27]) expectStep(s[i], { kind: "edit", executed: true, failedEdit: true });
      expectStep(s[29], { kind: "edit", written: ["packages/cli/command_parser.pony"] });
    });
  });

  describe("Moatless", () => {
    it("transitions variant (gpt-4o 0617) pytest-7490: EditCode applied, failed, and declined with <reject>", async () => {
      const s = await steps(
        "moatless-lite/evaluations/20240617_moatless_gpt-4o-2024-05-13/trajs/pytest-dev__pytest-7490.json",
      );
      expectStep(s[0], { tool: "SearchCode", kind: "search" });
      expectStep(s[1], { tool: "IdentifyCode", kind: "view", read: ["src/_pytest/nodes.py"] });
      expectStep(s[4], { tool: "PlanToCode", kind: "plan", read: ["src/_pytest/nodes.py"] });
      expectStep(s[5], { tool: "EditCode", kind: "edit", written: ["src/_pytest/nodes.py"], failedEdit: false });
      expectStep(s[8], { tool: "EditCode", kind: "edit", written: [], failedEdit: true });
      expectStep(s[9], { tool: "EditCode", kind: "think", written: [], failedEdit: false });
    });

    it("transitions variant django-16816 #12: 'The following diff was not applied'", async () => {
      const s = await steps(
        "moatless-lite/evaluations/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16816.json",
      );
      expectStep(s[12], { tool: "EditCode", kind: "edit", failedEdit: true, written: [] });
    });

    it("steps variant (gpt-4o 0609) requests-2674: search_replace applied / 'updated: false'; a mid-run reject", async () => {
      const s = await steps("moatless-lite/evaluations/20240609_moatless_gpt4o/trajs/psf__requests-2674.json");
      expectStep(s[3], { tool: "request_for_change", kind: "plan", read: ["requests/packages/urllib3/response.py"] });
      expectStep(s[4], { tool: "search_replace", kind: "edit", written: ["requests/packages/urllib3/response.py"] });
      expectStep(s[8], { tool: "search_replace", kind: "edit", failedEdit: true, written: [] });
      expectStep(s[9], { tool: "reject", kind: "think" });
      expectStep(s[12], { tool: "finish", kind: "submit" });
    });
  });

  describe("AutoCodeRover", () => {
    it("run 1 astropy-14365: searches, invalid API calls, bug locations, an extracted patch", async () => {
      const s = await steps(
        "acr-gpt4-lite/results/acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09",
      );
      expectStep(s[0], { tool: "search_method_in_class", kind: "search" });
      expectStep(s[2], { tool: "none", kind: "think" });
      expectStep(s[3], { tool: "none", kind: "other" });
      expectStep(s[6], { tool: "search_code_in_file", kind: "search", read: ["astropy/io/ascii/qdp.py"] });
      expectStep(s[8], { tool: "bug_locations", kind: "plan", read: ["astropy/io/ascii/qdp.py"] });
      expectStep(s[9], { tool: "write_patch", kind: "edit", written: ["astropy/io/ascii/qdp.py"], failedEdit: false });
    });

    it("run 2 pytest-7490: patches that could not be applied are failed edits", async () => {
      const s = await steps(
        "acr-gpt4-lite/results/acr-run-2/raw_patch_but_unmatched/pytest-dev__pytest-7490_2024-04-04_14-54-03",
      );
      for (const i of [4, 5, 6]) expectStep(s[i], { tool: "write_patch", kind: "edit", failedEdit: true, written: [] });
    });
  });
});
