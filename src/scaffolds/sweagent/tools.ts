/**
 * SWE-agent's tools: the windowed file viewer and editor (`open`, `goto`, `scroll_*`, `edit`,
 * `insert`, `append`, `create`), its search commands, `submit`, the `exit_*` pseudo-actions it
 * writes when a run stops, and, in 1.x, `bash` and `str_replace_editor`.
 */
import type { Action, ExitReason } from "../../types/action.js";
import type { Step } from "../../types/trajectory.js";
import { editor, nthArg, shell, submit } from "../common/tools.js";
import { marked, scanned } from "../common/markers.js";
import type { ToolMapper } from "../types.js";
import { markers } from "./markers.js";

/** `[File: /repo/path.py (120 lines total)]`: the file a file command showed or changed. */
function shownFile(obs: string): string | null {
  const m = /^\[File: ([^\n]+?) \(\d+ lines total\)\]/m.exec(obs.length > 3000 ? obs.slice(0, 3000) : obs);
  return m ? m[1] : null;
}

/** `open path [line]`: shows the file and makes it the open file (unless it does not exist). */
const open: ToolMapper = (s) => {
  const obs = s.observation ?? "";
  const shown = shownFile(obs);
  const asked = nthArg(s.action);
  const path = shown ?? asked;
  const missing = /not found|No such file or directory|does not exist|can't open file/.test(obs);
  const act: Action = { kind: "view", ...(path ? { path } : {}) };
  if (shown || (asked && !missing)) act.opens = true;
  return act;
};

/** A move within the open file (`goto`, `scroll_*`, `filemap`): shows (part of) it. */
function window(paging: boolean): ToolMapper {
  return (s) => {
    const shown = shownFile(s.observation ?? "");
    return {
      kind: "view",
      ...(shown ? { path: shown, opens: true } : {}),
      onOpen: true,
      ...(paging ? { paging } : {}),
    };
  };
}

const searchFile: ToolMapper = (s) => {
  const obs = (s.observation ?? "").slice(0, 1000);
  const file = /^(?:Found \d+ matches|No matches found) for ".*" in (\S+?):?$/m.exec(obs)?.[1] ?? nthArg(s.action, 2);
  return { kind: "search", ...(file ? { path: file } : {}), onOpen: true };
};

const search: ToolMapper = () => ({ kind: "search" });

const create: ToolMapper = (s) => {
  const obs = s.observation ?? "";
  const path = shownFile(obs) ?? nthArg(s.action);
  if (/^Error: File .* already exists/m.test(obs)) return { kind: "create", ...(path ? { path } : {}), refused: true };
  return { kind: "create", ...(path ? { path, opens: true } : {}), content: "" };
};

const EDIT_FAILED = /^Usage: edit|^COMMAND FAILED TO EXECUTE|^No file open|^Error: /m;

/** `edit 10:12 <text> end_of_edit` (and `insert`, `append`): changes the open file. */
const edit: ToolMapper = (s: Step) => {
  const obs = s.observation ?? "";
  if (marked(scanned(obs), markers.edit_rejected!) || EDIT_FAILED.test(obs.slice(0, 500)))
    return { kind: "edit", onOpen: true, refused: true };
  const shown = shownFile(obs);
  return {
    kind: "edit",
    ...(shown ? { path: shown } : {}),
    onOpen: true,
    opens: true,
    content: s.action.replace(/^\w+[^\n]*\n/, ""),
    append: true,
  };
};

const EXIT_REASON: Record<string, ExitReason> = {
  exit_cost: "cost_limit",
  exit_context: "context_limit",
  exit_format: "format_error",
  exit_forfeit: "gave_up",
};

/** `exit_cost`, `exit_context`, `exit_format`, `exit_forfeit`, `exit_error`...: the run stopped. */
const exit: ToolMapper = (s) => ({ kind: "exit", reason: EXIT_REASON[s.tool] ?? "error" });

export const tools: Record<string, ToolMapper> = {
  bash: shell,
  open,
  goto: window(false),
  scroll_up: window(true),
  scroll_down: window(true),
  filemap: window(false),
  view_image: window(false),
  search_dir: search,
  search_file: searchFile,
  find_file: search,
  create,
  edit,
  insert: edit,
  append: edit,
  submit,
  str_replace_editor: editor,
  "exit_*": exit,
};
