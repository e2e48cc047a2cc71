/**
 * Claude Code's tool vocabulary mapped to the canonical action (`src/types/action.ts`).
 *
 * Covers the built-in tools of the 1.x and 2.x clients (names as the session log records them)
 * and the `mcp__ide__executeCode` tool of the IDE integration; any other MCP tool
 * (`mcp__<server>__<tool>`) and any unknown name is "other". A call Claude Code refused or the
 * user rejected (see `markers.ts`) keeps its kind and, for file changes, gets `refused: true`.
 */
import type { Action } from "../../types/action.js";
import type { ToolMapper } from "../types.js";
import { notRun, TOOL_ERROR } from "./markers.js";

type Args = Record<string, unknown> | null;
type ToolMap = (args: Args, observation: string | null) => Action;

function str(args: Args, key: string): string | undefined {
  const v = args?.[key];
  return typeof v === "string" && v ? v : undefined;
}

function withPath(a: Action, path: string | undefined): Action {
  if (path !== undefined) a.path = path;
  return a;
}

/** A file change: refused when Claude Code or the user stopped it before it touched the file. */
function change(kind: "edit" | "create", path: string | undefined, observation: string | null): Action {
  const a = withPath({ kind }, path);
  if (notRun(observation)) a.refused = true;
  return a;
}

/** File paths listed by Glob, or by Grep in its default files-with-matches mode. */
function listedFiles(observation: string | null): string[] | undefined {
  if (observation === null || notRun(observation)) return undefined;
  const files: string[] = [];
  for (const raw of observation.split("\n")) {
    const line = raw.trim();
    if (!line || /^Found \d+ files?\b/.test(line) || /^No (?:files|matches) found/.test(line) || line.startsWith("("))
      continue;
    files.push(line);
  }
  return files.length ? files : undefined;
}

function search(path: string | undefined, files: string[] | undefined): Action {
  const a = withPath({ kind: "search" }, path);
  if (files) a.files = files;
  return a;
}

const other: ToolMap = () => ({ kind: "other" });
const plan: ToolMap = () => ({ kind: "plan" });

/** Write creates a file, or overwrites one that exists (its result says which). */
const write: ToolMap = (args, obs) => {
  const path = str(args, "file_path");
  const overwrote =
    obs !== null &&
    (/^\s*The file \S[\s\S]*? has been (?:updated|overwritten)/.test(obs) ||
      (TOOL_ERROR.test(obs) && /has not been read yet|modified since read/.test(obs)));
  if (overwrote) return change("edit", path, obs);
  const a = change("create", path, obs);
  const content = args?.content;
  if (typeof content === "string") a.content = content;
  return a;
};

const edit: ToolMap = (args, obs) => change("edit", str(args, "file_path"), obs);

const handoff: ToolMap = (args) => ({ kind: "handoff", to: str(args, "subagent_type") ?? "general-purpose" });

const TOOLS: Record<string, ToolMap> = {
  Bash: () => ({ kind: "shell" }),
  Read: (args) => withPath({ kind: "view" }, str(args, "file_path")),
  NotebookRead: (args) => withPath({ kind: "view" }, str(args, "notebook_path")),
  LS: (args) => withPath({ kind: "view", dir: true }, str(args, "path")),
  Glob: (args, obs) => search(str(args, "path"), listedFiles(obs)),
  Grep: (args, obs) => {
    const mode = str(args, "output_mode") ?? "files_with_matches";
    return search(str(args, "path"), mode === "files_with_matches" ? listedFiles(obs) : undefined);
  },
  Edit: edit,
  MultiEdit: edit,
  NotebookEdit: (args, obs) => change("edit", str(args, "notebook_path"), obs),
  Write: write,
  TodoWrite: plan,
  TodoRead: plan,
  TaskCreate: plan,
  TaskUpdate: plan,
  TaskList: plan,
  TaskGet: plan,
  ExitPlanMode: plan,
  exit_plan_mode: plan,
  EnterPlanMode: plan,
  Task: handoff,
  Agent: handoff,
  // reading or stopping a background command or sub-agent: no canonical kind
  TaskOutput: other,
  TaskStop: other,
  BashOutput: other,
  KillShell: other,
  KillBash: other,
  // the web, the user, skills and slash commands: outside the code, no canonical kind
  WebFetch: other,
  WebSearch: other,
  AskUserQuestion: other,
  Skill: other,
  SlashCommand: other,
  ListMcpResourcesTool: other,
  ReadMcpResourceTool: other,
  mcp__ide__executeCode: (args) => {
    const a: Action = { kind: "code", lang: "python" };
    const code = str(args, "code");
    if (code !== undefined) a.code = code;
    return a;
  },
};

/** The canonical action of one call (unknown tools, other MCP tools included, are "other"). */
export function actionFor(name: string, args: Args, observation: string | null): Action {
  const map = Object.prototype.hasOwnProperty.call(TOOLS, name) ? TOOLS[name] : other;
  return map(args, observation);
}

/** The vocabulary as the registry takes it: each tool from the step's arguments and result. */
export const tools: Record<string, ToolMapper> = Object.fromEntries(
  Object.entries(TOOLS).map(([name, map]): [string, ToolMapper] => [name, (s) => map(s.args, s.observation)]),
);
