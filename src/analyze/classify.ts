/**
 * Step analysis: every step of a trajectory classified (view, search, edit,
 * test, run, git, install, submit, think, ...) with the files it read and
 * wrote, from shell commands (parsed with a real bash parser) and from the
 * scaffolds' own tools (SWE-agent, OpenHands, Moatless, AutoCodeRover).
 */
import { posix } from "node:path";
import type { Step, Trajectory } from "../types/trajectory.js";
import { observe, type Observed } from "./observe.js";
import { repoPath } from "./paths.js";
import { parseShell, type ShellCommand } from "./shell.js";
import { commandEffect, pythonEffect, type CommandEffect, type StepKind } from "./shellkinds.js";

export type { StepKind } from "./shellkinds.js";

export interface StepFacts {
  index: number;
  /** the most significant kind of the step */
  kind: StepKind;
  kinds: StepKind[];
  tool: string;
  /** shell command names, in order */
  commands: string[];
  read: string[];
  written: string[];
  deleted: string[];
  test: { framework: string; targets: string[] } | null;
  script: string | null;
  destructive: string[];
  env: string[];
  observed: Observed;
  /** an edit the scaffold refused or that failed (linter rejection, no match, format error) */
  failedEdit: boolean;
  /**
   * false when the scaffold did not run the action because the response was
   * malformed (several actions at once, a missing parameter): such a step has
   * kind "other" and no files, tests or scripts
   */
  executed: boolean;
}

const PRIORITY: StepKind[] = [
  "submit", "exit", "edit", "create", "delete", "test", "run", "revert", "install", "env", "git", "search", "view", "plan", "navigate", "think", "other",
];

const SWE_VIEW = new Set(["open", "goto", "scroll_up", "scroll_down", "filemap", "view_image"]);
const SWE_SEARCH = new Set(["search_dir", "search_file", "find_file"]);
const SWE_EDIT = new Set(["edit", "insert", "append"]);
const MOATLESS_PLAN = new Set(["PlanToCode", "request_for_change", "ClarifyCodeChange", "specify_lines"]);
const SHELL_TOOLS = new Set(["bash", "execute_bash", "run", "cmd", "shell", "terminal", "execute_command"]);
const EDITOR_TOOLS = new Set(["str_replace_editor", "edit_file", "file_editor", "str_replace_based_edit_tool"]);

/** Mutable state carried across steps. */
interface State {
  /** working directory of the shell, null = the repository root */
  cwd: string | null;
  /** SWE-agent's open file (as written, resolved against the cwd of the step that opened it) */
  open: string | null;
  /** Moatless: the file of the last planned change */
  lastPlanned: string | null;
  /** content of files the agent wrote whole (a later `python f` runs it), by repository path */
  files: Map<string, string>;
  /**
   * what running such a file's code does, by path, with the code it was worked out for (a
   * reproduction is run again and again; kept by path, as keeping it by code would hash the code)
   */
  runs: Map<string, { code: string; effect: CommandEffect }>;
  /** the scaffold checks a script's syntax (`bash -n`) before running any of it */
  syntaxChecked: boolean;
}

/** Scaffolds that run every action in a fresh subshell, so `cd` does not carry over. */
const FRESH_SHELL = new Set(["mini-swe-agent"]);
/**
 * Scaffolds that check a script's syntax before running it: SWE-agent reports the error with the
 * script's own line numbers and runs nothing (a script it ran reports its session's line count).
 */
const SYNTAX_CHECKED = new Set(["sweagent-traj"]);

export function classifySteps(t: Trajectory): StepFacts[] {
  const state: State = { cwd: null, open: null, lastPlanned: null, files: new Map(), runs: new Map(), syntaxChecked: SYNTAX_CHECKED.has(t.source.format) };
  const fresh = FRESH_SHELL.has(t.source.format);
  // responses the scaffold refused for their format: none of their actions ran
  const refused = new Set<number>();
  // what does not depend on the state, each in one pass over the steps (a pass that runs one
  // piece of code many times runs faster than steps that each run all of them): the
  // observations, the shell steps' commands, then what those commands do
  const observed = t.steps.map((s) => observe(s.observation));
  t.steps.forEach((s, i) => {
    if (observed[i].marks.includes("format_error")) refused.add(s.message_index);
  });
  const commands = t.steps.map((s) => (runsShell(s) ? shellCommands(s.action, s.observation ?? "", state.syntaxChecked) : null));
  const effects = commands.map((cmds) => (cmds ? cmds.map(commandEffect) : null));
  return t.steps.map((s, i) => {
    if (fresh) state.cwd = null;
    const obs = observed[i];
    const sh = commands[i] ? { cmds: commands[i]!, effects: effects[i]! } : null;
    const notRun = refused.has(s.message_index) && (obs.marks.includes("format_error") || s.observation === null) && s.tool !== "none";
    const f = notRun ? unexecuted(s, obs, state, sh) : classifyStep(s, obs, state, sh);
    if (s.observation_index !== null) stateFooter(t.messages[s.observation_index].content, state);
    // Moatless (2024-06-09) `reject` declines one requested change; the run goes on
    if (f.kind === "exit" && i < t.steps.length - 1 && (s.tool === "reject" || s.tool === "Rejected")) {
      f.kinds = ["think"];
      f.kind = "think";
    }
    return f;
  });
}

function blank(s: Step, observed: Observed): StepFacts {
  return {
    index: s.index, kind: "other", kinds: [], tool: s.tool, commands: [], read: [], written: [], deleted: [],
    test: null, script: null, destructive: [], env: [], observed, failedEdit: false, executed: true,
  };
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** A path as the step named it, made absolute against the current directory when it is relative. */
function at(st: State, p: string): string {
  let s = p.trim();
  // (the quotes stripped only when there are any: most paths have none)
  if (s.startsWith('"') || s.startsWith("'") || s.endsWith('"') || s.endsWith("'")) s = s.replace(/^["']|["']$/g, "");
  return !s || s.startsWith("/") || !st.cwd ? s : posix.join(st.cwd, s);
}

/** A step whose action the scaffold refused (format error): nothing ran. */
function unexecuted(s: Step, obs: Observed, st: State, sh: ShellStep | null): StepFacts {
  const f = blank(s, obs);
  f.executed = false;
  // what it would have been, to tell a refused edit from a refused search
  const probe = classifyStep(s, obs, { ...st, files: new Map(st.files) }, sh);
  f.commands = probe.commands;
  f.kinds = ["other"];
  f.kind = "other";
  f.failedEdit = s.observation !== null && probe.kinds.some((k) => k === "edit" || k === "create");
  return f;
}

/** A shell step's commands and what each does. */
interface ShellStep {
  cmds: ShellCommand[];
  effects: CommandEffect[];
}

/** Whether a step's action is a shell script: a shell tool, or a scaffold's free-form command line. */
function runsShell(s: Step): boolean {
  const tool = s.tool;
  return SHELL_TOOLS.has(tool) || (tool !== "none" && s.args === null && /\s/.test(s.action) && !SWE_EDIT.has(tool));
}

/** `sh`: the step's shell commands and effects when it `runsShell`. */
function classifyStep(s: Step, observed: Observed, st: State, sh: ShellStep | null): StepFacts {
  const f = blank(s, observed);
  const args = s.args ?? {};
  const tool = s.tool;
  const marks = f.observed.marks;
  const obs = s.observation ?? "";
  if (sh) shell(s.action, sh, f, st);
  else if (EDITOR_TOOLS.has(tool)) {
    editor(args, f, st, obs);
  } else if (SWE_VIEW.has(tool)) sweView(tool, s.action, obs, f, st);
  else if (SWE_SEARCH.has(tool)) {
    f.kinds.push("search");
    if (tool === "search_file") {
      const file = /^(?:Found \d+ matches|No matches found) for ".*" in (\S+?):?$/m.exec(obs.slice(0, 1000))?.[1] ?? firstArg(s.action, 2) ?? st.open;
      if (file) f.read.push(at(st, file));
    }
  } else if (tool === "create") {
    const path = sweFile(obs) ?? firstArg(s.action);
    f.kinds.push("create");
    if (/^Error: File .* already exists/m.test(obs)) f.failedEdit = true;
    else if (path) {
      const p = at(st, path);
      f.written.push(p);
      st.open = p;
      st.files.set(repoPath(p), "");
    }
  } else if (SWE_EDIT.has(tool)) {
    f.kinds.push("edit");
    if (marks.includes("edit_rejected") || /^Usage: edit|^COMMAND FAILED TO EXECUTE|^No file open|^Error: /m.test(obs.slice(0, 500))) f.failedEdit = true;
    else {
      const path = sweFile(obs) ?? st.open;
      if (path) {
        const p = at(st, path);
        f.written.push(p);
        st.open = p;
        const key = repoPath(p);
        // a file the agent created and filled: remember its text (a later `python f` runs it)
        if (st.files.has(key)) st.files.set(key, st.files.get(key) + "\n" + s.action.replace(/^\w+[^\n]*\n/, ""));
      }
    }
  } else if (tool === "submit" || tool === "finish" || tool === "Finished") f.kinds.push("submit");
  else if (tool === "reject" || tool === "Rejected" || /^exit_/.test(tool)) f.kinds.push("exit");
  else if (tool === "think" || tool === "DecideRelevance") f.kinds.push("think");
  else if (tool === "none") f.kinds.push(marks.includes("format_error") ? "other" : "think");
  else if (tool === "search_replace" || tool === "EditCode" || tool === "write_patch") codeEdit(tool, args, obs, f, st);
  else if (tool === "search" || tool === "SearchCode" || tool.startsWith("search_") || tool === "bug_locations") {
    f.kinds.push(tool === "bug_locations" ? "plan" : "search");
    const file = str(args.file_name) ?? str(args.file_path);
    if (file) f.read.push(file);
    if (tool === "bug_locations" && Array.isArray(args.bug_locations)) {
      for (const b of args.bug_locations as { file?: unknown }[]) if (b && typeof b.file === "string") f.read.push(b.file);
    }
    // code these tools return is code the agent has seen
    f.read.push(...shownFiles(obs));
  } else if (tool === "identify" || tool === "IdentifyCode") {
    f.kinds.push("view");
    const spans = (args.files_with_spans ?? args.identified_spans) as { file_path?: string }[] | undefined;
    if (Array.isArray(spans)) for (const sp of spans) if (sp && typeof sp.file_path === "string") f.read.push(sp.file_path);
  } else if (MOATLESS_PLAN.has(tool)) {
    f.kinds.push("plan");
    const p = str(args.file_path);
    if (p) {
      st.lastPlanned = p;
      f.read.push(p);
    }
  } else if (IPYTHON_TOOLS.has(tool)) ipython(str(args.code) ?? s.action, f, st);
  else f.kinds.push("other");
  return finish(f);
}

const FOOTER = /\(Open file: ([^)\n]*)\)\s*\n\(Current directory: ([^)\n]*)\)\s*\n?bash-\$\s*$/;
const FOOTER_AT = new RegExp(FOOTER.source, "y");

/**
 * The shell state a scaffold prints after each action, exact where `cd` tracking
 * guesses: SWE-agent ends each observation shown to the model with
 * `(Open file: /repo/a.py)\n(Current directory: /repo)\nbash-$` (open file and
 * working directory), OpenHands (v0.15) with the shell prompt and exit code.
 */
function stateFooter(content: string, st: State): void {
  // the last 1,000 characters of the text, trailing blanks aside (all the footers need)
  let e = content.length;
  while (e > 0 && SPACE.test(content[e - 1])) e--;
  // (only footers ending in `]` or `bash-$` are read: most observations end otherwise)
  const last = content[e - 1];
  if (last !== "]" && last !== "$") return;
  const end = content.slice(Math.max(0, e - 1000), e);
  if (end.endsWith("]")) {
    // OpenHands: `root@openhands-workspace:/workspace/django__django__3.0 # \n[Command finished with exit code 0]`
    const oh = OH_PROMPT.exec(end.slice(-300));
    if (oh) st.cwd = oh[1];
    return;
  }
  if (!end.endsWith("bash-$")) return;
  // the footer starts at the last "(Open file: " (in the last 1,000 characters): tried there
  // first, then, in the odd case where it does not match there, anywhere
  const at = end.lastIndexOf("(Open file: ");
  if (at < 0) return;
  FOOTER_AT.lastIndex = at;
  const m = FOOTER_AT.exec(end) ?? FOOTER.exec(end);
  if (!m) return;
  const open = m[1].trim();
  st.open = open && open !== "n/a" ? open : null;
  const dir = m[2].trim();
  if (dir.startsWith("/")) st.cwd = dir;
}

const SPACE = /\s/;
const OH_PROMPT = /\n[\w.-]+@[\w.-]+:(\/[^\n]*?) [#$] ?\n\[Command finished with exit code -?\d+\]$/;

const IPYTHON_TOOLS = new Set(["execute_ipython_cell", "run_ipython", "ipython"]);
/** OpenHands agent skills called from IPython cells, by what they do to their file argument. */
const SKILL_EDIT = /\b(edit_file_by_replace|insert_content_at_line|append_file|create_file)\(\s*(?:file_name\s*=\s*)?r?(["'])([^"'\n]+)\2/g;
const SKILL_VIEW = /\b(open_file|search_file)\(\s*(?:[^,()]*,\s*)?(?:file_path\s*=\s*|path\s*=\s*)?r?(["'])([^"'\n]+)\2/g;

/** An OpenHands IPython cell: Python code, possibly calling the agent skills (`edit_file_by_replace(...)`). */
function ipython(code: string, f: StepFacts, st: State): void {
  const e = pythonEffect(code, "ipython");
  let skill = false;
  for (const m of code.matchAll(SKILL_EDIT)) {
    skill = true;
    e.kinds.push(m[1] === "create_file" ? "create" : "edit");
    e.written.push(m[3]);
  }
  for (const m of code.matchAll(SKILL_VIEW)) {
    skill = true;
    e.kinds.push(m[1] === "open_file" ? "view" : "search");
    e.read.push(m[3]);
  }
  if (/\b(search_dir|find_file)\(/.test(code)) {
    skill = true;
    e.kinds.push("search");
  }
  // a cell that only calls skills runs no code of the project
  if (skill && !/print\(|assert/.test(code.replace(/\b\w+\([^()]*\)/g, ""))) {
    e.kinds = e.kinds.filter((k) => k !== "run");
    delete e.script;
  }
  merge(f, e, st);
  if (f.kinds.includes("edit") && f.observed.marks.includes("edit_rejected")) f.failedEdit = true;
}

/** `[File: /repo/path.py (120 lines total)]`: the file a SWE-agent file command showed or changed. */
function sweFile(obs: string): string | null {
  const m = /^\[File: ([^\n]+?) \(\d+ lines total\)\]/m.exec(obs.length > 3000 ? obs.slice(0, 3000) : obs);
  return m ? m[1] : null;
}

function sweView(tool: string, action: string, obs: string, f: StepFacts, st: State): void {
  f.kinds.push("view");
  const shown = sweFile(obs);
  if (tool === "open") {
    const asked = firstArg(action);
    const path = shown ?? asked;
    if (path) f.read.push(at(st, path));
    // a file that does not exist does not become the open file
    if (shown || (asked && !f.observed.missing.length && !/not found/.test(obs.slice(0, 300)))) st.open = at(st, path!);
    return;
  }
  if (shown) st.open = at(st, shown);
  if (st.open) f.read.push(st.open);
}

/** Moatless `EditCode` / `search_replace` and AutoCodeRover `write_patch`. */
function codeEdit(tool: string, args: Record<string, unknown>, obs: string, f: StepFacts, st: State): void {
  const content = str(args.content) ?? "";
  if (tool === "EditCode" && /^\s*<reject>/.test(content)) {
    // the editor declined the planned change: nothing was edited
    f.kinds.push("think");
    return;
  }
  f.kinds.push("edit");
  const failed =
    f.observed.marks.includes("edit_rejected") ||
    /^(?:Failed|Couldn't|Could not|No changes|The code in the replace tag|updated: false)/m.test(obs) ||
    /did not apply|Failed to apply|could not be applied|was not applied/i.test(obs.slice(0, 2000));
  if (failed) {
    f.failedEdit = true;
    return;
  }
  if (tool === "write_patch") {
    f.written.push(...[...String(args.patch ?? "").matchAll(/<file>([^<]+)<\/file>/g)].map((m) => m[1].trim()));
    return;
  }
  const applied = /^Applied the change to (\S+?)\.?$/m.exec(obs)?.[1] ?? /^--- (\S+)\n\+\+\+ /m.exec(obs)?.[1];
  const file = applied ?? str(args.file_path) ?? st.lastPlanned;
  if (file) f.written.push(file);
}

/**
 * Bash refusing a script for its syntax, as the first thing the action printed
 * (`/bin/bash: line 1: syntax error near unexpected token `('`, mini-swe-agent's
 * `bash: -c: line 1: ...`, `line 2: unexpected EOF while looking for matching `''`).
 */
const BASH_SYNTAX = /^(?:<returncode>\d+<\/returncode>\s*<output>\s*)?(?:\/bin\/)?bash: (?:-c: )?line (\d+): (?:syntax error|unexpected EOF while looking for matching)/;

/** Whether bash ran none of the script: its first line did not parse, or the scaffold checks the whole script first. */
function refusedBySyntax(obs: string, checkedFirst: boolean): boolean {
  const m = BASH_SYNTAX.exec(obs.slice(0, 300));
  return m !== null && (checkedFirst || m[1] === "1");
}

/** The commands of a shell script, none when bash refused it or it does not parse. */
function shellCommands(source: string, obs: string, syntaxChecked: boolean): ShellCommand[] {
  try {
    // a script bash refused ran no command (and parsing it would be slow: such texts are mostly
    // code or file listings pasted as a command, which tree-sitter takes long to recover from)
    return refusedBySyntax(obs, syntaxChecked) ? [] : parseShell(source);
  } catch {
    return [];
  }
}

function shell(source: string, sh: ShellStep, f: StepFacts, st: State): void {
  const { cmds, effects } = sh;
  for (let i = 0; i < cmds.length; i++) {
    f.commands.push(cmds[i].name);
    merge(f, effects[i], st);
  }
  if (!cmds.length) f.kinds.push(source.trim() ? "other" : "think");
  if (f.kinds.includes("edit") && f.observed.marks.includes("edit_rejected")) f.failedEdit = true;
}

function merge(f: StepFacts, e: CommandEffect, st: State): void {
  if (e.cd !== undefined) st.cwd = e.cd === "" ? null : posix.normalize(at(st, e.cd));
  f.kinds.push(...e.kinds);
  for (const p of e.read) f.read.push(at(st, p));
  for (const p of e.written) f.written.push(at(st, p));
  for (const p of e.deleted) f.deleted.push(at(st, p));
  if (e.content) st.files.set(repoPath(at(st, e.content.path)), e.content.text);
  else if (st.files.size) for (const p of e.written) st.files.delete(repoPath(at(st, p)));
  if (st.files.size) for (const p of e.deleted) st.files.delete(repoPath(at(st, p)));
  if (e.test && !f.test) f.test = e.test;
  if (e.script && !f.script) f.script = e.script;
  if (e.destructive) f.destructive.push(e.destructive);
  if (e.env) f.env.push(e.env);
  // a Python script the agent wrote earlier: what it writes, this run writes
  if (st.files.size && e.script && /\.py$/.test(e.script) && e.kinds.includes("run")) {
    const key = repoPath(at(st, e.script));
    const code = st.files.get(key);
    if (code) {
      let known = st.runs.get(key);
      if (!known || known.code !== code) st.runs.set(key, (known = { code, effect: pythonEffect(code, e.script) }));
      const inner = known.effect;
      if (inner.kinds.includes("edit")) f.kinds.push("edit");
      if (inner.test && !f.test) {
        f.kinds.push("test");
        f.test = inner.test;
      }
      f.written.push(...inner.written.map((p) => at(st, p)));
      f.deleted.push(...inner.deleted.map((p) => at(st, p)));
      f.read.push(...inner.read.map((p) => at(st, p)));
    }
  }
}

function editor(args: Record<string, unknown>, f: StepFacts, st: State, obs: string): void {
  const cmd = str(args.command) ?? "";
  const path = str(args.path) ?? "";
  const head = obs.slice(0, 2000);
  if (cmd === "view") {
    const dir = /^Here's the files and directories/m.test(head) || (!/^Here's the result of running `cat -n`/m.test(head) && !/\.\w+$/.test(path));
    f.kinds.push(dir ? "navigate" : "view");
    if (path && !dir) f.read.push(at(st, path));
    return;
  }
  const failed = /^ERROR:|No replacement was performed|did not appear verbatim|is not a valid|already exists|does not exist/m.test(head);
  f.kinds.push(cmd === "create" ? "create" : "edit");
  if (failed) f.failedEdit = true;
  else if (path) {
    const p = at(st, path);
    f.written.push(p);
    if (cmd === "create") st.files.set(repoPath(p), str(args.file_text) ?? "");
    else st.files.delete(repoPath(p));
  }
  if (path) st.open = at(st, path);
}

/** Files whose code a search tool's result showed (AutoCodeRover `<file>` tags, Moatless spans). */
function shownFiles(obs: string): string[] {
  const out = new Set<string>();
  // `<file>([^<\n]+)</file>\s*(?:<class>|<func>|<code>)`, found from each `<file>`
  for (let k = obs.indexOf("<file>"); k >= 0; ) {
    const start = k + 6;
    let end = start;
    while (end < obs.length && obs[end] !== "<" && obs[end] !== "\n") end++;
    let next = start;
    if (end > start && obs.startsWith("</file>", end)) {
      let j = end + 7;
      while (j < obs.length && SPACE.test(obs[j])) j++;
      if (obs.startsWith("<class>", j) || obs.startsWith("<func>", j) || obs.startsWith("<code>", j)) {
        out.add(obs.slice(start, end));
        next = j + (obs[j + 1] === "c" && obs[j + 2] === "l" ? 7 : 6);
      }
    }
    k = obs.indexOf("<file>", next);
  }
  // `"file_path":\s*"([^"]+)"`, found from each `"file_path":`
  for (let k = obs.indexOf('"file_path":'); k >= 0; ) {
    let j = k + 12;
    while (j < obs.length && SPACE.test(obs[j])) j++;
    let next = k + 1;
    if (obs[j] === '"') {
      const close = obs.indexOf('"', j + 1);
      if (close > j + 1) {
        out.add(obs.slice(j + 1, close));
        next = close + 1;
      }
    }
    k = obs.indexOf('"file_path":', next);
  }
  return [...out];
}

/** `open "path" 120` -> `path`; n = which argument (quotes respected, first line only). */
function firstArg(action: string, n = 1): string | null {
  const line = action.trim().split("\n", 1)[0];
  // (the words up to the n-th only)
  let i = 0;
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) if (i++ === n) return (m[1] ?? m[2] ?? m[3]) || null;
  return null;
}

/** Paths as repository paths, each once, in order, without words that are not paths (punctuation, unexpanded `$var` / `$(cmd)`). */
function norm(xs: string[]): string[] {
  if (!xs.length) return xs;
  if (xs.length === 1) {
    // (most steps name one path, most often one to keep as it is)
    const p = repoPath(xs[0]);
    if (!keep(p)) return [];
    return p === xs[0] ? xs : [p];
  }
  const out: string[] = [];
  const seen = xs.length > 16 ? new Set<string>() : null;
  for (const x of xs) {
    const p = repoPath(x);
    if (!keep(p)) continue;
    if (seen ? seen.has(p) : out.includes(p)) continue;
    seen?.add(p);
    out.push(p);
  }
  return out;
}

/** Whether a repository path is a path (not empty, `.`, punctuation or an unexpanded `$var` / `$(cmd)`). */
function keep(p: string): boolean {
  return p !== "" && p !== "." && /\w/.test(p) && !/[$`]/.test(p);
}

const RANK = new Map(PRIORITY.map((k, i) => [k, i]));

function finish(f: StepFacts): StepFacts {
  f.read = norm(f.read);
  f.written = norm(f.written);
  f.deleted = norm(f.deleted);
  if (!f.kinds.length) f.kinds.push("other");
  // the kinds, each once, and the most significant of them
  const kinds: StepKind[] = [];
  let best = PRIORITY.length - 1;
  for (const k of f.kinds) {
    if (kinds.includes(k)) continue;
    kinds.push(k);
    const r = RANK.get(k) ?? best;
    if (r < best) best = r;
  }
  f.kinds = kinds;
  f.kind = PRIORITY[best];
  if (f.observed.marks.includes("format_error") && f.kind === "think") f.kind = "other";
  return f;
}
