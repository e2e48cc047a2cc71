/** SWE-agent (0.x, 1.0, 1.x `.traj` files and demonstrations). */
import type { RunEnding } from "../../types/action.js";
import type { Scaffold } from "../types.js";
import { sweAgentAdapter } from "./adapter.js";
import { footer, markers } from "./markers.js";
import { tools } from "./tools.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

/**
 * `info.exit_status`: `submitted`, `submitted (exit_cost)` (the budget ran out and the run was
 * submitted as it stood), `exit_cost`, `exit_context`, `exit_format`, `exit_forfeit`,
 * `exit_command_timeout`, `exit_total_execution_time`, `early_exit`, `exit_error`, `exit_api`...
 */
function ending(status: string): RunEnding | null {
  const s = status.toLowerCase();
  if (/exit_cost/.test(s)) return "cost_limit";
  if (/exit_context/.test(s)) return "context_limit";
  if (/timeout|execution_time/.test(s)) return "time_limit";
  if (/exit_format/.test(s)) return "format_error";
  if (/exit_forfeit/.test(s)) return "gave_up";
  if (s === "submitted") return "submitted";
  if (/^early_exit|^exit_/.test(s)) return "error";
  return null;
}

export const sweagent: Scaffold = {
  name: "sweagent",
  formats: SCAFFOLD_FORMATS.sweagent,
  json: [sweAgentAdapter],
  tools,
  markers,
  footer,
  ending,
  canRun: true,
  // a script with a syntax error is reported with its own line numbers and none of it runs
  shell: { checked: true },
};
