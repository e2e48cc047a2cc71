/**
 * Moatless Tools' actions: code search (`search`, `SearchCode`), picking the relevant spans
 * (`identify`, `IdentifyCode`), planning a change (`PlanToCode`, `request_for_change`...),
 * the search/replace editor (`EditCode`, `search_replace`), `finish`, `reject`. Moatless runs
 * no code.
 */
import type { Action } from "../../types/action.js";
import { EDIT_NOT_APPLIED, EDIT_NOT_APPLIED_ANYWHERE, shownFiles } from "../common/shown.js";
import { marked, scanned } from "../common/markers.js";
import { str, submit, think } from "../common/tools.js";
import type { ToolMapper } from "../types.js";
import { markers } from "./markers.js";

/** A code search: the file it was limited to, and the files whose code it returned. */
export const search: ToolMapper = (s) => {
  const args = s.args ?? {};
  const file = str(args.file_name) ?? str(args.file_path);
  const files = [...(file ? [file] : []), ...shownFiles(s.observation ?? "")];
  return { kind: "search", ...(files.length ? { files } : {}) };
};

const identify: ToolMapper = (s) => {
  const args = s.args ?? {};
  const spans = (args.files_with_spans ?? args.identified_spans) as { file_path?: unknown }[] | undefined;
  const files = Array.isArray(spans)
    ? spans.filter((sp) => sp && typeof sp.file_path === "string").map((sp) => sp.file_path as string)
    : [];
  return { kind: "view", ...(files.length ? { files } : {}) };
};

/** A planned change to one file: that file is the one a following edit that names none changes. */
const plan: ToolMapper = (s) => {
  const path = str(s.args?.file_path);
  return path ? { kind: "plan", path, opens: true } : { kind: "plan" };
};

/** Whether the editor says the change did not apply. */
export function notApplied(obs: string): boolean {
  return (
    marked(scanned(obs), markers.edit_rejected!) ||
    EDIT_NOT_APPLIED.test(obs) ||
    EDIT_NOT_APPLIED_ANYWHERE.test(obs.slice(0, 2000))
  );
}

const editCode: ToolMapper = (s) => {
  const args = s.args ?? {};
  // the editor declined the planned change: nothing was edited
  if (s.tool === "EditCode" && /^\s*<reject>/.test(str(args.content) ?? "")) return { kind: "think" };
  const obs = s.observation ?? "";
  if (notApplied(obs)) return { kind: "edit", refused: true };
  const applied = /^Applied the change to (\S+?)\.?$/m.exec(obs)?.[1] ?? /^--- (\S+)\n\+\+\+ /m.exec(obs)?.[1];
  const file = applied ?? str(args.file_path);
  const act: Action = { kind: "edit", onOpen: true };
  if (file) act.path = file;
  return act;
};

/** `reject` ends the run; in the 2024-06-09 runs it declines one requested change and the run goes on. */
const reject: ToolMapper = (s, ctx) =>
  ctx.index < ctx.steps.length - 1 ? { kind: "think" } : { kind: "exit", reason: "gave_up" };

export const tools: Record<string, ToolMapper> = {
  search,
  SearchCode: search,
  identify,
  IdentifyCode: identify,
  PlanToCode: plan,
  request_for_change: plan,
  ClarifyCodeChange: plan,
  specify_lines: plan,
  EditCode: editCode,
  search_replace: editCode,
  DecideRelevance: think,
  finish: submit,
  Finished: submit,
  reject,
  Rejected: reject,
};
