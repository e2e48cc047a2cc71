import { IngestError } from "../io/error.js";
import type { FormatName, Trajectory } from "../types/trajectory.js";

export { IngestError };

/** What an adapter gets besides the parsed value. */
export interface AdapterContext {
  /** path of the file (or directory) as the user gave it or as found by the walk */
  file: string;
  /** 1-based line or row number for records of multi-record files */
  line?: number;
  /** sha256 (hex) of the raw bytes of this record */
  hash: string;
  /** read a file relative to `file`'s directory; null when it does not exist */
  readRelative(rel: string): Promise<string | null>;
}

/** Adapter for one whole-file JSON format (a `.traj`, a `.traj.json`, a Moatless json...). */
export interface JsonAdapter {
  format: FormatName;
  /** true when `value` looks like this format; must be cheap and never throw */
  detect(value: unknown, file: string): boolean;
  /** build the canonical trajectory; throws IngestError naming the field on bad input */
  read(value: unknown, ctx: AdapterContext): Trajectory | Promise<Trajectory>;
}

/** Adapter for one record of a multi-record file (JSONL line or Parquet row). */
export interface RecordAdapter {
  format: FormatName;
  detect(value: unknown): boolean;
  read(value: unknown, ctx: AdapterContext, container: "jsonl" | "parquet"): Trajectory;
}

/** Adapter for a format stored as a directory (AutoCodeRover attempt folders). */
export interface DirAdapter {
  format: FormatName;
  /** `entries` are the names directly inside `dir` */
  detect(entries: string[]): boolean;
  read(dir: string, entries: string[]): Promise<Trajectory>;
}
