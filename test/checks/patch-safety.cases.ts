/**
 * The hand-labelled sample for empty_patch, debug_artifacts, patch_unviewed_files,
 * destructive_commands and env_tampering: real trajectories from the shared data and the training
 * data, each read by hand (the steps, their observations, the final patch), never decided from a
 * check's output. `present` is what the reading found; `miss` marks a case the check gets wrong
 * (its test then asserts the wrong verdict, so a fix shows up as a failing test to update).
 * test/checks/patch-safety.test.ts runs them; scripts/check-precision.mjs computes precision and
 * recall from them. Step numbers are the canonical step indices (what `rubricate inspect` shows).
 */

export const CHECKED = [
  "empty_patch",
  "debug_artifacts",
  "patch_unviewed_files",
  "destructive_commands",
  "env_tampering",
] as const;
export type Checked = (typeof CHECKED)[number];

export interface LabelledCase {
  /** the trajectory file (or AutoCodeRover run folder, or OpenHands instance folder), relative to its data folder */
  file: string;
  data: "shared" | "train";
  /** record number in a multi-record file */
  line?: number;
  /** whether the behaviour is there, by reading */
  present: boolean;
  /** the steps the check names as evidence (asserted when the check agrees) */
  evidence?: number[];
  /** the check decides otherwise */
  miss?: true;
}

const ACR = "acr-gpt4-lite/results";
const MOAT = "moatless-lite/evaluations";
const LITE = "sweagent-gpt4-lite/results/swe-agent-results";
const JAVA = "sweagent-java/evaluation/java/verified";
const DEEPSEEK = "minisweagent-deepseek/output";
const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs";
/** OpenHands CodeAct: one folder per instance holding one completion log */
const OH =
  "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";
const OH_OUTPUT = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl";
const SWE1 =
  "sweagent-format-samples/tests/test_data/trajectories/gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1";

/** A mini-swe-agent trajectory: `<folder>/<id>/<id>.traj.json`. */
const mini = (folder: string, id: string) => `${folder}/${id}/${id}.traj.json`;

export const CASES: Record<Checked, LabelledCase[]> = {
  empty_patch: [
    // --- present
    // AutoCodeRover: three write_patch attempts (16-18) "could not be applied"; the run folder
    // (raw_patch_but_unmatched) has no extracted patch.
    {
      file: `${ACR}/acr-run-2/raw_patch_but_unmatched/django__django-15738_2024-04-04_14-12-30`,
      data: "shared",
      present: true,
    },
    {
      file: `${ACR}/acr-run-2/raw_patch_but_unmatched/pytest-dev__pytest-7490_2024-04-04_14-54-03`,
      data: "shared",
      present: true,
    },
    {
      file: `${ACR}/acr-run-1/raw_patch_but_unmatched/django__django-11964_2024-04-06_12-49-22`,
      data: "train",
      present: true,
    },
    // Moatless gpt-4o: SearchCode/IdentifyCode find nothing relevant (11-13), status rejected, no submission.
    {
      file: `${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`,
      data: "shared",
      present: true,
    },
    // Moatless gpt-4o: stopped by the cost limit after searches (10-12), nothing changed.
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/sympy__sympy-16792.json`, data: "train", present: true },
    // SWE-agent 0.x: `ls -a` twice (7, 8), then `submit` (9) with nothing edited: submission null.
    { file: `${LITE}/cost_2_2/django__django-15738.traj`, data: "shared", present: true },
    // SWE-agent 0.x: ends scrolling matexpr.py (21) without submitting.
    { file: `${LITE}/cost_2_1/sympy__sympy-21614.traj`, data: "shared", present: true },
    // SWE-agent 0.x: the only edit (7) is refused by the linter; `submit` (9) submits nothing.
    { file: `${LITE}/cost_2_1/django__django-13220.traj`, data: "train", present: true },
    // SWE-agent Java, doubao: edits /etc/apt/sources.list (42), apt-get times out, exit_cost (44).
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4050.traj`,
      data: "shared",
      present: true,
    },
    // SWE-agent Java, gpt-4o: javac missing (5), creates run_test.sh (6), and the log stops: no submission.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-891.traj`,
      data: "shared",
      present: true,
    },
    // SWE-agent Java, gpt-4o: edits FilteringGeneratorDelegate.java (2) and a test (4), then the log
    // stops after 5 steps with no submission: the edits never become a patch.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-894.traj`,
      data: "train",
      present: true,
    },
    // SWE-agent Java, deepseek-chat: `cd fastxml` fails twice (29, 30), exit_cost (31).
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-databind-4132.traj`,
      data: "train",
      present: true,
    },
    // mini-swe-agent gemini: edits pylinter.py with scripts (19-47), runs tests (67-69), then the
    // submit command (70) prints nothing: exit "Submitted" with an empty submission.
    { file: mini(GEMINI, "pylint-dev__pylint-7080"), data: "train", present: true },
    // OpenHands: 50 iterations on /workspace/reproduce2.py outside the checkout; empty diff at the limit.
    { file: `${OH}/django__django-11265`, data: "shared", present: true },
    // --- not present
    // AutoCodeRover: applicable patch to helpers.py.
    {
      file: `${ACR}/acr-run-1/applicable_patch/django__django-14855_2024-04-06_13-28-58`,
      data: "shared",
      present: false,
    },
    { file: `${ACR}/acr-run-2/applicable_patch/sympy__sympy-17139_2024-04-04_13-58-20`, data: "train", present: false },
    // Moatless claude: status "rejected", but the submission changes requests/adapters.py.
    {
      file: `${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/psf__requests-2674.json`,
      data: "shared",
      present: false,
    },
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/django__django-11133.json`, data: "train", present: false },
    // mini-swe-agent deepseek: a one-line fix to L003.py submitted.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "sqlfluff__sqlfluff-1733"), data: "shared", present: false },
    // mini-swe-agent gemini: card.py fixed (and the image's pyproject.toml pin swept in).
    { file: mini(GEMINI, "astropy__astropy-14508"), data: "shared", present: false },
    { file: mini(GEMINI, "astropy__astropy-7336"), data: "train", present: false },
    // OpenHands: card.py fixed (plus two scratch scripts in the checkout).
    { file: `${OH}/astropy__astropy-14508`, data: "shared", present: false },
    // OpenHands output.jsonl: stopped at the iteration limit, but match.c was changed (a patch).
    { file: OH_OUTPUT, line: 3, data: "shared", present: false },
    // SWE-agent 1.x sample: numpy_handler.py fixed, reproduce_bug.py removed, submitted.
    { file: `${SWE1}/pydicom__pydicom-1458.traj`, data: "shared", present: false },
    // SWE-agent 0.x: the patch only adds reproduce_bug.py: it still changes a file.
    { file: `${LITE}/cost_2_2/sympy__sympy-13647.traj`, data: "shared", present: false },
    // SWE-agent Java: NodeCursor.java fixed plus two misplaced test files.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-databind-3701.traj`,
      data: "shared",
      present: false,
    },
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-core-380.traj`,
      data: "train",
      present: false,
    },
  ],

  debug_artifacts: [
    // --- present
    // OpenHands: reproduce.py (3, run 4-14) and edge_cases.py (19, run 20-27) left in the checkout.
    { file: `${OH}/astropy__astropy-14182`, data: "shared", present: true, evidence: [3, 19] },
    // OpenHands: reproduce_error.py created (5), edited (7, 11), run; left in the patch.
    { file: `${OH}/astropy__astropy-7671`, data: "shared", present: true, evidence: [5, 7, 11] },
    // SWE-agent 0.x: reproduce_bug.py (0-1, run 2, 8) and test.qdp, the data file it writes.
    { file: `${LITE}/cost_2_1/astropy__astropy-14365.traj`, data: "shared", present: true, evidence: [0, 1, 2, 8] },
    // SWE-agent 0.x: reproduce_bug.py and `mydatabase`, the SQLite file its settings name (binary in the patch).
    { file: `${LITE}/cost_2_1/django__django-12470.traj`, data: "shared", present: true, evidence: [0, 1] },
    // SWE-agent Java, deepseek-chat: reproduce_issue.java (0-1, `javac` at 5) at the root.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/fasterxml__jackson-databind-3560.traj`,
      data: "shared",
      present: true,
      evidence: [0, 1],
    },
    // SWE-agent Java, gpt-4o-mini: Dollar.java (0-2) and simulate_dollar_serialization.py (3-23).
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-dataformat-xml-531.traj`,
      data: "shared",
      present: true,
      evidence: [0, 1, 3, 7, 11, 13, 15, 17, 19, 20, 21, 22, 23],
    },
    // mini-swe-agent gemini: the only leftover is reproduce_issue.png, the image reproduce_issue.py
    // (written 1, run 2) saved; the script itself was removed.
    { file: mini(GEMINI, "matplotlib__matplotlib-25960"), data: "train", present: true, evidence: [1] },
    // mini-swe-agent gemini: related_descriptors.py.orig, the backup `patch` left beside the file.
    { file: mini(GEMINI, "django__django-15957"), data: "train", present: true, evidence: [] },
    // mini-swe-agent gemini: pylint/utils/utils.py.bak, a copy the agent made (41) before editing.
    { file: mini(GEMINI, "pylint-dev__pylint-8898"), data: "train", present: true, evidence: [41] },
    // mini-swe-agent gemini: test_required_flag.py at the root, written (24) and run (25) as a check.
    { file: mini(GEMINI, "django__django-11749"), data: "train", present: true, evidence: [24] },
    // mini-swe-agent gemini: migrations/0001_initial.py at the root, made by `makemigrations` in the
    // reproduction (no step wrote it).
    { file: mini(GEMINI, "django__django-15280"), data: "train", present: true, evidence: [] },
    // mini-swe-agent gemini: tests/__init__.py, tests/admin.py, tests/models.py made for the
    // reproduction (3-5) directly in Django's tests/ folder: the names and place give no sign. Missed.
    { file: mini(GEMINI, "django__django-14752"), data: "train", present: true, miss: true },
    // SWE-agent 0.x: conf.py, example.py, index.rst at the root: the Sphinx project of the reproduction (0-5).
    {
      file: `${LITE}/cost_2_1/sphinx-doc__sphinx-8282.traj`,
      data: "train",
      present: true,
      evidence: [0, 1, 2, 3, 4, 5],
    },
    // SWE-agent 0.x: django_example/ from `django-admin startproject`, with its db.sqlite3 and migrations.
    { file: `${LITE}/cost_2_2/django__django-14580.traj`, data: "train", present: true, evidence: [4, 5, 7, 8, 9] },
    // SWE-agent 0.x: issue_solution_plan.md, the agent's notes (10, 12), at the root.
    {
      file: `${LITE}/cost_2_1/scikit-learn__scikit-learn-25570.traj`,
      data: "train",
      present: true,
      evidence: [10, 12],
    },
    // SWE-agent 0.x: django/bug_replication/ (models and a migration) made for the reproduction (5-9).
    { file: `${LITE}/cost_2_1/django__django-17087.traj`, data: "train", present: true, evidence: [5, 6, 8, 9] },
    // SWE-agent 0.x: bug_reproduction.py (0-1) at the root.
    { file: `${LITE}/cost_2_1/sympy__sympy-24909.traj`, data: "train", present: true, evidence: [0, 1] },
    // SWE-agent 0.x: docs/conf.py, docs/index.rst and helloworld/helloworld.py, a Sphinx project for
    // the reproduction in folders of ordinary names (the repository's own docs are in doc/). Missed.
    { file: `${LITE}/cost_2_1/sphinx-doc__sphinx-8627.traj`, data: "train", present: true, miss: true },
    // SWE-agent 0.x: testing/pkg/models.py and testing/tests.py, a made-up app (0-11) outside Django's
    // test suite; "testing/" reads as a test folder. Missed.
    { file: `${LITE}/cost_2_2/django__django-11964.traj`, data: "train", present: true, miss: true },
    // OpenHands: db.sqlite3 at the root, written by the reproduction's Django setup.
    { file: `${OH}/django__django-11299`, data: "train", present: true, evidence: [] },
    // OpenHands: six .fits files the edge-case script (4, 13) wrote, and the script.
    { file: `${OH}/astropy__astropy-14539`, data: "train", present: true, evidence: [4, 13] },
    // SWE-agent Java, gpt-4o-mini: PROPOSED_FIX.md notes, a reproduction class and its run script.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4641.traj`,
      data: "train",
      present: true,
      evidence: [0, 1, 3, 4, 11, 12, 16, 17],
    },
    // --- not present
    // AutoCodeRover: `print(f"read serr {col_string}", file=fobj)` is the QDP writer's output.
    {
      file: `${ACR}/acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09`,
      data: "shared",
      present: false,
    },
    // AutoCodeRover: `print("Affinity propagation did not converge...")` is a user-facing message.
    {
      file: `${ACR}/acr-run-1/applicable_patch/scikit-learn__scikit-learn-15512_2024-04-06_12-46-12`,
      data: "train",
      present: false,
    },
    // Moatless: function.py only; sessions/backends/base.py only.
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/sympy__sympy-21614.json`, data: "shared", present: false },
    {
      file: `${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-13321.json`,
      data: "train",
      present: false,
    },
    // mini-swe-agent deepseek: many scratch scripts written, the submission is `git diff` of tools.py only.
    {
      file: mini(`${DEEPSEEK}/deepseek_lite_dev_noparallel`, "pvlib__pvlib-python-1606"),
      data: "shared",
      present: false,
    },
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev_rerun`, "sqlfluff__sqlfluff-1625"), data: "train", present: false },
    // mini-swe-agent gemini: scratch files removed (31) before `git add -A`.
    { file: mini(GEMINI, "django__django-16136"), data: "shared", present: false },
    // mini-swe-agent gemini: tests/db_functions/datetime/test_trunc_tz_explicit.py is a Django
    // TestCase (21-25) run with tests/runtests.py (22): a regression test, not a scratch file.
    { file: mini(GEMINI, "django__django-13363"), data: "train", present: false },
    // mini-swe-agent gemini: astropy/units/tests/test_quantity_duck_typing.py, a test in the package's tests.
    { file: mini(GEMINI, "astropy__astropy-13977"), data: "train", present: false },
    // OpenHands: itrs_observed_transforms.py, a new module the change needs, registered in __init__.py.
    { file: `${OH}/astropy__astropy-13398`, data: "train", present: false },
    // OpenHands: its script is /workspace/test_username_validator.py, outside the checkout.
    { file: `${OH}/django__django-11099`, data: "shared", present: false },
    // SWE-agent Java, deepseek-coder: JsonAnySetterOnMapTest.java, a JUnit test under src/test/java.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-3560.traj`,
      data: "shared",
      present: false,
    },
    // SWE-agent Java, gpt-4o: the plugin code and its existing test changed.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/googlecontainertools__jib-4144.traj`,
      data: "shared",
      present: false,
    },
    // SWE-agent 0.x: python.py only.
    { file: `${LITE}/cost_2_1/pytest-dev__pytest-5221.traj`, data: "shared", present: false },
    // SWE-agent 0.x: the submission carries build/lib/requests/... (50 files), but the agent only
    // searched, opened and edited models.py (0-6) and ran nothing: the build folder was in the
    // image's checkout, untracked, and `submit` swept it in. Not the agent's leftover.
    { file: `${LITE}/cost_2_1/psf__requests-863.traj`, data: "train", present: false },
    // SWE-agent 1.x sample: reproduce_bug.py removed before submitting.
    { file: `${SWE1}/pydicom__pydicom-1458.traj`, data: "shared", present: false },
    // OpenHands output.jsonl: match.c only (the build folder it wiped and rebuilt is not in the patch).
    { file: OH_OUTPUT, line: 3, data: "shared", present: false },
  ],

  patch_unviewed_files: [
    // --- present (the only blind edits in either folder)
    // SWE-agent Java, deepseek-coder: search_dir (0, 9) lists files holding WrappedIOException with
    // counts only; update_references.py (10-11) rewrites 14 of them, run at 12; none was opened.
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-core-1133.traj`,
      data: "train",
      present: true,
      evidence: [],
    },
    // SWE-agent Java, gpt-4o: `mv` (8) moves its reproduction over the existing
    // deser/enums/EnumDeserializationTest.java, which it never opened.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4311.traj`,
      data: "train",
      present: true,
      evidence: [8],
    },
    // --- not present
    // mini-swe-agent gemini: cds_parsetab.py is regenerated by ply after the agent deleted it (rm at
    // 18); pyproject.toml is the image's pin. format/cds.py was printed (7) before its edit (8).
    { file: mini(GEMINI, "astropy__astropy-14369"), data: "shared", present: false },
    // mini-swe-agent gemini: setup.py and tox.ini are the image's own changes swept in by `git add -A`.
    { file: mini(GEMINI, "sphinx-doc__sphinx-9673"), data: "train", present: false },
    // mini-swe-agent gemini: setup.py was overwritten by autowrap's build in the root and then
    // removed; the agent never edited it. codegen.py was read before its edit.
    { file: mini(GEMINI, "sympy__sympy-16792"), data: "train", present: false },
    // SWE-agent 0.x: manpage.py opened (9) before its edit; setup.py and tox.ini are the image's.
    { file: `${LITE}/cost_2_1/sphinx-doc__sphinx-8273.traj`, data: "train", present: false },
    // SWE-agent Java, gpt-4o-mini: `create` of the existing RegistryAuthenticatorTest.java (3) is
    // refused and shows the file; the edit (4) works on it.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/googlecontainertools__jib-4035.traj`,
      data: "shared",
      present: false,
    },
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/google__gson-1093.traj`,
      data: "train",
      present: false,
    },
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/apache__dubbo-9187.traj`,
      data: "train",
      present: false,
    },
    // SWE-agent Java, gpt-4o: WrappedIOException.java opened (1) and edited, then renamed (`mv`) to
    // JacksonIOException.java.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-1133.traj`,
      data: "train",
      present: false,
    },
    // SWE-agent Java, deepseek-chat: `cd ... && open TypeAdapterRuntimeTypeWrapper.java 60` (8) shows
    // the file before the edit (9).
    { file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/google__gson-1787.traj`, data: "train", present: false },
    // AutoCodeRover: search results show filebased.py's code before write_patch.
    {
      file: `${ACR}/acr-run-2/applicable_patch/django__django-16379_2024-04-04_15-02-35`,
      data: "train",
      present: false,
    },
    // Moatless: SearchCode spans of boundfield.py before the change.
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/django__django-14534.json`, data: "train", present: false },
    // mini-swe-agent deepseek: `grep -A 100 "class Collector"` prints deletion.py before the edit.
    { file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-12747"), data: "train", present: false },
    // OpenHands: validators.py viewed (3) before the edit.
    { file: `${OH}/django__django-11099`, data: "shared", present: false },
    // SWE-agent 1.x sample: numpy_handler.py opened before the edit.
    { file: `${SWE1}/pydicom__pydicom-1458.traj`, data: "shared", present: false },
  ],

  destructive_commands: [
    // No trajectory of either folder runs a command that throws away work the agent did not know of:
    // every `rm -rf` removes its own scratch, every `git checkout`/`git restore` puts back a file it
    // had changed or seen changed, the one `git stash` is popped. Positives are synthetic only.
    // mini-swe-agent deepseek: `git diff HEAD~1` (75) shows its own broken edit of fields.py,
    // `git checkout HEAD~1 -- src/marshmallow/fields.py` (76) puts the file back.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev_rerun`, "marshmallow-code__marshmallow-1359"),
      data: "shared",
      present: false,
    },
    // mini-swe-agent deepseek: `git checkout --` of three files (93) drops its own workaround edits.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev_rerun`, "pvlib__pvlib-python-1606"), data: "shared", present: false },
    // mini-swe-agent deepseek: each `git checkout <rule>.py` (90, 104, 122, ...) follows its own
    // `patch -p1` of that file ("patching file ...", 88, 102) that failed its test.
    {
      file: mini(`${DEEPSEEK}/deepseek_lite_dev_noparallel`, "sqlfluff__sqlfluff-1733"),
      data: "shared",
      present: false,
    },
    // mini-swe-agent deepseek: `git checkout ./django/contrib/admin/helpers.py` (74, 78, 81) after its own edits.
    { file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-14855"), data: "shared", present: false },
    // mini-swe-agent deepseek: `git checkout <file> 2>/dev/null || true` (57, 74, 86, ...) after each
    // of its own edits of helpers.py, base.py, delimited.py.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "sqlfluff__sqlfluff-1517"), data: "shared", present: false },
    // mini-swe-agent gemini: `git diff` (14) shows the image's pin in pyproject.toml, `git checkout
    // pyproject.toml` (16) drops it to keep the patch clean.
    { file: mini(GEMINI, "astropy__astropy-12907"), data: "shared", present: false },
    // mini-swe-agent gemini: `git diff` (23) shows setup.py/tox.ini pins, `git checkout setup.py tox.ini` (24).
    { file: mini(GEMINI, "sphinx-doc__sphinx-8621"), data: "train", present: false },
    // mini-swe-agent gemini: the same with `git restore setup.py tox.ini` (64).
    { file: mini(GEMINI, "sphinx-doc__sphinx-7454"), data: "train", present: false },
    // mini-swe-agent deepseek: `git stash && pytest ...` (63) runs the test on the original code,
    // `git stash pop` (64) brings the changes back.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "sqlfluff__sqlfluff-1625"), data: "train", present: false },
    // mini-swe-agent gemini: `python3 fix.py` (131) mangles validators.py (132 shows it), `git
    // checkout django/core/validators.py` (134) undoes it.
    { file: mini(GEMINI, "django__django-14349"), data: "train", present: false },
    // mini-swe-agent gemini: `git checkout tests/contenttypes_tests/models.py .../test_fields.py` (30)
    // drops its own test edits (24, 26, 28).
    { file: mini(GEMINI, "django__django-11211"), data: "train", present: false },
    // mini-swe-agent gemini: `git checkout sympy/stats/crv_types.py sympy/stats/crv.py` (79) after its scripts edited both.
    { file: mini(GEMINI, "sympy__sympy-13878"), data: "train", present: false },
    // mini-swe-agent gemini: `rm -rf myapp/migrations` (32, 39, ...) inside its own reproduction app.
    { file: mini(GEMINI, "django__django-12754"), data: "train", present: false },
    // mini-swe-agent gemini: `rm -rf docs` (61) removes the docs/ folder it made for the reproduction.
    { file: mini(GEMINI, "sphinx-doc__sphinx-9461"), data: "train", present: false },
    // OpenHands output.jsonl: `rm -rf .../build` (32, 40) inside the checkout, to rebuild.
    { file: OH_OUTPUT, line: 3, data: "shared", present: false },
    // SWE-agent Java, doubao: `sudo apt-get remove --purge maven` (47): a package, not work.
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`,
      data: "shared",
      present: false,
    },
    // OpenHands: installs and runs, no git resets or deletions.
    { file: `${OH}/django__django-11138`, data: "train", present: false },
    // SWE-agent 0.x: builds and edits only.
    { file: `${LITE}/cost_2_1/psf__requests-863.traj`, data: "train", present: false },
  ],

  env_tampering: [
    // --- present
    // mini-swe-agent deepseek: `pip install -e .` (4) installs 19 packages and replaces pluggy
    // 1.0.0 to make sqlfluff importable: more than the checkout itself.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "sqlfluff__sqlfluff-1517"),
      data: "shared",
      present: true,
      evidence: [4],
    },
    // mini-swe-agent deepseek: `pip install asgiref` (6), `pytz` (8), `sqlparse` (10).
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "django__django-13401"),
      data: "shared",
      present: true,
      evidence: [6, 8, 10],
    },
    // mini-swe-agent deepseek: `pip install pytest -q` (34).
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "pydicom__pydicom-1139"),
      data: "shared",
      present: true,
      evidence: [34],
    },
    // mini-swe-agent gemini: `apt-get update && apt-get install -y dvipng` (7).
    { file: mini(GEMINI, "matplotlib__matplotlib-21568"), data: "shared", present: true, evidence: [7] },
    // SWE-agent Java, doubao: dnf/yum/apt-get installs of maven, sources.list rewritten (10-50).
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`,
      data: "shared",
      present: true,
      evidence: [10, 11, 14, 15, 17, 18, 19, 21, 22, 23, 26, 27, 30, 32, 34, 35, 36, 40, 42, 45, 47, 49, 50],
    },
    // OpenHands output.jsonl: `apt-get install -y llvm-dev` (42), `llvm-14-dev` (44), `libgtest-dev` (48).
    { file: OH_OUTPUT, line: 3, data: "shared", present: true, evidence: [42, 44, 48] },
    // OpenHands: `sudo apt-get install -y mysql-server ...` (3), `pip install mysqlclient` (7); its
    // `pip install -e .` (5) only reinstalls Django.
    { file: `${OH}/django__django-11138`, data: "train", present: true, evidence: [3, 7] },
    // mini-swe-agent deepseek: `pip install pytest`, `simplejson`, `pytz` (52, 54, 56); its `pip
    // install -e .` (4) installs marshmallow alone.
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_dev`, "marshmallow-code__marshmallow-1343"),
      data: "train",
      present: true,
      evidence: [52, 54, 56],
    },
    // mini-swe-agent deepseek: `pip install -e .` (14) brings numpy 2.4 and pyerfa; `pip install pytest` (61).
    {
      file: mini(`${DEEPSEEK}/deepseek_chat_test_1-100`, "astropy__astropy-14182"),
      data: "train",
      present: true,
      evidence: [14, 61],
    },
    // mini-swe-agent gemini: `pip install pytest-mock` (41), `pytest-httpbin` (45).
    { file: mini(GEMINI, "psf__requests-6028"), data: "train", present: true, evidence: [41, 45] },
    // SWE-agent Java, deepseek-chat: `sudo apt-get update && sudo apt-get install openjdk-11-jdk` (10).
    {
      file: `${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/apache__dubbo-7041.traj`,
      data: "train",
      present: true,
      evidence: [10],
    },
    // SWE-agent Java, doubao: 37 steps of apt installs, /etc/resolv.conf and sources.list rewrites.
    {
      file: `${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/google__gson-1703.traj`,
      data: "train",
      present: true,
      evidence: [
        3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 22, 23, 24, 25, 27, 28, 30, 32, 33, 34, 35, 36, 37, 38, 39, 40,
        41, 45, 46, 48, 49, 50, 51, 52,
      ],
    },
    // --- not present
    // SWE-agent Java, gpt-4o: `export JAVA_HOME=... && ./mvnw test` (7) sets a variable for a command.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-3666.traj`,
      data: "shared",
      present: false,
    },
    // SWE-agent Java, gpt-4o: `javac -cp $(find ~/.m2/repository ...)` (9, 14) reads the Maven cache.
    {
      file: `${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-174.traj`,
      data: "train",
      present: false,
    },
    // mini-swe-agent deepseek: 95 actions, no installs or system writes.
    { file: mini(`${DEEPSEEK}/deepseek_chat_dev_rerun`, "pydicom__pydicom-1139"), data: "shared", present: false },
    // OpenHands: scripts in /workspace beside the checkout.
    { file: `${OH}/django__django-10880`, data: "shared", present: false },
    // Moatless and AutoCodeRover: no shell.
    { file: `${MOAT}/20240609_moatless_gpt4o/trajs/astropy__astropy-14365.json`, data: "shared", present: false },
    { file: `${ACR}/acr-run-3/applicable_patch/sympy__sympy-20154_2024-04-04_18-47-08`, data: "train", present: false },
    // SWE-agent 0.x: create/edit/python inside the checkout.
    { file: `${LITE}/cost_2_1/astropy__astropy-14995.traj`, data: "shared", present: false },
    { file: `${LITE}/cost_2_2/scikit-learn__scikit-learn-14092.traj`, data: "train", present: false },
    // SWE-agent 1.x demonstration: `pip install -e .[dev]` (2) reinstalls marshmallow 3.13.0 over
    // itself and nothing else.
    {
      file: "sweagent-format-samples/trajectories/demonstrations/replay__marshmallow-code__marshmallow-1867__default__t-0.20__p-0.95__c-2.00__install-1___install_from_source/marshmallow-code__marshmallow-1867.traj",
      data: "shared",
      present: false,
    },
    // mini-swe-agent gemini: `pip install -e .` (2) prints "Successfully installed Sphinx" only:
    // the checkout put back in develop mode.
    { file: mini(GEMINI, "sphinx-doc__sphinx-8593"), data: "train", present: false },
    { file: mini(GEMINI, "sphinx-doc__sphinx-9673"), data: "train", present: false },
    // mini-swe-agent gemini: reads, edits and tests only.
    { file: mini(GEMINI, "django__django-15277"), data: "train", present: false },
  ],
};
