/** OpenHands (CodeAct): evaluation `output.jsonl` event histories and `llm_completions` files. */
import type { RunEnding } from "../../types/action.js";
import { editorMarkers } from "../common/markers.js";
import type { Markers, Scaffold, ShellState } from "../types.js";
import { openHandsCompletionAdapter, openHandsOutputAdapter } from "./adapter.js";
import { tools } from "./tools.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

const markers: Markers = {
  format_error: [["is required for command", /^(?:ERROR: )?Parameter `[^`]+` is required for command/m]],
  edit_rejected: editorMarkers.edit_rejected,
  missing_path: editorMarkers.missing_path,
  timeout: [["Command timed out"]],
  exit_code: [
    ["with exit code", /\[The command completed with exit code (-?\d+)\.\]/],
    ["with exit code", /\[Command finished with exit code (-?\d+)\]/],
  ],
};

const PROMPT = /\n[\w.-]+@[\w.-]+:(\/[^\n]*?) [#$] ?\n\[Command finished with exit code -?\d+\]$/;

/** `root@openhands-workspace:/workspace/django__django__3.0 # \n[Command finished with exit code 0]`: the working folder. */
function footer(message: string): ShellState | null {
  const end = message.trimEnd();
  if (!end.endsWith("]")) return null;
  const m = PROMPT.exec(end.slice(-300));
  return m ? { cwd: m[1] } : null;
}

/** `submitted`, or the agent state's error: `RuntimeError: Agent reached maximum iteration...`, `Agent got stuck in a loop`. */
function ending(status: string): RunEnding | null {
  const s = status.toLowerCase();
  if (s === "submitted" || s === "finished") return "submitted";
  if (/maximum iteration/.test(s)) return "step_limit";
  if (/budget|cost/.test(s)) return "cost_limit";
  if (/context/.test(s)) return "context_limit";
  if (/^error/.test(s)) return "error";
  return null;
}

export const openhands: Scaffold = {
  name: "openhands",
  formats: SCAFFOLD_FORMATS.openhands,
  json: [openHandsCompletionAdapter],
  records: [openHandsOutputAdapter],
  tools,
  markers,
  footer,
  ending,
  canRun: true,
};
