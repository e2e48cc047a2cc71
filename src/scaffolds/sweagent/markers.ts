/** SWE-agent's messages in observations, and the prompt footer it prints after each action. */
import type { Markers, ShellState } from "../types.js";

export const markers: Markers = {
  format_error: [
    ["Your output was not formatted correctly"],
    ["Your last output included multiple tool calls"],
    ["did not include a", /did not include a (?:valid )?(?:command|action|tool call)/],
  ],
  edit_rejected: [["Your proposed edit has introduced new syntax error(s)"]],
  timeout: [["EXECUTION TIMED OUT"]],
  // `open` and `find_file` on a path that does not exist
  // (`search_file TERM FILE` with a FILE that is not there: "Error: File name X not found. Please provide a valid file name.")
  missing_path: [[" not found", /(?:File|Directory|File name) ([\w./-]+) not found/g]],
};

const FOOTER = /\(Open file: ([^)\n]*)\)\s*\n\(Current directory: ([^)\n]*)\)\s*\n?bash-\$\s*$/;
const FOOTER_AT = new RegExp(FOOTER.source, "y");

/**
 * `(Open file: /repo/a.py)\n(Current directory: /repo)\nbash-$` at the end of each observation
 * shown to the model: the open file and the working folder, exact where tracking `cd` guesses.
 */
export function footer(message: string): ShellState | null {
  let e = message.length;
  while (e > 0 && /\s/.test(message[e - 1])) e--;
  if (message[e - 1] !== "$") return null;
  const end = message.slice(Math.max(0, e - 1000), e);
  if (!end.endsWith("bash-$")) return null;
  // the footer starts at the last "(Open file: ": tried there first, then anywhere
  const at = end.lastIndexOf("(Open file: ");
  if (at < 0) return null;
  FOOTER_AT.lastIndex = at;
  const m = FOOTER_AT.exec(end) ?? FOOTER.exec(end);
  if (!m) return null;
  const open = m[1].trim();
  const cwd = m[2].trim();
  return { open: open && open !== "n/a" ? open : null, ...(cwd.startsWith("/") ? { cwd } : {}) };
}
