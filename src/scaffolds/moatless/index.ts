/** Moatless Tools (trajectory JSON with `transitions[]`, and the older `steps[]`). */
import type { RunEnding } from "../../types/action.js";
import type { Scaffold } from "../types.js";
import { moatlessAdapter } from "./adapter.js";
import { markers } from "./markers.js";
import { tools } from "./tools.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

/** `finished`, `rejected`, `error: ... the cost exceeded the limit.`, `error: Max cost reached.`, `error: ValueError: Too many tokens...`, `error: <exception>`. */
function ending(status: string): RunEnding | null {
  const s = status.toLowerCase();
  if (s === "finished") return "submitted";
  if (s === "rejected") return "gave_up";
  if (/cost/.test(s)) return "cost_limit";
  // the loop refusing a prompt over the model's context ("ValueError: Too many tokens in the new message: 18428")
  if (/too many tokens/.test(s)) return "context_limit";
  if (/^error/.test(s)) return "error";
  return null;
}

export const moatless: Scaffold = {
  name: "moatless",
  formats: SCAFFOLD_FORMATS.moatless,
  json: [moatlessAdapter],
  tools,
  markers,
  ending,
  canRun: false,
};
