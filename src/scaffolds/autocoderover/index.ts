/** AutoCodeRover (attempt folders: conversation rounds, patch-writing chats, extracted patches). */
import type { RunEnding } from "../../types/action.js";
import type { Scaffold } from "../types.js";
import { acrAdapter } from "./adapter.js";
import { markers } from "./markers.js";
import { tools } from "./tools.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

/** The patch extraction's status: `APPLICABLE_PATCH`, `RAW_PATCH_BUT_UNPARSED`, `RAW_PATCH_BUT_UNMATCHED`, `NO_PATCH`... */
function ending(status: string): RunEnding | null {
  return status === "APPLICABLE_PATCH" ? "submitted" : /PATCH/.test(status) ? "error" : null;
}

export const autocoderover: Scaffold = {
  name: "autocoderover",
  formats: SCAFFOLD_FORMATS.autocoderover,
  dirs: [acrAdapter],
  tools,
  markers,
  ending,
  canRun: false,
};
