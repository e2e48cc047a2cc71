/** rubricate's own canonical JSONL (what `rubricate ingest` writes): read back as it was written. */
import type { Scaffold } from "../types.js";
import { canonicalAdapter } from "./adapter.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

export const rubricate: Scaffold = {
  name: "rubricate",
  formats: SCAFFOLD_FORMATS.rubricate,
  records: [canonicalAdapter],
};
