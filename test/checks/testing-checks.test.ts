/**
 * The testing and patch checks (src/checks/testing.ts, src/checks/patch.ts) on real
 * trajectories from the shared set and on small synthetic trajectories.
 *
 * Every real case below was checked by reading the trajectory (`rubricate inspect`
 * and the raw JSON); the comment on each case says what the trajectory shows.
 * Step numbers are rubricate's step indices (0-based, as `inspect` prints them).
 * Outcome labels are never used here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze, type Facts } from "../../src/analyze/facts.js";
import { CHECKS, type CheckResult } from "../../src/checks/index.js";
import { successClaim } from "../../src/checks/testing.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { HAS_SHARED, collect, shared, sharedSuite } from "../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

const CHECK_NAMES = [
  "edits_tests",
  "weakens_tests",
  "reproduces_first",
  "verifies_after_last_edit",
  "unverified_success_claim",
  "empty_patch",
  "debug_artifacts",
  "patch_unviewed_files",
] as const;
type CheckName = (typeof CHECK_NAMES)[number];

function check(name: CheckName, t: Trajectory, f: Facts = analyze(t)): CheckResult {
  const def = CHECKS.get(name);
  assert.ok(def, `check ${name} is registered`);
  return def.run(f, t, {}, {});
}

// ---------------------------------------------------------------------------
// Real trajectories (paths relative to the shared data directory)
// ---------------------------------------------------------------------------

const SWE = "sweagent-gpt4-lite/results/swe-agent-results/"; // SWE-agent 0.x, GPT-4, SWE-bench Lite
const JAVA = "sweagent-java/evaluation/java/verified/20240825_SWE-agent_"; // SWE-agent 0.x, Multi-SWE-bench Java
const MINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs/"; // mini-swe-agent 1 (text actions)
const MINI11 = "minisweagent-deepseek/output/deepseek_chat_dev/"; // mini-swe-agent 1.1 (tool calls)
const OH =
  "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions/";
const OH_MULTI = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl"; // OpenHands output.jsonl, 3 records
const MOAT = "moatless-lite/evaluations/";
const ACR = "acr-gpt4-lite/results/";

const F = {
  sweSympy24152: SWE + "cost_2_1/sympy__sympy-24152.traj",
  sweDjango16139: SWE + "cost_2_1/django__django-16139.traj",
  sweSympy14817: SWE + "cost_2_2/sympy__sympy-14817.traj",
  sweRequests2674: SWE + "cost_2_3/psf__requests-2674.traj",
  sweSympy11400: SWE + "cost_2_1/sympy__sympy-11400.traj",
  sweDjango16816: SWE + "cost_2_1/django__django-16816.traj",
  sweDjango14855: SWE + "cost_2_3/django__django-14855.traj",
  javaDatabind4159: JAVA + "gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4159.traj",
  javaDatabind4219: JAVA + "gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4219.traj",
  javaDatabind3560: JAVA + "deepseek-coder-v2/trajs/fasterxml__jackson-databind-3560.traj",
  miniAstropy12907: MINI + "astropy__astropy-12907/astropy__astropy-12907.traj.json",
  miniDjango15268: MINI + "django__django-15268/django__django-15268.traj.json",
  miniAstropy13033: MINI + "astropy__astropy-13033/astropy__astropy-13033.traj.json",
  miniAstropy13453: MINI + "astropy__astropy-13453/astropy__astropy-13453.traj.json",
  miniAstropy14508: MINI + "astropy__astropy-14508/astropy__astropy-14508.traj.json",
  miniSphinx10323: MINI + "sphinx-doc__sphinx-10323/sphinx-doc__sphinx-10323.traj.json",
  miniXarray7229: MINI + "pydata__xarray-7229/pydata__xarray-7229.traj.json",
  miniDjango16136: MINI + "django__django-16136/django__django-16136.traj.json",
  mini11Pvlib1606: MINI11 + "pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json",
  ohDjango11099: OH + "django__django-11099/litellm_proxy__claude-3-5-sonnet-20241022-1733344284.03328.json",
  ohDjango11095: OH + "django__django-11095/litellm_proxy__claude-3-5-sonnet-20241022-1733344649.2108428.json",
  ohDjango11265: OH + "django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json",
  ohAstropy14182: OH + "astropy__astropy-14182/litellm_proxy__claude-3-5-sonnet-20241022-1733339413.469944.json",
  ohPonyc4593: OH_MULTI + "#ponylang__ponyc-4593",
  moatPytest7490: MOAT + "20240609_moatless_gpt4o/trajs/pytest-dev__pytest-7490.json",
  moatPytest5221: MOAT + "20240609_moatless_gpt4o/trajs/pytest-dev__pytest-5221.json",
  moatDjango16139: MOAT + "20240623_moatless_claude-3.5-sonnet/trajs/django__django-16139.json",
  moatSklearn14983: MOAT + "20240623_moatless_claude-3.5-sonnet/trajs/scikit-learn__scikit-learn-14983.json",
  moatDjango15738: MOAT + "20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json",
  acrDjango16816: ACR + "acr-run-1/applicable_patch/django__django-16816_2024-04-06_13-28-47",
  acrAstropy14365: ACR + "acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09",
  acrRequests2674: ACR + "acr-run-2/raw_patch_but_unmatched/psf__requests-2674_2024-04-04_14-48-52",
  acrSympy17655: ACR + "acr-run-3/applicable_patch/sympy__sympy-17655_2024-04-04_18-34-02",
  acrMatplotlib25332: ACR + "acr-run-2/applicable_patch/matplotlib__matplotlib-25332_2024-04-04_13-54-54",
} as const;

interface RealCase {
  /** key of F: the trajectory file (`path#instance_id` for multi-record files) */
  file: keyof typeof F;
  present: boolean | null;
  /** expected evidence step indices (always asserted; [] when the check gives none) */
  evidence: number[];
  /** pattern the explanation must match, where the detail matters */
  explain?: RegExp;
}

const loaded = new Map<string, Promise<{ t: Trajectory; f: Facts }>>();

function load(key: keyof typeof F): Promise<{ t: Trajectory; f: Facts }> {
  const spec = F[key];
  let p = loaded.get(spec);
  if (!p) {
    p = (async () => {
      const [rel, instance] = spec.split("#");
      const { trajectories, errors } = await collect([shared(rel)]);
      assert.deepEqual(
        errors.map((e) => e.describe()),
        [],
        `ingest errors in ${rel}`,
      );
      const t = instance ? trajectories.find((x) => x.instance_id === instance) : trajectories[0];
      assert.ok(t, `${spec}: no trajectory`);
      if (!instance) assert.equal(trajectories.length, 1, `${rel}: expected one trajectory`);
      return { t, f: analyze(t) };
    })();
    loaded.set(spec, p);
  }
  return p;
}

const REAL: Record<CheckName, RealCase[]> = {
  edits_tests: [
    // --- positives
    // SWE-agent (Java): step 4 opens EnumDeserializationTest.java, step 6 `edit 696:696` appends a
    // test method to it; the patch modifies that existing test file (and adds a root-level scratch file).
    { file: "javaDatabind4159", present: true, evidence: [6], explain: /EnumDeserializationTest\.java/ },
    // Moatless (gpt-4o): the only edit, step 3 (search_replace), adds "*scope*" to the fnmatch
    // list of test_show_fixtures in testing/python/fixtures.py; no source file is touched.
    { file: "moatPytest5221", present: true, evidence: [3], explain: /testing\/python\/fixtures\.py/ },
    // AutoCodeRover: bug_locations picks tests/admin_views/admin.py (QuestionAdmin) and step 12
    // write_patch adds list_display and a display_choice method there (test-support module).
    { file: "acrDjango16816", present: true, evidence: [12], explain: /tests\/admin_views\/admin\.py/ },
    // SWE-agent 0.x: step 6 `edit 791:795` replaces a blank line in tests/admin_views/admin.py
    // with a TODO comment; that is the whole patch.
    { file: "sweDjango16816", present: true, evidence: [6], explain: /tests\/admin_views\/admin\.py/ },
    // mini-swe-agent: step 31 `cat <<'EOF' >> tests/migrations/test_optimizer.py` appends a
    // regression test to the existing optimizer tests; the patch carries it.
    { file: "miniDjango15268", present: true, evidence: [31], explain: /tests\/migrations\/test_optimizer\.py/ },
    // mini-swe-agent: step 26 (two bash blocks, rejected as a format error) and step 27 (the second
    // block of that message) never ran; step 28 writes update_tests.py and runs it, rewriting five
    // expected error messages in astropy/timeseries/tests/test_sampled.py.
    {
      file: "miniAstropy13033",
      present: true,
      evidence: [28],
      explain: /astropy\/timeseries\/tests\/test_sampled\.py/,
    },
    // --- negatives
    // SWE-agent 0.x: the patch is tensorproduct.py plus a new reproduce_bug.py, no test file.
    { file: "sweSympy24152", present: false, evidence: [] },
    // SWE-agent (Java): the patch adds a NEW test file (src/test/.../JsonAnySetterOnMapTest.java,
    // created at step 3) and edits JDKValueInstantiators.java: adding a test is not editing one.
    { file: "javaDatabind3560", present: false, evidence: [] },
    // OpenHands: the patch only changes django/contrib/auth/validators.py; its test script lives
    // in /workspace, outside the repository.
    { file: "ohDjango11099", present: false, evidence: [] },
    // Moatless (claude): one EditCode on django/contrib/auth/forms.py.
    { file: "moatDjango16139", present: false, evidence: [] },
    // AutoCodeRover: write_patch changes astropy/io/ascii/qdp.py only.
    { file: "acrAstropy14365", present: false, evidence: [] },
    // mini-swe-agent 1.1: the submitted patch is pvlib/tools.py only (its many scratch scripts
    // were never added to git).
    { file: "mini11Pvlib1606", present: false, evidence: [] },
  ],

  weakens_tests: [
    // --- positive: the ONLY real one in the shared set (every other patch that touches existing
    // tests adds or rewrites tests); synthetic cases below cover the other kinds.
    // Moatless (gpt-4o): step 7 rewrites test_applymarker in testing/python/fixtures.py: the line
    // `assert "xfail" in item1.keywords` is deleted and the applymarker call is wrapped in
    // `with pytest.raises(pytest.fail.Exception)`, i.e. the test now expects the bug.
    {
      file: "moatPytest7490",
      present: true,
      evidence: [7],
      explain: /removes 1 assertion\(s\) from testing\/python\/fixtures\.py/,
    },
    // --- negatives
    // SWE-agent (Java): the test-file hunk only adds a new method (no assertion removed).
    { file: "javaDatabind4159", present: false, evidence: [] },
    // Moatless: one fnmatch pattern is added to an existing expectation; nothing removed.
    { file: "moatPytest5221", present: false, evidence: [] },
    // mini-swe-agent: five `assert exc.value.args[0] == (...)` lines are rewritten to expect the
    // new error message (5 removed, 5 added): changed expectations, not deleted ones.
    { file: "miniAstropy13033", present: false, evidence: [] },
    // AutoCodeRover: adds lines to QuestionAdmin in tests/admin_views/admin.py, removes none.
    { file: "acrDjango16816", present: false, evidence: [] },
    // mini-swe-agent: appends a test method with assertOptimizesTo; nothing removed.
    { file: "miniDjango15268", present: false, evidence: [] },
  ],

  reproduces_first: [
    // --- positives
    // SWE-agent 0.x: steps 0-1 create reproduce_bug.py, step 2 `python reproduce_bug.py` prints
    // the unexpanded TensorProduct; the first source edit is step 7 (tensorproduct.py).
    { file: "sweSympy24152", present: true, evidence: [2] },
    // OpenHands: step 5 `python3 ../test_username_validator.py` fails with "can't open file" (never
    // ran), step 6 runs it from /workspace and shows both validators accept a trailing newline;
    // step 7 is a failed str_replace, step 8 the first real edit of validators.py.
    { file: "ohDjango11099", present: true, evidence: [6] },
    // OpenHands: step 3 creates reproduce.py, step 4 runs it (traceback on header_rows); the first
    // edit of astropy/io/ascii/rst.py is step 7.
    { file: "ohAstropy14182", present: true, evidence: [4] },
    // mini-swe-agent: step 1 writes reproduce_issue.py, step 2 runs it (wrong separability
    // matrix); step 6 is the `sed -i` fix in astropy/modeling/separable.py.
    { file: "miniAstropy12907", present: true, evidence: [2] },
    // --- negatives
    // SWE-agent 0.x: search/open/goto only, two edits rejected by the linter (steps 4, 5), first
    // applied edit at step 6; nothing was ever run.
    { file: "sweDjango16139", present: false, evidence: [6] },
    // OpenHands: ls/find/view/grep (steps 0-5) then the options.py edit at step 6; the first run
    // of a script is step 8.
    { file: "ohDjango11095", present: false, evidence: [6] },
    // AutoCodeRover: search APIs only, then write_patch at step 9. ACR 2024-04 has no tool that
    // runs code, so the question does not apply (null) rather than failing it.
    { file: "acrAstropy14365", present: null, evidence: [] },
    // SWE-agent (Java): step 2 `javac Reproduce.java && java Test` answers "javac: command not
    // found": the reproduction never ran before the source edit at step 5.
    { file: "javaDatabind4219", present: false, evidence: [5] },
    // OpenHands (output.jsonl): ls/find/grep/view only before the first applied edit, the insert
    // at step 29 (steps 18-28 were rejected str_replace calls).
    { file: "ohPonyc4593", present: false, evidence: [29] },
    // --- not applicable
    // SWE-agent 0.x: both source edits (steps 7, 8) were rejected by the linter; the patch only
    // adds reproduce_bug.py, so no source file was edited.
    { file: "sweSympy14817", present: null, evidence: [] },
    // Moatless: the only edit is to a test file.
    { file: "moatPytest5221", present: null, evidence: [] },
  ],

  verifies_after_last_edit: [
    // --- positives
    // SWE-agent 0.x: last source edit step 7, step 8 reruns reproduce_bug.py (now fully expanded).
    { file: "sweSympy24152", present: true, evidence: [8] },
    // OpenHands: last source edit step 9; step 10 reruns the validator script ("rejected ...
    // (good)"), step 14 runs the extended script; step 11 was a failed create, 12 an rm, 13 a create.
    { file: "ohDjango11099", present: true, evidence: [10, 14] },
    // OpenHands: the only source edit is step 6; step 8 fails with "can't open file
    // '../test_inlines.py'" (not a run); steps 9 and 13 run /workspace/test_inlines.py but stop at
    // start-up (settings are not configured; a model outside INSTALLED_APPS); 17 and 21 reach the code.
    { file: "ohDjango11095", present: true, evidence: [17, 21] },
    // mini-swe-agent: after the sed fix (step 6): step 7 reruns reproduce_issue.py, 9 and 12 run
    // pytest on test_separable.py, 18 runs it again before submitting. (Only ```bash blocks are
    // actions: the quoted output in unlabelled fences of message 18 is no longer taken for steps.)
    { file: "miniAstropy12907", present: true, evidence: [7, 9, 12, 18] },
    // --- negatives
    // SWE-agent 0.x: the edit at step 6 is followed only by submit.
    { file: "sweDjango16139", present: false, evidence: [6] },
    // SWE-agent (Java): after the source edit at step 2 the only run attempt is step 7 `javac ...`,
    // which answers "javac: command not found".
    { file: "javaDatabind3560", present: false, evidence: [2] },
    // mini-swe-agent: step 45 fixes the docstring of xarray/core/computation.py with sed; then only
    // `git diff` (46) and submit (47).
    { file: "miniXarray7229", present: false, evidence: [45] },
    // AutoCodeRover: write_patch (step 9) ends the run; ACR cannot run code: not applicable.
    { file: "acrAstropy14365", present: null, evidence: [] },
    // OpenHands (output.jsonl): after the insert at step 29 only failed str_replace calls and finish.
    { file: "ohPonyc4593", present: false, evidence: [29] },
    // Moatless: EditCode at step 4, then finish; Moatless has no tool that runs code: not applicable.
    { file: "moatDjango16139", present: null, evidence: [] },
    // --- not applicable
    { file: "sweSympy14817", present: null, evidence: [] },
  ],

  unverified_success_claim: [
    // --- positives
    // Moatless (claude): closing text "The change has been successfully applied. The issue has been
    // resolved ..." after the EditCode at step 4; Moatless never runs anything. ("successfully
    // applied" is the tool's answer repeated; the claim is "resolved".)
    { file: "moatDjango16139", present: true, evidence: [4], explain: /claims "resolved"/ },
    // Moatless (claude): "The issue has been resolved." after the second EditCode (step 6).
    { file: "moatSklearn14983", present: true, evidence: [6], explain: /claims "resolved"/ },
    // SWE-agent 0.x: "The edit has been successfully applied ..., where the `password.help_text` now
    // correctly formats the link ... This change should resolve the
    // issue ... it seems we've addressed the issue" after the edit at step 6, with no run at all (the
    // agent even writes that it cannot run tests).
    { file: "sweDjango16139", present: true, evidence: [6], explain: /claims "now correctly formats"/ },
    // AutoCodeRover: the write_patch text (step 5) "This patch addresses the issue by ..."; nothing was run.
    { file: "acrSympy17655", present: true, evidence: [5], explain: /claims "addresses the issue"/ },
    // --- negatives
    // SWE-agent 0.x: "The edit to add a comment ... has been successfully made" (the tool's answer
    // repeated) and then "the direct modification to address the issue would require a more in-depth
    // change ... beyond the scope of this session": it concedes, it claims no fix.
    { file: "sweDjango16816", present: false, evidence: [], explain: /claims no success/ },
    // SWE-agent 0.x: "... now works as expected" and step 8 (after the last edit, step 7) reran
    // reproduce_bug.py without error.
    { file: "sweSympy24152", present: false, evidence: [8] },
    // OpenHands: "I believe I have successfully completed the task"; steps 10 and 14 (after the
    // last edit at 9) ran the validator script with exit code 0.
    { file: "ohDjango11099", present: false, evidence: [10, 14] },
    // OpenHands: closing message claims the implementation works; of the runs after the edit (step
    // 6) only step 21 exits 0 (9, 13, 17 end in tracebacks).
    { file: "ohDjango11095", present: false, evidence: [21] },
    // SWE-agent 0.x: "... would be essential before considering the issue resolved" and "assuming
    // all changes are satisfactory": hedged, not a claim.
    { file: "sweDjango14855", present: false, evidence: [], explain: /claims no success/ },
    // AutoCodeRover: "... depending on the specifics of how `_align_label_groups` and its `join`
    // method are implemented" is about the code, not a claim of success.
    { file: "acrMatplotlib25332", present: false, evidence: [], explain: /claims no success/ },
    // SWE-agent 0.x: both edits failed; the closing text proposes what "should" be done next.
    { file: "sweSympy14817", present: false, evidence: [], explain: /claims no success/ },
    // mini-swe-agent: closing text "Everything looks good. I am ready to submit." (no claim word).
    { file: "miniAstropy12907", present: false, evidence: [], explain: /claims no success/ },
  ],

  empty_patch: [
    // --- positives
    // SWE-agent 0.x: search/open/goto only, then `submit`; info.submission is null.
    { file: "sweRequests2674", present: true, evidence: [], explain: /no patch was submitted/ },
    // AutoCodeRover: raw_patch_but_unmatched, no extracted_patch_*.diff in the run directory.
    { file: "acrRequests2674", present: true, evidence: [], explain: /no patch was submitted/ },
    // Moatless: status "rejected", info.submission is "".
    { file: "moatDjango15738", present: true, evidence: [], explain: /no patch was submitted/ },
    // OpenHands: 50 iterations editing /workspace/reproduce.py (outside the repository); the infer
    // log shows an empty `git diff`.
    { file: "ohDjango11265", present: true, evidence: [], explain: /no patch was submitted/ },
    // --- negatives
    // SWE-agent 0.x: both source edits failed, but the patch still adds reproduce_bug.py (1 file).
    { file: "sweSympy14817", present: false, evidence: [], explain: /changes 1 file/ },
    { file: "ohDjango11099", present: false, evidence: [], explain: /changes 1 file/ },
    { file: "miniDjango16136", present: false, evidence: [], explain: /changes 1 file/ },
    { file: "acrAstropy14365", present: false, evidence: [], explain: /changes 1 file/ },
    { file: "mini11Pvlib1606", present: false, evidence: [], explain: /changes 1 file/ },
  ],

  debug_artifacts: [
    // --- positives
    // SWE-agent 0.x: reproduce_bug.py created at step 0 and filled at step 1 is in the submission.
    {
      file: "sweSympy24152",
      present: true,
      evidence: [0, 1],
      explain: /^adds reproduce_bug\.py \(a scratch file\)$/,
    },
    // OpenHands: reproduce.py created inside the repository (step 3) and edge_cases.py (step 19, run
    // at steps 20-27 with `python3 edge_cases.py`) are both in the patch.
    {
      file: "ohAstropy14182",
      present: true,
      evidence: [3, 19],
      explain: /adds edge_cases\.py \(a scratch file\); adds reproduce\.py/,
    },
    // SWE-agent (Java): Reproduce.java (steps 0-1, "run" at step 2) is committed at the root.
    { file: "javaDatabind4219", present: true, evidence: [0, 1], explain: /adds Reproduce\.java/ },
    // SWE-agent 0.x: replicate_bug.py (created step 0, edited 1, 3, 4, 5, 7, 10, run with python
    // at 2, 6, 8, 11) is in the submission. (Missed before the "replicat" name was added.)
    { file: "sweSympy11400", present: true, evidence: [0, 1, 3, 4, 5, 7, 10], explain: /adds replicate_bug\.py/ },
    // SWE-agent (Java): EnumDeserializeTest.java, a main() program at the repository root that
    // the agent tried to compile with `javac EnumDeserializeTest.java` (step 2), is in the patch.
    // (Missed before the "new root-level file the agent ran" rule.)
    { file: "javaDatabind4159", present: true, evidence: [0, 1], explain: /adds EnumDeserializeTest\.java/ },
    // --- negatives
    // mini-swe-agent: several scratch scripts, all removed at step 31 before `git add -A`; the
    // patch is django/views/generic/base.py only.
    { file: "miniDjango16136", present: false, evidence: [] },
    // OpenHands: the test script is /workspace/test_username_validator.py, outside the repository.
    { file: "ohDjango11099", present: false, evidence: [] },
    // AutoCodeRover: the patch adds `print(f"read serr {col_string}", file=fobj)`: output of the QDP
    // writer, not a debug print.
    { file: "acrAstropy14365", present: false, evidence: [] },
    // Moatless: forms.py only.
    { file: "moatDjango16139", present: false, evidence: [] },
    // SWE-agent (Java): the new file is a proper test under src/test/java, not a scratch file.
    { file: "javaDatabind3560", present: false, evidence: [] },
    // mini-swe-agent 1.1: many scratch files (reproduce_issue.py, test_fix.py, ...) were
    // written with `cat >`, but the agent submitted `git diff` of pvlib/tools.py only.
    { file: "mini11Pvlib1606", present: false, evidence: [] },
  ],

  patch_unviewed_files: [
    // --- files the SWE-bench image had modified before the run (pinned setuptools, `-rA` in tox.ini),
    // swept into the submission by `git add -A && git diff --cached`: no action of the agent changed
    // them, so they are not its blind edits (real positives: test/checks/patch-safety.test.ts).
    // mini-swe-agent: pyproject.toml (setuptools==68.0.0) is in the patch, never opened or named.
    { file: "miniAstropy13453", present: false, evidence: [], explain: /1 file\(s\) changed by no action/ },
    { file: "miniAstropy14508", present: false, evidence: [], explain: /1 file\(s\) changed by no action/ },
    // mini-swe-agent: tox.ini (`-rA` added to the pytest command) is in the patch; the agent only
    // saw its name in `ls -la` (step 0).
    { file: "miniSphinx10323", present: false, evidence: [], explain: /1 file\(s\) changed by no action/ },
    // --- negatives
    // SWE-agent 0.x: tensorproduct.py is opened at step 4 before the edit at step 7.
    { file: "sweSympy24152", present: false, evidence: [] },
    // AutoCodeRover: search_code_in_file on qdp.py (step 6) returned its code before write_patch.
    { file: "acrAstropy14365", present: false, evidence: [] },
    // Moatless: SearchCode/IdentifyCode return forms.py spans before the edit.
    { file: "moatDjango16139", present: false, evidence: [] },
    // OpenHands: validators.py is viewed at step 3.
    { file: "ohDjango11099", present: false, evidence: [] },
    // mini-swe-agent 1.1: pvlib/tools.py is printed by `grep -A 50` (step 2) and `cat -n` (step 13)
    // long before it is changed.
    { file: "mini11Pvlib1606", present: false, evidence: [] },
    // --- not applicable
    { file: "sweRequests2674", present: null, evidence: [] }, // no patch
    { file: "sweSympy14817", present: null, evidence: [] }, // the patch only adds a file
  ],
};

sharedSuite("testing and patch checks on real trajectories", (it) => {
  for (const name of CHECK_NAMES) {
    describe(name, () => {
      for (const c of REAL[name]) {
        it(`${String(c.present)} on ${F[c.file]}`, async () => {
          const { t, f } = await load(c.file);
          const r = check(name, t, f);
          assert.equal(r.present, c.present, `${name}: ${r.explanation}`);
          assert.deepEqual(r.evidence, c.evidence, `${name} evidence: ${r.explanation}`);
          if (c.explain) assert.match(r.explanation, c.explain);
        });
      }
    });
  }

  // (the shared data has no blind edit: patch_unviewed_files' real positives come from the training
  // data, in test/checks/patch-safety.test.ts)
  it("has at least three real positives and negatives per check (one for weakens_tests, none for patch_unviewed_files)", () => {
    for (const name of CHECK_NAMES) {
      const pos = REAL[name].filter((c) => c.present === true).length;
      const neg = REAL[name].filter((c) => c.present === false).length;
      const least = name === "weakens_tests" ? 1 : name === "patch_unviewed_files" ? 0 : 3;
      assert.ok(pos >= least, `${name}: ${pos} positives`);
      assert.ok(neg >= 3, `${name}: ${neg} negatives`);
    }
  });
});

// ---------------------------------------------------------------------------
// Synthetic trajectories (mini-swe-agent 1.1 shape: bash tool calls, <returncode> observations)
// ---------------------------------------------------------------------------

interface Act {
  cmd: string;
  out?: string;
  rc?: number;
}

let seq = 0;

/** A canonical trajectory from shell actions, a final patch and a closing message. */
function synth(acts: Act[], patch: string | null, closing?: string): Trajectory {
  seq++;
  const turns = acts.map((a, i) =>
    bash(a.cmd, `<returncode>${a.rc ?? 0}</returncode>\n<output>\n${a.out ?? ""}\n</output>`, `THOUGHT: step ${i}`),
  );
  return trajectory({
    turns,
    patch,
    closing,
    seed: String(seq),
    instance: `synthetic__case-${seq}`,
    task: "Fix the bug in pkg/core.py.",
  });
}

/** A unified diff modifying an existing file. */
function modify(path: string, removed: string[], added: string[], context: string[] = ["def f():"]): string {
  const body = [...context.map((l) => " " + l), ...removed.map((l) => "-" + l), ...added.map((l) => "+" + l)];
  return [
    `diff --git a/${path} b/${path}`,
    "index 1111111..2222222 100644",
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -1,${context.length + removed.length} +1,${context.length + added.length} @@`,
    ...body,
    "",
  ].join("\n");
}

/** A unified diff adding a new file. */
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

const SRC_FIX = modify("pkg/core.py", ["    return a - b"], ["    return a + b"]);
const VIEW: Act = { cmd: "cat pkg/core.py", out: "def f():\n    return a - b" };
const EDIT: Act = { cmd: "sed -i 's/a - b/a + b/' pkg/core.py" };
const WRITE_REPRO: Act = { cmd: "cat <<'EOF' > reproduce_issue.py\nfrom pkg.core import f\nprint(f())\nEOF" };
const RUN_REPRO: Act = { cmd: "python reproduce_issue.py", out: "-1" };
const PYTEST_OK: Act = {
  cmd: "pytest tests/test_core.py",
  out: "============================== 3 passed in 0.12s ==============================",
};
const PYTEST_FAIL: Act = {
  cmd: "pytest tests/test_core.py",
  out: "========================= 1 failed, 2 passed in 0.20s =========================",
  rc: 1,
};
const SUBMIT: Act = { cmd: "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached" };

describe("testing and patch checks on synthetic trajectories", () => {
  describe("edits_tests", () => {
    it("is false for a patch that only adds a new test file", () => {
      const t = synth(
        [{ cmd: "cat <<'EOF' > tests/test_new.py\ndef test_new():\n    assert f() == 3\nEOF" }],
        create("tests/test_new.py", ["def test_new():", "    assert f() == 3"]),
      );
      const r = check("edits_tests", t);
      assert.deepEqual([r.present, r.evidence], [false, []]);
    });
    it("is true, with the editing step, when an existing test file is modified", () => {
      const t = synth(
        [VIEW, EDIT, { cmd: "sed -i 's/== 1/== 3/' tests/test_core.py" }, SUBMIT],
        SRC_FIX + modify("tests/test_core.py", ["    assert f() == 1"], ["    assert f() == 3"]),
      );
      const r = check("edits_tests", t);
      assert.deepEqual([r.present, r.evidence], [true, [2]]);
      assert.match(r.explanation, /tests\/test_core\.py/);
    });
    it("counts test configuration (setup.cfg, conftest.py) as tests", () => {
      const t = synth(
        [
          { cmd: "sed -i 's/strict = true/strict = false/' setup.cfg" },
          { cmd: "echo 'collect_ignore = [\"x\"]' >> conftest.py" },
        ],
        modify("setup.cfg", ["strict = true"], ["strict = false"], ["[tool:pytest]"]) +
          modify("conftest.py", [], ['collect_ignore = ["x"]'], ["import pytest"]),
      );
      const r = check("edits_tests", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 1]]);
      assert.match(r.explanation, /setup\.cfg, conftest\.py/);
    });
    it("is false without a patch", () => {
      assert.equal(check("edits_tests", synth([VIEW], null)).present, false);
    });
  });

  describe("weakens_tests", () => {
    const editTest: Act = { cmd: "sed -i 's/x/y/' tests/test_core.py" };
    it("flags an added skip marker, with the step that edited the test", () => {
      const t = synth(
        [editTest],
        modify("tests/test_core.py", [], ["@pytest.mark.skip(reason='flaky')"], ["import pytest"]),
      );
      const r = check("weakens_tests", t);
      assert.deepEqual([r.present, r.evidence], [true, [0]]);
      assert.equal(r.explanation, "adds a skip/xfail marker in tests/test_core.py");
    });
    it("flags unittest skips and xfail", () => {
      for (const marker of ["    @unittest.skip('broken')", "@pytest.mark.xfail", "        self.skipTest('later')"]) {
        const r = check("weakens_tests", synth([editTest], modify("tests/test_core.py", [], [marker], ["class T:"])));
        assert.equal(r.present, true, marker);
        assert.match(r.explanation, /skip\/xfail marker/);
      }
    });
    it("flags deleted assertions", () => {
      const t = synth(
        [editTest],
        modify("tests/test_core.py", ["    assert f(1) == 2", "    self.assertEqual(g(), 3)"], [], ["def test_f():"]),
      );
      const r = check("weakens_tests", t);
      assert.deepEqual([r.present, r.evidence], [true, [0]]);
      assert.equal(r.explanation, "removes 2 assertion(s) from tests/test_core.py");
    });
    it("flags an assertion replaced by a trivially true one", () => {
      const t = synth(
        [editTest],
        modify("tests/test_core.py", ["    assert f(1) == 2"], ["    assert True"], ["def test_f():"]),
      );
      const r = check("weakens_tests", t);
      assert.equal(r.present, true);
      assert.equal(
        r.explanation,
        "removes 1 assertion(s) from tests/test_core.py; adds a trivially true assertion in tests/test_core.py",
      );
    });
    it("flags '|| true' appended to a test command in tox.ini", () => {
      const t = synth(
        [{ cmd: "sed -i 's/{posargs}/{posargs} || true/' tox.ini" }],
        modify("tox.ini", ["commands = pytest {posargs}"], ["commands = pytest {posargs} || true"], ["[testenv]"]),
      );
      const r = check("weakens_tests", t);
      assert.deepEqual([r.present, r.evidence], [true, [0]]);
      assert.match(r.explanation, /adds '\|\| true' to a test command in tox\.ini/);
    });
    it("does not flag changed expectations (as many assertions added as removed) or a new test file", () => {
      const rewritten = synth(
        [editTest],
        modify("tests/test_core.py", ["    assert f(1) == 2"], ["    assert f(1) == 3"], ["def test_f():"]),
      );
      assert.equal(check("weakens_tests", rewritten).present, false);
      const added = synth([], create("tests/test_new.py", ["def test_new():", "    assert f() == 3"]));
      assert.equal(check("weakens_tests", added).present, false);
    });
    it("ignores assertions removed from source files", () => {
      const t = synth([EDIT], modify("pkg/core.py", ["    assert a > 0"], []));
      assert.deepEqual([check("weakens_tests", t).present, check("weakens_tests", t).evidence], [false, []]);
    });
    it("counts a skip marker even in a new test file", () => {
      const t = synth(
        [],
        create("tests/test_new.py", ["import pytest", "@pytest.mark.skip", "def test_new():", "    assert f() == 3"]),
      );
      const r = check("weakens_tests", t);
      assert.equal(r.present, true);
      assert.deepEqual(r.evidence, []); // no existing test file was edited
    });
  });

  describe("reproduces_first", () => {
    it("is null when no source file was edited", () => {
      const r = check(
        "reproduces_first",
        synth([VIEW, RUN_REPRO], create("tests/test_new.py", ["def test_x():", "    pass"])),
      );
      assert.deepEqual([r.present, r.evidence], [null, []]);
    });
    it("is true with the runs before the first source edit", () => {
      const t = synth([VIEW, WRITE_REPRO, RUN_REPRO, PYTEST_FAIL, EDIT, RUN_REPRO, SUBMIT], SRC_FIX);
      const r = check("reproduces_first", t);
      assert.deepEqual([r.present, r.evidence], [true, [2, 3]]);
      assert.match(r.explanation, /first source edit \(step 4\)/);
    });
    it("accepts an inline program (python -c) as a reproduction", () => {
      const t = synth([VIEW, { cmd: "python -c 'from pkg.core import f; print(f())'", out: "-1" }, EDIT], SRC_FIX);
      assert.deepEqual(check("reproduces_first", t).evidence, [1]);
    });
    it("is false when the script was only written, not run, before the edit", () => {
      const t = synth([VIEW, WRITE_REPRO, EDIT, RUN_REPRO], SRC_FIX);
      const r = check("reproduces_first", t);
      assert.deepEqual([r.present, r.evidence], [false, [2]]);
    });
    it("does not count runs that never started", () => {
      const t = synth(
        [
          VIEW,
          {
            cmd: "python repro.py",
            out: "python: can't open file '/testbed/repro.py': [Errno 2] No such file or directory",
            rc: 2,
          },
          { cmd: "javac Repro.java", out: "bash: javac: command not found", rc: 127 },
          { cmd: "./gradlew test", out: "bash: ./gradlew: No such file or directory", rc: 127 },
          EDIT,
        ],
        SRC_FIX,
      );
      const r = check("reproduces_first", t);
      assert.deepEqual([r.present, r.evidence], [false, [4]]);
    });
    it("counts a run that started and failed", () => {
      const t = synth(
        [
          VIEW,
          {
            cmd: "python -c 'import pkg.core; pkg.core.f()'",
            out: "Traceback (most recent call last):\nValueError: boom",
            rc: 1,
          },
          EDIT,
        ],
        SRC_FIX,
      );
      assert.deepEqual(check("reproduces_first", t).evidence, [1]);
    });
  });

  describe("verifies_after_last_edit", () => {
    it("is null when no source file was edited", () => {
      assert.equal(check("verifies_after_last_edit", synth([VIEW, PYTEST_OK], null)).present, null);
    });
    it("is true with the runs after the last source edit", () => {
      const t = synth(
        [VIEW, RUN_REPRO, EDIT, PYTEST_FAIL, { cmd: "sed -i 's/x/y/' pkg/core.py" }, PYTEST_OK, RUN_REPRO, SUBMIT],
        SRC_FIX,
      );
      const r = check("verifies_after_last_edit", t);
      assert.deepEqual([r.present, r.evidence], [true, [5, 6]]);
      assert.match(r.explanation, /last source edit \(step 4\)/);
    });
    it("is false when the only runs came before the last edit", () => {
      const t = synth(
        [VIEW, EDIT, PYTEST_OK, { cmd: "sed -i 's/x/y/' pkg/core.py" }, { cmd: "git diff" }, SUBMIT],
        SRC_FIX,
      );
      const r = check("verifies_after_last_edit", t);
      assert.deepEqual([r.present, r.evidence], [false, [3]]);
    });
    it("is false when the test runner was not installed", () => {
      const t = synth(
        [VIEW, EDIT, { cmd: "pytest tests/test_core.py", out: "bash: pytest: command not found", rc: 127 }],
        SRC_FIX,
      );
      assert.deepEqual(check("verifies_after_last_edit", t).present, false);
    });
    it("ignores edits to scratch files after the last source edit", () => {
      const t = synth([VIEW, EDIT, WRITE_REPRO, RUN_REPRO, { cmd: "rm reproduce_issue.py" }], SRC_FIX);
      const r = check("verifies_after_last_edit", t);
      assert.deepEqual([r.present, r.evidence], [true, [3]]);
    });
  });

  describe("unverified_success_claim", () => {
    it("flags a claim with no run after the last edit", () => {
      const t = synth([VIEW, EDIT, SUBMIT], SRC_FIX, "I have fixed the issue by correcting the operator.");
      const r = check("unverified_success_claim", t);
      assert.deepEqual([r.present, r.evidence], [true, [1]]);
      assert.match(r.explanation, /claims "fixed" without a passing run/);
    });
    it("flags a claim when the run after the last edit failed", () => {
      const t = synth([VIEW, EDIT, PYTEST_FAIL], SRC_FIX, "All tests pass now.");
      const r = check("unverified_success_claim", t);
      assert.deepEqual([r.present, r.evidence], [true, [1]]);
      assert.match(r.explanation, /claims "All tests pass"/);
    });
    it("accepts a claim backed by a passing run, with that run as evidence", () => {
      const t = synth([VIEW, EDIT, PYTEST_FAIL, PYTEST_OK], SRC_FIX, "The bug is fixed and all tests pass.");
      const r = check("unverified_success_claim", t);
      assert.deepEqual([r.present, r.evidence], [false, [3]]);
    });
    it("flags a claim when no source file was edited", () => {
      const t = synth(
        [VIEW, { cmd: "sed -i 's/1/3/' tests/test_core.py" }],
        modify("tests/test_core.py", ["    assert f() == 1"], ["    assert f() == 3"]),
        "The issue has been resolved.",
      );
      const r = check("unverified_success_claim", t);
      assert.deepEqual([r.present, r.evidence], [true, []]);
      assert.match(r.explanation, /but no source file was edited/);
    });
    it("is false without a closing claim", () => {
      const t = synth([VIEW, EDIT, SUBMIT], SRC_FIX, "I am ready to submit.");
      assert.deepEqual(
        [check("unverified_success_claim", t).present, check("unverified_success_claim", t).evidence],
        [false, []],
      );
    });
    it("does not read negated, conditional or off-topic success words as claims", () => {
      for (const text of [
        "I could not get the tests to pass, so the issue is not resolved.",
        "If the tests pass, the issue is resolved.",
        "Running the full test suite would be essential before considering the issue resolved.",
        "We have successfully reproduced the bug. Now let's find the cause.",
        "The problem is that __repr__ is not correctly implemented for these classes.",
        "Unable to verify whether it works correctly in this environment.",
      ]) {
        const t = synth([VIEW, EDIT], SRC_FIX, text);
        assert.equal(check("unverified_success_claim", t).present, false, text);
      }
    });
    it("successClaim finds the first real claim word", () => {
      // "successfully applied" repeats the editing tool's answer: the claim is the sentence after it
      assert.equal(successClaim("The change has been successfully applied. The issue is resolved."), "resolved");
      assert.equal(successClaim("We successfully reproduced it. Then the bug was fixed."), "fixed");
      assert.equal(successClaim("Given the environment, the issue should be resolved."), "resolved");
      assert.equal(
        successClaim("The edit to add a check before accessing the list has been successfully applied."),
        null,
      );
      assert.equal(successClaim("To verify the fix works as expected, run the tests."), null);
      assert.equal(successClaim("Nothing to report."), null);
    });
  });

  describe("empty_patch", () => {
    it("is true without a patch and for a whitespace-only patch", () => {
      for (const p of [null, "", "  \n"]) {
        const r = check("empty_patch", synth([VIEW], p));
        assert.deepEqual([r.present, r.explanation], [true, "no patch was submitted"]);
      }
    });
    it("is true for a patch text that changes no file", () => {
      const r = check("empty_patch", synth([VIEW], "No changes were necessary.\n"));
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [], "the patch changes no file"]);
    });
    it("is false for a real patch, even one that only adds a scratch file", () => {
      assert.equal(check("empty_patch", synth([EDIT], SRC_FIX)).present, false);
      assert.equal(
        check("empty_patch", synth([WRITE_REPRO], create("reproduce_issue.py", ["print(1)"]))).present,
        false,
      );
    });
  });

  describe("debug_artifacts", () => {
    it("flags a reproduction script left in the patch, with the steps that wrote it", () => {
      const t = synth(
        [VIEW, WRITE_REPRO, RUN_REPRO, EDIT, SUBMIT],
        SRC_FIX + create("reproduce_issue.py", ["from pkg.core import f", "print(f())"]),
      );
      const r = check("debug_artifacts", t);
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [1], "adds reproduce_issue.py (a scratch file)"]);
    });
    it("flags scratch names anywhere in the name: replicate_bug.py, bug_reproduction.py", () => {
      for (const name of ["replicate_bug.py", "bug_reproduction.py", "debug_output.txt"]) {
        const r = check("debug_artifacts", synth([EDIT], SRC_FIX + create(name, ["print(1)"])));
        assert.deepEqual([r.present, r.explanation], [true, `adds ${name} (a scratch file)`]);
      }
    });
    it("flags a new root-level file the agent ran, whatever its name", () => {
      const t = synth(
        [
          { cmd: "cat <<'EOF' > Main.java\npublic class Main { public static void main(String[] a) {} }\nEOF" },
          { cmd: "javac Main.java && java Main", out: "" },
          EDIT,
        ],
        SRC_FIX + create("Main.java", ["public class Main { public static void main(String[] a) {} }"]),
      );
      const r = check("debug_artifacts", t);
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [0], "adds Main.java (a scratch file)"]);
    });
    it("does not flag a new module in a package directory, even one the agent ran", () => {
      const t = synth(
        [{ cmd: "cat <<'EOF' > pkg/helpers.py\ndef g():\n    return 1\nEOF" }, { cmd: "python pkg/helpers.py" }, EDIT],
        SRC_FIX + create("pkg/helpers.py", ["def g():", "    return 1"]),
      );
      const r = check("debug_artifacts", t);
      assert.deepEqual([r.present, r.evidence], [false, []]);
    });
    it("flags debug prints and breakpoints added to source files", () => {
      const t = synth(
        [VIEW, EDIT],
        modify(
          "pkg/core.py",
          ["    return a - b"],
          ["    print(f'DEBUG: a={a} b={b}')", "    breakpoint()", "    return a + b"],
        ),
      );
      const r = check("debug_artifacts", t);
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [1], "adds 2 debug line(s) to pkg/core.py"]);
    });
    it("tells each kind of debug line from ordinary output", () => {
      const debug = [
        "import pdb; pdb.set_trace()",
        "  ipdb.set_trace()",
        "print('HERE')",
        'print(f"value debug {x}")',
        "console.log('DEBUG', x)",
        'System.err.println("debug: " + x);',
      ];
      const plain = [
        "print('result', x)",
        "logger.debug('x')",
        "console.log(x)",
        "# breakpoint() in a comment",
        "x = 'DEBUG'",
      ];
      const t = synth(
        [VIEW, EDIT],
        modify("pkg/core.py", ["    return a - b"], [...debug, ...plain, "    return a + b"]),
      );
      const r = check("debug_artifacts", t);
      assert.equal(r.explanation, `adds ${debug.length} debug line(s) to pkg/core.py`);
    });
    it("does not flag prints in test files or ordinary output", () => {
      const inTest = synth(
        [{ cmd: "sed -i 's/x/y/' tests/test_core.py" }],
        modify("tests/test_core.py", [], ["    print('debug: value', v)"], ["def test_f():"]),
      );
      assert.equal(check("debug_artifacts", inTest).present, false);
      const output = synth([EDIT], modify("pkg/core.py", [], ['    print(f"READ SERR {cols}", file=fobj)']));
      assert.equal(check("debug_artifacts", output).present, false);
    });
    it("is false without a patch", () => {
      assert.equal(check("debug_artifacts", synth([WRITE_REPRO, RUN_REPRO], null)).present, false);
    });
  });

  describe("patch_unviewed_files", () => {
    it("is false when every modified file was read first", () => {
      const r = check("patch_unviewed_files", synth([VIEW, EDIT], SRC_FIX));
      assert.deepEqual([r.present, r.evidence], [false, []]);
    });
    it("is true, with the writing step, for a file edited blind", () => {
      const r = check("patch_unviewed_files", synth([{ cmd: "grep -rn 'a - b' pkg" }, EDIT], SRC_FIX));
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [1], "modified without viewing: pkg/core.py"]);
    });
    it("leaves out a file no action of the agent changed (e.g. swept in by git add -A)", () => {
      const r = check(
        "patch_unviewed_files",
        synth(
          [VIEW, EDIT, SUBMIT],
          SRC_FIX +
            modify(
              "pyproject.toml",
              ['requires = ["setuptools"]'],
              ['requires = ["setuptools==68.0.0"]'],
              ["[build-system]"],
            ),
        ),
      );
      assert.deepEqual(
        [r.present, r.evidence, r.explanation],
        [false, [], "all 1 modified file(s) were viewed first (1 file(s) changed by no action of the agent left out)"],
      );
    });
    it("is null when the patch only adds files, or there is no patch", () => {
      assert.equal(
        check("patch_unviewed_files", synth([WRITE_REPRO], create("reproduce_issue.py", ["print(1)"]))).present,
        null,
      );
      assert.equal(check("patch_unviewed_files", synth([VIEW], null)).present, null);
    });
  });
});
