/** AutoCodeRover's messages in observations. */
import type { Markers } from "../types.js";

export const markers: Markers = {
  format_error: [["The search API calls seem not valid"]],
  edit_rejected: [["could not be applied to the program"]],
  // the search API on a file that is not in the repository
  missing_path: [["Could not find file", /Could not find file ([\w./-]+) in the codebase/g]],
};
