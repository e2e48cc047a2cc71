/**
 * What an observation says: exit code, test-run summaries (pytest, unittest /
 * Django runner, nose, tox, sympy's bin/test, Maven/Gradle/JUnit, go test),
 * and error markers (tracebacks, syntax errors, command not found, missing
 * paths, timeouts, the scaffolds' own format and edit-rejection messages).
 */

export interface TestSummary {
  framework: string;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** true when the run reports success (no failures or errors and something ran) */
  ok: boolean;
}

export type ErrorMark =
  | "format_error"
  | "edit_rejected"
  | "timeout"
  | "traceback"
  | "syntax_error"
  | "command_not_found"
  | "missing_path"
  | "nonzero_exit";

export interface Observed {
  exitCode: number | null;
  /** the last test-run summary (from `observe`: parsed when first read) */
  tests: TestSummary | null;
  marks: ErrorMark[];
  /** paths the observation says do not exist */
  missing: string[];
}

/**
 * A literal to look for. indexOf scans fastest when the character it looks for first is rare
 * (capitals, punctuation, x, k, v...) and about ten times slower when it is a common letter, so a
 * literal that starts with one is looked up from its `k`-th character and its head checked in place.
 * The answer never depends on k.
 */
class Literal {
  private readonly head: string;
  private readonly tail: string;
  constructor(
    readonly text: string,
    private readonly k = 0,
    /** the literal must be followed by a digit */
    private readonly digit = false,
  ) {
    this.head = text.slice(0, k);
    this.tail = text.slice(k);
  }

  in(t: string): boolean {
    const { head, tail, k } = this;
    if (k === 0 && !this.digit) return t.includes(tail);
    for (let i = t.indexOf(tail, k); i >= 0; i = t.indexOf(tail, i + 1)) {
      if (k && !t.startsWith(head, i - k)) continue;
      if (this.digit) {
        const c = t.charCodeAt(i + tail.length);
        if (!(c >= 48 && c <= 57)) continue;
      }
      return true;
    }
    return false;
  }
}

/** [literal that must occur, pattern] */
const EXIT_CODE: [string, RegExp][] = [
  ["<returncode>", /^<returncode>(-?\d+)<\/returncode>/m], // mini-swe-agent (after an <exception> block on timeouts)
  ["exit code", /\[The command completed with exit code (-?\d+)\.\]/], // OpenHands
  ["exit code", /\[Command finished with exit code (-?\d+)\]/], // OpenHands (older)
];

/** Scaffold messages, as literals (fast to find) with an optional confirming pattern. */
type Marker = [Literal, RegExp?];
const FORMAT_ERROR: Marker[] = [
  [new Literal("Please always provide EXACTLY ONE action in triple backticks")],
  [new Literal("Your output was not formatted correctly")],
  [new Literal("Your last output included multiple tool calls")],
  [new Literal("did not include a", 12), /did not include a (?:valid )?(?:command|action|tool call)/],
  [new Literal("is required for command", 5), /^(?:ERROR: )?Parameter `[^`]+` is required for command/m],
  [new Literal("The search API calls seem not valid")], // AutoCodeRover
];
const EDIT_REJECTED: Marker[] = [
  [new Literal("Your proposed edit has introduced new syntax error(s)")],
  [new Literal("No replacement was performed")],
  [new Literal("did not appear verbatim in", 15)],
  [new Literal("Your edit was not applied")],
  [new Literal("The code in the search tag is the same as the code")],
  [new Literal("could not be applied to the program", 10)], // AutoCodeRover write_patch
  [new Literal("The following diff was not applied")], // Moatless EditCode (lint errors)
];
const TIMEOUT: Marker[] = [
  [new Literal("EXECUTION TIMED OUT")], // SWE-agent
  [new Literal("timed out and has been killed", 23)], // mini-swe-agent
  [new Literal("timed out after", 11), /\btimed out after \d+(?:\.\d+)? ?s(?:econds?)?\b/], // mini-swe-agent 2.x <exception>, subprocess
  [new Literal("Command timed out")], // OpenHands
  [new Literal("TimeoutExpired")],
];

/** Whether one of `markers` occurs in `t` (and its pattern, if any, matches). */
function hasIn(t: string, markers: Marker[]): boolean {
  return markers.some(([lit, re]) => lit.in(t) && (!re || re.test(t)));
}

/**
 * Every literal the parsers below depend on, each looked up once, when first needed (most
 * observations hold none, and a parser needs only a few).
 */
const KEYWORDS = [
  new Literal("<returncode>"),
  new Literal("exit code", 1),
  new Literal("Traceback (most recent call last)"),
  new Literal("SyntaxError:"),
  new Literal("IndentationError:"),
  new Literal("not found", 4),
  new Literal("No such file or directory"),
  new Literal("can't open file", 3),
  new Literal("does not exist", 10),
  new Literal("Could not find file"),
  new Literal("passed"),
  new Literal("failed"),
  new Literal("error", 1),
  new Literal("Ran ", 0, true), // "Ran " and a digit
  new Literal("Tests run:"),
  new Literal("tests finished", 11),
  new Literal("ok ", 1),
  new Literal("FAIL"),
  new Literal("no tests ran", 9),
];
const KW = new Map(KEYWORDS.map((l, i) => [l.text, i]));
function kwId(lit: string): number {
  const id = KW.get(lit);
  if (id === undefined) throw new Error(`not a keyword: ${lit}`);
  return id;
}

/** Which keywords occur in one text, each looked up on first use. */
class Keywords {
  private known = 0;
  private found = 0;
  constructor(private readonly t: string) {}

  has(lit: string): boolean {
    const id = kwId(lit);
    const bit = 1 << id;
    if (!(this.known & bit)) {
      this.known |= bit;
      if (KEYWORDS[id].in(this.t)) this.found |= bit;
    }
    return (this.found & bit) !== 0;
  }
}

/** [keyword that must occur, pattern capturing the path] */
const MISSING: [string, RegExp][] = [
  ["No such file or directory", /([\w./-]+): No such file or directory/g],
  ["can't open file", /can't open file '([^']+)': \[Errno 2\] No such file or directory/g],
  ["not found", /(?:File|Directory) ([\w./-]+) not found/g],
  ["No such file or directory", /cannot access '([^'\n]+)': No such file or directory/g],
  ["does not exist", /The path ([\w./-]+) does not exist/g],
  ["Could not find file", /Could not find file ([\w./-]+) in the codebase/g],
  ["No such file or directory", /No such file or directory: '([^']+)'/g],
];

/** Parse one observation; `maxScan` bounds the work on huge outputs (head and tail are scanned). */
export function observe(text: string | null, maxScan = 40_000): Observed {
  const out: Observed = { exitCode: null, tests: null, marks: [], missing: [] };
  if (!text) return out;
  const t = text.length > maxScan ? text.slice(0, maxScan / 2) + "\n" + text.slice(-maxScan / 2) : text;
  const kw = new Keywords(t);
  for (const [lit, re] of EXIT_CODE) {
    if (!kw.has(lit)) continue;
    const m = re.exec(t);
    if (m) {
      out.exitCode = Number(m[1]);
      break;
    }
  }
  if (out.exitCode !== null && out.exitCode !== 0) out.marks.push("nonzero_exit");
  // the scaffolds' own messages come first or last in an observation
  const ends = t.length > 4000 ? t.slice(0, 2000) + "\n" + t.slice(-2000) : t;
  if (hasIn(ends, FORMAT_ERROR)) out.marks.push("format_error");
  if (hasIn(ends, EDIT_REJECTED)) out.marks.push("edit_rejected");
  if (hasIn(ends, TIMEOUT)) out.marks.push("timeout");
  if (kw.has("Traceback (most recent call last)")) out.marks.push("traceback");
  if ((kw.has("SyntaxError:") || kw.has("IndentationError:")) && /\b(SyntaxError|IndentationError):/.test(t)) out.marks.push("syntax_error");
  if (kw.has("not found") && /: command not found|: not found$/m.test(t)) out.marks.push("command_not_found");
  for (const [lit, re] of MISSING) {
    if (!kw.has(lit)) continue;
    for (const m of t.matchAll(re)) if (!out.missing.includes(m[1])) out.missing.push(m[1]);
  }
  if (out.missing.length) out.marks.push("missing_path");
  // the test summary is parsed when first read: only the steps that ran something need it
  let tests: TestSummary | null | undefined;
  return {
    exitCode: out.exitCode,
    get tests(): TestSummary | null {
      if (tests === undefined) tests = summaryOf(t, kw);
      return tests;
    },
    set tests(v: TestSummary | null) {
      tests = v;
    },
    marks: out.marks,
    missing: out.missing,
  };
}

function count(s: string, word: RegExp): number {
  const m = word.exec(s);
  return m ? Number(m[1]) : 0;
}

/** The last test-run summary in an output, if any. */
export function testSummary(t: string): TestSummary | null {
  return summaryOf(t, new Keywords(t));
}

/**
 * The summary parsers, each tried only when the words it needs occur (`kw`), so an output with
 * none of them costs only the look-ups ("xfailed" and Gradle's "tests completed, 1 failed"
 * contain "failed").
 */
function summaryOf(t: string, kw: Keywords): TestSummary | null {
  // sympy bin/test: "==== tests finished: 5 passed, 1 failed, 2 skipped, in 0.1 seconds ====" (may wrap
  // onto a second line; checked before pytest, whose banner looks alike)
  const sy = kw.has("tests finished") ? [...t.matchAll(/tests finished: ([^=]{0,400}?) in [\d.]+ seconds/g)].pop() : undefined;
  if (sy) {
    const s = sy[1];
    return summary("sympy", count(s, /(\d+) passed/), count(s, /(\d+) failed/), count(s, /(\d+) exceptions?/), count(s, /(\d+) skipped/));
  }
  if (kw.has("passed") || kw.has("failed") || kw.has("error") || kw.has("no tests ran")) {
    // pytest: "==== 2 failed, 10 passed, 1 skipped in 0.52s ====" (also "no tests ran";
    // pytest < 5 prints "in 0.52 seconds")
    const py = [...t.matchAll(/^=+ ?(.*?\b(?:passed|failed|error|errors|skipped|xfailed|xpassed|deselected|no tests ran)\b.*?) in [\d.]+ ?s(?:econds)?\b.*?=+\s*$/gm)].pop();
    if (py) return pytest(py[1]);
    // short pytest summary without the banner (pytest -q): "3 passed in 0.1s" / "1 failed, 2 passed in 0.3s"
    const pq = [...t.matchAll(/^(\d+ (?:passed|failed|errors?|xfailed|skipped)(?:, \d+ \w+)*) in [\d.]+ ?s(?:econds)?\b.*$/gm)].pop();
    if (pq) return pytest(pq[1]);
  }
  // unittest / Django runner / nose: "Ran 12 tests in 0.3s" then "OK" or "FAILED (failures=1, errors=2)"
  const ran = kw.has("Ran ") ? [...t.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*\n+\s*(OK|FAILED)(?: \(([^)]*)\))?/gm)].pop() : undefined;
  if (ran) {
    const n = Number(ran[1]);
    const detail = ran[3] ?? "";
    const failed = count(detail, /failures=(\d+)/);
    const errors = count(detail, /errors=(\d+)/);
    const skipped = count(detail, /skipped=(\d+)/);
    return summary("unittest", Math.max(0, n - failed - errors - skipped), failed, errors, skipped);
  }
  // Maven Surefire / JUnit: "Tests run: 10, Failures: 1, Errors: 0, Skipped: 0" (the last one is the total)
  const mv = kw.has("Tests run:") ? [...t.matchAll(/Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)/g)].pop() : undefined;
  if (mv) {
    const [run, f, e, s] = [Number(mv[1]), Number(mv[2]), Number(mv[3]), Number(mv[4])];
    const res = summary("junit", Math.max(0, run - f - e - s), f, e, s);
    if (/BUILD FAILURE/.test(t)) res.ok = false;
    return res;
  }
  // Gradle prints a count only when tests fail: "5 tests completed, 1 failed, 1 skipped"
  const gr = kw.has("failed") ? [...t.matchAll(/^(\d+) tests? completed(?:, (\d+) failed)?(?:, (\d+) skipped)?/gm)].pop() : undefined;
  if (gr) {
    const [n, f, s] = [Number(gr[1]), Number(gr[2] ?? 0), Number(gr[3] ?? 0)];
    return summary("gradle", Math.max(0, n - f - s), f, 0, s);
  }
  // go test: "--- FAIL:" / "ok  \tpkg" / "FAIL\tpkg"
  if ((kw.has("ok ") || kw.has("FAIL")) && /^(ok|FAIL)\s+\S+\s+[\d.]+s/m.test(t)) {
    const failed = (t.match(/^--- FAIL:/gm) ?? []).length + (t.match(/^FAIL\s+\S+/gm) ?? []).length;
    const passed = (t.match(/^--- PASS:/gm) ?? []).length + (t.match(/^ok\s+\S+/gm) ?? []).length;
    return summary("go", passed, failed, 0, 0);
  }
  return null;
}

function pytest(s: string): TestSummary {
  const res = summary("pytest", count(s, /(\d+) passed/), count(s, /(\d+) failed/), count(s, /(\d+) errors?/), count(s, /(\d+) skipped/));
  // expected failures ran as expected: a run of only xfail/xpass tests is not a failure
  if (!res.ok && res.failed === 0 && res.errors === 0 && (count(s, /(\d+) xfailed/) > 0 || count(s, /(\d+) xpassed/) > 0)) res.ok = true;
  return res;
}

function summary(framework: string, passed: number, failed: number, errors: number, skipped: number): TestSummary {
  return { framework, passed, failed, errors, skipped, ok: failed === 0 && errors === 0 && passed > 0 };
}
