/** mini-swe-agent (1.x ```` ```bash ```` blocks in text; 1.1+ tool calls): every action is a bash script. */
import type { RunEnding } from "../../types/action.js";
import { shell } from "../common/tools.js";
import type { Markers, Scaffold } from "../types.js";
import { miniSweAgentAdapter } from "./adapter.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

const markers: Markers = {
  format_error: [["Please always provide EXACTLY ONE action in triple backticks"]],
  timeout: [
    ["timed out and has been killed"],
    // 2.x: an <exception> block ("Command timed out after 60 seconds"), subprocess' own message
    ["timed out after", /\btimed out after \d+(?:\.\d+)? ?s(?:econds?)?\b/],
    ["TimeoutExpired"],
  ],
  // the output template: `<returncode>1</returncode>` (after an <exception> block on timeouts)
  exit_code: [["<returncode>", /^<returncode>(-?\d+)<\/returncode>/m]],
};

/** `info.exit_status`: `Submitted`, `LimitsExceeded`, `TimeoutExpired`, `FormatError`, or an exception's name. */
function ending(status: string): RunEnding | null {
  switch (status) {
    case "Submitted":
      return "submitted";
    case "LimitsExceeded":
      return "step_limit";
    case "TimeoutExpired":
      return "time_limit";
    case "FormatError":
      return "format_error";
  }
  return null;
}

export const miniSweAgent: Scaffold = {
  name: "mini-swe-agent",
  formats: SCAFFOLD_FORMATS.miniSweAgent,
  json: [miniSweAgentAdapter],
  tools: { bash: shell },
  markers,
  ending,
  canRun: true,
  // each action runs in a subshell of its own: `cd` does not carry over
  shell: { fresh: true },
};
