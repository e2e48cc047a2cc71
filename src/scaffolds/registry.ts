/** Every adapter, in detection order (most specific first). */
import { acrAdapter } from "./autocoderover/adapter.js";
import { canonicalAdapter } from "./rubricate/adapter.js";
import { chatRecordAdapter } from "./datasets/adapter.js";
import { miniSweAgentAdapter } from "./mini-swe-agent/adapter.js";
import { moatlessAdapter } from "./moatless/adapter.js";
import { openHandsCompletionAdapter, openHandsOutputAdapter } from "./openhands/adapter.js";
import { sweAgentAdapter } from "./sweagent/adapter.js";
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
