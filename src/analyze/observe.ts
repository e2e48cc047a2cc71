/**
 * What an observation says: exit code, test-run summaries (pytest, unittest /
 * Django runner, nose, tox, sympy's bin/test, Maven/Gradle/JUnit, go test),
 * and error markers (tracebacks, syntax errors, command not found, missing
 * paths, timeouts, the scaffolds' own format and edit-rejection messages).
 */
import { marked, scanned } from "../scaffolds/common/markers.js";
import { MARKERS } from "../scaffolds/registry.js";

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

/** What a pattern's first group captures, at each match. */
function* captures(re: RegExp, t: string): Generator<string> {
  for (const m of t.matchAll(re)) yield m[1];
}

/** The characters of `[\w./-]` (`-./` and the digits are 45 to 57). */
function pathChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 57) || c === 95;
}

/**
 * The paths in `/([\w./-]+): No such file or directory/g`, found from the message back to the
 * path: the pattern tried at every position of an output costs several times as much.
 */
function* beforeNoSuchFile(t: string): Generator<string> {
  const tail = ": No such file or directory";
  let done = 0; // where the last match ended: a path does not reach back before it
  for (let k = t.indexOf(tail); k >= 0; k = t.indexOf(tail, k + 1)) {
    let p = k;
    while (p > done && pathChar(t.charCodeAt(p - 1))) p--;
    if (p === k) continue;
    yield t.slice(p, k);
    done = k + tail.length;
  }
}

/** [literal that must occur, the missing paths it reports]: the programs' messages, then the scaffolds' tools' */
const MISSING: [string, (t: string) => Iterable<string>][] = [
  ["No such file or directory", beforeNoSuchFile],
  ["can't open file", (t) => captures(/can't open file '([^']+)': \[Errno 2\] No such file or directory/g, t)],
  ["No such file or directory", (t) => captures(/cannot access '([^'\n]+)': No such file or directory/g, t)],
  ["No such file or directory", (t) => captures(/No such file or directory: '([^']+)'/g, t)],
  ...MARKERS.missing_path.map(([lit, re]): [string, (t: string) => Iterable<string>] => [lit, (t) => captures(re, t)]),
];

/** Parse one observation; long outputs are read at their head and tail (`scanned`). */
export function observe(text: string | null): Observed {
  if (!text) return new Observation("", null, [], []);
  const t = scanned(text);
  const exitCode = exitCodeOf(t);
  const marks: ErrorMark[] = [];
  if (exitCode !== null && exitCode !== 0) marks.push("nonzero_exit");
  // the scaffolds' own messages, first or last in an observation
  if (marked(t, MARKERS.format_error)) marks.push("format_error");
  if (marked(t, MARKERS.edit_rejected)) marks.push("edit_rejected");
  if (marked(t, MARKERS.timeout)) marks.push("timeout");
  if (t.includes("Traceback (most recent call last)")) marks.push("traceback");
  if ((t.includes("SyntaxError:") || t.includes("IndentationError:")) && /\b(SyntaxError|IndentationError):/.test(t))
    marks.push("syntax_error");
  if (t.includes(" not found") && /: command not found|: not found$/m.test(t)) marks.push("command_not_found");
  const missing: string[] = [];
  for (const [lit, paths] of MISSING) {
    if (!t.includes(lit)) continue;
    for (const p of paths(t)) if (!missing.includes(p)) missing.push(p);
  }
  if (missing.length) marks.push("missing_path");
  return new Observation(t, exitCode, marks, missing);
}

/** The exit code a scaffold printed after the command's output, if any. */
function exitCodeOf(t: string): number | null {
  for (const [lit, re] of MARKERS.exit_code) {
    if (!t.includes(lit)) continue;
    const m = re.exec(t);
    if (m) return Number(m[1]);
  }
  return null;
}

/** What `observe` returns: the test summary is parsed when first read (only the steps that ran something need it). */
class Observation implements Observed {
  private summary: TestSummary | null | undefined = undefined;
  constructor(
    private readonly text: string,
    public exitCode: number | null,
    public marks: ErrorMark[],
    public missing: string[],
  ) {}

  get tests(): TestSummary | null {
    if (this.summary === undefined) this.summary = summaryOf(this.text);
    return this.summary;
  }

  set tests(v: TestSummary | null) {
    this.summary = v;
  }

  toJSON(): Observed {
    return { exitCode: this.exitCode, tests: this.tests, marks: this.marks, missing: this.missing };
  }
}

function count(s: string, word: RegExp): number {
  const m = word.exec(s);
  return m ? Number(m[1]) : 0;
}

/** The last test-run summary in an output, if any. */
export function testSummary(t: string): TestSummary | null {
  return summaryOf(t);
}

/**
 * The summary parsers, each tried only when the words it needs occur, so an output with none of
 * them costs only the look-ups ("xfailed" and Gradle's "tests completed, 1 failed" contain "failed").
 */
function summaryOf(t: string): TestSummary | null {
  // sympy bin/test: "==== tests finished: 5 passed, 1 failed, 2 skipped, in 0.1 seconds ====" (may wrap
  // onto a second line; checked before pytest, whose banner looks alike)
  const sy = t.includes("tests finished")
    ? [...t.matchAll(/tests finished: ([^=]{0,400}?) in [\d.]+ seconds/g)].pop()
    : undefined;
  if (sy) {
    const s = sy[1];
    return summary(
      "sympy",
      count(s, /(\d+) passed/),
      count(s, /(\d+) failed/),
      count(s, /(\d+) exceptions?/),
      count(s, /(\d+) skipped/),
    );
  }
  if (t.includes("passed") || t.includes("failed") || t.includes("error") || t.includes("no tests ran")) {
    // pytest: "==== 2 failed, 10 passed, 1 skipped in 0.52s ====" (also "no tests ran";
    // pytest < 5 prints "in 0.52 seconds")
    const py = [
      ...t.matchAll(
        /^=+ ?(.*?\b(?:passed|failed|error|errors|skipped|xfailed|xpassed|deselected|no tests ran)\b.*?) in [\d.]+ ?s(?:econds)?\b.*?=+\s*$/gm,
      ),
    ].pop();
    if (py) return pytest(py[1]);
    // short pytest summary without the banner (pytest -q): "3 passed in 0.1s" / "1 failed, 2 passed in 0.3s"
    const pq = [
      ...t.matchAll(/^(\d+ (?:passed|failed|errors?|xfailed|skipped)(?:, \d+ \w+)*) in [\d.]+ ?s(?:econds)?\b.*$/gm),
    ].pop();
    if (pq) return pytest(pq[1]);
  }
  // unittest / Django runner / nose: "Ran 12 tests in 0.3s" then "OK" or "FAILED (failures=1, errors=2)"
  const ran = t.includes("Ran ")
    ? [...t.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*\n+\s*(OK|FAILED)(?: \(([^)]*)\))?/gm)].pop()
    : undefined;
  if (ran) {
    const n = Number(ran[1]);
    const detail = ran[3] ?? "";
    const failed = count(detail, /failures=(\d+)/);
    const errors = count(detail, /errors=(\d+)/);
    const skipped = count(detail, /skipped=(\d+)/);
    return summary("unittest", Math.max(0, n - failed - errors - skipped), failed, errors, skipped);
  }
  // Maven Surefire / JUnit: "Tests run: 10, Failures: 1, Errors: 0, Skipped: 0" (the last one is the total)
  const mv = t.includes("Tests run:")
    ? [...t.matchAll(/Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)/g)].pop()
    : undefined;
  if (mv) {
    const [run, f, e, s] = [Number(mv[1]), Number(mv[2]), Number(mv[3]), Number(mv[4])];
    const res = summary("junit", Math.max(0, run - f - e - s), f, e, s);
    if (/BUILD FAILURE/.test(t)) res.ok = false;
    return res;
  }
  // Gradle prints a count only when tests fail: "5 tests completed, 1 failed, 1 skipped"
  const gr = t.includes("failed")
    ? [...t.matchAll(/^(\d+) tests? completed(?:, (\d+) failed)?(?:, (\d+) skipped)?/gm)].pop()
    : undefined;
  if (gr) {
    const [n, f, s] = [Number(gr[1]), Number(gr[2] ?? 0), Number(gr[3] ?? 0)];
    return summary("gradle", Math.max(0, n - f - s), f, 0, s);
  }
  // go test: "--- FAIL:" / "ok  \tpkg" / "FAIL\tpkg"
  if ((t.includes("ok ") || t.includes("FAIL")) && /^(ok|FAIL)\s+\S+\s+[\d.]+s/m.test(t)) {
    const failed = (t.match(/^--- FAIL:/gm) ?? []).length + (t.match(/^FAIL\s+\S+/gm) ?? []).length;
    const passed = (t.match(/^--- PASS:/gm) ?? []).length + (t.match(/^ok\s+\S+/gm) ?? []).length;
    return summary("go", passed, failed, 0, 0);
  }
  return null;
}

function pytest(s: string): TestSummary {
  const res = summary(
    "pytest",
    count(s, /(\d+) passed/),
    count(s, /(\d+) failed/),
    count(s, /(\d+) errors?/),
    count(s, /(\d+) skipped/),
  );
  // expected failures ran as expected: a run of only xfail/xpass tests is not a failure
  if (
    !res.ok &&
    res.failed === 0 &&
    res.errors === 0 &&
    (count(s, /(\d+) xfailed/) > 0 || count(s, /(\d+) xpassed/) > 0)
  )
    res.ok = true;
  return res;
}

function summary(framework: string, passed: number, failed: number, errors: number, skipped: number): TestSummary {
  return { framework, passed, failed, errors, skipped, ok: failed === 0 && errors === 0 && passed > 0 };
}
