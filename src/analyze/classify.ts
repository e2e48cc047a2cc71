/**
 * Step analysis: every step of a trajectory classified (view, search, edit,
 * test, run, git, install, submit, think, ...) with the files it read and
 * wrote, from shell commands (parsed with a real bash parser) and from the
 * scaffolds' own tools (SWE-agent, OpenHands, Moatless, AutoCodeRover).
 */
import type { Step, Trajectory } from "../types/trajectory.js";
import { observe, type Observed } from "./observe.js";
import { repoPath } from "./paths.js";
import { parseShell } from "./shell.js";
import { commandEffect, type CommandEffect, type StepKind } from "./shellkinds.js";

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
  /** an edit the scaffold refused or that failed (linter rejection, no match) */
  failedEdit: boolean;
}

const PRIORITY: StepKind[] = [
  "submit", "exit", "edit", "create", "delete", "test", "run", "revert", "install", "env", "git", "search", "view", "plan", "navigate", "think", "other",
];

const SWE_VIEW = new Set(["open", "goto", "scroll_up", "scroll_down", "filemap", "view_image"]);
const SWE_SEARCH = new Set(["search_dir", "search_file", "find_file"]);
const SWE_EDIT = new Set(["edit", "insert", "append"]);
const MOATLESS_PLAN = new Set(["PlanToCode", "request_for_change", "ClarifyCodeChange", "specify_lines"]);
const SHELL_TOOLS = new Set(["bash", "execute_bash", "run", "cmd", "shell", "terminal", "execute_command"]);

/** Mutable state carried across steps (working directory, SWE-agent's open file). */
interface State {
  cwd: string | null;
  open: string | null;
  lastPlanned: string | null;
}

/** Scaffolds that run every action in a fresh subshell, so `cd` does not carry over. */
const FRESH_SHELL = new Set(["mini-swe-agent"]);

export function classifySteps(t: Trajectory): StepFacts[] {
  const state: State = { cwd: null, open: null, lastPlanned: null };
  const fresh = FRESH_SHELL.has(t.source.format);
  return t.steps.map((s) => {
    if (fresh) state.cwd = null;
    return classifyStep(s, state);
  });
}

function blank(s: Step): StepFacts {
  return {
    index: s.index, kind: "other", kinds: [], tool: s.tool, commands: [], read: [], written: [], deleted: [],
    test: null, script: null, destructive: [], env: [], observed: observe(s.observation), failedEdit: false,
  };
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function classifyStep(s: Step, st: State): StepFacts {
  const f = blank(s);
  const args = s.args ?? {};
  const tool = s.tool;
  const marks = f.observed.marks;
  if (SHELL_TOOLS.has(tool) || (tool !== "none" && s.args === null && /\s/.test(s.action) && !SWE_EDIT.has(tool))) {
    shell(s.action, f, st);
  } else if (tool === "str_replace_editor" || tool === "edit_file" || tool === "file_editor") {
    editor(args, f, st, s.observation ?? "");
  } else if (SWE_VIEW.has(tool)) {
    f.kinds.push("view");
    const path = tool === "open" ? firstArg(s.action) : null;
    if (path) st.open = path;
    if (st.open) f.read.push(st.open);
  } else if (SWE_SEARCH.has(tool)) {
    f.kinds.push("search");
    if (tool === "search_file") f.read.push(...(firstArg(s.action, 2) ? [firstArg(s.action, 2)!] : st.open ? [st.open] : []));
  } else if (tool === "create") {
    const path = firstArg(s.action);
    f.kinds.push("create");
    if (path) {
      f.written.push(path);
      st.open = path;
    }
  } else if (SWE_EDIT.has(tool)) {
    f.kinds.push("edit");
    if (marks.includes("edit_rejected") || /^Usage: edit/m.test(s.observation ?? "")) f.failedEdit = true;
    else if (st.open) f.written.push(st.open);
  } else if (tool === "submit" || tool === "finish" || tool === "Finished") f.kinds.push("submit");
  else if (tool === "reject" || tool === "Rejected" || /^exit_/.test(tool)) f.kinds.push("exit");
  else if (tool === "think" || tool === "DecideRelevance") f.kinds.push("think");
  else if (tool === "none") f.kinds.push(marks.includes("format_error") ? "other" : "think");
  else if (tool === "search_replace" || tool === "EditCode" || tool === "write_patch") {
    f.kinds.push("edit");
    const files = tool === "write_patch" ? [...String(args.patch ?? "").matchAll(/<file>([^<]+)<\/file>/g)].map((m) => m[1]) : [str(args.file_path) ?? st.lastPlanned ?? ""];
    const obs = s.observation ?? "";
    if (marks.includes("edit_rejected") || /^(?:Failed|Couldn't|Could not|No changes|The code in the replace tag)/m.test(obs) || /did not apply|Failed to apply/i.test(obs)) f.failedEdit = true;
    else f.written.push(...files.filter(Boolean));
  } else if (tool === "search" || tool === "SearchCode" || tool.startsWith("search_") || tool === "bug_locations") {
    f.kinds.push(tool === "bug_locations" ? "plan" : "search");
    const file = str(args.file_name) ?? str(args.file_path);
    if (file) f.read.push(file);
    // code these tools return is code the agent has seen
    f.read.push(...shownFiles(s.observation ?? ""));
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
  } else if (tool === "execute_ipython_cell") {
    f.kinds.push("run");
    f.script = "ipython";
  } else f.kinds.push("other");
  return finish(f, st);
}

function shell(source: string, f: StepFacts, st: State): void {
  let cmds: ReturnType<typeof parseShell>;
  try {
    cmds = parseShell(source);
  } catch {
    cmds = [];
  }
  for (const c of cmds) {
    const e = commandEffect(c);
    f.commands.push(c.name);
    merge(f, e, st);
  }
  if (!cmds.length) f.kinds.push(source.trim() ? "other" : "think");
  if (f.kinds.includes("edit") && f.observed.marks.includes("edit_rejected")) f.failedEdit = true;
}

function merge(f: StepFacts, e: CommandEffect, st: State): void {
  if (e.cd !== undefined) st.cwd = e.cd.startsWith("/") ? e.cd : st.cwd ? `${st.cwd}/${e.cd}` : e.cd;
  const abs = (p: string) => (p.startsWith("/") || !st.cwd ? p : `${st.cwd}/${p}`);
  f.kinds.push(...e.kinds);
  f.read.push(...e.read.map(abs));
  f.written.push(...e.written.map(abs));
  f.deleted.push(...e.deleted.map(abs));
  if (e.test && !f.test) f.test = e.test;
  if (e.script && !f.script) f.script = e.script;
  if (e.destructive) f.destructive.push(e.destructive);
  if (e.env) f.env.push(e.env);
}

function editor(args: Record<string, unknown>, f: StepFacts, st: State, obs: string): void {
  const cmd = str(args.command) ?? "";
  const path = str(args.path) ?? "";
  if (cmd === "view") {
    f.kinds.push(/\.[\w]+$/.test(path) ? "view" : "navigate");
    if (path) f.read.push(path);
    return;
  }
  const failed = /^ERROR:|No replacement was performed|did not appear verbatim|is not a valid|already exists|does not exist/m.test(obs.slice(0, 2000));
  f.kinds.push(cmd === "create" ? "create" : "edit");
  if (failed) f.failedEdit = true;
  else if (path) f.written.push(path);
  st.open = path || st.open;
}

/** Files whose code a search tool's result showed (AutoCodeRover `<file>` tags, Moatless spans). */
function shownFiles(obs: string): string[] {
  const out = new Set<string>();
  for (const m of obs.matchAll(/<file>([^<\n]+)<\/file>\s*(?:<class>|<func>|<code>)/g)) out.add(m[1]);
  for (const m of obs.matchAll(/"file_path":\s*"([^"]+)"/g)) out.add(m[1]);
  return [...out];
}

/** `open path 120` -> `path`; n = which argument. */
function firstArg(action: string, n = 1): string | null {
  const words = action.trim().split(/\s+/);
  const w = words[n];
  return w ? w.replace(/^["']|["']$/g, "") : null;
}

function finish(f: StepFacts, st: State): StepFacts {
  const norm = (xs: string[]) => [...new Set(xs.map((p) => repoPath(p, st.cwd)).filter((p) => p && p !== "."))];
  f.read = norm(f.read);
  f.written = norm(f.written);
  f.deleted = norm(f.deleted);
  if (!f.kinds.length) f.kinds.push("other");
  f.kinds = [...new Set(f.kinds)];
  f.kind = PRIORITY.find((k) => f.kinds.includes(k)) ?? "other";
  if (f.observed.marks.includes("format_error") && f.kind === "think") f.kind = "other";
  return f;
}
