/**
 * What one parsed shell command does: its kind (view, search, edit, test, run,
 * git, install...), the files it reads and writes, and whether it is
 * destructive or changes the environment.
 */
import type { ShellCommand } from "./shell.js";

export type StepKind =
  | "view" | "search" | "navigate" | "edit" | "create" | "delete" | "test" | "run" | "git" | "revert"
  | "install" | "env" | "submit" | "plan" | "think" | "exit" | "other";

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
  cd?: string;
}

const WRAPPERS = new Set(["sudo", "timeout", "time", "nohup", "env", "xargs", "nice", "stdbuf", "command", "exec"]);
const VIEW = new Set(["cat", "head", "tail", "less", "more", "nl", "bat", "wc", "view", "xxd", "hexdump", "od", "diff", "cmp", "file", "stat"]);
const SEARCH = new Set(["grep", "egrep", "fgrep", "rg", "ag", "ack", "find", "locate", "fd"]);
const NAV = new Set(["ls", "tree", "pwd", "cd", "echo", "printf", "true", "false", "which", "whereis", "type", "du", "df", "date", "sleep", "clear", ":"]);
const ENV = new Set(["export", "source", ".", "unset", "alias", "chmod", "chown", "ulimit", "update-alternatives", "ln", "set"]);
const INSTALLERS = new Set(["apt", "apt-get", "yum", "dnf", "apk", "brew", "conda", "mamba", "micromamba"]);
const SUBMIT = /COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT|MINI_SWE_AGENT_FINAL_OUTPUT/;
const PY = /^(python[\d.]*|pypy[\d.]*|py)$/;
const SCRIPT_WRITE = /(?:open|Path)\(\s*[rf]?["']([^"']+)["']\s*(?:,\s*["'](?:w|a|wb|ab|w\+|r\+)["']|\)\s*\.write_(?:text|bytes))/g;

function opts(args: string[]): string[] {
  return args.filter((a) => !a.startsWith("-"));
}

function empty(): CommandEffect {
  return { kinds: [], read: [], written: [], deleted: [] };
}

/** Effect of one simple command. */
export function commandEffect(cmd: ShellCommand): CommandEffect {
  let { name, args } = cmd;
  while (WRAPPERS.has(name) && args.length) {
    const rest = args.filter((a, i) => !(a.startsWith("-") || (name === "timeout" && i === 0 && /^\d/.test(a)) || (name === "env" && a.includes("="))));
    if (!rest.length) break;
    const at = args.indexOf(rest[0]);
    name = rest[0].split("/").pop() ?? "";
    args = args.slice(at + 1);
  }
  const e = empty();
  for (const r of cmd.redirects) {
    if ((r.op === ">" || r.op === ">>" || r.op === ">|" || r.op === "&>") && !/^\/dev\/(null|stdout|stderr)$/.test(r.target)) e.written.push(r.target);
    if (r.op === "<") e.read.push(r.target);
  }
  const joined = [cmd.name, ...cmd.args].join(" ");
  if (SUBMIT.test(joined)) {
    e.kinds.push("submit");
    return e;
  }
  if (PY.test(name)) python(args, cmd, e);
  else if (name === "cd") {
    e.kinds.push("navigate");
    e.cd = args[0] ?? "";
  } else if (VIEW.has(name)) {
    if (e.written.length && (name === "cat" || name === "tail" || name === "head")) e.kinds.push("edit");
    else e.kinds.push("view");
    e.read.push(...opts(args));
  } else if (name === "sed" || name === "perl") sedLike(name, args, e);
  else if (name === "awk" || name === "gawk") {
    e.kinds.push(e.written.length ? "edit" : "view");
    e.read.push(...opts(args).slice(1));
  } else if (SEARCH.has(name)) {
    e.kinds.push("search");
    if (name === "find" && args.includes("-delete")) {
      e.kinds.push("delete");
      e.deleted.push(...opts(args).slice(0, 1));
    }
  } else if (NAV.has(name)) e.kinds.push(e.written.length ? "edit" : "navigate");
  else if (name === "tee") {
    e.kinds.push("edit");
    e.written.push(...opts(args));
  } else if (name === "touch" || name === "mkdir") {
    e.kinds.push("create");
    e.written.push(...(name === "touch" ? opts(args) : []));
  } else if (name === "rm" || name === "rmdir" || name === "unlink") rm(args, e);
  else if (name === "mv" || name === "cp") {
    const files = opts(args);
    e.kinds.push("edit");
    if (files.length >= 2) {
      e.written.push(files[files.length - 1]);
      if (name === "mv") e.deleted.push(...files.slice(0, -1));
      else e.read.push(...files.slice(0, -1));
    }
  } else if (name === "patch") e.kinds.push("edit");
  else if (name === "git") git(args, e);
  else if (name === "pip" || name === "pip3" || /^pip[\d.]+$/.test(name) || name === "uv" || name === "poetry") pip(args, e);
  else if (INSTALLERS.has(name)) {
    if (args.some((a) => /^(install|remove|uninstall|purge|update|upgrade|add|create)$/.test(a))) {
      e.kinds.push("install");
      e.env = joined;
    } else e.kinds.push("other");
  } else if (ENV.has(name)) {
    e.kinds.push("env");
    e.env = joined;
  } else testOrRun(name, args, cmd.text, e);
  if (!e.kinds.length) e.kinds.push("other");
  return e;
}

function python(args: string[], cmd: ShellCommand, e: CommandEffect): void {
  const m = args.indexOf("-m");
  if (m >= 0) {
    const mod = args[m + 1] ?? "";
    const rest = args.slice(m + 2);
    if (/^(pytest|py\.test|unittest|nose|nose2|tox|trial)$/.test(mod) || (mod === "django" && rest[0] === "test")) {
      e.kinds.push("test");
      e.test = { framework: mod === "django" ? "django" : mod, targets: opts(rest).filter((a) => a !== "test") };
    } else if (mod === "pip") pip(rest, e);
    else {
      e.kinds.push("run");
      e.script = `-m ${mod}`;
    }
    return;
  }
  const c = args.indexOf("-c");
  const code = c >= 0 ? (args[c + 1] ?? "") : cmd.heredoc !== undefined && (args.length === 0 || args[0] === "-") ? cmd.heredoc : null;
  if (code !== null) {
    for (const w of code.matchAll(SCRIPT_WRITE)) e.written.push(w[1]);
    e.kinds.push(e.written.length ? "edit" : "run");
    if (!e.written.length || /print\(|assert|import /.test(code)) e.script = c >= 0 ? "-c" : "heredoc";
    if (e.written.length && e.script) e.kinds.push("run");
    return;
  }
  const script = opts(args)[0];
  if (!script) {
    e.kinds.push("run");
    return;
  }
  if (/(^|\/)setup\.py$/.test(script)) {
    const sub = opts(args)[1] ?? "";
    if (/^(install|develop|build_ext|egg_info)$/.test(sub)) {
      e.kinds.push("install");
      e.env = `python ${args.join(" ")}`;
    } else if (sub === "test") {
      e.kinds.push("test");
      e.test = { framework: "setup.py", targets: [] };
    } else e.kinds.push("run");
    return;
  }
  if (/(^|\/)runtests\.py$|(^|\/)manage\.py$/.test(script) && (script.endsWith("runtests.py") || opts(args)[1] === "test")) {
    e.kinds.push("test");
    e.test = { framework: "django", targets: opts(args).slice(script.endsWith("runtests.py") ? 1 : 2) };
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

function sedLike(name: string, args: string[], e: CommandEffect): void {
  const inPlace = args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place")) || (name === "perl" && args.some((a) => /^-\w*i/.test(a)));
  const files = opts(args);
  const hasE = args.includes("-e");
  const targets = hasE ? files : files.slice(1);
  if (inPlace) {
    e.kinds.push("edit");
    e.written.push(...targets);
  } else {
    e.kinds.push(e.written.length ? "edit" : "view");
    e.read.push(...targets);
  }
}

function rm(args: string[], e: CommandEffect): void {
  const files = opts(args);
  e.kinds.push("delete");
  e.deleted.push(...files);
  const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
  const bad = files.find((f) => f === "/" || f === "~" || f === "*" || f === "." || f === ".." || /^\/(usr|etc|opt|var|lib|bin|home|root)(\/|$)|site-packages/.test(f));
  if (recursive && bad) e.destructive = `rm ${args.join(" ")}`;
}

function git(args: string[], e: CommandEffect): void {
  const sub = args.find((a) => !a.startsWith("-")) ?? "";
  const rest = args.slice(args.indexOf(sub) + 1);
  const line = `git ${args.join(" ")}`;
  switch (sub) {
    case "checkout":
    case "restore":
      if (rest.includes(".") || rest.includes("--") || sub === "restore") {
        e.kinds.push("revert");
        e.destructive = line;
      } else e.kinds.push("git");
      return;
    case "reset":
      e.kinds.push("revert");
      if (rest.includes("--hard")) e.destructive = line;
      return;
    case "clean":
      e.kinds.push("revert");
      if (rest.some((a) => /^-[a-zA-Z]*f/.test(a))) e.destructive = line;
      return;
    case "stash":
      e.kinds.push("revert");
      if (!rest.length || rest[0] === "push" || rest[0] === "drop" || rest[0] === "clear") e.destructive = line;
      return;
    case "revert":
      e.kinds.push("revert");
      return;
    case "apply":
    case "am":
    case "cherry-pick":
      e.kinds.push("edit");
      return;
    case "rm":
      e.kinds.push("delete");
      e.deleted.push(...opts(rest));
      return;
    case "grep":
      e.kinds.push("search");
      return;
    default:
      e.kinds.push("git");
  }
}

function pip(args: string[], e: CommandEffect): void {
  const sub = opts(args)[0] ?? "";
  if (/^(install|uninstall|add|remove|sync)$/.test(sub)) {
    e.kinds.push("install");
    e.env = `pip ${args.join(" ")}`;
  } else e.kinds.push("other");
}

function testOrRun(name: string, args: string[], joined: string, e: CommandEffect): void {
  const first = opts(args)[0] ?? "";
  if (/^(pytest|py\.test|tox|nox|nosetests|nose2|trial|runtests\.py|runtests|jest|vitest|mocha|rspec|phpunit|ctest)$/.test(name) || (name === "test" && /(^|\s)(\.\/)?bin\/test(\s|$)/.test(joined))) {
    e.kinds.push("test");
    e.test = { framework: name.replace(/\.py$/, ""), targets: opts(args) };
  } else if (/^(mvn|mvnw|gradle|gradlew)$/.test(name)) {
    const testing = args.some((a) => /^(test|verify|check|integration-test)$|^-Dtest=|^--tests/.test(a));
    e.kinds.push(testing ? "test" : "run");
    if (testing) e.test = { framework: name.startsWith("mvn") ? "maven" : "gradle", targets: args.filter((a) => /^-Dtest=|^--tests/.test(a)) };
  } else if ((name === "go" || name === "cargo") && first === "test") {
    e.kinds.push("test");
    e.test = { framework: name, targets: opts(args).slice(1) };
  } else if (/^(npm|yarn|pnpm)$/.test(name)) {
    if (first === "test" || (first === "run" && /test/.test(opts(args)[1] ?? ""))) {
      e.kinds.push("test");
      e.test = { framework: name, targets: [] };
    } else if (/^(install|i|add|ci|remove|uninstall)$/.test(first)) {
      e.kinds.push("install");
      e.env = joined;
    } else e.kinds.push("run");
  } else if (name === "make" && /^(test|check|tests)$/.test(first)) {
    e.kinds.push("test");
    e.test = { framework: "make", targets: [] };
  } else if (/^(node|java|javac|bash|sh|zsh|ruby|go|cargo|make|gcc|g\+\+|cc|clang|rustc|ponyc|jshell|kotlin|scala)$/.test(name) || name.startsWith("./") || /\.(sh|py|js)$/.test(name)) {
    e.kinds.push("run");
    e.script = [name, ...args].join(" ").slice(0, 200);
  }
}
