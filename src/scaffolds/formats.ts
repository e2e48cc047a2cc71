/**
 * The format names each scaffold's adapters write, keyed by scaffold, in detection order (the
 * order of `SCAFFOLDS` in registry.ts). A module with no imports: the CLI lists the formats in its
 * help without loading the adapters. Each scaffold's `formats` field is its entry here.
 */
export const SCAFFOLD_FORMATS = {
  rubricate: ["rubricate"],
  miniSweAgent: ["mini-swe-agent"],
  sweagent: ["sweagent-traj"],
  openhands: ["openhands-output", "openhands-llm-completion"],
  moatless: ["moatless"],
  autocoderover: ["autocoderover"],
  claudeCode: ["claude-code"],
  datasets: ["chat-jsonl", "parquet"],
} as const satisfies Record<string, readonly string[]>;

/** Every format name, in detection order (equal to registry.ts's `FORMATS`; a test checks it). */
export const FORMAT_NAMES: readonly string[] = Object.values(SCAFFOLD_FORMATS).flat();
