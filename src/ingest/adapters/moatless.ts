// PLACEHOLDER: being written (Moatless adapter)
import type { JsonAdapter } from "../types.js";
export const moatlessAdapter: JsonAdapter = { format: "moatless", detect: () => false, read: () => { throw new Error("not yet"); } };
