/** Every adapter, in detection order (most specific first). */
import { acrAdapter } from "./adapters/acr.js";
import { canonicalAdapter } from "./adapters/canonical.js";
import { chatRecordAdapter } from "./adapters/chat.js";
import { miniSweAgentAdapter } from "./adapters/minisweagent.js";
import { moatlessAdapter } from "./adapters/moatless.js";
import { openHandsCompletionAdapter, openHandsOutputAdapter } from "./adapters/openhands.js";
import { sweAgentAdapter } from "./adapters/sweagent.js";
import type { DirAdapter, JsonAdapter, RecordAdapter } from "./types.js";

export const JSON_ADAPTERS: JsonAdapter[] = [
  miniSweAgentAdapter,
  sweAgentAdapter,
  openHandsCompletionAdapter,
  moatlessAdapter,
];

export const RECORD_ADAPTERS: RecordAdapter[] = [canonicalAdapter, openHandsOutputAdapter, chatRecordAdapter];

export const DIR_ADAPTERS: DirAdapter[] = [acrAdapter];

export function formatsTried(): string {
  const names = [...JSON_ADAPTERS, ...RECORD_ADAPTERS, ...DIR_ADAPTERS].map((a) => a.format);
  return [...new Set(names)].join(", ");
}
