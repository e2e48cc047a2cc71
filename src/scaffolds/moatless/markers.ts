/** Moatless' messages in observations. */
import type { Markers } from "../types.js";

export const markers: Markers = {
  edit_rejected: [["The code in the search tag is the same as the code"], ["The following diff was not applied"]],
};
