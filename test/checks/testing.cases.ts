/**
 * The hand-labelled sample for the testing checks (reproduces_first, verifies_after_last_edit,
 * unverified_success_claim, weakens_tests): real trajectories from the shared data and the
 * training data, each read by hand (the run steps, their outputs, the scripts they ran, the
 * closing words), never decided from a check's output. A run counts only when it ran code of the
 * repository and got past start-up (not a version or import probe, not a missing module or
 * pytest, not a program that never started, not a mock that copies the code it tests). A claim is
 * the agent saying the issue is fixed or the code works, not the editor's "successfully applied".
 * `present` is what the reading found; `miss` marks a case the check gets wrong (its test then
 * asserts the wrong verdict, so a fix shows up as a failing test to update).
 * test/checks/testing-sample.test.ts runs them; scripts/check-precision.mjs computes precision and
 * recall. Step numbers are the canonical step indices (what `rubricate inspect` shows).
 */
import type { LabelledCase } from "./patch-safety.cases.js";

export const CHECKED = [
  "reproduces_first",
  "verifies_after_last_edit",
  "unverified_success_claim",
  "weakens_tests",
] as const;
export type Checked = (typeof CHECKED)[number];

const ACR = "acr-gpt4-lite/results";
const MOAT = "moatless-lite/evaluations";
const LITE = "sweagent-gpt4-lite/results/swe-agent-results";
const JAVA = "sweagent-java/evaluation/java/verified";
const DEEPSEEK = "minisweagent-deepseek/output";
const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs";
/** OpenHands CodeAct: one folder per instance holding one completion log */
const OH =
  "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";

/** A mini-swe-agent trajectory: `<folder>/<id>/<id>.traj.json`. */
const mini = (folder: string, id: string) => `${folder}/${id}/${id}.traj.json`;

export const CASES: Record<Checked, LabelledCase[]> = {
  reproduces_first: [
    // --- present
    // mini-swe-agent (deepseek): reproduce_issue.py stops at `No module named 'numpy'` (6), 'pytz' (8),
    // 'h5py' (10); step 12 runs test_golden_section.py, which loads ./pvlib/tools.py by path
    // (spec_from_file_location) and shows "Iterations exceeded maximum"; first source edit 37.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "pvlib__pvlib-python-1606"),
      data: "shared",
      present: true,
      evidence: [12],
    },
    // SWE-agent 0.x: step 2 runs reproduce_bug.py (the unexpanded TensorProduct) before the edit at 7.
    { file: `${LITE}/cost_2_1/sympy__sympy-24152.traj`, data: "shared", present: true, evidence: [2] },
    // OpenHands: step 5 cannot open the script; step 6 runs it from /workspace (validators accept "\n").
    { file: `${OH}/django__django-11099`, data: "shared", present: true, evidence: [6] },
    // OpenHands: step 4 runs reproduce.py (traceback on header_rows) before the rst.py edit at 7.
    { file: `${OH}/astropy__astropy-14182`, data: "shared", present: true, evidence: [4] },
    // mini-swe-agent (gemini): step 2 runs reproduce_issue.py (wrong separability matrix).
    { file: mini(GEMINI, "astropy__astropy-12907"), data: "shared", present: true, evidence: [2] },
    // mini-swe-agent (gemini): sphinx-quickstart (3) and sphinx-build of that project (5) before the edit at 7.
    { file: mini(GEMINI, "sphinx-doc__sphinx-10435"), data: "train", present: true, evidence: [3, 5] },
    // mini-swe-agent (gemini): reproduce_issue.py with two middlewares (10, 16) before the edit at 22.
    { file: mini(GEMINI, "django__django-13344"), data: "train", present: true, evidence: [10, 16] },
    // mini-swe-agent (gemini): reproduce scripts with Django models (2, 4, 17, 19, 26) before 36.
    { file: mini(GEMINI, "django__django-13964"), data: "train", present: true, evidence: [2, 4, 17, 19, 26] },
    // mini-swe-agent (gemini): step 4 prints the wrong LaTeX of the commutator before the edit at 18.
    { file: mini(GEMINI, "sympy__sympy-21930"), data: "train", present: true, evidence: [4] },
    // mini-swe-agent (deepseek): reproduce_issue.py and test_duplicate_logs.py import pydicom and show
    // its own handler (7, 8, 19); 6 and 27 are import probes.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "pydicom__pydicom-901"), data: "train", present: true },
    // --- absent
    // mini-swe-agent (deepseek): reproduce_issue.py stops at `No module named 'asgiref'` (10), then
    // 'sqlparse' (12); nothing else runs before the edit at 25.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-15738"),
      data: "shared",
      present: false,
      evidence: [25],
    },
    // mini-swe-agent (gemini): reproduce_issue.py (3) and check_packaging.py (6) compare versions with
    // LooseVersion/packaging directly, 4 and 5 print versions: astropy's minversion never runs.
    { file: mini(GEMINI, "astropy__astropy-7671"), data: "shared", present: false, evidence: [15] },
    // SWE-agent 0.x: search and open only before the edit at 6.
    { file: `${LITE}/cost_2_1/django__django-16139.traj`, data: "shared", present: false, evidence: [6] },
    // OpenHands: ls/find/view/grep before the edit at 6.
    { file: `${OH}/django__django-11095`, data: "shared", present: false, evidence: [6] },
    // SWE-agent (Java): `javac Reproduce.java` answers "javac: command not found" (2).
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4219.traj`,
      data: "shared",
      present: false,
      evidence: [5],
    },
    // mini-swe-agent (deepseek): reproduce_issue.py stops at `No module named 'wrapt'` (7) and an
    // ImportError inside wrapt (9); test_unknown.py, test_str_unknown.py (a copy of NodeNG and
    // Unknown), fix_unknown*.py read or copy the code instead of importing astroid.
    {
      file: mini(`${DEEPSEEK}/deepseek_lite_dev_noparallel`, "pylint-dev__astroid-1268"),
      data: "train",
      present: false,
      evidence: [44],
    },
    // SWE-agent (Java): javac not found (2), then searches until the edit at 7.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-core-922.traj`,
      data: "train",
      present: false,
      evidence: [7],
    },
    // SWE-agent 0.x: search/view only before the edit at 5.
    { file: `${LITE}/cost_2_2/pallets__flask-5063.traj`, data: "train", present: false, evidence: [5] },
    // SWE-agent (Java): javac not found (2).
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-4486.traj`,
      data: "train",
      present: false,
      evidence: [5],
    },
    // SWE-agent (Java): javac (2), java in a script (5), mvn in a script (13): none found.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4641.traj`,
      data: "train",
      present: false,
      evidence: [16],
    },
    // SWE-agent (Java): javac and java not found (2), then searches.
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/apache__dubbo-10638.traj`,
      data: "train",
      present: false,
      evidence: [16],
    },
    // SWE-agent 0.x: search/view only before the edit at 9.
    { file: `${LITE}/cost_2_1/django__django-13321.traj`, data: "train", present: false, evidence: [9] },
    // --- a second batch, drawn at random after the rules above were set, read the same way
    // mini-swe-agent (deepseek): test_issue.py stops at missing asgiref, pytz, sqlparse (18-22);
    // test_simple.py (24) imports django and shows `Q() & Exists(...)` raising TypeError.
    { file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-14017"), data: "train", present: true },
    { file: mini(GEMINI, "django__django-14999"), data: "train", present: true, evidence: [6] },
    // mini-swe-agent (deepseek): the Django scripts stop at `No module named 'pytz'` (7, 19); the others
    // test a copy of the ordering regex with `re` alone (8, 13, 16, 17, 20): Django's compiler never runs.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-11001"),
      data: "train",
      present: false,
      evidence: [23],
    },
    { file: mini(GEMINI, "django__django-14017"), data: "train", present: true, evidence: [5, 24, 29] },
    { file: mini(GEMINI, "pydata__xarray-4695"), data: "train", present: true, evidence: [2, 4] },
    // mini-swe-agent (gemini): reproduce_issue.py prints the wrong two-digit years (6); 4 and 7 are
    // one-line programs about the standard library.
    { file: mini(GEMINI, "django__django-11848"), data: "train", present: true, evidence: [6] },
    { file: mini(GEMINI, "sympy__sympy-13757"), data: "train", present: true, evidence: [2, 16, 17] },
    { file: mini(GEMINI, "sympy__sympy-12419"), data: "train", present: true, evidence: [2, 7, 11, 13] },
  ],

  verifies_after_last_edit: [
    // --- present
    { file: `${LITE}/cost_2_1/sympy__sympy-24152.traj`, data: "shared", present: true, evidence: [8] },
    { file: `${OH}/django__django-11099`, data: "shared", present: true, evidence: [10, 14] },
    // OpenHands: after the edit at 6, test_inlines.py stops at start-up twice (9: settings are not
    // configured; 13: a model outside INSTALLED_APPS); 17 and 21 reach the admin code.
    { file: `${OH}/django__django-11095`, data: "shared", present: true, evidence: [17, 21] },
    { file: mini(GEMINI, "astropy__astropy-12907"), data: "shared", present: true, evidence: [7, 9, 12, 18] },
    // mini-swe-agent (gemini): reproduce_issue.py (19), test_edge_cases.py (21) and runtests.py (35, 38).
    { file: mini(GEMINI, "django__django-16145"), data: "train", present: true, evidence: [19, 21, 35, 38] },
    { file: mini(GEMINI, "django__django-16938"), data: "train", present: true, evidence: [16, 19, 20] },
    // mini-swe-agent (gemini): pytest test_image.py::test_huge_range_log after the edit at 43.
    { file: mini(GEMINI, "matplotlib__matplotlib-20488"), data: "train", present: true, evidence: [44] },
    { file: mini(GEMINI, "django__django-16139"), data: "train", present: true, evidence: [19, 20, 24] },
    // mini-swe-agent (gemini): sphinx-build of its reproduction project, many times after the edit at 39.
    { file: mini(GEMINI, "sphinx-doc__sphinx-8035"), data: "train", present: true },
    // mini-swe-agent (deepseek): test_fix.py (49) and pytest on test_irradiance.py (57-63) after 48.
    { file: mini(`${DEEPSEEK}/deepseek_lite_dev`, "pvlib__pvlib-python-1154"), data: "train", present: true },
    // --- absent
    { file: `${LITE}/cost_2_1/django__django-16139.traj`, data: "shared", present: false, evidence: [6] },
    // SWE-agent (Java): `javac` not found (7) after the edit at 2.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-3560.traj`,
      data: "shared",
      present: false,
      evidence: [2],
    },
    // mini-swe-agent (gemini): git diff and submit after the docstring fix at 45.
    { file: mini(GEMINI, "pydata__xarray-7229"), data: "shared", present: false, evidence: [45] },
    // mini-swe-agent (deepseek): after the edit at 73, verify_fix.py (75) parses pyvista/core/grid.py
    // with `ast` and looks for strings: it never runs the code.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev_rerun`, "pyvista__pyvista-4315"),
      data: "train",
      present: false,
      evidence: [73],
    },
    // mini-swe-agent (deepseek): after the edit at 15, test_fix.py and verify_pr_example.py stop at
    // `No module named 'numpy'` (19, 28); the other scripts only print an analysis (20, 26, 27, 29).
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "astropy__astropy-12907"),
      data: "train",
      present: false,
      evidence: [15],
    },
    { file: `${LITE}/cost_2_2/django__django-13321.traj`, data: "train", present: false, evidence: [10] },
    { file: `${LITE}/cost_2_3/django__django-14915.traj`, data: "train", present: false, evidence: [6] },
    { file: `${LITE}/cost_2_2/sympy__sympy-19254.traj`, data: "train", present: false, evidence: [5] },
    { file: `${LITE}/cost_2_1/pytest-dev__pytest-5227.traj`, data: "train", present: false, evidence: [2] },
    // SWE-agent (Java): edits and searches only after the edit at 29.
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-1133.traj`,
      data: "train",
      present: false,
      evidence: [29],
    },
    { file: `${LITE}/cost_2_2/scikit-learn__scikit-learn-13497.traj`, data: "train", present: false, evidence: [5] },
    // --- a second batch, drawn at random after the rules above were set
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-databind-4015.traj`,
      data: "train",
      present: false,
      evidence: [6],
    },
    { file: mini(GEMINI, "pydata__xarray-4695"), data: "train", present: true, evidence: [70] },
    { file: `${LITE}/cost_2_2/django__django-11815.traj`, data: "train", present: false, evidence: [8] },
    // mini-swe-agent (deepseek): after the edit at 11, test_implementation.py stops at a missing module
    // (13), pytest is not installed (16), Django's runner stops at start-up (17), and the other scripts
    // read the source as text (14, 20, 23, 24).
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-14752"),
      data: "train",
      present: false,
      evidence: [11],
    },
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-core-964.traj`,
      data: "train",
      present: false,
      evidence: [4],
    },
    { file: mini(GEMINI, "sympy__sympy-12481"), data: "train", present: true, evidence: [41] },
    // mini-swe-agent (gemini): the reproduction scripts print "Caught expected ImproperlyConfigured:
    // settings.FIXTURE_DIRS contains duplicates" (16-19): the fixed check firing, not a start-up failure.
    { file: mini(GEMINI, "django__django-15987"), data: "train", present: true, evidence: [16, 17, 18, 19, 24] },
    { file: `${LITE}/cost_2_1/pytest-dev__pytest-8365.traj`, data: "train", present: false, evidence: [6] },
    {
      file: mini(GEMINI, "django__django-14580"),
      data: "train",
      present: true,
      evidence: [14, 16, 18, 21, 22, 25, 28],
    },
    { file: `${LITE}/cost_2_1/pytest-dev__pytest-8906.traj`, data: "train", present: false, evidence: [13] },
  ],

  unverified_success_claim: [
    // --- present
    // Moatless (claude): "The issue has been resolved ..." after the EditCode at 4; nothing runs.
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-16139.json`,
      data: "shared",
      present: true,
    },
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/scikit-learn__scikit-learn-14983.json`,
      data: "shared",
      present: true,
    },
    // SWE-agent 0.x: "This change should resolve the issue ... it seems we've addressed the issue", no run.
    { file: `${LITE}/cost_2_1/django__django-16139.traj`, data: "shared", present: true },
    // AutoCodeRover: "This patch addresses the issue by ..."; nothing runs.
    { file: `${ACR}/acr-run-3/applicable_patch/sympy__sympy-17655_2024-04-04_18-34-02`, data: "shared", present: true },
    // Moatless (gpt-4o): its finish reason "The issue has been resolved by updating the _line_type function".
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/astropy__astropy-14365.json`, data: "shared", present: true },
    // SWE-agent 0.x: "the logic now correctly handles `discrete_features` ... This change addresses the issue".
    { file: `${LITE}/cost_2_1/scikit-learn__scikit-learn-13497.traj`, data: "train", present: true },
    // SWE-agent (Java): "The code has been updated ..., which should fix the issue"; javac is missing.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-4015.traj`,
      data: "train",
      present: true,
    },
    // Moatless (gpt-4o): "This should prevent the IndexError for tall matrices."
    { file: `${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-12454.json`, data: "train", present: true },
    // Moatless (claude): "The _print_SingularityFunction method now handles the 'exp' keyword argument."
    { file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/sympy__sympy-21171.json`, data: "train", present: true },
    // Moatless (claude): "The changes we've made address the issue ... The implementation is complete".
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/sphinx-doc__sphinx-8273.json`,
      data: "train",
      present: true,
    },
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/sympy__sympy-15609.json`, data: "train", present: true },
    // SWE-agent 0.x: "has been successfully updated to sanitize the username ... should address the issue".
    { file: `${LITE}/cost_2_2/pytest-dev__pytest-8365.traj`, data: "train", present: true },
    // SWE-agent (Java): "Now that we have implemented and verified the fix" with no source file changed.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4469.traj`,
      data: "train",
      present: true,
    },
    // Moatless (claude): "This should fix the issue ... the issue has been properly addressed."
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-13925.json`,
      data: "train",
      present: true,
    },
    // Moatless (gpt-4o): "This should resolve the IntegrityError issue during migration."
    {
      file: `${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-11283.json`,
      data: "train",
      present: true,
    },
    // --- absent
    // SWE-agent 0.x: "... now works as expected", and reproduce_bug.py passed after the edit (8).
    { file: `${LITE}/cost_2_1/sympy__sympy-24152.traj`, data: "shared", present: false },
    // OpenHands: claims success, and the validator script passed after the last edit (10, 14).
    { file: `${OH}/django__django-11099`, data: "shared", present: false },
    // SWE-agent 0.x: "would be essential before considering the issue resolved": no claim.
    { file: `${LITE}/cost_2_3/django__django-14855.traj`, data: "shared", present: false },
    // mini-swe-agent: "Everything looks good. I am ready to submit."
    { file: mini(GEMINI, "astropy__astropy-12907"), data: "shared", present: false },
    // SWE-agent 0.x: "The edit to add a comment ... has been successfully made" (the tool's answer)
    // and the real fix "would require a more in-depth change ... beyond the scope of this session".
    { file: `${LITE}/cost_2_1/django__django-16816.traj`, data: "shared", present: false },
    // SWE-agent 0.x: both edits rejected; "A more conservative approach could involve adding a type
    // check ..., thus avoiding the error": a plan, not a claim.
    { file: `${LITE}/cost_2_1/sympy__sympy-14817.traj`, data: "shared", present: false },
    // SWE-agent 0.x: "scrolling ... has not yet revealed the specific implementation details that
    // directly address the issue ... fixing the bug might require ...": nothing changed, nothing claimed.
    { file: `${LITE}/cost_2_1/django__django-12470.traj`, data: "shared", present: false },
    // AutoCodeRover: "This patch adds a method ... that, for now, returns a placeholder": no claim.
    {
      file: `${ACR}/acr-run-3/applicable_patch/django__django-16816_2024-04-04_18-58-48`,
      data: "shared",
      present: false,
    },
    // SWE-agent 0.x: "The output from the reproduce_bug.py script confirms that the issue has been
    // resolved", and it passed after the last edit (11).
    { file: `${LITE}/cost_2_2/django__django-11133.traj`, data: "train", present: false },
    // mini-swe-agent (deepseek): "Perfect! The fix works." after test_fix.py and pytest passed (49-77).
    { file: mini(`${DEEPSEEK}/deepseek_lite_dev`, "pvlib__pvlib-python-1154"), data: "train", present: false },
    // SWE-agent (Java): Maven cannot run; "we'll have to rely on the assumption that the test case
    // should pass": no claim of a fix.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/apache__dubbo-7041.traj`,
      data: "train",
      present: false,
    },
    // SWE-agent (Java): the run ended at the cost limit ("Exit due to cost limit").
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-3625.traj`,
      data: "train",
      present: false,
    },
    // SWE-agent 0.x: a placeholder comment "indicating a future update to address the issue".
    { file: `${LITE}/cost_2_3/sympy__sympy-20049.traj`, data: "train", present: false },
    // mini-swe-agent: "Good! The patch shows we added the `visit_unknown` method. Now let me submit".
    {
      file: mini(`${DEEPSEEK}/deepseek_lite_dev`, "pylint-dev__astroid-1268"),
      data: "train",
      present: false,
    },
    // SWE-agent 0.x: a plan that ends "let's conclude this session".
    { file: `${LITE}/cost_2_2/sympy__sympy-20322.traj`, data: "train", present: false },
    { file: `${LITE}/cost_2_1/sympy__sympy-14308.traj`, data: "train", present: false },
    { file: mini(GEMINI, "sympy__sympy-16766"), data: "train", present: false },
    // --- a second batch, drawn at random after the rules above were set
    // SWE-agent 0.x: "settings.py has been successfully updated ... the setup necessary to replicate the
    // issue is complete": about its reproduction, and the rest is advice.
    { file: `${LITE}/cost_2_1/django__django-16400.traj`, data: "train", present: false },
    { file: mini(GEMINI, "sphinx-doc__sphinx-7462"), data: "train", present: false },
    // Moatless (gpt-4o): "The code has been updated to ignore missing variables ...".
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/pydata__xarray-3364.json`, data: "train", present: true },
    { file: `${LITE}/cost_2_2/django__django-13964.traj`, data: "train", present: false },
    // SWE-agent 0.x: "This change addresses the issue by ensuring that the PK is cleared".
    { file: `${LITE}/cost_2_3/django__django-11179.traj`, data: "train", present: true },
    { file: `${LITE}/cost_2_2/sympy__sympy-21171.traj`, data: "train", present: true },
    { file: `${LITE}/cost_2_1/sympy__sympy-16988.traj`, data: "train", present: false },
    // SWE-agent 0.x: "has now been successfully updated to use the Knuth-Cohen bound ... modified
    // according to the issue's instructions", nothing run.
    { file: `${LITE}/cost_2_3/sympy__sympy-19254.traj`, data: "train", present: true },
    {
      file: `${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-14752.json`,
      data: "train",
      present: true,
    },
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/matplotlib__matplotlib-23563.json`,
      data: "train",
      present: true,
    },
    // SWE-agent 0.x: "there are no code changes required to address the issue": no claim of a fix.
    { file: `${LITE}/cost_2_1/psf__requests-3362.traj`, data: "train", present: false },
  ],

  weakens_tests: [
    // --- present: rare. Over both folders (SWE-agent, mini-swe-agent, OpenHands, Moatless) the check
    // fired on 7 trajectories: 5 read as weakening (listed here), jib-2542 (a half-deleted
    // `Assert.assertThat(` beside an added test) left out as unclear, and the one in-run hit,
    // sphinx-9230 (below), is not one.
    // Moatless (gpt-4o): test_applymarker loses `assert "xfail" in item1.keywords` and now expects the bug.
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/pytest-dev__pytest-7490.json`, data: "shared", present: true },
    // mini-swe-agent (deepseek): the agent's run shows test_merge_warning failing on
    // `self.assertEqual(Media.merge([1, 2], [2, 1]), [1, 2])` (69); the patch turns it into
    // `self.assertIn(result, [[1, 2], [2, 1]])`, which accepts the wrong order.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-11019"),
      data: "train",
      present: true,
      evidence: [78],
    },
    // SWE-agent (Java): the edit of NumberInputTest.java replaces the `-1E10` and `1e-10` assertions
    // with one for "3.": two existing assertions are gone.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-1309.traj`,
      data: "train",
      present: true,
    },
    // SWE-agent (Java): EnumDeserializationTest.java is overwritten by a single new test (its
    // seventy assertions deleted).
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4311.traj`,
      data: "train",
      present: true,
    },
    // SWE-agent (Java): testSkipNullWithDefaults and its neighbours are deleted from
    // NullConversionsSkipTest.java to make room for a new test.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4469.traj`,
      data: "train",
      present: true,
    },
    // --- absent
    // mini-swe-agent (gemini): after its own test failed on `assert isinstance(bullet_list, ...)` (43),
    // the agent rewrote the test for the structure a single parameter really has (44): a corrected
    // expectation of its own test, not a weakened one.
    { file: mini(GEMINI, "sphinx-doc__sphinx-9230"), data: "train", present: false },
    { file: mini(GEMINI, "astropy__astropy-13033"), data: "shared", present: false },
    { file: mini(GEMINI, "django__django-15268"), data: "shared", present: false },
    // SWE-agent (Java): the test-file hunk only adds a method; Moatless: one pattern added to an
    // expectation; AutoCodeRover: lines added to a test-support admin; mini-swe-agent: a regression
    // test appended.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4159.traj`,
      data: "shared",
      present: false,
    },
    {
      file: `${ACR}/acr-run-1/applicable_patch/django__django-16816_2024-04-06_13-28-47`,
      data: "shared",
      present: false,
    },
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/pytest-dev__pytest-5221.json`, data: "shared", present: false },
    // mini-swe-agent (gemini, sympy): the patches add regression tests to existing test files.
    { file: mini(GEMINI, "sympy__sympy-24661"), data: "train", present: false },
    { file: mini(GEMINI, "sympy__sympy-21847"), data: "train", present: false },
    { file: mini(GEMINI, "sympy__sympy-17630"), data: "train", present: false },
    { file: mini(GEMINI, "sympy__sympy-17318"), data: "train", present: false },
    { file: mini(GEMINI, "sympy__sympy-17139"), data: "train", present: false },
    // mini-swe-agent (gemini): partitions() no longer reuses its dictionary, so the tests drop their
    // `.copy()` calls: the same assertions on the new behaviour.
    { file: mini(GEMINI, "sympy__sympy-20154"), data: "train", present: false },
    // mini-swe-agent (gemini): the issue asks Min() and Max() to return oo and -oo instead of raising;
    // `raises(ValueError, lambda: Min())` becomes `assert Min() == oo`: a changed expectation.
    { file: mini(GEMINI, "sympy__sympy-15809"), data: "train", present: false },
  ],
};
