/**
 * The hand-labelled sample of the process checks (repeats_actions, failed_edit_streak, excessive_steps,
 * budget_exhausted, hallucinated_paths): real trajectories from the shared data and the training data,
 * each read by hand (steps, actions, observations; `rubricate inspect` and the raw files), with the
 * verdict the reading gives and the steps that show it. The comment above each case says what is at
 * which steps. `test/checks/process-checks.test.ts` runs every case; `scripts/check-precision.mjs`
 * computes each check's precision and recall on them.
 *
 * Steps are canonical step indices (what `rubricate inspect` shows). A case whose `miss` is set is one
 * the check gets wrong: it stays in the sample (it counts in the figures) and its test is a todo.
 */
import type { RunContext } from "../../src/checks/index.js";

export interface Labelled {
  /** which data folder: the shared trajectories or the training data */
  data: "shared" | "train";
  /** path inside that folder */
  file: string;
  /** record number in a multi-record file */
  line?: number;
  /** whether the behaviour is there, as read */
  present: boolean;
  /** the steps that show it (when the check agrees, its evidence) */
  evidence: number[];
  /** the check does not give this verdict: why */
  miss?: string;
  params?: Record<string, unknown>;
  ctx?: RunContext;
}

// Folders, the same in both data sets
const LITE = "sweagent-gpt4-lite/results/swe-agent-results"; // SWE-agent 0.x, gpt-4, SWE-bench Lite
const JAVA = "sweagent-java/evaluation/java/verified"; // SWE-agent 0.x adapted to Java, 5 models
const MINI = "minisweagent-deepseek/output"; // mini-swe-agent 2.x (format 1.1), deepseek-chat
const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs"; // mini-swe-agent 1.x
const MOAT = "moatless-lite/evaluations"; // Moatless Tools
const ACR = "acr-gpt4-lite/results"; // AutoCodeRover
const OH_RUN = "claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1";
const OH = `openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/${OH_RUN}/llm_completions`;
const OH_OUTPUT = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl";

const shared = (file: string, c: Omit<Labelled, "data" | "file">): Labelled => ({ data: "shared", file, ...c });
const train = (file: string, c: Omit<Labelled, "data" | "file">): Labelled => ({ data: "train", file, ...c });

export const REPEATS: Labelled[] = [
  // PRESENT
  // SWE-agent Java, gpt-4o-mini: 17-21 are the byte-identical `edit 10:81` of TestCustomJsonNodeAfterEdit.java,
  // each answered with the same 82-line listing; then exit_cost (22).
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3701.traj`, {
    present: true,
    evidence: [17, 18, 19, 20, 21],
  }),
  // Moatless gpt-4o: SearchCode {"file_pattern":"**/models.py","query":"class Authors"} at 4, 6, 8, 10, 12 gets
  // the same ranked spans each time, with only IdentifyCode {"complete":false} between; ends "rejected".
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`, {
    present: true,
    evidence: [4, 6, 8, 10, 12],
  }),
  // AutoCodeRover: write_patch at 6, 7, 8 sends the same patch text and gets "Your edit could not be applied to
  // the program. No edits can be parsed." three times.
  shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`, {
    present: true,
    evidence: [6, 7, 8],
  }),
  // SWE-agent Lite: `edit 63:63` with `_command_re = r"(?i)READ ..."` at 5, 6, 7, 9, each rejected with the same
  // E999 IndentationError; 8 is the same edit without `(?i)` (a near-identical retry), rejected the same way.
  shared(`${LITE}/cost_2_3/astropy__astropy-14365.traj`, { present: true, evidence: [5, 6, 7, 8, 9] }),
  // SWE-agent Lite: the identical `edit 1346:1348` at 4, 5, 6, three times "E999 IndentationError: expected an
  // indented block"; 7 edits 1345:1348 and is applied.
  shared(`${LITE}/cost_2_2/pytest-dev__pytest-5221.traj`, { present: true, evidence: [4, 5, 6] }),
  // OpenHands output.jsonl (ponyc-4593): str_replace without old_str refused at 18, 20, 21, 28 ("Parameter
  // `old_str` is required"); str_replace of near-identical old_str at 22, 24, 25, 27, each "No replacement was
  // performed ... did not appear verbatim"; views of lines 100-102 between change nothing. The insert at 29
  // applies; 30 and 31 fail again twice.
  shared(OH_OUTPUT, { line: 2, present: true, evidence: [18, 20, 21, 22, 24, 25, 27, 28] }),
  // mini-swe-agent gemini: the same `sed -i "114a\\ if any(...)` sent in a response with several blocks at 18,
  // 23, 26, refused each time ("found 3 actions", "found 2 actions"); the same refused responses go on to 45+.
  train(`${GEMINI}/django__django-14349/django__django-14349.traj.json`, { present: true, evidence: [18, 23, 26] }),
  // mini-swe-agent gemini: `sed -i 's/return mmsubsup/return mmsubsup/'` (a no-op) at 22, 23, 24, nine copies of
  // it in one refused response at 25-33, and again at 34; the test run at 35 fails as at 20.
  train(`${GEMINI}/sympy__sympy-15976/sympy__sympy-15976.traj.json`, { present: true, evidence: [22, 23, 24, 34] }),
  // mini-swe-agent gemini: a response with `sed -i '113a\ if check_changes:...'` and others refused at 19, the
  // same with `114i` refused at 23 and 25 ("found 2/3 actions"): the same refused edit three times.
  train(`${GEMINI}/django__django-16116/django__django-16116.traj.json`, { present: true, evidence: [19, 23, 25] }),
  // AutoCodeRover: search_method_in_file("sympify", "sympy/core/sympify.py") at 6, 12, 18 with the same result,
  // each round after bug_locations answered "The buggy locations is not precise".
  train(`${ACR}/acr-run-1/applicable_patch/sympy__sympy-22714_2024-04-06_13-41-50`, {
    present: true,
    evidence: [6, 12, 18],
  }),
  // Moatless gpt-4o: PlanToCode "Remove the newly added `iter_modules_and_files` function..." at 10, 13, 16, 19;
  // EditCode with the same content at 11, 14, 17, each "The code in the replace tag is the same as in the
  // search", then a reject (12, 15, 18).
  train(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-11583.json`, {
    present: true,
    evidence: [10, 11, 13, 14, 16, 17, 19],
  }),
  // SWE-agent Java, deepseek-coder-v2: the same `edit 1:1` of reproduce.java 33 times (2-34), each inserting the
  // same class again, until exit_cost.
  train(`${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-1650.traj`, {
    present: true,
    evidence: Array.from({ length: 33 }, (_, i) => i + 2),
  }),
  // SWE-agent Java, doubao: reproduce.py edited with the same `edit 1:18` (10, 11, 14-20) and near-identical ones
  // (5-9, 13), rejected by the linter every time; later the same `edit 21:38` rejected at 33-37 and 40; then
  // exit_cost.
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/google__gson-1391.traj`, {
    present: true,
    evidence: [5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 33, 34, 35, 36, 37, 40],
  }),

  // ABSENT
  // OpenHands: six cycles of `create reproduce_issue.py` -> "File already exists", `rm`, create, run -> traceback
  // (5-24); each cycle writes a different script and gets a different traceback: an edit-run cycle on its
  // reproduction, not the same action getting the same result. (The `rm` steps are identical.)
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [],
  }),
  // OpenHands: the same create/rm/create/run cycle (11-22) with a new script each time.
  shared(`${OH}/django__django-11400/litellm_proxy__claude-3-5-sonnet-20241022-1733345485.288619.json`, {
    present: false,
    evidence: [],
  }),
  // OpenHands: `python reproduce.py` after each of 20 edits of the validator regex (6-49), mostly with the same
  // failing output until the 50-step limit: re-running the reproduction after each edit, not a loop.
  shared(`${OH}/django__django-10097/litellm_proxy__claude-3-5-sonnet-20241022-1733344469.791651.json`, {
    present: false,
    evidence: [],
  }),
  // OpenHands: `python /workspace/reproduce.py` 20 times between edits of the script, its output changing.
  shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: 157 steps of patch attempts on L003.py; `git checkout src/sqlfluff/rules/L003.py`
  // (122, 134, 147, 155) resets the file before each new, different patch, and the test script keeps printing
  // "Still broken: 9 spaces": flailing, but every attempt differs.
  shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: manual_fix.py, better_fix.py, simple_fix.py (46-59), each restored from the backup
  // and followed by the same `sed -n '863,875p'` views: different fixes, each looked at.
  train(`${MINI}/deepseek_lite_dev/marshmallow-code__marshmallow-1343/marshmallow-code__marshmallow-1343.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent gemini: a response with two copies of `sed -i '215s/# cancel(ret)/cancel(ret)/'` refused
  // (23-24), the sed sent alone and run at 25: one format error, not a loop.
  train(`${GEMINI}/sympy__sympy-13877/sympy__sympy-13877.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: the same sed refused twice in responses of several blocks (18, 20), run alone at 25.
  train(`${GEMINI}/sympy__sympy-17318/sympy__sympy-17318.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: `cat astropy/io/ascii/rst.py` at 3, 5 and 12, with fixedwidth.py, basic.py, core.py
  // read between: consulting a short file again while reading others.
  shared(`${GEMINI}/astropy__astropy-14182/astropy__astropy-14182.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: after the fix, pylint on foo.py with `--bad-names-rgxs` "foo,bar", "foo, bar",
  // "foo,,bar" (46-48): different inputs, each output under the same site-packages warning.
  train(`${GEMINI}/pylint-dev__pylint-8898/pylint-dev__pylint-8898.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: greps for "self.group_by = True", "group_by = True", "\.group_by = True" (28, 29,
  // 32) finding nothing: different searches.
  train(`${MINI}/deepseek_chat_test_1-100/django__django-12589/django__django-12589.traj.json`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Lite: scroll_down at 5-8 pages through nddata.py; `python reproduce_bug.py` twice (2, 16) with
  // different output.
  shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: scroll_down at 7-11 reads sessions.py, a new window each time.
  shared(`${LITE}/cost_2_2/psf__requests-2674.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: `edit 166:166` rejected twice (4, 5), the same line re-indented is applied at 6.
  shared(`${LITE}/cost_2_2/django__django-16139.traj`, { present: false, evidence: [] }),
  // AutoCodeRover: 29 steps of distinct search calls (the repeated "Based on your analysis..." prompts are not
  // actions).
  shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`, {
    present: false,
    evidence: [],
  }),
  // Moatless gpt-4o: searches for align_labels/xlabels/ylabels, plans and three applied edits; nothing repeats.
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`, {
    present: false,
    evidence: [],
  }),

  // Second reading: the check's positives over the shared data, and the runs the former check called loops.
  // PRESENT
  // AutoCodeRover: the same bug_locations (AdminReadonlyField.get_admin_url) at 10, 11, 12, each answered "The
  // buggy locations is not precise".
  shared(`${ACR}/acr-run-3/applicable_patch/django__django-14855_2024-04-04_21-57-45`, {
    present: true,
    evidence: [10, 11, 12],
  }),
  // Moatless gpt-4o: the same EditCode of UserAdmin at 12, 13, 14, each "The following diff was not applied".
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16816.json`, {
    present: true,
    evidence: [12, 13, 14],
  }),
  // Moatless gpt-4o: the same instructions at 13, 14, 15, each "Span not found: RepeatedStratifiedKFold".
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/scikit-learn__scikit-learn-14983.json`, {
    present: true,
    evidence: [13, 14, 15],
  }),
  // SWE-agent Java, gpt-4o-mini: `edit 26:41` of pom.xml applied 8 times in a row (5-12), the file the same each
  // time; later `edit 44:61` 5 times (18-22).
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/googlecontainertools__jib-4144.traj`, {
    present: true,
    evidence: [5, 6, 7, 8, 9, 10, 11, 12, 18, 19, 20, 21, 22],
  }),
  // SWE-agent Java, gpt-4o-mini: `edit 1:1` of a Python simulation rejected 3 times (4-6); later the same `edit
  // 1:1` applied 5 times in a row (19-23), inserting the same class again each time (168, 198, 228... lines).
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-dataformat-xml-531.traj`, {
    present: true,
    evidence: [4, 5, 6, 19, 20, 21, 22, 23],
  }),
  // SWE-agent Java, doubao: a file listing pasted as a shell command at 5, 7, 8, each "syntax error near
  // unexpected token".
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-891.traj`, {
    present: true,
    evidence: [5, 7, 8],
  }),
  // SWE-agent Java, doubao: `apt-get install default-jdk` timing out at 5, 6, 8 and again at 28, 32, 37, 40.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4050.traj`, {
    present: true,
    evidence: [5, 6, 8, 28, 32, 37, 40],
  }),
  // SWE-agent Java, deepseek-chat-v2: `javac -cp ... test_auth.java` 20 times in a row (5-24), "javac: command not
  // found" each time.
  shared(`${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/googlecontainertools__jib-4035.traj`, {
    present: true,
    evidence: Array.from({ length: 20 }, (_, i) => i + 5),
  }),
  // SWE-agent Lite: `open requests/adapters.py` twice in a row (7, 8), six near-identical import edits rejected
  // (9-14), the same file opened again at 15 with the same window: no progress between.
  shared(`${LITE}/cost_2_1/psf__requests-2674.traj`, { present: true, evidence: [7, 8, 15] }),
  // ABSENT
  // SWE-agent Java, deepseek-chat-v2: `cd ..` three times (25-27) climbs out of jib-gradle-plugin/src/main/...:
  // each moves up a folder.
  shared(`${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/googlecontainertools__jib-4144.traj`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, doubao: `./run.sh replicateBug.java` (34, 36, 39, 41, 43) after each edit of run.sh (33, 35,
  // 38, 40, 42), mostly with the same "-Xmx256m: not found": re-running after each edit.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4219.traj`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: `git checkout delimited.py` (86, 93, 97, 102) resets the file before each new fix
  // script (fix_delimited.py, fix_delimited2.py), the lint run after each: a fix-test-revert cycle, not a loop.
  shared(`${MINI}/deepseek_chat_dev/sqlfluff__sqlfluff-1517/sqlfluff__sqlfluff-1517.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: `cp tools.py.backup tools.py` (31, 34, 67, 77) restores the file before each new
  // attempt; `git diff > patch.txt` after each.
  shared(`${MINI}/deepseek_lite_dev_noparallel/pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: `cp wcs.py.backup wcs.py` (35, 45, 48, 59) before each different edit of wcs.py.
  shared(`${MINI}/deepseek_chat_test_1-100/astropy__astropy-7746/astropy__astropy-7746.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: `python reproduce_issue.py` (48, 90, 98), each after edits, far apart.
  shared(`${MINI}/deepseek_lite_dev/marshmallow-code__marshmallow-1359/marshmallow-code__marshmallow-1359.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent gemini: the sed refused in two responses of two blocks (10-13), then sent alone and run (14).
  shared(`${GEMINI}/django__django-14404/django__django-14404.traj.json`, { present: false, evidence: [] }),

  // Training data: runs the former check called loops, drawn at random and read.
  // SWE-agent Java, doubao: `python reproduce_bug.py` and `search_dir "JacksonXmlProperty"` (4-5, 12-13, 20-22)
  // with the same results, an edit of the introspector before each round (11, 19).
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4365.traj`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, doubao: `sudo apt-get install software-properties-common` (38, 42, 44) after apt-get update,
  // add-apt-repository and a change of the mirror (39-43): a new attempt each time.
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/google__gson-1787.traj`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: the build and `cat index.txt` (35-42) after each new example.py (34, 37, 40): different
  // inputs, the same output.
  train(`${GEMINI}/sphinx-doc__sphinx-8595/sphinx-doc__sphinx-8595.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: `cp grid.py.backup grid.py` (37, 42, 54, 62) before each different attempt.
  train(`${MINI}/deepseek_lite_dev_noparallel/pyvista__pyvista-4315/pyvista__pyvista-4315.traj.json`, {
    present: false,
    evidence: [],
  }),
];

export const FAILED_EDITS: Labelled[] = [
  // PRESENT
  // SWE-agent Lite: 5-9 are five `edit 63:63` attempts, every one rejected "Your proposed edit has introduced new
  // syntax error(s)" (E999 IndentationError); then submit.
  shared(`${LITE}/cost_2_3/astropy__astropy-14365.traj`, { present: true, evidence: [5, 6, 7, 8, 9] }),
  // SWE-agent Lite: 2-8 are seven edits of numberformat.py rejected by the linter; 9 is applied.
  shared(`${LITE}/cost_2_1/django__django-16046.traj`, { present: true, evidence: [2, 3, 4, 5, 6, 7, 8] }),
  // SWE-agent Java, gpt-4o-mini: 15-27 are thirteen `edit 11:15` rejections in a row (syntax errors), then
  // exit_cost.
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4159.traj`, {
    present: true,
    evidence: [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27],
  }),
  // Moatless claude-3.5: 16-18 are EditCode with the same content, each "The code in the replace tag is the same
  // as in the search"; the run ends "rejected".
  shared(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-15738.json`, {
    present: true,
    evidence: [16, 17, 18],
  }),
  // OpenHands output.jsonl (ponyc-4593): str_replace refused at 18, 20, 21, 28 ("Parameter `old_str` is
  // required") and failing at 22, 24, 25, 27 ("No replacement was performed"); the views at 19, 23, 26 do not end
  // the streak; the insert at 29 applies.
  shared(OH_OUTPUT, { line: 2, present: true, evidence: [18, 20, 21, 22, 24, 25, 27, 28] }),
  // OpenHands output.jsonl (ponyc-4595): str_replace on match.c fails at 13 (old_str not found), 14 (multiple
  // occurrences), 15, 17 and 18, a view at 16 between; the insert at 19 applies.
  shared(OH_OUTPUT, { line: 3, present: true, evidence: [13, 14, 15, 17, 18] }),
  // AutoCodeRover: write_patch at 6, 7, 8, each "Your edit could not be applied to the program. No edits can be
  // parsed."; no patch.
  shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`, {
    present: true,
    evidence: [6, 7, 8],
  }),
  // AutoCodeRover: three write_patch answers that are prose, not edits (16-18): "None of the edits can be
  // applied", "No edits can be parsed" twice.
  train(`${ACR}/acr-run-1/raw_patch_but_unmatched/django__django-13265_2024-04-06_14-23-33`, {
    present: true,
    evidence: [16, 17, 18],
  }),
  // mini-swe-agent deepseek: patches of L031.py written and applied with `git apply` at 35 ("patch does not
  // apply"), 37 ("corrupt patch at line 14") and 40 ("patch does not apply"), views and greps between; a sed
  // applies the change at 42.
  train(`${MINI}/deepseek_chat_dev/sqlfluff__sqlfluff-1625/sqlfluff__sqlfluff-1625.traj.json`, {
    present: true,
    evidence: [35, 37, 40],
  }),
  // SWE-agent Java, doubao: 21 edits of reproduce.py in a row (1-21), Java code in a .py file, every one rejected
  // by the linter; 22 applies.
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/google__gson-1391.traj`, {
    present: true,
    evidence: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
  }),
  // Moatless gpt-4o: the same EditCode at 11, 14, 17, each "The code in the replace tag is the same as in the
  // search", with the same plan and a reject between.
  train(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-11583.json`, {
    present: true,
    evidence: [11, 14, 17],
  }),

  // ABSENT
  // OpenHands: each failed `create` ("File already exists", 5, 9, 13, 17, 21, 28) is followed by rm and a
  // successful create: failures never follow each other.
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [5],
  }),
  // OpenHands: str_replace fails at 12 ("Multiple occurrences of old_str"), create at 13 ("File already exists"),
  // then rm and a successful create at 15: two in a row.
  shared(`${OH}/django__django-11451/litellm_proxy__claude-3-5-sonnet-20241022-1733345517.955519.json`, {
    present: false,
    evidence: [12, 13],
  }),
  // SWE-agent Lite: `edit 166:166` rejected at 4 and 5, applied at 6.
  shared(`${LITE}/cost_2_1/django__django-16139.traj`, { present: false, evidence: [4, 5] }),
  // SWE-agent Java, doubao: `edit 1:1` and `edit 1:3` of reproduce_bug.py rejected (1, 2), `edit 1:4` applied (3).
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-3560.traj`, {
    present: false,
    evidence: [1, 2],
  }),
  // Moatless gpt-4o: the three EditCode steps (8, 12, 15) all "Applied the change to lib/matplotlib/figure.py".
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: fix.py written (57) and run: NameError (58); rewritten (59) and run: "Could not find
  // format_template = value.value" (60); patch_file.py then applies the change (64-65): two failed edit scripts.
  shared(`${MINI}/deepseek_chat_dev_rerun/pylint-dev__astroid-1866/pylint-dev__astroid-1866.traj.json`, {
    present: false,
    evidence: [58, 60],
  }),
  // mini-swe-agent gemini: a response holding a sed and a python edit script was refused for its format (13-14):
  // nothing ran, which is a format error, not an edit that failed; the script sent alone applies (15).
  shared(`${GEMINI}/astropy__astropy-7671/astropy__astropy-7671.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: the same sed refused twice in responses of several blocks (18, 20), run alone at 25.
  train(`${GEMINI}/sympy__sympy-17318/sympy__sympy-17318.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: `patch -p0 < final_fix.patch` -> "can't find file to patch" (104), `patch
  // autodetector.py < final_fix.patch` -> malformed (105), then the file is restored from a copy (106) and an
  // edit script applies (107-108).
  train(`${MINI}/deepseek_chat_test_1-100/django__django-13265/django__django-13265.traj.json`, {
    present: false,
    evidence: [104, 105],
  }),
  // mini-swe-agent deepseek: a sed with an unmatched `{` (36) and an inline edit script that "Could not find
  // to_json_dict method" (37); the next edit applies.
  train(`${MINI}/deepseek_lite_dev/pydicom__pydicom-1694/pydicom__pydicom-1694.traj.json`, {
    present: false,
    evidence: [36, 37],
  }),
  // SWE-agent Lite: an `edit 1:1` answered "COMMAND FAILED TO EXECUTE. RESTARTING PROCESS." (3), the run ends
  // early_exit: one failure.
  shared(`${LITE}/cost_2_3/scikit-learn__scikit-learn-14894.traj`, { present: false, evidence: [3] }),
];

export const BUDGET: Labelled[] = [
  // PRESENT
  // SWE-agent Lite: info.exit_status "exit_cost"; the last step (17) is the `exit_cost` pseudo-action.
  shared(`${LITE}/cost_2_1/psf__requests-2674.traj`, { present: true, evidence: [17] }),
  // SWE-agent Java, gpt-4o-mini: "submitted (exit_cost)": the loop of identical edits ends at 22, "Exited
  // (autosubmitted)".
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3701.traj`, {
    present: true,
    evidence: [22],
  }),
  // OpenHands: "Agent reached maximum iteration in headless mode. Current iteration: 50.00".
  shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`, {
    present: true,
    evidence: [49],
  }),
  // Moatless gpt-4o: info.status "rejected": the agent gave up after its search loop.
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`, {
    present: true,
    evidence: [13],
  }),
  // Moatless gpt-4o: no status; info.error ends "RuntimeError: The loop was aborted because the cost exceeded the
  // limit."
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-21614.json`, {
    present: true,
    evidence: [17],
  }),
  // OpenHands output.jsonl: "RuntimeError: Agent reached maximum iteration in headless mode"; 49 steps.
  shared(OH_OUTPUT, { line: 3, present: true, evidence: [48] }),
  // SWE-agent Lite: no exit status, no submission: the run stops after a scroll_down at 21 ($1.76 of its $2).
  shared(`${LITE}/cost_2_1/sympy__sympy-21614.traj`, { present: true, evidence: [21] }),
  // SWE-agent Java, gpt-4o: no exit status; stops after `create run_test.sh` (6) without submitting.
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-891.traj`, {
    present: true,
    evidence: [6],
  }),
  // Moatless gpt-4o: no status, no Finish: the run stops in the middle of editing UserAdmin, on three edits
  // refused (12-14).
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16816.json`, {
    present: true,
    evidence: [12, 13, 14],
  }),
  // AutoCodeRover: RAW_PATCH_BUT_UNPARSED: the three write_patch attempts (6-8) all "No edits can be parsed", and
  // the run ends there without a patch: repeated format errors.
  shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`, {
    present: true,
    evidence: [6, 7, 8],
  }),
  // SWE-agent Lite: "submitted", but the patch adds only reproduce_bug.py and the closing message says "let's
  // conclude the session" after the edits failed: it gave up.
  shared(`${LITE}/cost_2_1/astropy__astropy-7746.traj`, { present: true, evidence: [13] }),
  // SWE-agent Lite: "submitted" with an empty patch: "we've reached a natural stopping point within the
  // constraints of this simulated environment ... conclude the session".
  shared(`${LITE}/cost_2_2/django__django-15738.traj`, { present: true, evidence: [9] }),
  // SWE-agent Lite: "submitted" after reading skipping.py; the patch adds only its own test_foo.py (0-1), and the
  // closing message says "Given the constraints of this environment, let's conclude our investigation".
  shared(`${LITE}/cost_2_1/pytest-dev__pytest-7490.traj`, { present: true, evidence: [10] }),
  // SWE-agent Lite: early_exit after `submit` timed out twice (6: "EXECUTION TIMED OUT", 7: "... INTERRUPT
  // FAILED. RESTARTING PROCESS."): a time limit.
  train(`${LITE}/cost_2_3/psf__requests-863.traj`, { present: true, evidence: [7] }),
  // Moatless gpt-4o: "error: ValueError: Too many tokens in the new message: 18428": the context was full.
  train(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-15346.json`, { present: true, evidence: [3] }),
  // AutoCodeRover: the run ends on three write_patch answers that are prose (16-18), no patch.
  train(`${ACR}/acr-run-1/raw_patch_but_unmatched/django__django-13265_2024-04-06_14-23-33`, {
    present: true,
    evidence: [16, 17, 18],
  }),
  // Moatless claude-3.5: info.status "error", and info.error is "RuntimeError: The loop was aborted because the
  // cost exceeded the limit." (the adapter keeps the error's text as the exit status when the status says "error").
  train(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/sympy__sympy-14308.json`, {
    present: true,
    evidence: [8],
  }),

  // ABSENT
  // SWE-agent Lite: "submitted" with a fix of nddata.py.
  shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: "early_exit" after "COMMAND FAILED TO EXECUTE. RESTARTING PROCESS." at 9 ($0.57 spent): the
  // environment broke, no limit was hit.
  shared(`${LITE}/cost_2_3/sympy__sympy-17655.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: early_exit the same way after 4 steps.
  shared(`${LITE}/cost_2_3/scikit-learn__scikit-learn-14894.traj`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: "Submitted" after 95 steps, a fix of valuerep.py.
  shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`, {
    present: false,
    evidence: [],
  }),
  // OpenHands: ends with `finish` after 34 steps.
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [],
  }),
  // Moatless gpt-4o: "finished".
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`, {
    present: false,
    evidence: [],
  }),
  // AutoCodeRover: APPLICABLE_PATCH.
  shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, doubao: "submitted" with an empty patch, but the agent says "Now that the issue is fixed ...
  // we can submit": a wrong belief, not giving up.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-3666.traj`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Lite: "submitted"; the closing message says "this will conclude the session, and further
  // adjustments can be made in a real development environment", but the patch changes src/_pytest/python.py.
  shared(`${LITE}/cost_2_1/pytest-dev__pytest-5221.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: "submitted" with a fix of django/contrib/admin/helpers.py ("we'll proceed to submit").
  shared(`${LITE}/cost_2_1/django__django-14855.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: "submitted", the patch only a reproduction script, but the agent says the solution to the
  // issue is complete (an INTERNALERROR now a test failure): it did not give up.
  train(`${LITE}/cost_2_3/pytest-dev__pytest-7168.traj`, { present: false, evidence: [] }),
  // mini-swe-agent gemini: "Submitted" with an empty diff: "All relevant tests passed. I am confident in my
  // solution."
  train(`${GEMINI}/pylint-dev__pylint-7080/pylint-dev__pylint-7080.traj.json`, { present: false, evidence: [] }),

  // Second reading: submitted runs whose patch changes no source file.
  // PRESENT
  // SWE-agent Lite: the patch is replicate_bug.py; "the best course of action within the constraints of this
  // session would be to conclude the attempt" (14).
  shared(`${LITE}/cost_2_1/django__django-13401.traj`, { present: true, evidence: [14] }),
  // SWE-agent Lite: replicate_bug.py only; "I'll refrain from making further edits ... consider this session
  // concluded" (10).
  shared(`${LITE}/cost_2_1/sympy__sympy-14817.traj`, { present: true, evidence: [10] }),
  // SWE-agent Lite: nothing changed; "we've identified the approach but cannot proceed with actual code changes"
  // (9).
  shared(`${LITE}/cost_2_3/psf__requests-2674.traj`, { present: true, evidence: [9] }),
  // SWE-agent Lite: replicate_issue.py only; "the next best step is to wrap up the session. The outlined solution
  // provides a conceptual approach" (14).
  shared(`${LITE}/cost_2_2/sympy__sympy-11400.traj`, { present: true, evidence: [14] }),
  // SWE-agent Java, gpt-4o-mini: the patch is its own Python simulation and a test; "Since I cannot run Java code
  // directly here, I will document the findings and ... submit" (15).
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3666.traj`, {
    present: true,
    evidence: [15],
  }),
  // AutoCodeRover: RAW_PATCH_BUT_UNMATCHED: three write_patch answers (6-8) that no edit can be read from, and the
  // run ends there.
  shared(`${ACR}/acr-run-3/raw_patch_but_unmatched/matplotlib__matplotlib-25332_2024-04-04_18-33-20`, {
    present: true,
    evidence: [6, 7, 8],
  }),
  // ABSENT
  // AutoCodeRover: APPLICABLE_PATCH that edits tests/model_inheritance/models.py, a test file, as the fix (10),
  // with an explanation of the change: a wrong fix, not giving up.
  shared(`${ACR}/acr-run-1/applicable_patch/django__django-12470_2024-04-06_13-31-44`, {
    present: false,
    evidence: [],
  }),

  // Training data: SWE-agent submissions without a source change, drawn at random from the check's new positives.
  // PRESENT
  // SWE-agent Lite: bug_reproduction.py only; "let's conclude the session. Further action would involve engaging
  // with the SymPy development community" (9).
  train(`${LITE}/cost_2_2/sympy__sympy-14024.traj`, { present: true, evidence: [9] }),
  // SWE-agent Lite: nothing changed; "Since we cannot directly implement and test these changes here, the next step
  // in this simulation would be to conclude the session" (6).
  train(`${LITE}/cost_2_1/django__django-17051.traj`, { present: true, evidence: [6] }),
  // SWE-agent Lite: its own test_all_any.py only; "Given the limitations of our current environment, let's conclude
  // our session here" (5).
  train(`${LITE}/cost_2_1/pytest-dev__pytest-5103.traj`, { present: true, evidence: [5] }),
  // SWE-agent Java, deepseek-coder-v2: a Python reproduction only; "we should conclude our efforts in this
  // environment" (7).
  train(`${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-dataformat-xml-590.traj`, {
    present: true,
    evidence: [7],
  }),
  // SWE-agent Lite: the edits of the hint failed with syntax errors, nothing changed; "Given the repeated syntax
  // errors and the constraints of this environment ... my previous attempts ... have not been successful" (15).
  train(`${LITE}/cost_2_3/django__django-12497.traj`, { present: true, evidence: [15] }),
  // ABSENT
  // SWE-agent Lite: the patch changes tests/model_fields/test_jsonfield.py, which the agent believes is the change
  // the issue asks for; "we can't directly run the tests" is about checking it, not giving up.
  train(`${LITE}/cost_2_1/django__django-13757.traj`, { present: false, evidence: [] }),
  // SWE-agent Lite: the patch changes tests/view_tests/urls.py and views.py; "we've made the necessary changes to
  // address the issue ... further testing isn't possible in this environment".
  train(`${LITE}/cost_2_1/django__django-12184.traj`, { present: false, evidence: [] }),
];

/**
 * The medians of the runs over both data folders, as `excessive_steps` counts steps (a response refused for its
 * format once): what `rubricate score` would compare each trajectory with, scoring the two folders together.
 */
const RUN_MEDIAN: Record<string, number> = {
  cost_2_3: 10,
  "20240825_SWE-agent_gpt-4o-2024-05-13": 15,
  "20240825_SWE-agent_gpt-4o-mini-2024-07-18": 22.5,
  "20240825_SWE-agent_deepseek-chat-v2": 12,
  deepseek_lite_dev_noparallel: 71.5,
  deepseek_lite_dev: 80,
  deepseek_chat_dev_rerun: 90,
  "deepseek_chat_test_1-100": 77.5,
  "20251118_gemini-3-pro-74pct": 36,
  [OH_RUN]: 19.5,
  "20240623_moatless_claude-3.5-sonnet": 7.5,
  "20240617_moatless_gpt-4o-2024-05-13": 9,
  cost_2_1: 10,
  "20240825_SWE-agent_deepseek-coder-v2": 12,
  "20240825_SWE-agent_doubao-pro-128k": 42,
  "acr-run-1": 9,
  "acr-run-2": 9,
  "acr-run-3": 9,
};
const run = (name: string): RunContext => ({ medianSteps: new Map([[name, RUN_MEDIAN[name]]]) });

export const EXCESSIVE: Labelled[] = [
  // PRESENT (more than twice the median of the run)
  // mini-swe-agent deepseek: 157 steps of patch attempts on L003.py/L036.py; its run's median is 71.5.
  shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`, {
    present: true,
    evidence: [],
    ctx: run("deepseek_lite_dev_noparallel"),
  }),
  // mini-swe-agent deepseek: 189 steps (fix scripts, restores from backup, views), median 80.
  train(`${MINI}/deepseek_lite_dev/marshmallow-code__marshmallow-1343/marshmallow-code__marshmallow-1343.traj.json`, {
    present: true,
    evidence: [],
    ctx: run("deepseek_lite_dev"),
  }),
  // OpenHands: 50 steps, cut by the iteration limit (the edit-run cycle on the validator regex), median 19.5.
  shared(`${OH}/django__django-10097/litellm_proxy__claude-3-5-sonnet-20241022-1733344469.791651.json`, {
    present: true,
    evidence: [],
    ctx: run(OH_RUN),
  }),
  // OpenHands: 50 steps, the iteration limit again.
  shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`, {
    present: true,
    evidence: [],
    ctx: run(OH_RUN),
  }),
  // Moatless claude-3.5: 19 transitions (searches, plans, three refused edits, rejected), median 7.5.
  shared(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-15738.json`, {
    present: true,
    evidence: [],
    ctx: run("20240623_moatless_claude-3.5-sonnet"),
  }),
  // mini-swe-agent gemini: 84 steps, 78 turns (three refused responses of several blocks), median 36.
  train(`${GEMINI}/django__django-14631/django__django-14631.traj.json`, {
    present: true,
    evidence: [],
    ctx: run("20251118_gemini-3-pro-74pct"),
  }),
  // mini-swe-agent gemini: 180 steps, 92 turns: dozens of refused responses with up to 14 blocks; median 36.
  train(`${GEMINI}/django__django-14349/django__django-14349.traj.json`, {
    present: true,
    evidence: [],
    ctx: run("20251118_gemini-3-pro-74pct"),
  }),
  // SWE-agent Lite: 22 steps of scrolling through matexpr.py without an edit, median 10.
  shared(`${LITE}/cost_2_1/sympy__sympy-21614.traj`, { present: true, evidence: [], ctx: run("cost_2_1") }),
  // SWE-agent Java, deepseek-coder-v2: 36 steps, 33 of them the same `edit 1:1` of reproduce.java; median 12.
  train(`${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-1650.traj`, {
    present: true,
    evidence: [],
    ctx: run("20240825_SWE-agent_deepseek-coder-v2"),
  }),
  // AutoCodeRover: 29 steps (searches, 7 prompts, 2 bug_locations, write_patch), median 9.
  shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`, {
    present: true,
    evidence: [],
    ctx: run("acr-run-3"),
  }),
  // AutoCodeRover: 19 steps, median 9.
  train(`${ACR}/acr-run-1/applicable_patch/django__django-12113_2024-04-06_12-56-55`, {
    present: true,
    evidence: [],
    ctx: run("acr-run-1"),
  }),

  // ABSENT
  // mini-swe-agent gemini: 73 steps but 49 turns: 35 of the steps are blocks of 11 responses refused for their
  // format. Counted by steps it would pass twice the median (72); by turns it does not.
  train(`${GEMINI}/django__django-11299/django__django-11299.traj.json`, {
    present: false,
    evidence: [],
    ctx: run("20251118_gemini-3-pro-74pct"),
  }),
  // mini-swe-agent gemini: 26 steps (one refused response of two blocks), median 36.
  shared(`${GEMINI}/astropy__astropy-7671/astropy__astropy-7671.traj.json`, {
    present: false,
    evidence: [],
    ctx: run("20251118_gemini-3-pro-74pct"),
  }),
  // mini-swe-agent deepseek: 95 steps, median 90.
  shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`, {
    present: false,
    evidence: [],
    ctx: run("deepseek_chat_dev_rerun"),
  }),
  // mini-swe-agent deepseek: 131 steps, above the default limit of 100, but its run's median is 77.5.
  shared(`${MINI}/deepseek_chat_test_1-100/django__django-12470/django__django-12470.traj.json`, {
    present: false,
    evidence: [],
    ctx: run("deepseek_chat_test_1-100"),
  }),
  // SWE-agent Java, doubao: 57 steps of apt-get attempts, but the doubao run's median is 42.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`, {
    present: false,
    evidence: [],
    ctx: run("20240825_SWE-agent_doubao-pro-128k"),
  }),
  // SWE-agent Lite: 18 steps, median 10.
  shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`, { present: false, evidence: [], ctx: run("cost_2_1") }),
  // Moatless gpt-4o: 14 steps (the search loop, then rejected), median 9.
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`, {
    present: false,
    evidence: [],
    ctx: run("20240617_moatless_gpt-4o-2024-05-13"),
  }),
  // OpenHands: 34 steps, median 19.5.
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [],
    ctx: run(OH_RUN),
  }),
  // AutoCodeRover: 9 steps, the median.
  shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`, {
    present: false,
    evidence: [],
    ctx: run("acr-run-2"),
  }),

  // Second reading.
  // PRESENT
  // Moatless claude-3.5: 21 transitions, the same EditCode refused three times at the end (18-20); median 7.5.
  shared(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/psf__requests-2674.json`, {
    present: true,
    evidence: [],
    ctx: run("20240623_moatless_claude-3.5-sonnet"),
  }),
  // SWE-agent Java, deepseek-chat-v2: 29 steps lost in the gradle plugin's folders until exit_cost; median 12.
  shared(`${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/googlecontainertools__jib-4144.traj`, {
    present: true,
    evidence: [],
    ctx: run("20240825_SWE-agent_deepseek-chat-v2"),
  }),
  // ABSENT
  // SWE-agent Lite: 18 steps, median 10.
  shared(`${LITE}/cost_2_3/scikit-learn__scikit-learn-14983.traj`, {
    present: false,
    evidence: [],
    ctx: run("cost_2_3"),
  }),
  // SWE-agent Java, gpt-4o: 18 steps, median 15.
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-566.traj`, {
    present: false,
    evidence: [],
    ctx: run("20240825_SWE-agent_gpt-4o-2024-05-13"),
  }),
  // SWE-agent Java, gpt-4o-mini: 29 steps, 13 of them one rejected edit; the run's median is 22.5: a loop, not a
  // long run for this model.
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4159.traj`, {
    present: false,
    evidence: [],
    ctx: run("20240825_SWE-agent_gpt-4o-mini-2024-07-18"),
  }),
];

export const HALLUCINATED: Labelled[] = [
  // PRESENT
  // SWE-agent Lite: `open /django__django/django/db/models/fields.py` -> "File ... not found" (fields is a
  // package, fields/__init__.py).
  shared(`${LITE}/cost_2_2/django__django-13401.traj`, { present: true, evidence: [10] }),
  // SWE-agent Lite: `open sympy/matrices/expressions/derivatives.py` -> not found (no such module).
  shared(`${LITE}/cost_2_3/sympy__sympy-21614.traj`, { present: true, evidence: [11] }),
  // SWE-agent Lite: `open /django__django/accounts/models.py` (1) and `find_file "models.py" "accounts"` (2): the
  // app of the example, which is not in the repository.
  train(`${LITE}/cost_2_2/django__django-13925.traj`, { present: true, evidence: [1, 2] }),
  // SWE-agent Java, gpt-4o: `./gradlew test` -> "./gradlew: No such file or directory" (a Maven project).
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4219.traj`, {
    present: true,
    evidence: [10],
  }),
  // SWE-agent Java, doubao: `python reproduce.py` at 0, before creating it (2).
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-891.traj`, {
    present: true,
    evidence: [0],
  }),
  // SWE-agent Java, doubao: `open pom.xml` -> "File pom.xml not found" (jib has no top-level pom).
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`, {
    present: true,
    evidence: [2],
  }),
  // SWE-agent Java, doubao: `open src/test/java/.../failing/PerfBigDecimalToInteger968.java` (2), a test that does
  // not exist; `/usr/lib/jvm/java-11-openjdk-amd64/bin/java -version` (40), a guessed JDK path.
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-980.traj`, {
    present: true,
    evidence: [2, 40],
  }),
  // SWE-agent Java, gpt-4o-mini: `find_file "$Gson$Types.java" src` -> "Directory src not found" (the sources are
  // under gson/src).
  train(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/google__gson-1391.traj`, {
    present: true,
    evidence: [9],
  }),
  // AutoCodeRover: search_code_in_file(..., "pytest/GitHub/repository/path") twice, an invented path.
  shared(`${ACR}/acr-run-1/applicable_patch/pytest-dev__pytest-7490_2024-04-06_13-54-58`, {
    present: true,
    evidence: [12, 13],
  }),
  // AutoCodeRover: search_method_in_file(..., "/some/path/django/contrib/admin/utils.py") twice.
  shared(`${ACR}/acr-run-1/applicable_patch/django__django-16816_2024-04-06_13-28-47`, {
    present: true,
    evidence: [3, 4],
  }),
  // OpenHands output.jsonl: runs the compiler at ./ponylang__ponyc__0.1/ponyc (18) and .../build/bin/ponyc (20);
  // neither exists (the build failed).
  shared(OH_OUTPUT, { line: 1, present: true, evidence: [18, 20] }),
  // OpenHands: creates /workspace/test_inlines.py (7), then runs `python3 ../test_inlines.py` from
  // /workspace/django__django__3.0 (a link to /testbed): "can't open file '../test_inlines.py'".
  shared(`${OH}/django__django-11095/litellm_proxy__claude-3-5-sonnet-20241022-1733344649.2108428.json`, {
    present: true,
    evidence: [8],
  }),
  // OpenHands: creates /workspace/reproduce.py (1), runs `python3 ../reproduce.py` from the checkout:
  // "can't open file '/testbed/../reproduce.py'"; 3 runs it from /workspace.
  shared(`${OH}/astropy__astropy-13453/litellm_proxy__claude-3-5-sonnet-20241022-1733343951.769037.json`, {
    present: true,
    evidence: [2],
  }),
  // mini-swe-agent gemini: `ls -R matplotlib | grep dates.py` (0): the package is lib/matplotlib.
  train(`${GEMINI}/matplotlib__matplotlib-22871/matplotlib__matplotlib-22871.traj.json`, {
    present: true,
    evidence: [0],
  }),
  // mini-swe-agent gemini: update_html.py was to be written by a response refused for its format (6-9); the agent
  // runs `python3 update_html.py` anyway (10): "can't open file".
  train(`${GEMINI}/django__django-15103/django__django-15103.traj.json`, { present: true, evidence: [10] }),

  // ABSENT
  // OpenHands output.jsonl: the only missing path is "gmake[1]: Makefile: No such file or directory" from inside
  // `make` (45): the agent named no such path.
  shared(OH_OUTPUT, { line: 3, present: false, evidence: [] }),
  // OpenHands output.jsonl: `ls src/lib` -> "cannot access" (1): looking whether a folder exists, then `ls src`.
  shared(OH_OUTPUT, { line: 2, present: false, evidence: [] }),
  // SWE-agent Java, doubao: "xargs: curl: No such file or directory" (46) is a missing program, not a path.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-566.traj`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, deepseek-chat-v2: `open $Gson$Types.java` (7-26) -> "File .java not found": the file exists,
  // the shell expanded `$Gson$Types` to nothing.
  train(`${JAVA}/20240825_SWE-agent_deepseek-chat-v2/trajs/google__gson-1391.traj`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: the agent's test script fails at 25 with FileNotFoundError for a temp dir it builds at
  // run time.
  shared(`${MINI}/deepseek_chat_test_1-100/django__django-15738/django__django-15738.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent deepseek: inline programs resolve '/Users', '/tmp/does_not_exist_12345.py' (9, 20, 26) on
  // purpose, to see how path.resolve fails on missing files (the subject).
  train(`${MINI}/deepseek_chat_test_1-100/django__django-11583/django__django-11583.traj.json`, {
    present: false,
    evidence: [],
  }),
  // mini-swe-agent gemini: "FileNotFoundError: ... 'dvipng'" (6) is the LaTeX tool matplotlib calls; the agent
  // installs it at 7.
  shared(`${GEMINI}/matplotlib__matplotlib-21568/matplotlib__matplotlib-21568.traj.json`, {
    present: false,
    evidence: [],
  }),
  // Moatless gpt-4o: "File src/_pytest/hookspec.py is not found in the file context" (6): the file exists, Moatless
  // had not loaded it.
  shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/pytest-dev__pytest-7490.json`, {
    present: false,
    evidence: [],
  }),
  // AutoCodeRover: "Could not find method read in class Table" (0): a method, not a path.
  shared(`${ACR}/acr-run-1/applicable_patch/astropy__astropy-14365_2024-04-06_13-27-09`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Lite: every file opened exists.
  shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`, { present: false, evidence: [] }),
  // OpenHands: every path it creates, removes and runs exists when used.
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [],
  }),

  // Second reading: the check's positives over the shared data.
  // PRESENT
  // SWE-agent Java, doubao: `search_dir "ObjectMapper" databind` and `... core` (5, 6): folders the repository does
  // not have.
  shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-4159.traj`, {
    present: true,
    evidence: [5, 6],
  }),
  // SWE-agent Lite: `open ./django/contrib/admin/admin.py` (1): there is no such module.
  shared(`${LITE}/cost_2_1/django__django-13710.traj`, { present: true, evidence: [1] }),
  // AutoCodeRover: search_code_in_file("unique_together", "0002_auto_20230101_1234.py") (9): an invented migration.
  shared(`${ACR}/acr-run-3/raw_patch_but_unmatched/django__django-15738_2024-04-04_18-52-27`, {
    present: true,
    evidence: [9],
  }),
  // ABSENT
  // AutoCodeRover: search_method_in_file("_print_MatAdd", "./sympy/printing/pretty/pretty.py") -> "Could not find
  // file" (2): the file exists (read at 4 and 6); the tool does not take the `./`.
  shared(`${ACR}/acr-run-1/applicable_patch/sympy__sympy-14817_2024-04-06_14-07-02`, {
    present: false,
    evidence: [],
  }),
  // AutoCodeRover: search_code_in_file("reverse(", "django/contrib/admin/") (6): a folder that exists, given where
  // the tool wants a file.
  shared(`${ACR}/acr-run-3/applicable_patch/django__django-14855_2024-04-04_21-57-45`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, gpt-4o-mini: `find_file "test" README.md` -> "Directory README.md not found" (14): README.md is
  // a file of the repository, given where a folder is wanted; no step shows it exists, so the check counts it.
  shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-core-566.traj`, {
    present: false,
    evidence: [14],
    miss: "a file given where the tool wants a folder: the check cannot tell it exists when no step read it",
  }),
  // Training data: SWE-agent's `search_file` answering "Error: File name X not found. Please provide a valid file
  // name." (read as a missing path since this sample).
  // SWE-agent Java, doubao: `search_file "RecyclerPool" src/main/java/com/fasterxml/jackson/core/JsonFactory.Feature.java`
  // (20): an inner class taken for a file; JsonFactory.java is searched next (21).
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-1263.traj`, {
    present: true,
    evidence: [20],
  }),
  // SWE-agent Java, deepseek-coder-v2: `search_file ... StdDeserializer.java` / `CollectionDeserializer.java` by
  // bare name from the repository root, 13 times (10-39), "File name ... not found" each time.
  train(`${JAVA}/20240825_SWE-agent_deepseek-coder-v2/trajs/fasterxml__jackson-databind-4469.traj`, {
    present: true,
    evidence: [10, 13, 15, 19, 21, 23, 26, 29, 31, 33, 35, 37, 39],
  }),
];

/**
 * Responses the scaffold refused for their format: `present` when the run has one that held actions (blocks), its
 * `evidence` every step of such a response (none of them ran). Read from the refusal ("Please always provide
 * EXACTLY ONE action in triple backticks, found 3 actions": three blocks) and the response before it. Not a check
 * of the rubric: a fact of the analysis (a step's `executed`) that repeats_actions, failed_edit_streak and
 * excessive_steps rely on; scripts/check-precision.mjs scores it by trajectory and by step.
 */
export const FORMAT_REJECTED: Labelled[] = [
  // PRESENT
  // mini-swe-agent gemini: one response with a sed and a python edit script refused, "found 2 actions" (13-14).
  shared(`${GEMINI}/astropy__astropy-7671/astropy__astropy-7671.traj.json`, { present: true, evidence: [13, 14] }),
  // mini-swe-agent gemini: two responses of two blocks each refused (10-11, 12-13); the sed alone runs at 14.
  shared(`${GEMINI}/django__django-14404/django__django-14404.traj.json`, {
    present: true,
    evidence: [10, 11, 12, 13],
  }),
  // mini-swe-agent gemini: "found 3 actions" (9-11) and "found 2 actions" (16-17).
  shared(`${GEMINI}/django__django-16136/django__django-16136.traj.json`, {
    present: true,
    evidence: [9, 10, 11, 16, 17],
  }),
  // mini-swe-agent gemini: "found 3 actions" (6-8), "found 2 actions" (11-12).
  shared(`${GEMINI}/django__django-11451/django__django-11451.traj.json`, {
    present: true,
    evidence: [6, 7, 8, 11, 12],
  }),
  // mini-swe-agent gemini: "found 3 actions" (25-27).
  shared(`${GEMINI}/sphinx-doc__sphinx-10323/sphinx-doc__sphinx-10323.traj.json`, {
    present: true,
    evidence: [25, 26, 27],
  }),
  // OpenHands output.jsonl (ponyc-4593): str_replace calls without old_str refused by the editor ("Parameter
  // `old_str` is required for command: str_replace") at 18, 20, 21, 28: the call's form, nothing edited.
  shared(OH_OUTPUT, { line: 2, present: true, evidence: [18, 20, 21, 28] }),
  // OpenHands output.jsonl (ponyc-4595): the same refusal once (23).
  shared(OH_OUTPUT, { line: 3, present: true, evidence: [23] }),
  // mini-swe-agent gemini: "found 4 actions" (16-19) and "found 2 actions" (23-24).
  train(`${GEMINI}/sympy__sympy-13877/sympy__sympy-13877.traj.json`, {
    present: true,
    evidence: [16, 17, 18, 19, 23, 24],
  }),
  // mini-swe-agent gemini: three refused responses (3-5, 18-21, 22-24).
  train(`${GEMINI}/sympy__sympy-17318/sympy__sympy-17318.traj.json`, {
    present: true,
    evidence: [3, 4, 5, 18, 19, 20, 21, 22, 23, 24],
  }),
  // mini-swe-agent gemini: the response that was to write update_html.py refused (6-9), another at 15-16.
  train(`${GEMINI}/django__django-15103/django__django-15103.traj.json`, {
    present: true,
    evidence: [6, 7, 8, 9, 15, 16],
  }),
  // mini-swe-agent gemini: three refused responses of 3, 2 and 3 blocks (19-21, 23-24, 25-27).
  train(`${GEMINI}/django__django-16116/django__django-16116.traj.json`, {
    present: true,
    evidence: [19, 20, 21, 23, 24, 25, 26, 27],
  }),
  // mini-swe-agent gemini: refused responses of 4, 9 and 2 blocks (10-13, 25-33 the nine copies of a no-op sed,
  // 43-44).
  train(`${GEMINI}/sympy__sympy-15976/sympy__sympy-15976.traj.json`, {
    present: true,
    evidence: [10, 11, 12, 13, 25, 26, 27, 28, 29, 30, 31, 32, 33, 43, 44],
  }),
  // mini-swe-agent gemini: four refused responses with blocks (11-12, 14-15, 40-43, 47-48), and one with none
  // ("found 0 actions", 35: nothing to run, not a step that did not run).
  train(`${GEMINI}/django__django-12663/django__django-12663.traj.json`, {
    present: true,
    evidence: [11, 12, 14, 15, 40, 41, 42, 43, 47, 48],
  }),

  // ABSENT
  // mini-swe-agent gemini: one block per response throughout.
  shared(`${GEMINI}/astropy__astropy-14182/astropy__astropy-14182.traj.json`, { present: false, evidence: [] }),
  // mini-swe-agent deepseek: one block per response throughout.
  shared(`${MINI}/deepseek_chat_dev/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`, {
    present: false,
    evidence: [],
  }),
  // AutoCodeRover: "The search API calls seem not valid" ten times (5-14): responses without a call to run, not
  // calls that did not run.
  shared(`${ACR}/acr-run-1/applicable_patch/psf__requests-2674_2024-04-06_13-53-44`, { present: false, evidence: [] }),
  // OpenHands output.jsonl (ponyc-4574): every call ran; "cannot access" and build errors are answers of programs.
  shared(OH_OUTPUT, { line: 1, present: false, evidence: [] }),
  // SWE-agent Lite: five edits rejected by the linter (5-9): the edit command ran and was refused for its result.
  shared(`${LITE}/cost_2_3/astropy__astropy-14365.traj`, { present: false, evidence: [] }),
  // OpenHands: "File already exists" answers to create (5, 9, ...): the tool ran.
  shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`, {
    present: false,
    evidence: [],
  }),
  // SWE-agent Java, doubao: "Usage: search_file ... Error: File name ... not found. Please provide a valid file
  // name." (20): the command ran and answered.
  train(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-1263.traj`, {
    present: false,
    evidence: [],
  }),
  // Moatless gpt-4o: "The file context ... is not provided. Please provide the relevant file context" (8): the
  // model's own words, not a refusal.
  train(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-22005.json`, { present: false, evidence: [] }),
  // AutoCodeRover: three write_patch answers that are prose (16-18): the tool ran and found no edit.
  train(`${ACR}/acr-run-1/raw_patch_but_unmatched/django__django-13265_2024-04-06_14-23-33`, {
    present: false,
    evidence: [],
  }),
  // Moatless claude-3.5: EditCode with the same content (16-18) answered "the same as in the search": ran.
  shared(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-15738.json`, {
    present: false,
    evidence: [],
  }),
];

/** The sample of each check, by its name. */
export const PROCESS_CASES: Record<string, Labelled[]> = {
  repeats_actions: REPEATS,
  failed_edit_streak: FAILED_EDITS,
  excessive_steps: EXCESSIVE,
  budget_exhausted: BUDGET,
  hallucinated_paths: HALLUCINATED,
};
