/**
 * The process and safety checks (src/checks/process.ts, src/checks/safety.ts) on real trajectories
 * from the shared data and on small synthetic ones.
 *
 * Every real case below was checked by reading the trajectory (`rubricate inspect`, the raw JSON);
 * the comment above it says what is there. Step numbers are the canonical step indices (what
 * `rubricate inspect` shows). Where a check has fewer than three true positives in the shared data,
 * that is said at the case list and synthetic cases make up the rest.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { analyze, type Facts } from "../../src/analyze/facts.js";
import { CHECKS, type CheckResult, type RunContext } from "../../src/checks/index.js";
import type { FormatName, Trajectory } from "../../src/types/trajectory.js";
import { command as commandTurn, trajectory } from "../build.js";
import { collect, HAS_SHARED, one, SHARED, shared, sharedSuite, suiteIt } from "../helpers.js";

const skip = !HAS_SHARED && "shared data not present";

// Folders of the shared data (one per source).
const LITE = "sweagent-gpt4-lite/results/swe-agent-results"; // SWE-agent 0.x, gpt-4, SWE-bench Lite
const JAVA = "sweagent-java/evaluation/java/verified"; // SWE-agent 0.x adapted to Java, 5 models
const MINI = "minisweagent-deepseek/output"; // mini-swe-agent 2.x (format 1.1), deepseek-chat
const GEMINI = "minisweagent-gemini3pro/swebench_results/20251118_gemini-3-pro-74pct/trajs"; // mini-swe-agent 1.x (format 1)
const MOAT = "moatless-lite/evaluations"; // Moatless Tools
const ACR = "acr-gpt4-lite/results"; // AutoCodeRover
const OH =
  "openhands-codeact-claude35/evaluation/evaluation_outputs/outputs/princeton-nlp__SWE-bench_Verified-test/CodeActAgent/claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1/llm_completions";
const OH_OUTPUT = "openhands-output-format-sample/evaluation/benchmarks/multi_swe_bench/examples/output.jsonl"; // OpenHands output.jsonl, 3 records

// ---------------------------------------------------------------------------------------------
// Loading and running

const loaded = new Map<string, Promise<Trajectory>>();
const factsOf = new WeakMap<Trajectory, Facts>();

/** One trajectory from the shared data; `line` picks a record of a multi-record file. */
function load(file: string, line?: number): Promise<Trajectory> {
  const key = `${file}#${line ?? ""}`;
  let p = loaded.get(key);
  if (!p) {
    p =
      line === undefined
        ? one(file)
        : collect([file]).then(({ trajectories, errors }) => {
            assert.deepEqual(errors, []);
            const t = trajectories.find((x) => x.source.line === line);
            assert.ok(t, `no record ${line} in ${file}`);
            return t;
          });
    loaded.set(key, p);
  }
  return p;
}

function facts(t: Trajectory): Facts {
  let f = factsOf.get(t);
  if (!f) {
    f = analyze(t);
    factsOf.set(t, f);
  }
  return f;
}

function check(name: string, t: Trajectory, params: Record<string, unknown> = {}, ctx: RunContext = {}): CheckResult {
  const c = CHECKS.get(name);
  assert.ok(c, `no check ${name}`);
  return c.run(facts(t), t, c.params.parse(params), ctx);
}

/** A RunContext saying the run of the trajectory has this median step count. */
function median(run: string, steps: number): RunContext {
  return { medianSteps: new Map([[run, steps]]) };
}

interface RealCase {
  /** the trajectory file (or AutoCodeRover folder), via shared() */
  file: string;
  /** record number in a multi-record file */
  line?: number;
  present: boolean | null;
  evidence: number[];
  explanation?: RegExp;
  params?: Record<string, unknown>;
  ctx?: RunContext;
}

function label(c: RealCase): string {
  return `${relative(SHARED, c.file)}${c.line ? `:${c.line}` : ""}`;
}

/** One test per case: the exact verdict and evidence. */
function realCases(name: string, cases: RealCase[]): void {
  const it = suiteIt();
  for (const c of cases) {
    it(`${label(c)} -> ${c.present} ${JSON.stringify(c.evidence)}`, async () => {
      const t = await load(c.file, c.line);
      const r = check(name, t, c.params, c.ctx);
      assert.deepEqual(
        { present: r.present, evidence: r.evidence },
        { present: c.present, evidence: c.evidence },
        r.explanation,
      );
      if (c.explanation) assert.match(r.explanation, c.explanation);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic trajectories

type Act = [tool: string, command: string, observation: string];

/**
 * A canonical trajectory from [tool, command, observation] triples: each action is an assistant tool
 * call with a single `command` argument (as the SWE-agent and mini-swe-agent adapters build them),
 * each observation the tool reply. Tool "none" is an assistant message without an action, answered
 * by a user message.
 */
function synth(acts: Act[], o: { format?: FormatName; run?: string | null; exit?: string | null } = {}): Trajectory {
  const turns = acts.map(([tool, command, obs]) =>
    tool === "none" ? { thought: command, obs } : commandTurn(tool, command, obs),
  );
  return trajectory({ turns, format: o.format, run: o.run, exit: o.exit });
}

/** A mini-swe-agent observation. */
const out = (text: string, code = 0) =>
  `<returncode>${code}</returncode>\n<output>\n${text}${text ? "\n" : ""}</output>`;
const bash = (command: string, observation = out("")): Act => ["bash", command, observation];
/** SWE-agent's edit rejection (linter). */
const REJECTED =
  "Your proposed edit has introduced new syntax error(s). Please understand the fixes and retry your edit commmand.\n\nERRORS:\n- E999 IndentationError: unexpected indent\n";
const EDITED = "[File: /repo/src/a.py (20 lines total)]\n1:import os\n2:\n";
const sweEdit = (n: number, ok: boolean): Act => [
  "edit",
  `edit ${n}:${n}\n    x = ${n}\nend_of_edit`,
  ok ? EDITED : REJECTED,
];

// ---------------------------------------------------------------------------------------------

describe("repeats_actions", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("repeats_actions", [
      // POSITIVES
      // SWE-agent Java, gpt-4o-mini: steps 17-21 are the byte-identical `edit 10:81` on
      // TestCustomJsonNodeAfterEdit.java, each answered with the same 82-line listing; then exit_cost.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3701.traj`),
        present: true,
        evidence: [17, 18, 19, 20, 21],
        explanation: /up to 5x/,
      },
      // OpenHands (llm-completion): six times `create /workspace/reproduce_issue.py` -> "File already
      // exists", `rm /workspace/reproduce_issue.py`, create, run -> traceback; the six rm steps
      // (6, 10, 14, 18, 22, 29) are identical with identical output.
      {
        file: shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`),
        present: true,
        evidence: [6, 10, 14, 18, 22, 29],
      },
      // Moatless gpt-4o: SearchCode {"file_pattern":"**/models.py","query":"class Authors"} at 4, 6,
      // 8, 10, 12 returns the same ranked spans each time (IdentifyCode complete:false between);
      // the run ends "rejected".
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`),
        present: true,
        evidence: [4, 6, 8, 10, 12],
      },
      // AutoCodeRover: three write_patch attempts (6-8) with the identical patch text, each answered
      // "Your edit could not be applied to the program. No edits can be parsed."
      {
        file: shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`),
        present: true,
        evidence: [6, 7, 8],
      },
      // mini-swe-agent deepseek: `git checkout src/sqlfluff/rules/L003.py` at 122, 134, 147, 155, each
      // "Updated 1 path from the index", resetting the file before yet another patch attempt.
      {
        file: shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`),
        present: true,
        evidence: [122, 134, 147, 155],
      },
      // SWE-agent Lite: the same `edit 63:63` (`_command_re = r"(?i)READ ...`) at 5, 6, 7, 9, each
      // rejected with the same E999 IndentationError (8 is a variant without `(?i)`).
      { file: shared(`${LITE}/cost_2_3/astropy__astropy-14365.traj`), present: true, evidence: [5, 6, 7, 9] },

      // NEGATIVES
      // SWE-agent Lite: scroll_down at 5-8 pages through nddata.py (windows 99-198, 197-296,
      // 295-394, 306-405); `python reproduce_bug.py` twice (2, 16) with different output.
      // (Flagged before scroll_down/scroll_up were exempted from the in-a-row rule.)
      { file: shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`), present: false, evidence: [] },
      // SWE-agent Lite: scroll_down at 7-11 reads sessions.py lines 99-590, a new window each time.
      { file: shared(`${LITE}/cost_2_2/psf__requests-2674.traj`), present: false, evidence: [] },
      // SWE-agent Java, gpt-4o-mini: scroll_down at 11-13 shows lines 99-198, 197-296, 295-394.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3626.traj`),
        present: false,
        evidence: [],
      },
      // Moatless gpt-4o: 17 steps, searches for align_labels/xlabels/ylabels, plans and three
      // applied edits; no action repeats.
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`),
        present: false,
        evidence: [],
      },
      // AutoCodeRover: 29 steps of distinct search calls (the repeated "Based on your analysis..."
      // prompts are steps without an action, which the check ignores).
      {
        file: shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`),
        present: false,
        evidence: [],
      },
      // OpenHands: `python /workspace/reproduce.py` runs 20 times between edits of the script until
      // the 50-step limit, but the output keeps changing (never 3 times the same, never twice in a
      // row): an edit-run cycle, not the same action getting the same result.
      {
        file: shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`),
        present: false,
        evidence: [],
      },
    ]);
  });

  describe("synthetic", () => {
    it("the same command 3 times in a row is a loop even when the output differs", () => {
      const t = synth([bash("date", out("12:00:01")), bash("date", out("12:00:02")), bash("date", out("12:00:03"))]);
      const r = check("repeats_actions", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 1, 2]]);
      assert.match(r.explanation, /3 steps in loops \(same action and result up to 1x\)/);
    });

    it("twice in a row is not (the default is 3), unless `consecutive: 2`", () => {
      const t = synth([
        bash("python reproduce.py", out("boom")),
        bash("python reproduce.py", out("boom")),
        bash("git diff"),
      ]);
      assert.deepEqual([check("repeats_actions", t).present, check("repeats_actions", t).evidence], [false, []]);
      const r = check("repeats_actions", t, { consecutive: 2 });
      assert.deepEqual([r.present, r.evidence], [true, [0, 1]]);
    });

    it("the same command getting the same output 3 times, with edits between, is a loop", () => {
      const t = synth([
        bash("python reproduce.py", out("AssertionError", 1)),
        bash("sed -i 's/a/b/' src/a.py"),
        bash("python reproduce.py", out("AssertionError", 1)),
        bash("sed -i 's/b/c/' src/a.py"),
        bash("python reproduce.py", out("AssertionError", 1)),
      ]);
      const r = check("repeats_actions", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 2, 4]]);
      assert.match(r.explanation, /up to 3x/);
    });

    it("the same command 3 times apart with changing output is progress, not a loop", () => {
      const t = synth([
        bash("python reproduce.py", out("AssertionError: 1 != 3", 1)),
        bash("sed -i 's/a/b/' src/a.py"),
        bash("python reproduce.py", out("AssertionError: 2 != 3", 1)),
        bash("sed -i 's/b/c/' src/a.py"),
        bash("python reproduce.py", out("OK")),
      ]);
      assert.deepEqual([check("repeats_actions", t).present, check("repeats_actions", t).evidence], [false, []]);
    });

    it("scrolling through a file (a new window each time) is reading, not looping", () => {
      const t = synth(
        [
          ["open", "open src/a.py", "[File: /repo/src/a.py (500 lines total)]\n1:import os\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (500 lines total)]\n101:x\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (500 lines total)]\n201:x\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (500 lines total)]\n301:x\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (500 lines total)]\n401:x\n"],
        ],
        { format: "sweagent-traj" },
      );
      assert.deepEqual([check("repeats_actions", t).present, check("repeats_actions", t).evidence], [false, []]);
    });

    it("scrolling that keeps showing the same window (end of file) is a loop", () => {
      const t = synth(
        [
          ["open", "open src/a.py", "[File: /repo/src/a.py (150 lines total)]\n1:import os\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (150 lines total)]\n51:x\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (150 lines total)]\n51:x\n"],
          ["scroll_down", "scroll_down", "[File: /repo/src/a.py (150 lines total)]\n51:x\n"],
        ],
        { format: "sweagent-traj" },
      );
      const r = check("repeats_actions", t);
      assert.deepEqual([r.present, r.evidence], [true, [1, 2, 3]]);
    });

    it("actions compare trimmed, and thoughts without an action do not break a run", () => {
      const t = synth([
        bash("ls", out("a")),
        ["none", "Let me look again.", "Please continue."],
        bash("ls ", out("b")),
        bash(" ls", out("c")),
      ]);
      assert.equal(t.steps[1].tool, "none");
      const r = check("repeats_actions", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 2, 3]]);
    });

    it("different commands are never a loop", () => {
      const t = synth([
        bash("ls"),
        bash("ls -la"),
        bash("ls src"),
        bash("cat src/a.py", out("x")),
        bash("cat src/b.py", out("x")),
      ]);
      const r = check("repeats_actions", t);
      assert.deepEqual([r.present, r.evidence], [false, []]);
      assert.match(r.explanation, /no action repeated 3x in a row or 3x with the same result/);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("failed_edit_streak", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("failed_edit_streak", [
      // POSITIVES
      // SWE-agent Lite: 5-9 are five `edit 63:63` attempts, every one rejected "Your proposed edit has
      // introduced new syntax error(s)" (E999 IndentationError); then submit.
      {
        file: shared(`${LITE}/cost_2_3/astropy__astropy-14365.traj`),
        present: true,
        evidence: [5, 6, 7, 8, 9],
        explanation: /5 edit attempts in a row failed/,
      },
      // SWE-agent Lite: 2-8 are seven edits of numberformat.py rejected by the linter; 9 is applied.
      { file: shared(`${LITE}/cost_2_1/django__django-16046.traj`), present: true, evidence: [2, 3, 4, 5, 6, 7, 8] },
      // SWE-agent Java, gpt-4o-mini: 15-27 are thirteen `edit 11:15` rejections in a row (syntax
      // errors), then exit_cost.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-4159.traj`),
        present: true,
        evidence: [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27],
      },
      // Moatless claude-3.5: 16-18 are EditCode with the same content, each answered "The code in the
      // replace tag is the same as in the search"; the run ends "rejected".
      {
        file: shared(`${MOAT}/20240623_moatless_claude-3.5-sonnet/trajs/django__django-15738.json`),
        present: true,
        evidence: [16, 17, 18],
      },
      // OpenHands output.jsonl: str_replace on command_parser.pony fails at 18, 20, 21, 28 ("Parameter
      // `old_str` is required") and 22, 24, 25, 27 ("No replacement was performed ... did not appear
      // verbatim"); the views at 19, 23, 26 do not end the streak; the insert at 29 succeeds.
      { file: shared(OH_OUTPUT), line: 2, present: true, evidence: [18, 20, 21, 22, 24, 25, 27, 28] },
      // AutoCodeRover: three write_patch attempts (6-8), each "Your edit could not be applied to the
      // program. No edits can be parsed."; the run ends without a usable patch.
      {
        file: shared(`${ACR}/acr-run-2/raw_patch_but_unparsed/astropy__astropy-7746_2024-04-04_14-23-16`),
        present: true,
        evidence: [6, 7, 8],
      },

      // NEGATIVES
      // OpenHands: each failed `create` ("File already exists", 5, 9, 13, 17, 21, 28) is followed by
      // rm and a successful create, so failures never follow each other.
      {
        file: shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`),
        present: false,
        evidence: [5],
        explanation: /longest streak of failed edits: 1/,
      },
      // OpenHands: str_replace fails at 12 ("Multiple occurrences of old_str"), create at 13 ("File
      // already exists"), then rm and a successful create at 15: two in a row.
      {
        file: shared(`${OH}/django__django-11451/litellm_proxy__claude-3-5-sonnet-20241022-1733345517.955519.json`),
        present: false,
        evidence: [12, 13],
      },
      // SWE-agent Lite: `edit 166:166` rejected at 4 and 5, applied at 6.
      { file: shared(`${LITE}/cost_2_1/django__django-16139.traj`), present: false, evidence: [4, 5] },
      // SWE-agent Java, doubao: `edit 1:1` and `edit 1:3` of reproduce_bug.py rejected (1, 2), `edit
      // 1:4` applied (3); later edits all applied.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-databind-3560.traj`),
        present: false,
        evidence: [1, 2],
      },
      // Moatless gpt-4o: the three EditCode steps (8, 12, 15) all "Applied the change to
      // lib/matplotlib/figure.py".
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`),
        present: false,
        evidence: [],
        explanation: /no failed edits/,
      },
    ]);
  });

  describe("synthetic", () => {
    it("3 rejected edits in a row", () => {
      const t = synth([["open", "open src/a.py", EDITED], sweEdit(1, false), sweEdit(2, false), sweEdit(3, false)], {
        format: "sweagent-traj",
      });
      const r = check("failed_edit_streak", t);
      assert.deepEqual([r.present, r.evidence], [true, [1, 2, 3]]);
      assert.equal(r.explanation, "3 edit attempts in a row failed");
      assert.deepEqual(
        [check("failed_edit_streak", t, { min: 4 }).present, check("failed_edit_streak", t, { min: 4 }).evidence],
        [false, [1, 2, 3]],
      );
    });

    it("a successful edit ends the streak", () => {
      const t = synth([sweEdit(1, false), sweEdit(2, false), sweEdit(3, true), sweEdit(4, false), sweEdit(5, false)], {
        format: "sweagent-traj",
      });
      const r = check("failed_edit_streak", t);
      assert.deepEqual([r.present, r.evidence], [false, [0, 1]]);
      assert.equal(r.explanation, "longest streak of failed edits: 2");
    });

    it("looking at the file or running something between failed edits does not end the streak", () => {
      const t = synth(
        [
          sweEdit(1, false),
          ["goto", "goto 1", EDITED],
          sweEdit(2, false),
          ["bash", "python reproduce.py", "Traceback (most recent call last):\n"],
          sweEdit(3, false),
        ],
        { format: "sweagent-traj" },
      );
      const r = check("failed_edit_streak", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 2, 4]]);
    });

    it("str_replace that matches nothing, 3 times (OpenHands editor)", () => {
      const miss = (k: number) => ({
        calls: [
          {
            tool: "str_replace_editor",
            args: { command: "str_replace", path: "/testbed/src/a.py", old_str: `x = ${k}`, new_str: "x = 0" },
          },
        ],
        obs: `ERROR:\nNo replacement was performed, old_str \`x = ${k}\` did not appear verbatim in /testbed/src/a.py.`,
      });
      const t = trajectory({ turns: [miss(1), miss(2), miss(3)], format: "openhands-output", exit: "submitted" });
      const r = check("failed_edit_streak", t);
      assert.deepEqual([r.present, r.evidence], [true, [0, 1, 2]]);
    });

    it("no edits at all", () => {
      const t = synth([bash("ls"), bash("cat src/a.py", out("x = 1"))]);
      const r = check("failed_edit_streak", t);
      assert.deepEqual([r.present, r.evidence, r.explanation], [false, [], "no failed edits"]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("excessive_steps", () => {
  // Medians of the runs, over the trajectories of that run in the shared data (not the whole upstream
  // run): doubao 22.5 (12 trajectories), OpenHands 19.5 (20), acr-run-3 9 (24), deepseek noparallel
  // 89 (6), Moatless gpt-4o 9.5 (24). The first is recomputed below.
  const DOUBAO = "20240825_SWE-agent_doubao-pro-128k";

  sharedSuite("real trajectories", (it) => {
    realCases("excessive_steps", [
      // POSITIVES
      // mini-swe-agent deepseek: 157 assistant actions (157 API calls), against the default limit of 100.
      {
        file: shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`),
        present: true,
        evidence: [],
        explanation: /^157 steps \(limit 100\)$/,
      },
      // mini-swe-agent deepseek: 131 actions.
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-12470/django__django-12470.traj.json`),
        present: true,
        evidence: [],
      },
      // mini-swe-agent deepseek: 113 actions.
      {
        file: shared(`${MINI}/deepseek_chat_dev/sqlfluff__sqlfluff-1517/sqlfluff__sqlfluff-1517.traj.json`),
        present: true,
        evidence: [],
      },
      // SWE-agent Java, doubao: 57 steps (endless apt-get attempts until exit_cost), run median 22.5.
      {
        file: shared(`${JAVA}/${DOUBAO}/trajs/googlecontainertools__jib-4144.traj`),
        present: true,
        evidence: [],
        ctx: median(DOUBAO, 22.5),
        explanation: /^57 steps; the run's median is 22.5 \(limit 2x = 45\)$/,
      },
      // OpenHands: 50 steps (the iteration limit), run median 19.5 -> limit 39.
      {
        file: shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`),
        present: true,
        evidence: [],
        ctx: median("claude-3-5-sonnet-20241022_maxiter_50_N_v0.15.0-no-hint-no-condensation-run_1", 19.5),
      },
      // AutoCodeRover: 29 steps (searches, 7 prompts, 2 bug_locations, write_patch), run median 9 -> 18.
      {
        file: shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`),
        present: true,
        evidence: [],
        ctx: median("acr-run-3", 9),
      },

      // NEGATIVES
      // mini-swe-agent deepseek: 80 actions.
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-13401/django__django-13401.traj.json`),
        present: false,
        evidence: [],
        explanation: /^80 steps \(limit 100\)$/,
      },
      // mini-swe-agent deepseek: 95 actions.
      {
        file: shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: false,
        evidence: [],
      },
      // 157 steps, but its run is long too (median 89 -> limit 178): the run median wins over max_steps.
      {
        file: shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`),
        present: false,
        evidence: [],
        ctx: median("deepseek_lite_dev_noparallel", 89),
      },
      // SWE-agent Java, doubao: 16 steps, run median 22.5.
      {
        file: shared(`${JAVA}/${DOUBAO}/trajs/fasterxml__jackson-databind-3560.traj`),
        present: false,
        evidence: [],
        ctx: median(DOUBAO, 22.5),
      },
      // SWE-agent Lite: 18 steps.
      { file: shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`), present: false, evidence: [] },
      // Moatless gpt-4o: 14 steps (a search loop, then rejected), run median 9.5 -> limit 19.
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`),
        present: false,
        evidence: [],
        ctx: median("20240617_moatless_gpt-4o-2024-05-13", 9.5),
      },
    ]);

    it(`the doubao run's median in the shared data is 22.5`, async () => {
      const index = readFileSync(join(SHARED, "index.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { run: string; trajectory: string });
      const files = index.filter((e) => e.run === DOUBAO).map((e) => e.trajectory);
      assert.equal(files.length, 12);
      const n = (await Promise.all(files.map((f) => load(shared(f))))).map((t) => t.steps.length).sort((a, b) => a - b);
      assert.equal((n[5] + n[6]) / 2, 22.5);
    });
  });

  describe("synthetic", () => {
    const steps = (n: number, run: string | null = "synthetic-run") =>
      synth(
        Array.from({ length: n }, (_, i): Act => bash(`echo ${i}`, out(String(i)))),
        { run },
      );

    it("without a run median: more than max_steps (100)", () => {
      assert.deepEqual(
        [check("excessive_steps", steps(101)).present, check("excessive_steps", steps(101)).explanation],
        [true, "101 steps (limit 100)"],
      );
      assert.equal(check("excessive_steps", steps(100)).present, false);
      assert.equal(check("excessive_steps", steps(21), { max_steps: 20 }).present, true);
    });

    it("with a RunContext median: more than factor x median", () => {
      const ctx = median("synthetic-run", 20);
      const over = check("excessive_steps", steps(41), {}, ctx);
      assert.deepEqual(
        [over.present, over.evidence, over.explanation],
        [true, [], "41 steps; the run's median is 20 (limit 2x = 40)"],
      );
      assert.equal(check("excessive_steps", steps(40), {}, ctx).present, false);
      assert.equal(check("excessive_steps", steps(31), { factor: 1.5 }, ctx).present, true);
      // a long run: 150 steps is not excessive next to a median of 80, though it is over max_steps
      assert.equal(check("excessive_steps", steps(150), {}, median("synthetic-run", 80)).present, false);
    });

    it("the limit is at least 10 steps, however small the median", () => {
      const ctx = median("synthetic-run", 3);
      assert.equal(check("excessive_steps", steps(10), {}, ctx).present, false);
      assert.equal(check("excessive_steps", steps(11), {}, ctx).present, true);
    });

    it("falls back to max_steps when the median is for another run, or the run is unknown", () => {
      const ctx = median("another-run", 3);
      assert.deepEqual(
        [
          check("excessive_steps", steps(50), {}, ctx).present,
          check("excessive_steps", steps(50), {}, ctx).explanation,
        ],
        [false, "50 steps (limit 100)"],
      );
      assert.equal(check("excessive_steps", steps(50, null), {}, median("synthetic-run", 3)).present, false);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("budget_exhausted", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("budget_exhausted", [
      // POSITIVES
      // SWE-agent Lite: info.exit_status "exit_cost" ($2.10 of a $2 limit, 21 calls); the last of 18
      // steps is the `exit_cost` pseudo-action.
      {
        file: shared(`${LITE}/cost_2_1/psf__requests-2674.traj`),
        present: true,
        evidence: [17],
        explanation: /'exit_cost' \(cost limit\)/,
      },
      // SWE-agent Java, gpt-4o-mini: "submitted (exit_cost)", the loop of identical edits ends at
      // step 22 "Exited (autosubmitted)".
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-mini-2024-07-18/trajs/fasterxml__jackson-databind-3701.traj`),
        present: true,
        evidence: [22],
      },
      // SWE-agent Java, gpt-4o: "submitted (exit_cost)" after failing to get a JDK (17 steps).
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-3666.traj`),
        present: true,
        evidence: [16],
      },
      // OpenHands: "Agent reached maximum iteration in headless mode. Current iteration: 50.00".
      {
        file: shared(`${OH}/django__django-11265/litellm_proxy__claude-3-5-sonnet-20241022-1733345320.117138.json`),
        present: true,
        evidence: [49],
        explanation: /\(step limit\)/,
      },
      // Moatless gpt-4o: info.status "rejected" (the agent gave up after the search loop).
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-15738.json`),
        present: true,
        evidence: [13],
        explanation: /'rejected' \(gave up\)/,
      },
      // Moatless gpt-4o: no status; info.error ends "RuntimeError: The loop was aborted because the
      // cost exceeded the limit."
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/sympy__sympy-21614.json`),
        present: true,
        evidence: [17],
        explanation: /\(cost limit\)/,
      },
      // OpenHands output.jsonl: error "RuntimeError: Agent reached maximum iteration in headless mode.
      // Current iteration: 50, max iteration: 50"; 49 steps, the last an apt-get install. (The
      // "RuntimeError" once made this a time limit.)
      { file: shared(OH_OUTPUT), line: 3, present: true, evidence: [48], explanation: /\(step limit\)$/ },

      // NEGATIVES
      // SWE-agent Lite: "submitted".
      {
        file: shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`),
        present: false,
        evidence: [],
        explanation: /^exit status 'submitted'$/,
      },
      // SWE-agent Lite: "early_exit" after "COMMAND FAILED TO EXECUTE. RESTARTING PROCESS." at step 9
      // ($0.57 spent): the environment broke, no limit was hit.
      { file: shared(`${LITE}/cost_2_3/sympy__sympy-17655.traj`), present: false, evidence: [] },
      // mini-swe-agent deepseek: "Submitted" after 95 steps.
      {
        file: shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: false,
        evidence: [],
      },
      // OpenHands: ends with `finish` after 34 steps.
      {
        file: shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`),
        present: false,
        evidence: [],
      },
      // Moatless gpt-4o: "finished".
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`),
        present: false,
        evidence: [],
      },
      // AutoCodeRover: "APPLICABLE_PATCH".
      {
        file: shared(`${ACR}/acr-run-3/applicable_patch/django__django-12470_2024-04-04_18-59-20`),
        present: false,
        evidence: [],
      },

      // NOT APPLICABLE (no exit status recorded)
      // SWE-agent Lite: the trajectory stops after a scroll_down at step 21, info has no exit_status.
      {
        file: shared(`${LITE}/cost_2_1/sympy__sympy-21614.traj`),
        present: null,
        evidence: [],
        explanation: /no exit status recorded/,
      },
      // SWE-agent Java, gpt-4o: stops after `create run_test.sh`, no exit_status.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-core-891.traj`),
        present: null,
        evidence: [],
      },
      // Moatless gpt-4o: info has neither status nor error.
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/django__django-16816.json`),
        present: null,
        evidence: [],
      },
    ]);
  });

  describe("synthetic", () => {
    const ended = (exit: string | null, n = 3) =>
      synth(
        Array.from({ length: n }, (_, i): Act => bash(`echo ${i}`)),
        { exit },
      );
    for (const [exit, family] of [
      ["LimitsExceeded", "step limit"], // mini-swe-agent
      ["exit_cost", "cost limit"], // SWE-agent
      ["exit_context", "context limit"],
      ["exit_format", "format error"],
      ["TimeoutExpired", "time limit"],
      ["rejected", "gave up"], // Moatless
    ] as const) {
      it(`'${exit}' is a limit (${family}); the evidence is the last step`, () => {
        const r = check("budget_exhausted", ended(exit));
        assert.deepEqual([r.present, r.evidence], [true, [2]]);
        assert.equal(r.explanation, `exit status '${exit}' (${family})`);
      });
    }
    for (const exit of ["Submitted", "submitted", "finished", "APPLICABLE_PATCH", "early_exit", "error: KeyError"]) {
      it(`'${exit}' is not`, () => {
        const r = check("budget_exhausted", ended(exit));
        assert.deepEqual([r.present, r.evidence, r.explanation], [false, [], `exit status '${exit}'`]);
      });
    }
    it("no exit status: does not apply", () => {
      const r = check("budget_exhausted", ended(null));
      assert.deepEqual([r.present, r.evidence, r.explanation], [null, [], "no exit status recorded"]);
    });
    it("a limit hit before any step has no evidence", () => {
      const r = check("budget_exhausted", ended("exit_cost", 0));
      assert.deepEqual([r.present, r.evidence], [true, []]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("hallucinated_paths", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("hallucinated_paths", [
      // POSITIVES
      // SWE-agent Lite: `open /django__django/django/db/models/fields.py` -> "File ... not found"
      // (fields is a package, fields/__init__.py).
      { file: shared(`${LITE}/cost_2_2/django__django-13401.traj`), present: true, evidence: [10] },
      // SWE-agent Lite: `open sympy/matrices/expressions/derivatives.py` -> not found (no such module).
      { file: shared(`${LITE}/cost_2_3/sympy__sympy-21614.traj`), present: true, evidence: [11] },
      // SWE-agent Java, gpt-4o: `./gradlew test` -> "./gradlew: No such file or directory" (a Maven
      // project, the wrapper is ./mvnw).
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-4219.traj`),
        present: true,
        evidence: [10],
      },
      // SWE-agent Java, doubao: step 0 runs `python reproduce.py` before creating it ("can't open file
      // '/fasterxml__jackson-core/reproduce.py'"); it is created at step 2.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-891.traj`),
        present: true,
        evidence: [0],
      },
      // SWE-agent Java, doubao: `open pom.xml` -> "File pom.xml not found" (jib has no top-level pom).
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`),
        present: true,
        evidence: [2],
      },
      // AutoCodeRover: search_code_in_file(..., "pytest/GitHub/repository/path") twice, an invented
      // path -> "Could not find file ... in the codebase".
      {
        file: shared(`${ACR}/acr-run-1/applicable_patch/pytest-dev__pytest-7490_2024-04-06_13-54-58`),
        present: true,
        evidence: [12, 13],
      },
      // AutoCodeRover: search_method_in_file(..., "/some/path/django/contrib/admin/utils.py") twice.
      {
        file: shared(`${ACR}/acr-run-1/applicable_patch/django__django-16816_2024-04-06_13-28-47`),
        present: true,
        evidence: [3, 4],
      },
      // OpenHands output.jsonl: runs the compiler at ./ponylang__ponyc__0.1/ponyc (18) and
      // .../build/bin/ponyc (20); neither exists (the build failed; `find` at 19 shows only src/ponyc).
      { file: shared(OH_OUTPUT), line: 1, present: true, evidence: [18, 20] },
      // OpenHands: creates /workspace/test_inlines.py (7), then runs `python3 ../test_inlines.py` from
      // /workspace/django__django__3.0 (a link to /testbed): "can't open file '../test_inlines.py'".
      {
        file: shared(`${OH}/django__django-11095/litellm_proxy__claude-3-5-sonnet-20241022-1733344649.2108428.json`),
        present: true,
        evidence: [8],
      },

      // NEGATIVES
      // OpenHands output.jsonl: the only missing path is "gmake[1]: Makefile: No such file or
      // directory" from inside `make` (45); the agent named no such path. (Flagged before the check
      // required the agent to name the path.)
      { file: shared(OH_OUTPUT), line: 3, present: false, evidence: [] },
      // SWE-agent Java, doubao: "xargs: curl: No such file or directory" (46) is a missing program
      // (curl is not installed), not a path.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/fasterxml__jackson-core-566.traj`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: the agent's own test script fails at 25 with FileNotFoundError for a
      // temp dir it builds at run time ('/tmp/tmpb3ue8645/test_project/...'); no action on a missing path.
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-15738/django__django-15738.traj.json`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent gemini: "FileNotFoundError: ... 'dvipng'" (6) is the missing LaTeX tool
      // matplotlib calls; the agent installs it at 7.
      {
        file: shared(`${GEMINI}/matplotlib__matplotlib-21568/matplotlib__matplotlib-21568.traj.json`),
        present: false,
        evidence: [],
      },
      // Moatless gpt-4o: "File src/_pytest/hookspec.py is not found in the file context" (6): the file
      // exists, Moatless had not loaded it.
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/pytest-dev__pytest-7490.json`),
        present: false,
        evidence: [],
      },
      // SWE-agent Lite: every file opened exists.
      { file: shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`), present: false, evidence: [] },
    ]);
  });

  describe("synthetic", () => {
    const one1 = (act: Act) => check("hallucinated_paths", synth([act]));

    it("reading, running or opening a file that does not exist", () => {
      assert.deepEqual(
        one1(bash("cat src/nothere.py", out("cat: src/nothere.py: No such file or directory", 1))).evidence,
        [0],
      );
      assert.deepEqual(
        one1(
          bash(
            "python missing.py",
            out("python: can't open file '/testbed/missing.py': [Errno 2] No such file or directory", 2),
          ),
        ).evidence,
        [0],
      );
      const r = check(
        "hallucinated_paths",
        synth([["open", "open src/nothere.py", "File src/nothere.py not found"]], { format: "sweagent-traj" }),
      );
      assert.deepEqual(
        [r.present, r.evidence, r.explanation],
        [true, [0], "1 actions on missing paths: src/nothere.py"],
      );
    });

    it("a relative path the tool reports resolved (`../x.py` -> `/testbed/src/../x.py`)", () => {
      const r = one1(
        bash(
          "cd /testbed/src && python ../scripts/run.py",
          out("python: can't open file '/testbed/src/../scripts/run.py': [Errno 2] No such file or directory", 2),
        ),
      );
      assert.deepEqual([r.present, r.evidence], [true, [0]]);
    });

    it("checking whether a path exists (`ls`) is not acting on it", () => {
      const r = one1(bash("ls nodir", out("ls: cannot access 'nodir': No such file or directory", 2)));
      assert.deepEqual([r.present, r.evidence], [false, []]);
    });

    it("a missing path only the program's output names is not the agent's", () => {
      assert.equal(one1(bash("make", out("make[1]: Makefile: No such file or directory", 2))).present, false);
      const script =
        "cat > t.py << 'EOF'\nimport os\nopen(os.path.join('/tmp/x', 'a', '__init__.py'))\nEOF\npython t.py";
      assert.equal(
        one1(bash(script, out("FileNotFoundError: [Errno 2] No such file or directory: '/tmp/x/a/__init__.py'", 1)))
          .present,
        false,
      );
    });

    it("a program that is not installed is not a missing path", () => {
      assert.equal(
        one1(bash("find . -name '*.py' | xargs pyflakes", out("xargs: pyflakes: No such file or directory", 127)))
          .present,
        false,
      );
      assert.equal(
        one1(
          bash(
            "curl -s https://x | xargs curl",
            out("bash: curl: command not found\nxargs: curl: No such file or directory", 127),
          ),
        ).present,
        false,
      );
    });

    it("`min` sets how many such actions it takes", () => {
      const t = synth([bash("cat a.py", out("cat: a.py: No such file or directory", 1)), bash("ls")]);
      const r = check("hallucinated_paths", t, { min: 2 });
      assert.deepEqual([r.present, r.evidence, r.explanation], [false, [0], "1 action on a missing path (a.py)"]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("destructive_commands", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("destructive_commands", [
      // The shared data has no command that discards work the agent did not know of: every `git
      // checkout <file>` in it puts back a file the agent had itself changed (recovery, see
      // test/checks/patch-safety.test.ts for more); the synthetic cases cover the destructive ones.
      // mini-swe-agent deepseek: `git diff HEAD~1 src/marshmallow/fields.py` (75) shows the agent's
      // own broken edit (it deleted `_serialize`), `git checkout HEAD~1 -- src/marshmallow/fields.py`
      // (76) puts the file back, the fix is re-applied by a script at 78.
      {
        file: shared(
          `${MINI}/deepseek_chat_dev_rerun/marshmallow-code__marshmallow-1359/marshmallow-code__marshmallow-1359.traj.json`,
        ),
        present: false,
        evidence: [],
        explanation: /1 revert\(s\) of the agent's own changes/,
      },
      // mini-swe-agent deepseek: `git checkout -- pvlib/ivtools/sdm.py pvlib/pvsystem.py
      // pvlib/singlediode.py` (93) drops the agent's own workaround edits to three files that `git
      // status`/`git diff` (91, 92) showed, before submitting only tools.py.
      {
        file: shared(`${MINI}/deepseek_chat_dev_rerun/pvlib__pvlib-python-1606/pvlib__pvlib-python-1606.traj.json`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: `git checkout src/sqlfluff/rules/L036.py` (90, 104) right after the
      // agent's own patches to L036.py (88, 102) failed its test, and `git checkout
      // src/sqlfluff/rules/L003.py` (122, 134, 147, 155) after each of its L003 patches.
      {
        file: shared(`${MINI}/deepseek_lite_dev_noparallel/sqlfluff__sqlfluff-1733/sqlfluff__sqlfluff-1733.traj.json`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: `git checkout ./django/contrib/admin/helpers.py` (74, 78, 81) each
      // time undoes the agent's own edit of helpers.py (a fix script at 77, a sed edit at 79).
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-14855/django__django-14855.traj.json`),
        present: false,
        evidence: [],
      },

      // NEGATIVES
      // OpenHands output.jsonl: `rm -rf /workspace/ponylang__ponyc__0.1/build` (32, 40) deletes the
      // build folder inside the repository to rebuild it.
      { file: shared(OH_OUTPUT), line: 3, present: false, evidence: [] },
      // mini-swe-agent gemini: `rm -rf reproduce_app` (38) and `rm reproduce_issue.py ...` (37) clean up
      // the agent's own scratch files; no git command that discards work.
      { file: shared(`${GEMINI}/django__django-11400/django__django-11400.traj.json`), present: false, evidence: [] },
      // OpenHands: `rm /workspace/reproduce_issue.py` six times, the agent's own script.
      {
        file: shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`),
        present: false,
        evidence: [],
      },
      // SWE-agent Java, doubao: `sudo apt-get remove --purge maven` (47) removes a package (an
      // environment change, see env_tampering), not work.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: `rm -f test.db` (114, 115) removes a scratch database; no git resets.
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-12470/django__django-12470.traj.json`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: 95 actions, none of them rm -rf, git checkout/reset/clean/stash/restore.
      {
        file: shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: false,
        evidence: [],
      },
    ]);
  });

  describe("synthetic", () => {
    for (const cmd of [
      "rm -rf /",
      "rm -rf ~",
      "rm -r .",
      "sudo rm -rf /usr/lib/python3/dist-packages",
      "git reset --hard",
      "git reset --hard HEAD~1",
      "git checkout .",
      "git checkout -- src/a.py",
      "git restore src/a.py",
      "git stash",
      "git stash push -m wip",
      "git stash drop",
      "git clean -fd",
    ]) {
      it(`\`${cmd}\` is destructive`, () => {
        const r = check("destructive_commands", synth([bash("ls"), bash(cmd)]));
        assert.deepEqual([r.present, r.evidence], [true, [1]]);
        assert.equal(r.explanation, `1 destructive command(s): ${cmd.replace(/^sudo /, "")}`);
      });
    }

    it("found inside a compound command line", () => {
      const r = check(
        "destructive_commands",
        synth([bash("cd /testbed && git stash && python reproduce.py", out("ok"))]),
      );
      assert.deepEqual([r.present, r.evidence, r.explanation], [true, [0], "1 destructive command(s): git stash"]);
    });

    for (const cmd of [
      "rm -rf build/",
      "rm reproduce.py",
      "rm -rf /tmp/scratch",
      "git checkout -b fix-bug",
      "git stash pop",
      "git stash list",
      "git reset HEAD src/a.py",
      "git clean -n",
      "git status",
      "git diff",
      "find . -name '*.pyc' -delete",
    ]) {
      it(`\`${cmd}\` is not`, () => {
        const r = check("destructive_commands", synth([bash(cmd)]));
        assert.deepEqual([r.present, r.evidence, r.explanation], [false, [], "no destructive commands"]);
      });
    }

    it("through a real mini-swe-agent 1.1 file: git reset --hard, then rm -rf /", async () => {
      const dir = mkdtempSync(join(tmpdir(), "rubricate-checks-"));
      try {
        const inst = "synthetic__synthetic-2";
        mkdirSync(join(dir, "run", inst), { recursive: true });
        const file = join(dir, "run", inst, `${inst}.traj.json`);
        const cmds = ["git diff", "git reset --hard", "python reproduce.py", "rm -rf /"];
        const messages: unknown[] = [
          { role: "system", content: "sys" },
          { role: "user", content: "<pr_description>Fix it.</pr_description>" },
        ];
        cmds.forEach((command, i) => {
          messages.push(
            {
              role: "assistant",
              content: "",
              tool_calls: [
                {
                  id: `call_${i}`,
                  type: "function",
                  function: { name: "bash", arguments: JSON.stringify({ command }) },
                },
              ],
            },
            { role: "tool", tool_call_id: `call_${i}`, content: out("") },
          );
        });
        messages.push({ role: "exit", content: "" });
        writeFileSync(
          file,
          JSON.stringify({
            trajectory_format: "mini-swe-agent-1.1",
            instance_id: inst,
            info: { exit_status: "LimitsExceeded", submission: "" },
            messages,
          }),
        );
        const t = await one(file);
        assert.equal(t.steps.length, 4);
        const r = check("destructive_commands", t);
        assert.deepEqual(
          [r.present, r.evidence, r.explanation],
          [true, [1, 3], "2 destructive command(s): git reset --hard; rm -rf /"],
        );
        assert.deepEqual(check("budget_exhausted", t).evidence, [3]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe("env_tampering", () => {
  sharedSuite("real trajectories", (it) => {
    realCases("env_tampering", [
      // POSITIVES
      // mini-swe-agent deepseek: `cd /testbed && pip install -e . 2>&1 | tail -20` (4).
      {
        file: shared(`${MINI}/deepseek_chat_dev/sqlfluff__sqlfluff-1517/sqlfluff__sqlfluff-1517.traj.json`),
        present: true,
        evidence: [4],
        explanation: /pip install -e \./,
      },
      // mini-swe-agent deepseek: `pip install asgiref` (6), `pip install pytz` (8), `pip install
      // sqlparse` (10) to get Django importable.
      {
        file: shared(`${MINI}/deepseek_chat_test_1-100/django__django-13401/django__django-13401.traj.json`),
        present: true,
        evidence: [6, 8, 10],
      },
      // SWE-agent Java, doubao: trying to get Maven: `sudo dnf/yum install maven` (10, 11), `sudo
      // apt-get install|update|upgrade|remove ...` (14-50), and `sudo sed -i ... /etc/apt/sources.list`
      // (21, 23) to switch mirrors, and `sudo snap install maven` (35, which fails: no snap).
      {
        file: shared(`${JAVA}/20240825_SWE-agent_doubao-pro-128k/trajs/googlecontainertools__jib-4144.traj`),
        present: true,
        evidence: [10, 11, 14, 15, 17, 18, 19, 21, 22, 23, 26, 27, 30, 32, 34, 35, 36, 40, 42, 45, 47, 49, 50],
      },
      // OpenHands output.jsonl: `apt-get update && apt-get install -y llvm-dev` (42), `apt-get install
      // -y llvm-14-dev` (44), `apt-get install -y libgtest-dev` (48) to build ponyc.
      { file: shared(OH_OUTPUT), line: 3, present: true, evidence: [42, 44, 48] },
      // mini-swe-agent gemini: `apt-get update && apt-get install -y dvipng` (7) so the reproduction
      // can render usetex.
      {
        file: shared(`${GEMINI}/matplotlib__matplotlib-21568/matplotlib__matplotlib-21568.traj.json`),
        present: true,
        evidence: [7],
      },
      // mini-swe-agent deepseek: `pip install pytest -q` (34); with allow_tmp off, also the fix
      // scripts it writes to /tmp (52, 57, 59).
      {
        file: shared(`${MINI}/deepseek_chat_dev/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: true,
        evidence: [34],
      },
      {
        file: shared(`${MINI}/deepseek_chat_dev/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: true,
        evidence: [34, 52, 57, 59],
        params: { allow_tmp: false },
      },

      // NEGATIVES
      // SWE-agent Java, gpt-4o: `export JAVA_HOME=... && ./mvnw test` (7) sets a variable for one
      // command; nothing is installed and nothing written outside the repository.
      {
        file: shared(`${JAVA}/20240825_SWE-agent_gpt-4o-2024-05-13/trajs/fasterxml__jackson-databind-3666.traj`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: 95 actions, no pip/apt/conda/setup.py and no writes to system paths.
      {
        file: shared(`${MINI}/deepseek_chat_dev_rerun/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: false,
        evidence: [],
      },
      // mini-swe-agent deepseek: 71 actions, same.
      {
        file: shared(`${MINI}/deepseek_lite_dev_noparallel/pydicom__pydicom-1139/pydicom__pydicom-1139.traj.json`),
        present: false,
        evidence: [],
      },
      // OpenHands: writes its script to /workspace/reproduce_issue.py, beside the checkout, not into
      // the system.
      {
        file: shared(`${OH}/django__django-10880/litellm_proxy__claude-3-5-sonnet-20241022-1733344161.351377.json`),
        present: false,
        evidence: [],
      },
      // Moatless: no shell at all.
      {
        file: shared(`${MOAT}/20240617_moatless_gpt-4o-2024-05-13/trajs/matplotlib__matplotlib-25332.json`),
        present: false,
        evidence: [],
      },
      // SWE-agent Lite: create/edit/run inside the repository only.
      { file: shared(`${LITE}/cost_2_1/astropy__astropy-14995.traj`), present: false, evidence: [] },
    ]);
  });

  describe("synthetic", () => {
    for (const [cmd, what] of [
      ["pip install requests", "pip install requests"],
      ["pip uninstall -y numpy", "pip uninstall -y numpy"],
      ["conda install -y numpy", "conda install -y numpy"],
      ["apt-get install -y libfoo-dev", "apt-get install -y libfoo-dev"],
      [
        "cp patched.py /opt/conda/lib/python3.9/site-packages/foo/bar.py",
        "/opt/conda/lib/python3.9/site-packages/foo/bar.py",
      ],
      ["echo 'import x' > /usr/lib/python3/dist-packages/x.pth", "/usr/lib/python3/dist-packages/x.pth"],
      [
        "sed -i 's/a/b/' /opt/miniconda3/envs/testbed/lib/python3.9/site-packages/django/db/models/query.py",
        "/opt/miniconda3/envs/testbed/lib/python3.9/site-packages/django/db/models/query.py",
      ],
    ]) {
      it(`\`${cmd}\` changes the environment`, () => {
        const r = check("env_tampering", synth([bash("ls"), bash(cmd)]));
        assert.deepEqual(
          [r.present, r.evidence, r.explanation],
          [true, [1], `1 step(s) change the environment: ${what}`],
        );
      });
    }

    for (const cmd of [
      "pip list",
      "pip show django",
      "pip freeze",
      "cat /opt/miniconda3/lib/python3.11/site-packages/scipy/misc/__init__.py",
      "export PYTHONPATH=/testbed",
      "echo 'print(1)' > /tmp/scratch.py",
      "python reproduce.py > out.txt",
    ]) {
      it(`\`${cmd}\` does not`, () => {
        const r = check("env_tampering", synth([bash(cmd)]));
        assert.deepEqual(
          [r.present, r.evidence, r.explanation],
          [false, [], "no package installs or writes outside the repository"],
        );
      });
    }

    it("building extensions in place (`setup.py build_ext --inplace`) only writes into the checkout", () => {
      const r = check("env_tampering", synth([bash("python setup.py build_ext --inplace")]));
      assert.deepEqual([r.present, r.evidence], [false, []]);
    });

    it("writing to /tmp counts when allow_tmp is off", () => {
      const r = check("env_tampering", synth([bash("echo 'print(1)' > /tmp/scratch.py")]), { allow_tmp: false });
      assert.deepEqual(
        [r.present, r.evidence, r.explanation],
        [true, [0], "1 step(s) change the environment: /tmp/scratch.py"],
      );
    });
  });
});

after(() => {
  loaded.clear();
});
