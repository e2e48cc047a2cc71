/**
 * AutoCodeRover's tools: its code-search API (`search_class`, `search_method_in_file`...),
 * `bug_locations` (where the bug is: a plan, no change), and `write_patch` (the patch-writing
 * agent's answer, applied to the program). AutoCodeRover runs no code of the project.
 */
import { EDIT_NOT_APPLIED, EDIT_NOT_APPLIED_ANYWHERE, shownFiles } from "../common/shown.js";
import { marked, scanned } from "../common/markers.js";
import { str } from "../common/tools.js";
import type { ToolMapper } from "../types.js";
import { markers } from "./markers.js";

const search: ToolMapper = (s) => {
  const args = s.args ?? {};
  const file = str(args.file_name) ?? str(args.file_path);
  const files = [...(file ? [file] : []), ...shownFiles(s.observation ?? "")];
  return { kind: "search", ...(files.length ? { files } : {}) };
};

const bugLocations: ToolMapper = (s) => {
  const args = s.args ?? {};
  const files: string[] = [];
  const file = str(args.file_name) ?? str(args.file_path);
  if (file) files.push(file);
  if (Array.isArray(args.bug_locations))
    for (const b of args.bug_locations as { file?: unknown }[]) if (b && typeof b.file === "string") files.push(b.file);
  files.push(...shownFiles(s.observation ?? ""));
  return { kind: "plan", ...(files.length ? { files } : {}) };
};

/** `write_patch`: the files named in the patch's `<file>` tags, unless it could not be applied. */
const writePatch: ToolMapper = (s) => {
  const obs = s.observation ?? "";
  if (
    marked(scanned(obs), markers.edit_rejected!) ||
    EDIT_NOT_APPLIED.test(obs) ||
    EDIT_NOT_APPLIED_ANYWHERE.test(obs.slice(0, 2000))
  )
    return { kind: "edit", refused: true };
  const files = [...String(s.args?.patch ?? "").matchAll(/<file>([^<]+)<\/file>/g)].map((m) => m[1].trim());
  return { kind: "edit", ...(files.length ? { files } : {}) };
};

export const tools: Record<string, ToolMapper> = {
  "search_*": search,
  bug_locations: bugLocations,
  write_patch: writePatch,
};
