/** rubricate's library API: everything the CLI does is callable from here. */
export * from "./types/trajectory.js";
export { ingest, ingestCandidate, type IngestOptions } from "./ingest/pipeline.js";
export { IngestError, type IngestEvent, type JsonAdapter, type RecordAdapter, type DirAdapter } from "./ingest/types.js";
export { discover, type Candidate } from "./ingest/discover.js";
export { JSON_ADAPTERS, RECORD_ADAPTERS, DIR_ADAPTERS } from "./ingest/registry.js";
export { readTrajectories, type ReadOptions } from "./labels/stream.js";
export { LabelIndex, LabelFinder, attachLabel } from "./labels/join.js";
export { parseLabelFile, type LabelEntry } from "./labels/parse.js";
export { patchStats, isTestPath, type PatchStats, type PatchFile } from "./analyze/patch.js";
