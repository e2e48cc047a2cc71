/**
 * OpenHands' tools: `execute_bash` (`run` as an action type in older event logs), the
 * `str_replace_editor` file editor (and the LLM-based `edit_file`), IPython cells that may call
 * the agent skills (`open_file`, `edit_file_by_replace`, `search_dir`...), `think`, `finish`.
 */
import type { Action, ActionKind } from "../../types/action.js";
import { editor, shell, str, submit, think } from "../common/tools.js";
import type { ToolMapper } from "../types.js";

/** Agent skills called from IPython cells, by what they do to their file argument. */
const SKILL_EDIT =
  /\b(edit_file_by_replace|insert_content_at_line|append_file|create_file)\(\s*(?:file_name\s*=\s*)?r?(["'])([^"'\n]+)\2/g;
const SKILL_VIEW =
  /\b(open_file|search_file)\(\s*(?:[^,()]*,\s*)?(?:file_path\s*=\s*|path\s*=\s*)?r?(["'])([^"'\n]+)\2/g;

/** An IPython cell: Python code, possibly calling the agent skills. */
const ipython: ToolMapper = (s) => {
  const code = str(s.args?.code) ?? s.action;
  const act: Action = { kind: "code", lang: "python", ...(code !== s.action ? { code } : {}) };
  const used: { kind: ActionKind; path?: string }[] = [];
  for (const m of code.matchAll(SKILL_EDIT))
    used.push({ kind: m[1] === "create_file" ? "create" : "edit", path: m[3] });
  for (const m of code.matchAll(SKILL_VIEW)) used.push({ kind: m[1] === "open_file" ? "view" : "search", path: m[3] });
  if (/\b(search_dir|find_file)\(/.test(code)) used.push({ kind: "search" });
  if (used.length) {
    act.tools = used;
    // a cell that only calls skills runs no code of the project
    if (!/print\(|assert/.test(code.replace(/\b\w+\([^()]*\)/g, ""))) act.toolsOnly = true;
  }
  return act;
};

export const tools: Record<string, ToolMapper> = {
  execute_bash: shell,
  run: shell,
  str_replace_editor: editor,
  edit_file: editor,
  execute_ipython_cell: ipython,
  run_ipython: ipython,
  ipython,
  think,
  finish: submit,
};
