/**
 * What one parsed shell command does: its kind (view, search, edit, test, run,
 * git, install...), the files it reads and writes, and whether it is
 * destructive or changes the environment.
 */
import type { ShellCommand } from "./shell.js";

export type StepKind =
  | "view"
  | "search"
  | "navigate"
  | "edit"
  | "create"
  | "delete"
  | "test"
  | "run"
  | "git"
  | "revert"
  | "install"
  | "env"
  | "submit"
  | "plan"
  | "think"
  | "handoff"
  | "exit"
  | "other";

export interface CommandEffect {
  kinds: StepKind[];
  read: string[];
  written: string[];
  deleted: string[];
  test?: { framework: string; targets: string[] };
  /** a script or inline program that was run */
  script?: string;
  destructive?: string;
  env?: string;
  /** the directory a `cd` went to; "" when it cannot be known (`cd`, `cd -`, `cd "$X"`) */
  cd?: string;
  /** text written whole into a file (`cat > f <<EOF`), so a later `python f` can be read */
  content?: { path: string; text: string };
}

/** Commands that run the command in their arguments. */
const WRAPPERS = new Set([
  "sudo",
  "timeout",
  "time",
  "nohup",
  "env",
  "xargs",
  "nice",
  "stdbuf",
  "command",
  "exec",
  "npx",
  "pnpx",
  "bunx",
  "unbuffer",
]);
/** Wrappers whose options take a value (`timeout -s KILL 60 cmd`, `xargs -I {} cmd`). */
const WRAPPER_VALUED: Record<string, Set<string>> = {
  timeout: new Set(["-s", "--signal", "-k", "--kill-after"]),
  xargs: new Set(["-I", "-n", "-P", "-L", "-d", "-E", "-s", "-a"]),
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-U"]),
  nice: new Set(["-n"]),
  env: new Set(["-u", "-C", "-S"]),
};
/** Runners whose `run` subcommand runs the rest (`uv run pytest`, `poetry run python x.py`). */
const RUNNERS = new Set(["uv", "poetry", "pipenv", "pdm", "hatch", "conda", "micromamba"]);
const VIEW = new Set([
  "cat",
  "head",
  "tail",
  "less",
  "more",
  "nl",
  "bat",
  "wc",
  "view",
  "xxd",
  "hexdump",
  "od",
  "diff",
  "cmp",
  "file",
  "stat",
  "sort",
  "uniq",
  "cut",
  "tr",
  "column",
  "strings",
  "jq",
  "md5sum",
  "sha1sum",
  "sha256sum",
]);
const SEARCH = new Set(["grep", "egrep", "fgrep", "rg", "ag", "ack", "find", "locate", "fd", "git-grep"]);
const NAV = new Set([
  "ls",
  "tree",
  "pwd",
  "cd",
  "echo",
  "printf",
  "true",
  "false",
  "which",
  "whereis",
  "type",
  "du",
  "df",
  "date",
  "sleep",
  "clear",
  ":",
  "[",
  "test",
  "read",
  "let",
  "expr",
  "basename",
  "dirname",
  "realpath",
  "readlink",
  "printenv",
  "id",
  "whoami",
  "uname",
  "hostname",
  "ps",
  "top",
  "history",
  "nproc",
  "free",
  "lscpu",
  "seq",
  "yes",
]);
const ENV = new Set([
  "export",
  "source",
  ".",
  "unset",
  "alias",
  "chmod",
  "chown",
  "ulimit",
  "update-alternatives",
  "ln",
  "set",
  "declare",
  "typeset",
  "shopt",
]);
const INSTALLERS = new Set([
  "apt",
  "apt-get",
  "yum",
  "dnf",
  "apk",
  "brew",
  "conda",
  "mamba",
  "micromamba",
  "snap",
  "gem",
  "dpkg",
]);
/** The project's own command-line tools run to reproduce or check behaviour. */
const RUN_TOOLS = new Set([
  "sphinx-build",
  "sphinx-quickstart",
  "sqlfluff",
  "pylint",
  "pyreverse",
  "symilar",
  "flake8",
  "mypy",
  "django-admin",
  "ipython",
  "pydoc",
  "pyflakes",
  "pycodestyle",
]);
const SUBMIT = /COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT|MINI_SWE_AGENT_FINAL_OUTPUT/;
/** Whether a word holds a submit marker (both end in `_FINAL_OUTPUT`, looked up first). */
const submits = (word: string): boolean => word.includes("_FINAL_OUTPUT") && SUBMIT.test(word);
const PY = /^(python[\d.]*|pypy[\d.]*|py)$/;

/** Options that take a separate value, per command (the value is not a file or target). */
const VALUED: Record<string, Set<string>> = {
  head: new Set(["-n", "-c", "--lines", "--bytes"]),
  tail: new Set(["-n", "-c", "--lines", "--bytes", "-s"]),
  grep: new Set([
    "-e",
    "-f",
    "-A",
    "-B",
    "-C",
    "-m",
    "-d",
    "-D",
    "--include",
    "--exclude",
    "--exclude-dir",
    "--max-count",
    "--context",
    "--regexp",
    "--file",
  ]),
  rg: new Set([
    "-e",
    "-f",
    "-g",
    "-t",
    "-T",
    "-A",
    "-B",
    "-C",
    "-m",
    "--glob",
    "--type",
    "--type-not",
    "--max-count",
    "--context",
    "-M",
    "--max-columns",
    "-j",
    "--threads",
  ]),
  ag: new Set(["-A", "-B", "-C", "-G", "-m", "--ignore", "--file-search-regex"]),
  sed: new Set(["-e", "-f", "-l", "--expression", "--file"]),
  awk: new Set(["-F", "-v", "-f"]),
  nl: new Set(["-b", "-n", "-v", "-w", "-s", "-i"]),
  xxd: new Set(["-l", "-s", "-c", "-g"]),
  od: new Set(["-N", "-j", "-t", "-A", "-w"]),
  cut: new Set(["-d", "-f", "-c", "-b"]),
  sort: new Set(["-k", "-t", "-o"]),
  diff: new Set(["-U", "-C", "--label", "-x", "--exclude"]),
  tee: new Set([]),
  python: new Set(["-W", "-X", "-Q"]),
  pytest: new Set([
    "-k",
    "-m",
    "-p",
    "-c",
    "-o",
    "-W",
    "-n",
    "-r",
    "--tb",
    "--maxfail",
    "--rootdir",
    "--deselect",
    "--ignore",
    "--ignore-glob",
    "--junitxml",
    "--junit-xml",
    "--durations",
    "--basetemp",
    "--confcutdir",
    "--cov",
    "--cov-report",
    "--log-level",
    "--import-mode",
    "--override-ini",
    "--capture",
    "--color",
    "--dist",
    "--numprocesses",
  ]),
  django: new Set([
    "--settings",
    "--parallel",
    "-v",
    "--verbosity",
    "--start-at",
    "--start-after",
    "-k",
    "--tag",
    "--exclude-tag",
    "--pythonpath",
    "--testrunner",
    "-t",
    "--top-level-directory",
    "--shuffle",
    "-p",
    "--pattern",
  ]),
  unittest: new Set(["-k", "-p", "-s", "-t", "--pattern", "--start-directory", "--top-level-directory"]),
  sympy: new Set(["-k", "--seed", "--timeout", "--split"]),
  tox: new Set(["-e", "-c", "--conf", "-p", "--parallel", "-x", "--override"]),
  maven: new Set([
    "-pl",
    "--projects",
    "-f",
    "--file",
    "-P",
    "--activate-profiles",
    "-s",
    "--settings",
    "-T",
    "--threads",
    "-rf",
    "--resume-from",
  ]),
  gradle: new Set(["--tests", "-p", "--project-dir", "-x", "--exclude-task", "-P", "-D", "--max-workers"]),
  go: new Set(["-run", "-count", "-timeout", "-tags", "-p", "-parallel", "-bench", "-coverprofile", "-covermode"]),
  patch: new Set(["-p", "-i", "--input", "-d", "--directory", "-o", "--output", "-F", "--fuzz", "-B", "-z"]),
};
const NONE = new Set<string>();

/** Positional arguments, skipping options and the values of options that take one. */
export function positional(args: string[], valued: Set<string> = NONE): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a.length > 1) {
      // `-n 5`, and clustered short options ending in one that takes a value (`grep -nC 5`)
      if (valued.has(a) || (/^-[A-Za-z]{2,}$/.test(a) && valued.has("-" + a[a.length - 1]))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Values of an option given as `--opt value` or `--opt=value` (also `-Dtest=X` with `opt = "-Dtest"`). */
function optionValues(args: string[], opt: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === opt && i + 1 < args.length) out.push(args[++i]);
    else if (a.startsWith(opt + "=")) out.push(a.slice(opt.length + 1));
  }
  return out;
}

function empty(): CommandEffect {
  return { kinds: [], read: [], written: [], deleted: [] };
}

/** The command a wrapper runs: `timeout 60 python x.py` -> python, `uv run pytest` -> pytest. */
function unwrap(cmd: ShellCommand): { name: string; args: string[]; path?: string } {
  if (!WRAPPERS.has(cmd.name) && !RUNNERS.has(cmd.name)) return cmd; // (most commands)
  let { name, args } = cmd;
  let path = cmd.path;
  for (let guard = 0; guard < 4; guard++) {
    let at = -1;
    if (WRAPPERS.has(name)) {
      const valued = WRAPPER_VALUED[name] ?? NONE;
      let sawDuration = false;
      let i = 0;
      while (i < args.length) {
        const a = args[i];
        if (a.startsWith("-")) i += valued.has(a) ? 2 : 1;
        else if (name === "env" && a.includes("=")) i++;
        else if (name === "timeout" && !sawDuration && /^\d/.test(a)) {
          sawDuration = true;
          i++;
        } else break;
      }
      at = i;
    } else if (RUNNERS.has(name) && args[0] === "run") {
      const i = args.slice(1).findIndex((a) => !a.startsWith("-"));
      if (i >= 0) at = i + 1;
    }
    if (at < 0 || at >= args.length) break;
    path = args[at].includes("/") ? args[at] : undefined;
    name = args[at].split("/").pop() ?? "";
    args = args.slice(at + 1);
  }
  return { name, args, path };
}

/** Effect of one simple command. */
export function commandEffect(cmd: ShellCommand): CommandEffect {
  const { name, args, path } = unwrap(cmd);
  const e = empty();
  for (const r of cmd.redirects) {
    if (
      (r.op === ">" || r.op === ">>" || r.op === ">|" || r.op === "&>" || r.op === "&>>") &&
      !/^\/dev\/(null|stdout|stderr|tty)$/.test(r.target)
    )
      e.written.push(r.target);
    if (r.op === "<") e.read.push(r.target);
  }
  // the command line, built only when needed; a SUBMIT marker holds no space, so it lies within one word
  const joined = () => [cmd.name, ...cmd.args].join(" ");
  if (submits(cmd.name) || cmd.args.some(submits)) {
    e.kinds.push("submit");
    return e;
  }
  const pos = positional(args, VALUED[name]);
  if (PY.test(name)) python(args, cmd, e);
  else if (name === "cd") {
    e.kinds.push("navigate");
    const dir = pos[0];
    e.cd = dir === undefined || dir === "-" || dir.startsWith("~") || /[$`]/.test(dir) ? "" : dir;
  } else if (VIEW.has(name)) {
    e.kinds.push(e.written.length ? "edit" : "view");
    if (name === "cat" && e.written.length === 1 && cmd.heredoc !== undefined && !pos.length)
      e.content = { path: e.written[0], text: cmd.heredoc };
    e.read.push(...pos.filter((p) => p !== "-"));
  } else if (name === "sed" || name === "perl") sedLike(name, args, e);
  else if (name === "awk" || name === "gawk") {
    e.kinds.push(e.written.length ? "edit" : "view");
    const inPlace = args.includes("inplace");
    const files = (args.includes("-f") ? pos : pos.slice(1)).filter((p) => p !== "inplace");
    if (inPlace) {
      if (!e.kinds.includes("edit")) e.kinds.splice(0, 1, "edit");
      e.written.push(...files);
    } else e.read.push(...files);
  } else if (SEARCH.has(name)) search(name, args, pos, e);
  else if (NAV.has(name) && !(name === "test" && path)) e.kinds.push(e.written.length ? "edit" : "navigate");
  else if (name === "tee") {
    e.kinds.push("edit");
    e.written.push(...pos);
    if (cmd.heredoc !== undefined && pos.length === 1) e.content = { path: pos[0], text: cmd.heredoc };
  } else if (name === "touch" || name === "mkdir") {
    e.kinds.push("create");
    if (name === "touch") e.written.push(...pos);
  } else if (name === "rm" || name === "rmdir" || name === "unlink") rm(args, e);
  else if (name === "mv" || name === "cp") {
    e.kinds.push("edit");
    if (pos.length >= 2) {
      e.written.push(pos[pos.length - 1]);
      if (name === "mv") e.deleted.push(...pos.slice(0, -1));
      else e.read.push(...pos.slice(0, -1));
    }
  } else if (name === "patch") {
    e.kinds.push("edit");
    if (pos[0]) e.written.push(pos[0]);
    e.read.push(...optionValues(args, "-i"));
  } else if (name === "git") git(args, e);
  else if (name === "pip" || name === "pip3" || /^pip[\d.]+$/.test(name) || name === "uv" || name === "poetry")
    pip(name, args, e);
  else if (INSTALLERS.has(name)) {
    if (
      args.some((a) => /^(install|remove|uninstall|purge|update|upgrade|add|create|reinstall)$/.test(a)) ||
      (name === "dpkg" && args.some((a) => /^-[a-zA-Z]*[irP]$/.test(a)))
    ) {
      e.kinds.push("install");
      e.env = joined();
    } else e.kinds.push("other");
  } else if (ENV.has(name)) {
    e.kinds.push("env");
    e.env = joined();
  } else testOrRun(name, args, path, joined, e);
  if (!e.kinds.length) e.kinds.push("other");
  return e;
}

function search(name: string, args: string[], pos: string[], e: CommandEffect): void {
  e.kinds.push("search");
  if (name === "find" || name === "locate" || name === "fd") {
    if (name === "find" && args.includes("-delete")) {
      e.kinds.push("delete");
      e.deleted.push(...pos.slice(0, 1));
    }
    return;
  }
  // grep/rg/ag/ack: the first positional is the pattern unless given with -e/-f; the rest are files searched into
  const patternGiven = args.some(
    (a) => a === "-e" || a === "-f" || a.startsWith("--regexp") || a.startsWith("--file="),
  );
  const files = patternGiven ? pos : pos.slice(1);
  const recursive =
    name !== "grep" && name !== "egrep" && name !== "fgrep"
      ? true
      : args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
  // a directory searched recursively is not a file that was read
  e.read.push(...files.filter((f) => f !== "-" && f !== "." && !(recursive && !/\.\w+$/.test(f)) && !/[*?]/.test(f)));
}

/** A Python string literal (group names suffixed with `n`), e.g. `r"a/b.py"`. */
function lit(n: string): string {
  return `[rRuUbBfF]?(?<q${n}>["'])(?<s${n}>[^"'\\n{}]+)\\k<q${n}>`;
}
const IDENT = (n: string) => `(?<v${n}>[A-Za-z_]\\w*)`;
const MODE = `(?:mode\\s*=\\s*)?[rbRB]?(?<mq>["'])(?<mode>[rwabxt+]+)\\k<mq>`;
const PY_ASSIGN =
  /^[ \t]*([A-Za-z_]\w*)\s*=\s*(?:(?:pathlib\.)?Path\(\s*)?[rRuUbB]?(["'])([^"'\n{}]+)\2\s*\)?\s*(?:#.*)?$/gm;
/** `open(path[, mode])`, also `io.open`, `codecs.open` */
const PY_OPEN = new RegExp(
  `(?:\\b(?:io|codecs)\\.|(?<![\\w.]))open\\(\\s*(?:${lit("a")}|${IDENT("a")})\\s*(?:,\\s*${MODE})?`,
  "g",
);
/** `Path("x").write_text(...)`, `p.write_text(...)`, `p.read_text()`, `p.open("w")`, `p.unlink()` */
const PY_PATHCALL = new RegExp(
  `(?:(?:pathlib\\.)?Path\\(\\s*${lit("a")}\\s*\\)|\\b${IDENT("a")})\\.(?<op>write_text|write_bytes|read_text|read_bytes|open|unlink)\\(\\s*(?:${MODE})?`,
  "g",
);
/** What every `PY_PATHCALL` match holds: a cheap test that skips most programs (the full pattern tries each word). */
const PATHCALL_OP = /\.(?:write_text|write_bytes|read_text|read_bytes|open|unlink)\(/;
/** `os.remove(p)`, `os.unlink(p)`, `shutil.copy(a, b)`, `shutil.move(a, b)` */
const PY_OSCALL = new RegExp(
  `\\b(?:os\\.(?<rm>remove|unlink)|shutil\\.(?<cp>copy\\w*|move))\\(\\s*(?:${lit("a")}|${IDENT("a")})(?:\\s*,\\s*(?:${lit("b")}|${IDENT("b")}))?`,
  "g",
);

/** Calls that the patterns above need (besides `write_text`, `write_bytes`, `read_text` and `shutil.`). */
const FILE_CALLS = callNames(["open", "Path", "remove", "unlink"]);

/** Files a Python program opens, writes or deletes, from string literals and simple `name = "path"` bindings. */
export function pythonFiles(code: string): { read: string[]; written: string[]; deleted: string[] } {
  const res = { read: [] as string[], written: [] as string[], deleted: [] as string[] };
  if (
    !callsOneOf(code, FILE_CALLS) &&
    !code.includes("_text") &&
    !code.includes("write_bytes") &&
    !code.includes("shutil.")
  )
    return res;
  // the `name = "path"` bindings, collected when a call first names a variable
  let vars: Map<string, string> | null = null;
  const bindings = (): Map<string, string> => {
    if (!vars) {
      vars = new Map<string, string>();
      for (const m of code.matchAll(PY_ASSIGN)) if (/[./]/.test(m[3]) && !/\s/.test(m[3])) vars.set(m[1], m[3]);
    }
    return vars;
  };
  const val = (g: Record<string, string | undefined>, n: string) =>
    g[`s${n}`] ?? (g[`v${n}`] !== undefined ? bindings().get(g[`v${n}`]!) : undefined);
  const add = (list: string[], p: string | undefined) => {
    if (p && !list.includes(p)) list.push(p);
  };
  const writes = (mode: string | undefined) => mode !== undefined && /[wax+]/.test(mode);
  // (each pattern tried only on code holding its literal: an alternation with a lookbehind is
  // tried at every character)
  if (code.includes("open("))
    for (const m of code.matchAll(PY_OPEN)) {
      const g = m.groups!;
      add(writes(g.mode) ? res.written : res.read, val(g, "a"));
    }
  if (PATHCALL_OP.test(code))
    for (const m of code.matchAll(PY_PATHCALL)) {
      const g = m.groups!;
      const p = val(g, "a");
      if (g.op === "unlink") add(res.deleted, p);
      else if (g.op.startsWith("write") || (g.op === "open" && writes(g.mode))) add(res.written, p);
      else add(res.read, p);
    }
  if (code.includes("os.") || code.includes("shutil."))
    for (const m of code.matchAll(PY_OSCALL)) {
      const g = m.groups!;
      const src = val(g, "a");
      if (g.rm) add(res.deleted, src);
      else {
        add(res.written, val(g, "b"));
        add(g.cp === "move" ? res.deleted : res.read, src);
      }
    }
  res.read = res.read.filter((p) => !res.written.includes(p));
  return res;
}

/** An inline program or script that runs tests itself (`unittest.main()`, `pytest.main([...])`). */
const INLINE_TEST: [RegExp, string][] = [
  [/\bpytest\.main\(/, "pytest"],
  [/\bunittest\.main\(|\bTextTestRunner\(|\bunittest\.TestLoader\(/, "unittest"],
  [/\bsympy\.test\(|\bdoctest\(/, "sympy"],
  [/\bdoctest\.testmod\(/, "doctest"],
  [/\bcall_command\(\s*["']test["']/, "django"],
];

/** Function names to look for at each call's `(`, with the last characters they end in. */
interface CallNames {
  names: readonly string[];
  /** each name's last character, tested before the names */
  last: ReadonlySet<string>;
}

function callNames(names: readonly string[]): CallNames {
  return { names, last: new Set(names.map((n) => n[n.length - 1])) };
}

/**
 * Whether `code` calls a function whose name ends with one of `calls` (`main(`, `Runner(`): each
 * `(` is checked, with a one-character test before the names, which costs less than one scan
 * of the code per name.
 */
function callsOneOf(code: string, calls: CallNames): boolean {
  for (let i = code.indexOf("("); i >= 0; i = code.indexOf("(", i + 1)) {
    if (!calls.last.has(code[i - 1])) continue;
    for (const n of calls.names) if (code.startsWith(n, i - n.length)) return true;
  }
  return false;
}

const TEST_CALLS = callNames(["main", "Runner", "Loader", "test", "testmod", "command"]);
/** Whether `code` may hold a call `INLINE_TEST` looks for: each holds one of these (a quick test most programs fail). */
function mayCallTests(code: string): boolean {
  return callsOneOf(code, TEST_CALLS);
}

function python(args: string[], cmd: ShellCommand, e: CommandEffect): void {
  const m = args.indexOf("-m");
  if (m >= 0) {
    const mod = args[m + 1] ?? "";
    const rest = args.slice(m + 2);
    if (/^(pytest|py\.test|unittest|nose|nose2|tox|trial)$/.test(mod) || (mod === "django" && rest[0] === "test")) {
      const fw = mod === "django" ? "django" : mod === "py.test" ? "pytest" : mod;
      e.kinds.push("test");
      e.test = { framework: fw, targets: testTargets(fw, mod === "django" ? rest.slice(1) : rest) };
    } else if (mod === "pip") pip("pip", rest, e);
    else {
      e.kinds.push("run");
      e.script = `-m ${mod}`;
    }
    return;
  }
  const c = args.indexOf("-c");
  const pos = positional(args, VALUED.python);
  const code =
    c >= 0
      ? (args[c + 1] ?? "")
      : cmd.heredoc !== undefined && (pos.length === 0 || pos[0] === "-")
        ? cmd.heredoc
        : null;
  if (code !== null) {
    inline(code, c >= 0 ? "-c" : "heredoc", e);
    return;
  }
  const script = pos[0];
  if (!script) {
    e.kinds.push("run");
    return;
  }
  const sub = pos[1] ?? "";
  if (/(^|\/)setup\.py$/.test(script)) {
    if (/^(install|develop)$/.test(sub)) {
      e.kinds.push("install");
      e.env = `python ${args.join(" ")}`;
    } else if (/^(build_ext|build|build_py|egg_info|sdist|bdist_wheel)$/.test(sub)) {
      // building (also `build_ext --inplace`) writes only into the checkout
      e.kinds.push("run");
    } else if (sub === "test") {
      e.kinds.push("test");
      e.test = { framework: "setup.py", targets: [] };
    } else e.kinds.push("run");
    return;
  }
  if (/(^|\/)runtests\.py$/.test(script) || (/(^|\/)manage\.py$/.test(script) && sub === "test")) {
    e.kinds.push("test");
    e.test = {
      framework: "django",
      targets: testTargets("django", args.slice(args.indexOf(script) + (sub === "test" ? 2 : 1))),
    };
    return;
  }
  if (/(^|\/)bin\/test$/.test(script)) {
    e.kinds.push("test");
    e.test = { framework: "sympy", targets: testTargets("sympy", args.slice(args.indexOf(script) + 1)) };
    return;
  }
  if (/(^|\/)tests?\//.test(script) && !/reproduc/.test(script)) {
    e.kinds.push("test");
    e.test = { framework: "script", targets: [script] };
    return;
  }
  e.kinds.push("run");
  e.script = script;
  e.read.push(script);
}

/** Files a program writes as data or output, not as code or configuration. */
export const DATA_FILE =
  /\.(txt|log|out|csv|tsv|html?|qdp|db|sqlite3?|dat|png|jpe?g|gif|svg|pdf|fits|ecsv|mrt|pkl|pickle|npy|npz|bin|dcm|sql)$/i;

/** Data or output a program wrote beside the checkout's root or in /tmp (`test.qdp`, `out.txt`), not a project file. */
export function dataOutput(path: string): boolean {
  return DATA_FILE.test(path) && (!path.replace(/^\.\//, "").includes("/") || path.startsWith("/tmp/"));
}

/** Effect of running Python source (`python -c`, a heredoc, an IPython cell, a script the agent wrote). */
export function pythonEffect(code: string, how: string): CommandEffect {
  const e = empty();
  inline(code, how, e);
  return e;
}

/** `python -c CODE` / `python - <<EOF`: an edit when it writes files, a run when it prints or checks. */
function inline(code: string, how: string, e: CommandEffect): void {
  const files = pythonFiles(code);
  e.written.push(...files.written);
  e.deleted.push(...files.deleted);
  e.read.push(...files.read);
  // writing only data or output files (a QDP table, a log) is part of a run, not an edit
  const writes = files.written.some((p) => !dataOutput(p));
  if (writes) e.kinds.push("edit");
  // it runs something worth calling a run when it prints, asserts or imports more than file helpers
  if (!writes || /print\(|assert/.test(code) || importsProject(code)) {
    e.kinds.push("run");
    e.script = how;
  }
  const t = mayCallTests(code) ? INLINE_TEST.find(([re]) => re.test(code)) : undefined;
  if (t) {
    e.kinds.push("test");
    e.test = { framework: t[1], targets: [] };
  }
}

/** Modules a file-rewriting script imports without exercising the project. */
const HELPER_MODULES = new Set([
  "re",
  "os",
  "sys",
  "pathlib",
  "shutil",
  "io",
  "glob",
  "textwrap",
  "json",
  "ast",
  "fileinput",
  "codecs",
  "tokenize",
  "difflib",
  "string",
  "subprocess",
  "typing",
]);

function importsProject(code: string): boolean {
  for (const m of code.matchAll(/^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))/gm)) {
    const mods = m[1] ? [m[1]] : m[2].split(",").map((x) => x.trim().split(/\s+/)[0]);
    if (mods.some((x) => x && !HELPER_MODULES.has(x.split(".")[0]))) return true;
  }
  return false;
}

/** Test targets: positional arguments without option values (`-k expr`, `--settings x`, `-v 2`). */
function testTargets(framework: string, args: string[]): string[] {
  if (framework === "maven") return optionValues(args, "-Dtest");
  if (framework === "gradle") return optionValues(args, "--tests");
  const valued = VALUED[framework] ?? VALUED.pytest;
  let pos = positional(args, valued);
  if (framework === "unittest" && pos[0] === "discover") pos = [...pos.slice(1), ...optionValues(args, "-s")];
  if (framework === "go") return [...pos.slice(1), ...optionValues(args, "-run")];
  if (framework === "cargo") return pos.slice(1);
  return pos;
}

function sedLike(name: string, args: string[], e: CommandEffect): void {
  let inPlace = false;
  let scriptGiven = false;
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      pos.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a.length === 1) {
      pos.push(a);
      continue;
    }
    if (/^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place")) inPlace = true;
    // sed -e SCRIPT / -f FILE; perl -e / -pe / -pie CODE: the script is the next word
    if (name === "sed" ? VALUED.sed.has(a) || /^-[a-zA-Z]+[ef]$/.test(a) : /^-[a-zA-Z]*[eE]$/.test(a)) {
      scriptGiven = true;
      i++;
    } else if (name === "sed" && /^--(expression|file)=/.test(a)) scriptGiven = true;
  }
  const targets = scriptGiven ? pos : pos.slice(1);
  if (inPlace) {
    e.kinds.push("edit");
    e.written.push(...targets);
  } else {
    e.kinds.push(e.written.length ? "edit" : "view");
    e.read.push(...targets);
  }
}

function rm(args: string[], e: CommandEffect): void {
  const files = positional(args);
  e.kinds.push("delete");
  e.deleted.push(...files);
  const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
  const bad = files.find(
    (f) =>
      f === "/" ||
      f === "~" ||
      f === "*" ||
      f === "." ||
      f === ".." ||
      f === ".git" ||
      /^\/(usr|etc|opt|var|lib|bin|home|root)(\/|$)|site-packages|\/\.git$/.test(f),
  );
  if (recursive && bad) e.destructive = `rm ${args.join(" ")}`;
}

/** A `git checkout` argument that names a file rather than a branch or commit. */
function looksLikeFile(a: string): boolean {
  return a === "." || /\.[A-Za-z]\w*$/.test(a) || /^\.{0,2}\//.test(a);
}

/** git options that take a value before the subcommand (`git -C dir status`). */
const GIT_VALUED = new Set(["-C", "-c", "--git-dir", "--work-tree", "--namespace"]);

function git(args: string[], e: CommandEffect): void {
  let at = 0;
  while (at < args.length && args[at].startsWith("-")) at += GIT_VALUED.has(args[at]) ? 2 : 1;
  const sub = args[at] ?? "";
  const rest = args.slice(at + 1);
  const line = `git ${args.join(" ")}`;
  const files = positional(rest);
  switch (sub) {
    case "checkout":
      // `git checkout -- f`, `git checkout .`, `git checkout HEAD f`, `git checkout f.py`: discard changes
      if (rest.includes("--") || files.some(looksLikeFile) || files.length >= 2) {
        e.kinds.push("revert");
        e.destructive = line;
      } else e.kinds.push("git");
      return;
    case "restore":
      if (rest.includes("--staged") && !rest.includes("--worktree") && !rest.includes("-W")) e.kinds.push("git");
      else {
        e.kinds.push("revert");
        e.destructive = line;
      }
      return;
    case "reset":
      e.kinds.push("revert");
      if (rest.includes("--hard")) e.destructive = line;
      return;
    case "clean":
      e.kinds.push("revert");
      if (rest.some((a) => /^-[a-zA-Z]*f/.test(a) || a === "--force")) e.destructive = line;
      return;
    case "stash": {
      const op = files[0] ?? "";
      if (op === "list" || op === "show") e.kinds.push("git");
      else if (op === "pop" || op === "apply") e.kinds.push("git");
      else {
        e.kinds.push("revert");
        if (
          !op ||
          op === "push" ||
          op === "save" ||
          op === "drop" ||
          op === "clear" ||
          rest.some((a) => a.startsWith("-"))
        )
          e.destructive = line;
      }
      return;
    }
    case "revert":
      e.kinds.push("revert");
      return;
    case "apply":
    case "am":
      e.kinds.push(rest.includes("--check") || rest.includes("--stat") ? "git" : "edit");
      e.read.push(...files);
      return;
    case "cherry-pick":
    case "merge":
    case "rebase":
    case "pull":
      e.kinds.push("edit");
      return;
    case "rm":
      e.kinds.push("delete");
      if (!rest.includes("--cached")) e.deleted.push(...files);
      return;
    case "mv":
      e.kinds.push("edit");
      if (files.length >= 2) {
        e.written.push(files[files.length - 1]);
        e.deleted.push(...files.slice(0, -1));
      }
      return;
    case "grep":
      e.kinds.push("search");
      return;
    case "show":
      e.kinds.push("git");
      // `git show HEAD:path/file.py` prints a file
      for (const f of files) {
        const i = f.indexOf(":");
        if (i > 0 && i < f.length - 1) e.read.push(f.slice(i + 1));
      }
      return;
    default:
      e.kinds.push("git");
  }
}

function pip(name: string, args: string[], e: CommandEffect): void {
  const pos = positional(
    args,
    new Set(["-r", "-c", "-e", "-i", "--index-url", "--extra-index-url", "-t", "--target", "--python"]),
  );
  const sub = (name === "uv" && pos[0] === "pip" ? pos[1] : pos[0]) ?? "";
  if (/^(install|uninstall|add|remove|sync|download)$/.test(sub)) {
    e.kinds.push("install");
    e.env = `${name} ${args.join(" ")}`;
  } else if (
    /^(show|list|freeze|check|inspect|search|index)$/.test(sub) ||
    args.includes("--version") ||
    args.includes("-V")
  )
    e.kinds.push("navigate");
  else e.kinds.push("other");
}

function testOrRun(
  name: string,
  args: string[],
  path: string | undefined,
  joined: () => string,
  e: CommandEffect,
): void {
  const pos = positional(args);
  const first = pos[0] ?? "";
  const runner = name.replace(/\.py$/, "");
  if (/^(pytest|py\.test|tox|nox|nosetests|nose2|trial|runtests|jest|vitest|mocha|rspec|phpunit|ctest)$/.test(runner)) {
    // `./tests/runtests.py` is Django's runner; `py.test` is pytest
    const fw = runner === "runtests" ? "django" : runner === "py.test" ? "pytest" : runner;
    e.kinds.push("test");
    e.test = { framework: fw, targets: testTargets(fw, args) };
  } else if (name === "test" && path && /(^|\/)bin\/test$/.test(path)) {
    e.kinds.push("test");
    e.test = { framework: "sympy", targets: testTargets("sympy", args) };
  } else if (/^(mvn|mvnw|gradle|gradlew)$/.test(name)) {
    const maven = name.startsWith("mvn");
    const tasks = positional(args, VALUED[maven ? "maven" : "gradle"]);
    const testing =
      tasks.some((a) => /^(test|verify|check|integration-test|surefire:test|\w*Test)$/.test(a)) ||
      args.some((a) => /^-Dtest=|^--tests$/.test(a));
    e.kinds.push(testing ? "test" : "run");
    if (testing)
      e.test = { framework: maven ? "maven" : "gradle", targets: testTargets(maven ? "maven" : "gradle", args) };
    else if (args.some((a) => /^exec:|^run$|^bootRun$/.test(a))) e.script = joined().slice(0, 200);
  } else if ((name === "go" || name === "cargo") && first === "test") {
    e.kinds.push("test");
    e.test = { framework: name, targets: testTargets(name, args) };
  } else if (/^(npm|yarn|pnpm|bun)$/.test(name)) {
    if (first === "test" || first === "t" || (first === "run" && /test/.test(pos[1] ?? ""))) {
      e.kinds.push("test");
      e.test = { framework: name, targets: [] };
    } else if (/^(install|i|add|ci|remove|uninstall)$/.test(first)) {
      e.kinds.push("install");
      e.env = joined();
    } else e.kinds.push("run");
  } else if (name === "make" && /^(test|check|tests|test-\w+)$/.test(first)) {
    e.kinds.push("test");
    e.test = { framework: "make", targets: [] };
  } else if (name === "go" && /^(install|get)$/.test(first)) {
    e.kinds.push("install");
    e.env = joined();
  } else if (
    /^(node|java|javac|bash|sh|zsh|ruby|go|cargo|make|cmake|gcc|g\+\+|cc|clang|rustc|ponyc|jshell|kotlin|kotlinc|scala|deno|tsc|ts-node)$/.test(
      name,
    ) ||
    RUN_TOOLS.has(name) ||
    path !== undefined ||
    /\.(sh|py|js|rb|pl)$/.test(name)
  ) {
    e.kinds.push("run");
    e.script = [path ?? name, ...args].join(" ").slice(0, 200);
    if (path && !path.startsWith("/")) e.read.push(path);
    // the source files it runs or compiles (`javac Repro.java`, `bash run.sh`, `node x.js`)
    if (!RUN_TOOLS.has(name))
      e.read.push(
        ...pos.filter((a) => /^[\w./-]+\.(java|kt|scala|sh|js|mjs|ts|rb|pl|c|cc|cpp|go|rs|pony|py)$/.test(a)),
      );
  }
}
