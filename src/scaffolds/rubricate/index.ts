/** rubricate's own canonical JSONL (what `rubricate ingest` writes): read back as it was written. */
import type { Scaffold } from "../types.js";
import { canonicalAdapter } from "./adapter.js";

export const rubricate: Scaffold = {
  name: "rubricate",
  formats: ["rubricate"],
  records: [canonicalAdapter],
};
