// PLACEHOLDER: being written (chat JSONL / Parquet row adapter)
import type { RecordAdapter } from "../types.js";
export const chatRecordAdapter: RecordAdapter = { format: "chat-jsonl", detect: () => false, read: () => { throw new Error("not yet"); } };
