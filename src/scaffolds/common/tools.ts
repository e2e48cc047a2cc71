/**
 * Tools several scaffolds share: shell tools and the file editor with `view` / `create` /
 * `str_replace` / `insert` commands (OpenHands, SWE-agent 1.x, Anthropic's editor tool, and the
 * datasets made from them).
 */
import type { Action } from "../../types/action.js";
import type { Step } from "../../types/trajectory.js";
import type { ToolMapper } from "../types.js";

export function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** A shell tool: the step's action is the script. */
export const shell: ToolMapper = () => ({ kind: "shell" });

const LISTING = /^Here's the files and directories/m;
const FILE_SHOWN = /^Here's the result of running `cat -n`/m;
const EDIT_FAILED =
  /^ERROR:|No replacement was performed|did not appear verbatim|is not a valid|already exists|does not exist/m;

/** The file editor: `view` (a file, or a folder's listing), `create`, and edits (`str_replace`, `insert`, `undo_edit`...). */
export const editor: ToolMapper = (s: Step): Action => {
  const args = s.args ?? {};
  const cmd = str(args.command) ?? "";
  const path = str(args.path) ?? "";
  const head = (s.observation ?? "").slice(0, 2000);
  const named = path ? { path } : {};
  if (cmd === "view") {
    const dir = LISTING.test(head) || (!FILE_SHOWN.test(head) && !/\.\w+$/.test(path));
    return { kind: "view", ...named, ...(dir ? { dir } : {}) };
  }
  const act: Action = { kind: cmd === "create" ? "create" : "edit", ...named };
  if (EDIT_FAILED.test(head)) act.refused = true;
  if (cmd === "create") act.content = str(args.file_text) ?? "";
  // the editor keeps the file it last touched at hand, whether the change applied or not
  if (path) act.opens = true;
  return act;
};

/** `open "path" 120` -> `path`; n = which word (quotes respected, first line only). */
export function nthArg(action: string, n = 1): string | null {
  const line = action.trim().split("\n", 1)[0];
  let i = 0;
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) if (i++ === n) return (m[1] ?? m[2] ?? m[3]) || null;
  return null;
}

/** The agent hands in its work (`submit`, `finish`). */
export const submit: ToolMapper = () => ({ kind: "submit" });

/** A tool for thinking aloud. */
export const think: ToolMapper = () => ({ kind: "think" });
