/**
 * What an observation says: exit code, test-run summaries (pytest, unittest /
 * Django runner, nose, tox, sympy's bin/test, Maven/Gradle/JUnit, go test),
 * and error markers (tracebacks, syntax errors, command not found, missing
 * paths, timeouts, the scaffolds' own format and edit-rejection messages).
 */
import { LiteralSet } from "./literals.js";

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
 * A literal looked up on its own. indexOf scans fastest when the character it looks for first is rare
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
  ["with exit code", /\[The command completed with exit code (-?\d+)\.\]/], // OpenHands
  ["with exit code", /\[Command finished with exit code (-?\d+)\]/], // OpenHands (older)
];

/** Scaffold messages: a literal (fast to find) with an optional confirming pattern. */
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

/** [literal that must occur, the missing paths it reports] */
const MISSING: [string, (t: string) => Iterable<string>][] = [
  ["No such file or directory", beforeNoSuchFile],
  ["can't open file", (t) => captures(/can't open file '([^']+)': \[Errno 2\] No such file or directory/g, t)],
  [" not found", (t) => captures(/(?:File|Directory) ([\w./-]+) not found/g, t)],
  ["No such file or directory", (t) => captures(/cannot access '([^'\n]+)': No such file or directory/g, t)],
  ["does not exist", (t) => captures(/The path ([\w./-]+) does not exist/g, t)],
  ["Could not find file", (t) => captures(/Could not find file ([\w./-]+) in the codebase/g, t)],
  ["No such file or directory", (t) => captures(/No such file or directory: '([^']+)'/g, t)],
];

/**
 * Every literal looked for in every observation, found in one pass (`LiteralSet`): most
 * observations hold none of them, and one `indexOf` per literal costs several times as much.
 */
const EAGER = new LiteralSet([
  ...new Set([
    ...EXIT_CODE.map(([l]) => l),
    ...[...FORMAT_ERROR, ...EDIT_REJECTED, ...TIMEOUT].map(([l]) => l),
    "Traceback (most recent call last)",
    "SyntaxError:",
    "IndentationError:",
    ...MISSING.map(([l]) => l),
  ]),
]);
const BIT = new Map(EAGER.literals.map((l, i) => [l, 1 << i]));
function bit(lit: string): number {
  const b = BIT.get(lit);
  if (b === undefined) throw new Error(`not an eager literal: ${lit}`);
  return b;
}
const B = {
  returncode: bit("<returncode>"),
  exitCode: bit("with exit code"),
  traceback: bit("Traceback (most recent call last)"),
  syntax: bit("SyntaxError:") | bit("IndentationError:"),
  notFound: bit(" not found"),
  /** the scaffolds' messages (set below) */
  markers: 0,
};
/** A marker with its literal's bit in `EAGER`'s masks. */
type Found = { lit: string; bit: number; re?: RegExp };
const withBits = (ms: Marker[]): Found[] => ms.map(([lit, re]) => ({ lit, bit: bit(lit), re }));
const FORMAT_ERROR_AT = withBits(FORMAT_ERROR);
const EDIT_REJECTED_AT = withBits(EDIT_REJECTED);
const TIMEOUT_AT = withBits(TIMEOUT);
B.markers = [...FORMAT_ERROR_AT, ...EDIT_REJECTED_AT, ...TIMEOUT_AT].reduce((m, x) => m | x.bit, 0);
const EXIT_CODE_AT = EXIT_CODE.map(([lit, re]) => ({ bit: bit(lit), re }));
const MISSING_AT = MISSING.map(([lit, paths]) => ({ bit: bit(lit), paths }));

/**
 * Whether one of `markers` occurs (`mask`, from `EAGER.scan`) wholly within the first or last
 * 2,000 characters of `t`, and its pattern, if any, matches those ends (`ends`).
 */
function hasIn(t: string, mask: number, ends: string, markers: Found[]): boolean {
  for (const { lit, bit, re } of markers) {
    if ((mask & bit) === 0) continue;
    const inEnds = t.length <= 4000 || t.indexOf(lit) + lit.length <= 2000 || t.lastIndexOf(lit) >= t.length - 2000;
    if (inEnds && (!re || re.test(ends))) return true;
  }
  return false;
}

/**
 * The literals the test-summary parsers depend on, each looked up once, when first needed: only
 * the steps that ran something read a summary, and a parser needs only a few.
 */
const KEYWORDS = [
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

/** Parse one observation; `maxScan` bounds the work on huge outputs (head and tail are scanned). */
export function observe(text: string | null, maxScan = 40_000): Observed {
  if (!text) return new Observation("", null, [], []);
  const t = text.length > maxScan ? text.slice(0, maxScan / 2) + "\n" + text.slice(-maxScan / 2) : text;
  const mask = EAGER.scan(t);
  if (mask === 0) return new Observation(t, null, [], []); // (most observations)
  let exitCode: number | null = null;
  const marks: ErrorMark[] = [];
  const missing: string[] = [];
  if (mask & (B.returncode | B.exitCode)) {
    for (const { bit, re } of EXIT_CODE_AT) {
      if (!(mask & bit)) continue;
      const m = re.exec(t);
      if (m) {
        exitCode = Number(m[1]);
        break;
      }
    }
  }
  if (exitCode !== null && exitCode !== 0) marks.push("nonzero_exit");
  // the scaffolds' own messages come first or last in an observation
  if (mask & B.markers) {
    const ends = t.length > 4000 ? t.slice(0, 2000) + "\n" + t.slice(-2000) : t;
    if (hasIn(t, mask, ends, FORMAT_ERROR_AT)) marks.push("format_error");
    if (hasIn(t, mask, ends, EDIT_REJECTED_AT)) marks.push("edit_rejected");
    if (hasIn(t, mask, ends, TIMEOUT_AT)) marks.push("timeout");
  }
  if (mask & B.traceback) marks.push("traceback");
  if (mask & B.syntax && /\b(SyntaxError|IndentationError):/.test(t)) marks.push("syntax_error");
  if (mask & B.notFound && /: command not found|: not found$/m.test(t)) marks.push("command_not_found");
  for (const { bit, paths } of MISSING_AT) {
    if (!(mask & bit)) continue;
    for (const p of paths(t)) if (!missing.includes(p)) missing.push(p);
  }
  if (missing.length) marks.push("missing_path");
  return new Observation(t, exitCode, marks, missing);
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
    if (this.summary === undefined) this.summary = summaryOf(this.text, new Keywords(this.text));
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
