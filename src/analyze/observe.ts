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
  tests: TestSummary | null;
  marks: ErrorMark[];
  /** paths the observation says do not exist */
  missing: string[];
}

/** [literal that must occur, pattern] */
const EXIT_CODE: [string, RegExp][] = [
  ["<returncode>", /^<returncode>(-?\d+)<\/returncode>/m], // mini-swe-agent (after an <exception> block on timeouts)
  ["exit code", /\[The command completed with exit code (-?\d+)\.\]/], // OpenHands
  ["exit code", /\[Command finished with exit code (-?\d+)\]/], // OpenHands (older)
];

/** Scaffold messages, as literals (fast to find) with an optional confirming pattern. */
type Marker = [string, RegExp?];
const FORMAT_ERROR: Marker[] = [
  ["Please always provide EXACTLY ONE action in triple backticks"],
  ["Your output was not formatted correctly"],
  ["Your last output included multiple tool calls"],
  ["did not include a", /did not include a (?:valid )?(?:command|action|tool call)/],
  ["is required for command", /^(?:ERROR: )?Parameter `[^`]+` is required for command/m],
  ["The search API calls seem not valid"], // AutoCodeRover
];
const EDIT_REJECTED: Marker[] = [
  ["Your proposed edit has introduced new syntax error(s)"],
  ["No replacement was performed"],
  ["did not appear verbatim in"],
  ["Your edit was not applied"],
  ["The code in the search tag is the same as the code"],
  ["could not be applied to the program"], // AutoCodeRover write_patch
  ["The following diff was not applied"], // Moatless EditCode (lint errors)
];
const TIMEOUT: Marker[] = [
  ["EXECUTION TIMED OUT"], // SWE-agent
  ["timed out and has been killed"], // mini-swe-agent
  ["timed out after", /\btimed out after \d+(?:\.\d+)? ?s(?:econds?)?\b/], // mini-swe-agent 2.x <exception>, subprocess
  ["Command timed out"], // OpenHands
  ["TimeoutExpired"],
];

/** All scaffold-message literals in one pattern, so the ends of an observation are scanned once. */
const MARKER_SCAN = new RegExp([...FORMAT_ERROR, ...EDIT_REJECTED, ...TIMEOUT].map(([lit]) => lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");

function markerLiterals(t: string): Set<string> {
  const found = new Set<string>();
  MARKER_SCAN.lastIndex = 0;
  for (let m = MARKER_SCAN.exec(t); m; m = MARKER_SCAN.exec(t)) found.add(m[0]);
  return found;
}

function hasIn(found: Set<string>, t: string, markers: Marker[]): boolean {
  return markers.some(([lit, re]) => found.has(lit) && (!re || re.test(t)));
}


/** [literal that must occur, pattern capturing the path] */
const MISSING: [string, RegExp][] = [
  ["No such file or directory", /([\w./-]+): No such file or directory/g],
  ["can't open file", /can't open file '([^']+)': \[Errno 2\] No such file or directory/g],
  ["not found", /(?:File|Directory) ([\w./-]+) not found/g],
  ["No such file or directory", /cannot access '([^'\n]+)': No such file or directory/g],
  ["does not exist", /The path ([\w./-]+) does not exist/g],
  ["Could not find file", /Could not find file ([\w./-]+) in the codebase/g],
  ["No such file or directory", /No such file or directory: '([^']+)'/g],
];

/**
 * Every literal the parsers below depend on, found in one pass over the text;
 * the slower patterns run only when their literal occurs.
 */
const KEYWORDS = /<returncode>|exit code|Traceback \(most recent call last\)|SyntaxError:|IndentationError:|not found|No such file or directory|can't open file|does not exist|Could not find file|passed|failed|error|Ran \d|Tests run:|tests finished|ok |FAIL|no tests ran/g;

function keywords(t: string): Set<string> {
  const found = new Set<string>();
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(t); m; m = KEYWORDS.exec(t)) found.add(m[0].startsWith("Ran ") ? "Ran " : m[0]);
  return found;
}

/** Parse one observation; `maxScan` bounds the work on huge outputs (head and tail are scanned). */
export function observe(text: string | null, maxScan = 40_000): Observed {
  const out: Observed = { exitCode: null, tests: null, marks: [], missing: [] };
  if (!text) return out;
  const t = text.length > maxScan ? text.slice(0, maxScan / 2) + "\n" + text.slice(-maxScan / 2) : text;
  const kw = keywords(t);
  const includes = (lit: string) => kw.has(lit) || (!KEYWORD_SET.has(lit) && t.includes(lit));
  for (const [lit, re] of EXIT_CODE) {
    if (!includes(lit)) continue;
    const m = re.exec(t);
    if (m) {
      out.exitCode = Number(m[1]);
      break;
    }
  }
  if (out.exitCode !== null && out.exitCode !== 0) out.marks.push("nonzero_exit");
  // the scaffolds' own messages come first or last in an observation
  const ends = t.length > 4000 ? t.slice(0, 2000) + "\n" + t.slice(-2000) : t;
  const lits = markerLiterals(ends);
  if (lits.size) {
    if (hasIn(lits, ends, FORMAT_ERROR)) out.marks.push("format_error");
    if (hasIn(lits, ends, EDIT_REJECTED)) out.marks.push("edit_rejected");
    if (hasIn(lits, ends, TIMEOUT)) out.marks.push("timeout");
  }
  if (kw.has("Traceback (most recent call last)")) out.marks.push("traceback");
  if ((kw.has("SyntaxError:") || kw.has("IndentationError:")) && /\b(SyntaxError|IndentationError):/.test(t)) out.marks.push("syntax_error");
  if (kw.has("not found") && /: command not found|: not found$/m.test(t)) out.marks.push("command_not_found");
  for (const [lit, re] of MISSING) {
    if (!includes(lit)) continue;
    for (const m of t.matchAll(re)) if (!out.missing.includes(m[1])) out.missing.push(m[1]);
  }
  if (out.missing.length) out.marks.push("missing_path");
  out.tests = SUMMARY_WORDS.some((w) => kw.has(w)) ? summaryOf(t, kw) : null;
  return out;
}

function count(s: string, word: RegExp): number {
  const m = word.exec(s);
  return m ? Number(m[1]) : 0;
}

// ("xfailed" and Gradle's "tests completed, 1 failed" contain "failed")
const SUMMARY_WORDS = ["passed", "failed", "error", "Ran ", "Tests run:", "tests finished", "ok ", "FAIL", "no tests ran"];
const KEYWORD_SET = new Set(["<returncode>", "exit code", "not found", "No such file or directory", "can't open file", "does not exist", "Could not find file", ...SUMMARY_WORDS]);

/** The last test-run summary in an output, if any. */
export function testSummary(t: string): TestSummary | null {
  const kw = keywords(t);
  return SUMMARY_WORDS.some((w) => kw.has(w)) ? summaryOf(t, kw) : null;
}

/** The summary parsers, each tried only when the words it needs occur (`kw`, found in one pass). */
function summaryOf(t: string, kw: Set<string>): TestSummary | null {
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
