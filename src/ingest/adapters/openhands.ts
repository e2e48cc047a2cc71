// PLACEHOLDER: being written (OpenHands adapters)
import type { JsonAdapter, RecordAdapter } from "../types.js";
export const openHandsCompletionAdapter: JsonAdapter = { format: "openhands-llm-completion", detect: () => false, read: () => { throw new Error("not yet"); } };
export const openHandsOutputAdapter: RecordAdapter = { format: "openhands-output", detect: () => false, read: () => { throw new Error("not yet"); } };
