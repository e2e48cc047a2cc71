import { IngestError } from "../io/error.js";
import type { Action, RunEnding } from "../types/action.js";
import type { FormatName, Step, Trajectory } from "../types/trajectory.js";

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

/** One parsed line of a JSONL file. */
export interface ParsedLine {
  /** 1-based line number */
  line: number;
  value: unknown;
}

/**
 * Adapter for a JSONL format whose whole file is ONE trajectory (a session log: one event a
 * line). The pipeline shows it the first lines of each `.jsonl` file before reading the lines
 * as records; when it claims the file, it gets every parsed line at once.
 */
export interface SessionAdapter {
  format: FormatName;
  /**
   * Looks at the file's lines one at a time, in order: true = the file is in this format,
   * false = it is not, undefined = this line cannot tell (a preamble line any session may
   * start with). Must be cheap and never throw.
   */
  detectLine(value: unknown, index: number): boolean | undefined;
  /**
   * For a file found by walking a folder: why it is read as part of another file's trajectory
   * (a sub-agent's log beside its session), or null to read it on its own.
   */
  partOf?(head: unknown[], file: string): string | null;
  /** build the trajectory from all the file's lines; throws IngestError naming line and field */
  read(lines: ParsedLine[], ctx: AdapterContext): Trajectory | Promise<Trajectory>;
}

/** Adapter for a format stored as a directory (AutoCodeRover attempt folders). */
export interface DirAdapter {
  format: FormatName;
  /** `entries` are the names directly inside `dir` */
  detect(entries: string[]): boolean;
  read(dir: string, entries: string[]): Promise<Trajectory>;
}

/** What a tool mapper may look at besides the step: the trajectory's other steps and its messages. */
export interface ToolContext {
  steps: readonly Step[];
  /** the step's position in `steps` */
  index: number;
}

/** One tool of a scaffold's vocabulary: the step (its tool arguments, action text and observation) to a canonical action. */
export type ToolMapper = (step: Step, ctx: ToolContext) => Action;

/**
 * A message a scaffold prints into an observation: a literal that must occur (cheap to find),
 * and optionally a pattern that must match too. Markers count only in the first or last 2,000
 * characters of an observation, where the scaffolds put their own messages.
 */
export type Marker = readonly [literal: string, pattern?: RegExp];

/** The messages of a scaffold that mean something about a step, by what they mean. */
export interface Markers {
  /** the scaffold refused the reply for its format (several actions, no action, a missing parameter): nothing ran */
  format_error?: Marker[];
  /** the scaffold refused an edit or the edit did not apply */
  edit_rejected?: Marker[];
  /** the command was stopped for taking too long */
  timeout?: Marker[];
  /** the scaffold's tools saying a path does not exist: a literal and a global pattern whose first group is the path */
  missing_path?: readonly (readonly [literal: string, pattern: RegExp])[];
  /** where the scaffold prints a command's exit code: a literal and a pattern whose first group is the code */
  exit_code?: readonly (readonly [literal: string, pattern: RegExp])[];
}

/** The editor and shell state a scaffold prints after an action (its prompt footer). */
export interface ShellState {
  cwd?: string;
  /** the file open in the scaffold's editor; null: none */
  open?: string | null;
}

/**
 * Everything rubricate knows about one agent scaffold (or one dataset layout). Adding a
 * scaffold is a folder holding one of these plus one line in `registry.ts`.
 */
export interface Scaffold {
  /** the folder's name */
  name: string;
  /** the `source.format` values its adapters write */
  formats: readonly FormatName[];
  json?: JsonAdapter[];
  records?: RecordAdapter[];
  /** JSONL files that are one trajectory each (session logs) */
  sessions?: SessionAdapter[];
  dirs?: DirAdapter[];
  /** its tool names, each mapped to canonical actions */
  tools?: Readonly<Record<string, ToolMapper>>;
  markers?: Markers;
  /** the state the scaffold printed at the end of an observation message, if it prints any */
  footer?: (message: string) => ShellState | null;
  /** how a run ended, from the scaffold's exit status (null: a status it does not know) */
  ending?: (status: string) => RunEnding | null;
  /** whether its agents have a tool that runs code (default: whether any step ran a shell or program) */
  canRun?: boolean;
  /** how its shell runs actions: each in a fresh shell; with the syntax checked before anything runs */
  shell?: { fresh?: boolean; checked?: boolean };
}
