/**
 * Step analysis: every step of a trajectory classified (view, search, edit, test, run, git,
 * install, submit, think, ...) with the files it read and wrote, from its canonical action
 * (`src/types/action.ts`, set by the scaffold that wrote the trajectory) and, for shell
 * scripts and programs, from what their commands do (parsed with a real bash parser).
 */
import { posix } from "node:path";
import { actionsOf } from "../scaffolds/actions.js";
import type { Action, ActionKind } from "../types/action.js";
import type { Step, Trajectory } from "../types/trajectory.js";
import { scanned } from "../scaffolds/common/markers.js";
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
  /** the kind of the step's canonical action */
  action: ActionKind;
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
  "submit",
  "exit",
  "edit",
  "create",
  "delete",
  "test",
  "run",
  "revert",
  "install",
  "env",
  "git",
  "search",
  "view",
  "plan",
  "handoff",
  "navigate",
  "think",
  "other",
];

/** Mutable state carried across steps. */
interface State {
  /** working directory of the shell, null = the repository root */
  cwd: null | string;
  /** the repository's folder when the trajectory names one (`Trajectory.root`), with a slash after it */
  root: string | null;
  /** the file open in the scaffold's editor (or the file of the last planned change), as resolved when it was opened */
  open: string | null;
  /** content of files the agent wrote whole (a later `python f` runs it), by repository path */
  files: Map<string, string>;
  /**
   * what running such a file's code does, by path, with the code it was worked out for (a
   * reproduction is run again and again; kept by path, as keeping it by code would hash the code)
   */
  runs: Map<string, { code: string; effect: CommandEffect }>;
  /** repository paths the steps so far read (an edit script that rewrites one of them edits existing code) */
  seen: Set<string>;
}

export function classifySteps(t: Trajectory, acts: Action[] = actionsOf(t)): StepFacts[] {
  const state: State = {
    cwd: null,
    root: t.root ? t.root + "/" : null,
    open: null,
    files: new Map(),
    runs: new Map(),
    seen: new Set(),
  };
  // what does not depend on the state, each in one pass over the steps (a pass that runs one
  // piece of code many times runs faster than steps that each run all of them): the
  // observations, the shell steps' commands, then what those commands do
  const observed = t.steps.map((s) => observe(s.observation));
  // responses the scaffold refused for their format: none of their actions ran
  const refused = new Set<number>();
  t.steps.forEach((s, i) => {
    if (observed[i].marks.includes("format_error")) refused.add(s.message_index);
  });
  const commands = t.steps.map((s, i) =>
    acts[i].kind === "shell" ? shellCommands(s.action, s.observation ?? "", acts[i].checked === true) : null,
  );
  const effects = commands.map((cmds) => (cmds ? cmds.map(commandEffect) : null));
  return t.steps.map((s, i) => {
    const act = acts[i];
    if (act.fresh) state.cwd = null;
    const obs = observed[i];
    const sh = commands[i] ? { cmds: commands[i]!, effects: effects[i]! } : null;
    const notRun =
      refused.has(s.message_index) &&
      (obs.marks.includes("format_error") || s.observation === null) &&
      act.kind !== "none";
    const f = notRun ? unexecuted(s, act, obs, state, sh) : classifyStep(s, act, obs, state, sh);
    if (act.after) {
      if (act.after.open !== undefined) state.open = act.after.open;
      if (act.after.cwd !== undefined) state.cwd = act.after.cwd;
    }
    for (const p of f.read) state.seen.add(p);
    return f;
  });
}

function blank(s: Step, act: Action, observed: Observed): StepFacts {
  return {
    index: s.index,
    kind: "other",
    kinds: [],
    action: act.kind,
    commands: [],
    read: [],
    written: [],
    deleted: [],
    test: null,
    script: null,
    destructive: [],
    env: [],
    observed,
    failedEdit: false,
    executed: true,
  };
}

/**
 * A path as the step named it, made absolute against the current directory when it is relative
 * (and relative to the repository's folder when the trajectory names one and the path is in it).
 */
function at(st: State, p: string): string {
  let s = p.trim();
  // (the quotes stripped only when there are any: most paths have none)
  if (s.startsWith('"') || s.startsWith("'") || s.endsWith('"') || s.endsWith("'")) s = s.replace(/^["']|["']$/g, "");
  s = !s || s.startsWith("/") || !st.cwd ? s : posix.join(st.cwd, s);
  if (st.root && s.startsWith("/"))
    s = s === st.root.slice(0, -1) ? "." : s.startsWith(st.root) ? s.slice(st.root.length) : s;
  return s;
}

/** A step whose action the scaffold refused (format error): nothing ran. */
function unexecuted(s: Step, act: Action, obs: Observed, st: State, sh: ShellStep | null): StepFacts {
  const f = blank(s, act, obs);
  f.executed = false;
  // what it would have been, to tell a refused edit from a refused search
  const probe = classifyStep(s, act, obs, { ...st, files: new Map(st.files), seen: new Set(st.seen) }, sh);
  f.commands = probe.commands;
  f.kinds = ["other"];
  f.kind = "other";
  // a refused call of an edit tool is an edit attempt that failed; a shell script in a refused
  // response is not: the response failed for its format, whatever its scripts would have done
  f.failedEdit = s.observation !== null && (act.kind === "edit" || act.kind === "create" || act.kind === "delete");
  return f;
}

/** A shell step's commands and what each does. */
interface ShellStep {
  cmds: ShellCommand[];
  effects: CommandEffect[];
}

/** `sh`: the step's shell commands and effects when its action is a shell script. */
function classifyStep(s: Step, act: Action, observed: Observed, st: State, sh: ShellStep | null): StepFacts {
  const f = blank(s, act, observed);
  switch (act.kind) {
    case "shell":
      if (sh) shell(s.action, sh, f, st, s.observation ?? "");
      break;
    case "code":
      program(act, s, f, st);
      break;
    case "view":
      view(act, f, st);
      break;
    case "search":
      search(act, f, st);
      break;
    case "edit":
    case "create":
    case "delete":
      write(act, f, st);
      break;
    case "plan":
      f.kinds.push("plan");
      for (const p of act.files ?? []) f.read.push(p);
      if (act.path !== undefined) {
        const p = at(st, act.path);
        f.read.push(p);
        if (act.opens) st.open = p;
      }
      break;
    case "none":
      f.kinds.push(observed.marks.includes("format_error") ? "other" : "think");
      break;
    case "think":
    case "handoff":
    case "submit":
    case "exit":
    case "other":
      f.kinds.push(act.kind);
      break;
  }
  return finish(f);
}

/** Reading a file (or, with `dir`, listing a folder). */
function view(act: Action, f: StepFacts, st: State): void {
  if (act.dir) {
    f.kinds.push("navigate");
    return;
  }
  f.kinds.push("view");
  const target = act.path !== undefined ? at(st, act.path) : act.onOpen ? st.open : null;
  if (target) f.read.push(target);
  for (const p of act.files ?? []) f.read.push(p);
  if (act.opens && act.path !== undefined) st.open = target;
}

function search(act: Action, f: StepFacts, st: State): void {
  f.kinds.push("search");
  const target = act.path ?? (act.onOpen ? st.open : null);
  if (target) f.read.push(at(st, target));
  for (const p of act.files ?? []) f.read.push(p);
}

/** An edit, a new file or a deletion through a scaffold's editor. */
function write(act: Action, f: StepFacts, st: State): void {
  f.kinds.push(act.kind as StepKind);
  const named = act.path !== undefined ? at(st, act.path) : null;
  if (act.refused) f.failedEdit = true;
  else {
    const target = named ?? (act.onOpen && st.open ? at(st, st.open) : null);
    if (target) {
      const key = repoPath(target);
      if (act.kind === "delete") f.deleted.push(target);
      else f.written.push(target);
      // what the agent's own files hold (a later `python f` runs it), as far as it is known
      if (act.kind === "create") st.files.set(key, act.content ?? "");
      else if (act.append) {
        const had = st.files.get(key);
        if (had !== undefined) st.files.set(key, had + "\n" + (act.content ?? ""));
      } else st.files.delete(key);
      if (act.opens) st.open = target;
    }
    for (const p of act.files ?? []) f.written.push(p);
  }
  if (act.opens && named && act.refused) st.open = named;
}

/** A program the scaffold runs (an OpenHands IPython cell), with the scaffold's own tools it calls. */
function program(act: Action, s: Step, f: StepFacts, st: State): void {
  const e = pythonEffect(act.code ?? s.action, "ipython");
  for (const u of act.tools ?? []) {
    e.kinds.push(u.kind as StepKind);
    if (u.path === undefined) continue;
    if (u.kind === "edit" || u.kind === "create") e.written.push(u.path);
    else e.read.push(u.path);
  }
  if (act.toolsOnly) {
    e.kinds = e.kinds.filter((k) => k !== "run");
    delete e.script;
  }
  merge(f, e, st);
  if (f.kinds.includes("edit") && f.observed.marks.includes("edit_rejected")) f.failedEdit = true;
}

/**
 * Bash refusing a script for its syntax, as the first thing the action printed
 * (`/bin/bash: line 1: syntax error near unexpected token `('`, mini-swe-agent's
 * `bash: -c: line 1: ...`, `line 2: unexpected EOF while looking for matching `''`).
 */
const BASH_SYNTAX =
  /^(?:<returncode>\d+<\/returncode>\s*<output>\s*)?(?:\/bin\/)?bash: (?:-c: )?line (\d+): (?:syntax error|unexpected EOF while looking for matching)/;

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

function shell(source: string, sh: ShellStep, f: StepFacts, st: State, obs: string): void {
  const { cmds, effects } = sh;
  // the Python programs of the step that rewrite files it had read before (edit scripts)
  const editors: Editor[] = [];
  let patcher = false;
  for (let i = 0; i < cmds.length; i++) {
    f.commands.push(cmds[i].name);
    merge(f, effects[i], st, editors);
    const inline = inlineEditor(cmds[i], effects[i], st);
    if (inline) editors.push(inline);
    if (effects[i].kinds.includes("edit") && PATCHERS.has(cmds[i].name)) patcher = true;
  }
  if (!cmds.length) f.kinds.push(source.trim() ? "other" : "think");
  if (f.kinds.includes("edit") && f.observed.marks.includes("edit_rejected")) f.failedEdit = true;
  if (editors.length && (crashed(f.observed, obs, editors) || foundNothing(obs))) f.failedEdit = true;
  if (patcher && obs.length < 4000 && PATCH_REFUSED.test(obs)) f.failedEdit = true;
}

/** Commands that edit a file from a script or a diff, and the errors they stop with (nothing, or only part, applied). */
const PATCHERS = new Set(["sed", "perl", "patch", "git"]);
const PATCH_REFUSED =
  /^(?:sed: (?:-e expression #\d+|can't read|couldn't)|patch: \*\*\*\* |can't find file to patch|error: (?:patch failed|corrupt patch|.*: patch does not apply))|^Hunk #\d+ FAILED/m;

/** A Python program that edits files the agent had read, by the name a traceback gives it (`<stdin>`, `<string>`, its path). */
type Editor = string;

/** Whether a program's writes rewrite a file an earlier step read (test scripts write new files: settings, fixtures). */
function rewrites(e: CommandEffect, st: State): boolean {
  return e.written.some((p) => st.seen.has(repoPath(at(st, p))));
}

/** `python -c CODE` / `python - <<EOF` that rewrites files: `<string>` / `<stdin>`, as Python names them in a traceback. */
function inlineEditor(cmd: ShellCommand, e: CommandEffect, st: State): Editor | null {
  if (!e.kinds.includes("edit") || !/^python[\d.]*$/.test(cmd.name) || !rewrites(e, st)) return null;
  if (cmd.args.includes("-c")) return "<string>";
  return cmd.heredoc !== undefined ? "<stdin>" : null;
}

/**
 * Whether one of the step's editing programs crashed: a traceback whose outermost frame is the
 * program (`File "<stdin>"`, `File "/testbed/fix.py"`), or a syntax error in it. Such an edit
 * stopped before (or while) writing: a failed edit.
 */
function crashed(observed: Observed, obs: string, editors: Editor[]): boolean {
  if (!observed.marks.includes("traceback") && !observed.marks.includes("syntax_error")) return false;
  const t = scanned(obs);
  const ours = (file: string) => editors.some((e) => file === e || posix.basename(file) === posix.basename(e));
  for (const m of t.matchAll(/Traceback \(most recent call last\):\s*\n\s*File "([^"\n]+)"/g))
    if (ours(m[1])) return true;
  for (const m of t.matchAll(
    /^\s*File "([^"\n]+)", line \d+\n(?:[^\n]*\n){0,4}?\s*(?:SyntaxError|IndentationError|TabError):/gm,
  ))
    if (ours(m[1])) return true;
  return false;
}

/** An edit script's own report that it found nothing to change ("Pattern not found", "Could not find old method"), and no report of a change. */
function foundNothing(obs: string): boolean {
  if (obs.length > 2000) return false;
  return (
    /\b(?:could ?n[o']t|can ?n[o']t|unable to) (?:find|locate|match)\b|\bnot found\b|\bno match/i.test(obs) &&
    !/\b(?:success\w*|added|applied|patched|updated|fixed|modified|replaced|inserted|changed|wrote|written|done)\b/i.test(
      obs,
    )
  );
}

function merge(f: StepFacts, e: CommandEffect, st: State, editors?: Editor[]): void {
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
      if (inner.kinds.includes("edit")) {
        f.kinds.push("edit");
        if (editors && rewrites(inner, st)) editors.push(e.script);
      }
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
