/**
 * What a run step exercised. A step that ran tests, a script or an inline program counts as
 * running the project's code only when it got past start-up: it was answered, the program was
 * found, it was not a probe (`--version`, `python -c "import x"`), it did not stop at start-up (a
 * missing module, an unconfigured framework, a syntax error in the agent's own program, a build
 * tool without its toolchain) and, for a Python program the agent wrote, it names the project at
 * all (a mock that copies the code it tests exercises nothing of the repository).
 */
import type { Trajectory } from "../types/trajectory.js";
import type { StepFacts } from "./classify.js";
import type { Facts } from "./facts.js";
import { isTestPath } from "./patch.js";
import { outsideRepo, samePath } from "./paths.js";
import { parseShell, type ShellCommand } from "./shell.js";

/** Why a run step does not count as running the project's code (null: it does). */
export type NotExercised = "not started" | "no output" | "probe" | "start-up failure" | "no tests ran" | "mock";

/** A step that ran tests, or a script or inline program (a reproduction). */
export function isRunStep(s: StepFacts): boolean {
  return s.executed && (s.kinds.includes("test") || (s.kinds.includes("run") && s.script !== null));
}

/**
 * False when the run never started: the program was not found (`javac: command not found`,
 * exit code 127) or the script or program it names does not exist (`can't open file
 * 'repro.py'`, `./gradlew: No such file or directory`). Such an attempt exercised nothing.
 */
export function started(s: StepFacts): boolean {
  const o = s.observed;
  if (o.marks.includes("command_not_found") || o.exitCode === 127) return false;
  if (!o.missing.length) return true;
  const words = new Set([...s.commands, ...(s.script ?? "").split(/\s+/)].map(base));
  return !o.missing.some((p) => words.has(base(p)));
}

function base(p: string): string {
  return p.split("/").pop() ?? p;
}

/** Whether the step's output says the run passed (a test summary, else no error marks and exit code 0 or none). */
export function passed(s: StepFacts): boolean {
  const o = s.observed;
  if (o.tests) return o.tests.ok;
  if (
    o.marks.some(
      (m) =>
        m === "traceback" ||
        m === "syntax_error" ||
        m === "timeout" ||
        m === "command_not_found" ||
        m === "nonzero_exit",
    )
  )
    return false;
  return o.exitCode === null || o.exitCode === 0;
}

/** What the run steps of one trajectory are read against: the task, and the project's Python packages. */
export interface Project {
  t: Trajectory;
  f: Facts;
  task: string;
  /** a pattern matching the name of one of the project's Python packages, or null when none is known */
  packages: RegExp | null;
  /** a pattern matching a path to a file of one of those packages (`./pvlib/tools.py`), or null */
  packageFiles: RegExp | null;
}

export function projectOf(t: Trajectory, f: Facts): Project {
  const names = packageNames(f);
  if (!names.length) return { t, f, task: t.task ?? "", packages: null, packageFiles: null };
  const any = names.join("|");
  return {
    t,
    f,
    task: t.task ?? "",
    // a module name, not a folder in a path (`/testbed/astroid/nodes/x.py` names a file, not the package)
    packages: new RegExp(`(?<![\\w/.-])(?:${any})(?![\\w/-])`),
    packageFiles: new RegExp(`(?<![\\w.-])(?:${any})/[\\w/]*\\.py\\b`),
  };
}

/** pytest told to run a test file or folder that does not exist (it prints this before its banner). */
const NO_TEST_FILE = /^ERROR: (?:file or directory not found|not found|module or package not found): /m;

/** Signs that a test runner got as far as running tests: its banner, a collection count, a result line. */
const RAN_TESTS =
  /test session starts|collected \d+ item|\b\d+ (?:passed|failed|errors?|skipped)\b|\bRan \d+ tests?\b|^(?:[.sFExX]+\s*(?:\[\s*\d+%\])?)$|\b(?:PASSED|FAILED|ERROR)\b|^(?:OK|FAILED)\b/m;

/**
 * A pytest run whose output shows a crash (a traceback, `INTERNALERROR`) and no sign that any
 * test ran: pytest itself stopped while reading its configuration or plugins.
 */
function runnerCrashed(s: StepFacts, action: string, output: string): boolean {
  if (!s.kinds.includes("test") || !/\bpytest\b/.test(action)) return false;
  if (!/Traceback \(most recent call last\)|INTERNALERROR/.test(output)) return false;
  return !RAN_TESTS.test(output);
}

/** Null when the run step exercised the project's code, else why not. */
export function notExercised(s: StepFacts, p: Project): NotExercised | null {
  const step = p.t.steps[s.index];
  if (!started(s)) return "not started";
  if (step.observation === null) return "no output";
  const t = s.observed.tests;
  if (t && t.passed + t.failed > 0) return null;
  const asked = probe(s, step.action, p);
  if (asked === "probe") return "probe";
  if (asked === "asked") return null;
  if (startupFailure(step.observation, p.task, s.script, t !== null)) return "start-up failure";
  if (
    (t && t.passed + t.failed + t.errors === 0 && !t.ok) ||
    NO_TEST_FILE.test(step.observation.slice(0, 2000)) ||
    (!t && runnerCrashed(s, step.action, step.observation))
  )
    return "no tests ran";
  if (mock(s, p)) return "mock";
  return null;
}

/** The run steps that exercised the project's code. */
export function exercisingRuns(p: Project): StepFacts[] {
  return p.f.steps.filter((s) => isRunStep(s) && notExercised(s, p) === null);
}

/**
 * Run steps that did not exercise the project's code, as `step 3 (start-up failure)`, for an
 * explanation; at most `max` of them.
 */
export function describeSkipped(steps: StepFacts[], p: Project, max = 4): string {
  const out: string[] = [];
  for (const s of steps) {
    if (!isRunStep(s)) continue;
    const why = notExercised(s, p);
    if (why) out.push(`step ${s.index} (${why})`);
  }
  if (out.length > max) return `${out.slice(0, max).join(", ")} and ${out.length - max} more`;
  return out.join(", ");
}

/**
 * Whether a run passed: its output says so (`passed`) and does not report the error the task
 * reports (a script that catches the exception and prints it exits 0, yet shows the bug).
 */
export function passedRun(s: StepFacts, p: Project): boolean {
  if (!passed(s)) return false;
  if (s.observed.tests?.ok) return true;
  return !showsReportedError(p.t.steps[s.index].observation ?? "", p.task);
}

// ---------------------------------------------------------------------------------------------
// Probes

/** Options that make a runner print something about itself instead of running anything. */
const PROBE_FLAGS = new Set(["--version", "-V", "--help", "-h", "--collect-only", "--co", "--fixtures", "--markers"]);

/** A runner of Python code (`python`, `python3.9`). */
const PYTHON = /^python[\d.]*$/;

/**
 * "probe" when every run in the step only asks a tool for its version or help, or only imports
 * modules; "asked" when a run uses such an option and the task names it (an issue about
 * `pytest --fixtures` is reproduced by running it).
 */
function probe(s: StepFacts, action: string, p: Project): "probe" | "asked" | null {
  const act = p.f.actions[s.index];
  if (act?.kind === "code") return probeCode(act.code ?? action) ? "probe" : null;
  if (act?.kind !== "shell") return null;
  let cmds: ShellCommand[];
  try {
    cmds = parseShell(action);
  } catch {
    return null;
  }
  const runs = cmds.filter((x) => !NOT_RUNS.has(x.name));
  if (runs.some((x) => x.args.some((a) => PROBE_FLAGS.has(a) && p.task.includes(a)))) return "asked";
  return runs.length > 0 && runs.every(probeCommand) ? "probe" : null;
}

/** Commands that do not run code: shell built-ins, listing, viewing, searching. */
const NOT_RUNS = new Set([
  "cd",
  "echo",
  "printf",
  "ls",
  "cat",
  "head",
  "tail",
  "grep",
  "find",
  "pwd",
  "which",
  "true",
  "false",
  "export",
  "source",
  "pip",
  "pip3",
  "sed",
  "wc",
  "sort",
]);

/** A command that only probes: `pytest --version`, `python -c "import x; print(x.__file__)"`. */
function probeCommand(x: ShellCommand): boolean {
  if (x.args.some((a) => PROBE_FLAGS.has(a))) return true;
  if (!PYTHON.test(x.name)) return false;
  const c = x.args.indexOf("-c");
  if (c >= 0) return probeCode(x.args[c + 1] ?? "");
  if (x.heredoc !== undefined && (x.args.length === 0 || x.args[0] === "-")) return probeCode(x.heredoc);
  return false;
}

/** A statement that only imports, or prints a version, a path or a constant, or looks code up. */
const PROBE_STATEMENT =
  /^(?:import\s|from\s+\S+\s+import\s|sys\.path\.(?:insert|append)\(|(?:help|dir|inspect\.\w+)\(|print\((?:[^()]*|(?:inspect\.\w+|dir|type|repr|getattr|hasattr)\([^()]*\))\)$)/;

/** Whether a Python program only imports modules and prints what it imported (a version, a file). */
export function probeCode(code: string): boolean {
  const statements = code
    .split(/\n|;/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  return statements.length > 0 && statements.every((l) => PROBE_STATEMENT.test(l));
}

// ---------------------------------------------------------------------------------------------
// Start-up failures

/**
 * Messages of programs that stopped before running any of the code under test: a missing Python
 * module or name, a Django script run without settings or an app, a build without its
 * toolchain or dependencies, a Java program without the project on its class path, a Node module
 * not found.
 */
const STARTUP: RegExp[] = [
  /\bNo module named ['"]?[\w.]+/g,
  /\bImportError: cannot import name ['"]?\w+/g,
  /\bImproperlyConfigured\b|settings are not configured/g,
  /\bAppRegistryNotReady\b/g,
  /doesn't declare an explicit app_label and isn't in an application in INSTALLED_APPS/g,
  /JAVA_HOME is not set|no 'java' command could be found/g,
  /Could not resolve dependencies for project|Could not transfer artifact|Non-resolvable parent POM/g,
  /error: package [\w.]+ does not exist/g,
  /Could not find or load main class/g,
  /Error: Cannot find module ['"]/g,
];

/** A syntax error in the program the agent ran itself (an inline program, or the script it named). */
const OWN_SYNTAX_ERROR = /File "([^"]+)", line \d+\n(?:.*\n){0,4}?\s*(?:SyntaxError|IndentationError):/;

/**
 * Python's complaint about a broken `.pth` file in site-packages, printed before every program
 * in some sandboxes (`No module named '_distutils_hack'`): noise, not the program's failure.
 */
const PTH_NOISE = /Error processing line \d+ of [^\n]*\.pth:[\s\S]*?Remainder of file ignored\n?/g;

/** Words before an error message on its line that say the program caught it: a result, not a crash. */
const CAUGHT = /\b(?:caught|expected|handled|correctly|properly|raised|raises|got|as expected)\b/i;

/** How many lines a program may print before a start-up failure (a banner), and after it (the rest of the message). */
const BEFORE_LINES = 3;
const AFTER_LINES = 6;

/**
 * The start-up failure an output ends with, unless the task reports that same failure (the
 * bug is an import error): `No module named 'numpy'` when numpy is missing is no reproduction,
 * while the same message is one in a task about it. A test run that ran no test fails at
 * start-up when its output holds such a message anywhere (a collection error).
 */
export function startupFailure(output: string, task: string, script: string | null, ranNoTest = false): string | null {
  const out = output.includes(".pth") ? output.replace(PTH_NOISE, "") : output;
  const from = Math.max(0, out.length - 3000);
  const tail = out.slice(from);
  for (const re of STARTUP) {
    const m = [...tail.matchAll(re)].pop();
    if (!m || task.includes(m[0])) continue;
    if (ranNoTest) return m[0];
    const at = from + m.index;
    // the program caught the error and reports it as its result ("Caught expected ImproperlyConfigured: ...")
    const line = out.slice(out.lastIndexOf("\n", at) + 1, at);
    if (CAUGHT.test(line)) continue;
    // the program went on after the message (it caught the error), or printed results before it
    const after = out
      .slice(at + m[0].length)
      .split("\n")
      .slice(1)
      .filter(meaningful);
    if (after.length > AFTER_LINES) continue;
    const before = out.slice(0, at);
    const tb = before.indexOf("Traceback (most recent call last)");
    const printed = (tb >= 0 ? before.slice(0, tb) : before).split("\n").filter(meaningful);
    if (printed.length > BEFORE_LINES) continue;
    return m[0];
  }
  const syntax = OWN_SYNTAX_ERROR.exec(tail);
  if (syntax) {
    const file = syntax[1];
    if (file === "<string>" || file === "<stdin>" || (script !== null && base(file) === base(script))) return syntax[0];
  }
  return null;
}

/** A line a program printed, not one a scaffold adds around its output (exit codes, tags, warnings). */
function meaningful(line: string): boolean {
  return /\w/.test(line) && !/^\s*<\/?(returncode|output)>|Warning:|warnings\.warn/.test(line);
}

// ---------------------------------------------------------------------------------------------
// Reported errors

/** The exception lines of a task: `ValueError: Invalid IPv6 URL` -> its message, at least 12 characters. */
function reportedErrors(task: string): string[] {
  const out: string[] = [];
  if (!task.includes("Error") && !task.includes("Exception")) return out;
  for (const m of task.matchAll(/^\s*(?:E\s+)?[A-Za-z_][\w.]*(?:Error|Exception)\s*:\s*(\S.{11,})$/gm)) {
    const msg = m[1].trim().slice(0, 40);
    if (!out.includes(msg)) out.push(msg);
  }
  return out;
}

/**
 * Whether an output still reports the error the task reports: a line that starts as an error
 * report (`ValueError: ...`, `Error: ...`, `FAILED: ...`) and holds the task's message, and does
 * not say the error was expected (a fix that makes bad input raise a clear error prints it too).
 */
export function showsReportedError(out: string, task: string): boolean {
  const errors = reportedErrors(task);
  if (!errors.length) return false;
  for (const line of out.split("\n")) {
    const l = line.replace(/^[\sE>✗❌×*#-]+/, "");
    if (!/^[\w.]*(?:Error|Exception|ERROR|FAIL|Fail)/.test(l) || /expect/i.test(l)) continue;
    if (errors.some((e) => l.includes(e))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Mocks

/** Folders that hold a project's packages rather than being one (`src/flask`, `lib/matplotlib`). */
const CONTAINERS = new Set(["src", "lib", "lib3", "python", "source"]);
/** Top-level names that are not a package of the project. */
const NOT_PACKAGES = new Set([
  "setup",
  "conftest",
  "manage",
  "docs",
  "doc",
  "examples",
  "example",
  "tests",
  "test",
  "testing",
  "scripts",
  "tools",
  "benchmarks",
  "ci",
  "build",
  "bin",
  "extern",
  "vendor",
]);

/**
 * A pattern for the names of the project's Python packages: the top folders (under `src/` or
 * `lib/` when there) of the Python source files the agent read or changed, without a leading
 * underscore too (`src/_pytest/...` -> `_pytest`, `pytest`).
 */
function packageNames(f: Facts): string[] {
  const names = new Set<string>();
  const add = (p: string) => {
    if (!p.endsWith(".py") || p.startsWith("/") || outsideRepo(p) || isTestPath(p) || f.scratch.has(p)) return;
    const parts = p.split("/");
    const name = CONTAINERS.has(parts[0]) && parts.length > 2 ? parts[1] : parts.length > 1 ? parts[0] : "";
    if (!/^\w+$/.test(name) || NOT_PACKAGES.has(name)) return;
    names.add(name);
    if (name.startsWith("_") && name.length > 2) names.add(name.replace(/^_+/, ""));
  };
  for (const p of f.viewed) add(p);
  for (const p of f.written.keys()) add(p);
  for (const p of f.patch.files) add(p.path);
  return [...names];
}

/**
 * Whether a Python program the agent wrote never names the project: an inline program, or a
 * script none of whose writing steps mention a package of the project as a module (a script that
 * reads the project's files as text names them by path) nor run another program.
 */
function mock(s: StepFacts, p: Project): boolean {
  if (!p.packages) return false;
  const step = p.t.steps[s.index];
  const act = p.f.actions[s.index];
  if (act.kind === "code") return !names(act.code ?? step.action, p);
  const script = s.script;
  if (!script) return false;
  if (script === "-c" || script === "heredoc") return !names(step.action, p);
  if (!script.endsWith(".py")) return false;
  const writers = [...p.f.written]
    .filter(([p]) => samePath(p, script) || base(p) === base(script))
    .flatMap(([, at]) => at)
    .filter((i) => i <= s.index);
  if (!writers.length) return false; // a script of the repository
  return !writers.some((i) => names(p.t.steps[i].action + "\n" + (p.f.actions[i].content ?? ""), p));
}

/** Ways a program loads a Python file by its path: `spec_from_file_location`, `run_path`, `exec(open(...))`. */
const LOADS_FILE = /spec_from_file_location|SourceFileLoader|\brun_path\(|\bexec\(\s*open\(|\bexec\(\s*compile\(/;

/**
 * Whether a text names one of the packages, loads one of their files by path, or runs Python or
 * the tests in another process.
 */
function names(text: string, p: Project): boolean {
  if (p.packages?.test(text)) return true;
  if (p.packageFiles && LOADS_FILE.test(text) && p.packageFiles.test(text)) return true;
  return (
    /\bsubprocess\b|\bos\.system\(|\bos\.popen\(/.test(text) && /sys\.executable|\bpython[\d.]*\b|\bpytest\b/.test(text)
  );
}

// ---------------------------------------------------------------------------------------------
// Failed assertions

/** An assertion a run reported failing: its statement (spaces collapsed) and, when the output says, its file. */
export interface FailedAssertion {
  step: number;
  statement: string;
  file: string | null;
}

/** A statement that asserts: `assert x`, `self.assertEqual(...)`, `assert_allclose(...)`, `np.testing.assert_...`. */
export const ASSERTION = /^(?:assert\b|self\.assert\w+\(|assert_\w+\(|np\.testing\.assert_\w+\()/;

/** A line with its spaces collapsed, to compare statements across outputs and file versions. */
export function statement(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}

/**
 * The assertions a run's output reports failing: pytest's `>   assert ...` line (its file from the
 * `path.py:12: AssertionError` line after it) and a traceback's last frame whose code is an
 * assertion, followed by an `AssertionError`.
 */
export function failedAssertions(out: string, step: number): FailedAssertion[] {
  const found: FailedAssertion[] = [];
  if (!out.includes("assert")) return found;
  if (out.includes("\n>")) {
    for (const m of out.matchAll(/^>\s+(\S.*)$/gm)) {
      const code = statement(m[1]);
      if (!ASSERTION.test(code)) continue;
      const where = /^([^\s:]+\.py):\d+: \w+/m.exec(out.slice(m.index, m.index + 4000));
      found.push({ step, statement: code, file: where ? where[1] : null });
    }
  }
  if (out.includes("AssertionError")) {
    for (const m of out.matchAll(/File "([^"]+)", line \d+, in [^\n]*\n([^\n]*)\n/g)) {
      const code = statement(m[2]);
      if (!ASSERTION.test(code)) continue;
      const rest = out.slice(m.index + m[0].length, m.index + m[0].length + 400);
      if (/^(?:\s*\^+\s*\n)?[^\n]*AssertionError/.test(rest)) found.push({ step, statement: code, file: m[1] });
    }
  }
  return found;
}
