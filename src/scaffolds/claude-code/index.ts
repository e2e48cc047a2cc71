/** Claude Code session logs (`~/.claude/projects/<project>/<session>.jsonl`, 1.x and 2.x), sub-agent runs inlined. */
import type { RunEnding } from "../../types/action.js";
import type { Markers, Scaffold } from "../types.js";
import { claudeCodeAdapter } from "./adapter.js";
import { tools } from "./tools.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

const markers: Markers = {
  // (anchored at the start of a tool result, where Claude Code writes its own errors)
  format_error: [
    ["InputValidationError", /^\s*(?:<tool_use_error>\s*)?InputValidationError\b/],
    ["No such tool available", /^\s*(?:<tool_use_error>\s*)?Error: No such tool available\b/],
  ],
  timeout: [["Command timed out after", /^\s*Command timed out after\b/]],
  exit_code: [["Exit code ", /^\s*Exit code (\d+)\b/]],
};

/**
 * The status the adapter words from the session's last event (`exit.ts`): `finished: end of
 * turn` (the agent answered and handed back: its way of submitting), an API error's reason,
 * `interrupted by user`, `incomplete: ...` (the log stops mid-turn).
 */
function ending(status: string): RunEnding | null {
  if (status.startsWith("finished")) return "submitted";
  if (status.startsWith("context_limit")) return "context_limit";
  if (status.startsWith("cost_limit")) return "cost_limit";
  if (status.startsWith("error") || status.startsWith("interrupted") || status.startsWith("incomplete")) return "error";
  return null;
}

export const claudeCode: Scaffold = {
  name: "claude-code",
  formats: SCAFFOLD_FORMATS.claudeCode,
  sessions: [claudeCodeAdapter],
  tools,
  markers,
  ending,
  canRun: true,
};
