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

const EXIT_CODE = [
  /^<returncode>(-?\d+)<\/returncode>/, // mini-swe-agent
  /\[The command completed with exit code (-?\d+)\.\]/, // OpenHands
  /\[Command finished with exit code (-?\d+)\]/, // OpenHands (older)
];

const FORMAT_ERROR = [
  /Please always provide EXACTLY ONE action in triple backticks/,
  /Your output was not formatted correctly/,
  /did not (?:include|contain) a (?:valid )?(?:command|action|tool call)/i,
  /Your last output included multiple tool calls/i,
  /^(?:ERROR: )?Parameter `[^`]+` is required/m,
];
const EDIT_REJECTED = [
  /Your proposed edit has introduced new syntax error\(s\)/,
  /No replacement was performed/,
  /Your edit was not applied/i,
  /did not appear verbatim in/,
  /The code in the search tag is the same as the code/i,
];
const TIMEOUT = [/EXECUTION TIMED OUT/, /timed out and has been killed/, /Command timed out/, /\[Command timed out/, /TimeoutExpired/];
const MISSING = [
  /(?:^|[\s:'"`])([\w./-]+): No such file or directory/gm,
  /can't open file '([^']+)': \[Errno 2\] No such file or directory/g,
  /File ([\w./-]+) not found/g,
  /The path ([\w./-]+) does not exist/g,
  /Could not find file ([\w./-]+) in the codebase/g,
  /No such file or directory: '([^']+)'/g,
];

/** Parse one observation; `maxScan` bounds the work on huge outputs (head and tail are scanned). */
export function observe(text: string | null, maxScan = 200_000): Observed {
  const out: Observed = { exitCode: null, tests: null, marks: [], missing: [] };
  if (!text) return out;
  const t = text.length > maxScan ? text.slice(0, maxScan / 2) + "\n" + text.slice(-maxScan / 2) : text;
  for (const re of EXIT_CODE) {
    const m = re.exec(t);
    if (m) {
      out.exitCode = Number(m[1]);
      break;
    }
  }
  if (out.exitCode !== null && out.exitCode !== 0) out.marks.push("nonzero_exit");
  if (FORMAT_ERROR.some((re) => re.test(t))) out.marks.push("format_error");
  if (EDIT_REJECTED.some((re) => re.test(t))) out.marks.push("edit_rejected");
  if (TIMEOUT.some((re) => re.test(t))) out.marks.push("timeout");
  if (t.includes("Traceback (most recent call last)")) out.marks.push("traceback");
  if (/\b(SyntaxError|IndentationError):/.test(t)) out.marks.push("syntax_error");
  if (/: command not found|: not found$/m.test(t)) out.marks.push("command_not_found");
  for (const re of MISSING) {
    re.lastIndex = 0;
    for (const m of t.matchAll(re)) out.missing.push(m[1]);
  }
  if (out.missing.length) out.marks.push("missing_path");
  out.tests = testSummary(t);
  return out;
}

function count(s: string, word: RegExp): number {
  const m = word.exec(s);
  return m ? Number(m[1]) : 0;
}

/** The last test-run summary in an output, if any. */
export function testSummary(t: string): TestSummary | null {
  // pytest: "==== 2 failed, 10 passed, 1 skipped in 0.52s ====" (also "no tests ran")
  const py = [...t.matchAll(/^=+ ?(.*?\b(?:passed|failed|error|errors|skipped|xfailed|xpassed|deselected|no tests ran)\b.*?) in [\d.]+s.*?=+\s*$/gm)].pop();
  if (py) {
    const s = py[1];
    return summary("pytest", count(s, /(\d+) passed/), count(s, /(\d+) failed/), count(s, /(\d+) errors?/), count(s, /(\d+) skipped/));
  }
  // short pytest summary without the banner (pytest -q): "3 passed in 0.1s" / "1 failed, 2 passed in 0.3s"
  const pq = [...t.matchAll(/^(\d+ (?:passed|failed)(?:, \d+ \w+)*) in [\d.]+s\s*$/gm)].pop();
  if (pq) {
    const s = pq[1];
    return summary("pytest", count(s, /(\d+) passed/), count(s, /(\d+) failed/), count(s, /(\d+) errors?/), count(s, /(\d+) skipped/));
  }
  // unittest / Django runner / nose: "Ran 12 tests in 0.3s" then "OK" or "FAILED (failures=1, errors=2)"
  const ran = [...t.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*\n+\s*(OK|FAILED)(?: \(([^)]*)\))?/gm)].pop();
  if (ran) {
    const n = Number(ran[1]);
    const detail = ran[3] ?? "";
    const failed = count(detail, /failures=(\d+)/);
    const errors = count(detail, /errors=(\d+)/);
    const skipped = count(detail, /skipped=(\d+)/);
    return summary("unittest", Math.max(0, n - failed - errors - skipped), failed, errors, skipped);
  }
  // sympy bin/test: "tests finished: 5 passed, 1 failed, 2 skipped, in 0.1 seconds"
  const sy = [...t.matchAll(/tests finished: ([^\n]*?) in [\d.]+ seconds/g)].pop();
  if (sy) {
    const s = sy[1];
    return summary("sympy", count(s, /(\d+) passed/), count(s, /(\d+) failed/), count(s, /(\d+) exceptions?/), count(s, /(\d+) skipped/));
  }
  // Maven Surefire / Gradle / JUnit: "Tests run: 10, Failures: 1, Errors: 0, Skipped: 0"
  const mv = [...t.matchAll(/Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)/g)].pop();
  if (mv) {
    const [run, f, e, s] = [Number(mv[1]), Number(mv[2]), Number(mv[3]), Number(mv[4])];
    const res = summary("junit", Math.max(0, run - f - e - s), f, e, s);
    if (/BUILD FAILURE/.test(t)) res.ok = false;
    return res;
  }
  // go test: "--- FAIL:" / "ok  \tpkg" / "FAIL\tpkg"
  if (/^(ok|FAIL)\s+\S+\s+[\d.]+s/m.test(t)) {
    const failed = (t.match(/^--- FAIL:/gm) ?? []).length + (t.match(/^FAIL\s+\S+/gm) ?? []).length;
    const passed = (t.match(/^--- PASS:/gm) ?? []).length + (t.match(/^ok\s+\S+/gm) ?? []).length;
    return summary("go", passed, failed, 0, 0);
  }
  return null;
}

function summary(framework: string, passed: number, failed: number, errors: number, skipped: number): TestSummary {
  return { framework, passed, failed, errors, skipped, ok: failed === 0 && errors === 0 && passed > 0 };
}
