/**
 * The ingestion pipeline: candidates -> format detection -> adapters -> events.
 * A bad file or line yields an error event and the stream goes on.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { discover, type Candidate } from "./discover.js";
import { misplacedRecord, misplacedTable } from "./misplaced.js";
import { parquetRows } from "./parquet.js";
import {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_LINE_BYTES,
  jsonlLines,
  looksBinary,
  parseJson,
  parseJsonBytes,
  readHead,
  readJsonFile,
  utf8Text,
} from "../io/read.js";
import { DIR_ADAPTERS, JSON_ADAPTERS, RECORD_ADAPTERS, SESSION_ADAPTERS, formatsTried } from "../scaffolds/registry.js";
import { canonicalize } from "../scaffolds/actions.js";
import { sha256 } from "../scaffolds/build.js";
import { IngestError, InputProblem } from "../io/error.js";
import type { AdapterContext, ParsedLine, RecordAdapter, SessionAdapter } from "../scaffolds/types.js";
import type { Trajectory } from "../types/trajectory.js";

/** Stream canonical trajectories (and per-input errors) from paths, folders and globs. */
export async function* ingest(inputs: string[], opts: IngestOptions = {}): AsyncGenerator<IngestEvent> {
  yield* ingestCandidates(discover(inputs), opts);
}

export type IngestEvent =
  | { type: "trajectory"; trajectory: Trajectory }
  | { type: "error"; error: IngestError }
  | { type: "skip"; file: string; reason: string };

export interface IngestOptions {
  maxFileBytes?: number;
  maxLineBytes?: number;
  /** called after each candidate has been read */
  onCandidate?: (c: Candidate) => void;
  /**
   * false: leave out the canonical actions, ending and `can_run` (a pass that only counts steps,
   * such as the run-context pass of `score`); default true
   */
  canonical?: boolean;
}

const SMALL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Read candidates in order. Whole-file inputs up to 64 MB (.json, .traj) are
 * read synchronously: for many small files this is several times faster than
 * promise-based reads, and a CLI pipeline has nothing else to do meanwhile.
 * Streams (JSONL, Parquet), large files and directories are read asynchronously.
 */
export async function* ingestCandidates(
  candidates: AsyncIterable<Candidate | IngestError> | Iterable<Candidate | IngestError>,
  opts: IngestOptions = {},
): AsyncGenerator<IngestEvent> {
  const limit = Math.min(opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, SMALL_FILE_BYTES);
  for await (const c of candidates) {
    if (c instanceof IngestError) {
      yield { type: "error", error: c };
      continue;
    }
    yield* readInput(c, opts, limit);
    opts.onCandidate?.(c);
  }
}

/** Read one input (a small whole-file input synchronously, see `ingestCandidates`). */
export async function* readInput(
  c: Candidate,
  opts: IngestOptions = {},
  limit = Math.min(opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, SMALL_FILE_BYTES),
): AsyncGenerator<IngestEvent> {
  yield* ingestCandidate(
    c,
    opts,
    c.kind === "file" && !/\.(jsonl|parquet)$/i.test(c.path) ? readSmall(c.path, limit) : null,
  );
}

/**
 * The bytes of a small file, or null (read later with full checks) when large, empty or
 * unreadable. A path that is not a regular file is never opened (a named pipe would block).
 */
function readSmall(path: string, limit: number): Buffer | null {
  try {
    const st = statSync(path);
    return st.isFile() && st.size > 0 && st.size <= limit ? readFileSync(path) : null;
  } catch {
    return null;
  }
}

/** Read one candidate file or directory; each trajectory gets its canonical actions from its scaffold. */
export async function* ingestCandidate(
  c: Candidate,
  opts: IngestOptions = {},
  bytes: Buffer | null = null,
): AsyncGenerator<IngestEvent> {
  for await (const ev of readCandidate(c, opts, bytes)) {
    if (ev.type === "trajectory" && opts.canonical !== false) canonicalize(ev.trajectory);
    yield ev;
  }
}

async function* readCandidate(c: Candidate, opts: IngestOptions, bytes: Buffer | null): AsyncGenerator<IngestEvent> {
  try {
    if (c.kind === "skip") {
      yield { type: "skip", file: c.path, reason: c.reason ?? "not read" };
      return;
    }
    if (c.kind === "dir") {
      yield* readDir(c);
      return;
    }
    if (!bytes) regularFile(c.path);
    if (/\.(csv|tsv)$/i.test(c.path)) {
      const head = (bytes ?? (await readHead(c.path, 4096))).subarray(0, 4096).toString("utf8").split(/\r?\n/)[0];
      const hint = misplacedTable(head, c.path);
      if (hint) throw new IngestError(c.path, hint);
    }
    if (bytes && bytes.subarray(0, 4).toString("latin1") !== "PAR1") {
      yield* readJson(c, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, bytes);
      return;
    }
    const head = await readHead(c.path, 8);
    if (head.length === 0) throw new IngestError(c.path, "empty file");
    if (head.subarray(0, 4).toString("latin1") === "PAR1" || /\.parquet$/i.test(c.path)) {
      yield* readRecords(c, parquetRows(c.path), "parquet");
    } else if (/\.jsonl$/i.test(c.path)) {
      const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
      const session = await sessionFormat(c.path, maxLine);
      if (session)
        yield* readSession(c, session.adapter, session.head, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, maxLine);
      else yield* readJsonl(c, maxLine);
    } else {
      yield* readJson(c, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    }
  } catch (e) {
    yield { type: "error", error: toIngestError(e, c.path) };
  }
}

/** Refuses a path that is not a regular file (a named pipe, a socket, a device) before it is opened. */
function regularFile(path: string): void {
  const st = statSync(path);
  if (!st.isFile())
    throw new IngestError(
      path,
      `${st.isFIFO() ? "a named pipe" : st.isDirectory() ? "a folder" : "a special file"}, not a regular file: refused`,
    );
}

export function toIngestError(e: unknown, file: string): IngestError {
  if (e instanceof IngestError) return e;
  if (e instanceof InputProblem) return new IngestError(file, e.message, undefined, e.field);
  if (e instanceof RangeError) return new IngestError(file, `input too deeply nested or too large: ${e.message}`);
  const err = e as NodeJS.ErrnoException;
  return new IngestError(file, err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e));
}

function context(file: string, hash: string, line?: number): AdapterContext {
  const base = dirname(file);
  return {
    file,
    line,
    hash,
    async readRelative(rel: string) {
      const path = resolve(base, rel);
      let bytes: Buffer;
      try {
        if (!(await stat(path)).isFile()) return null; // never open a pipe or a device: it could block
        bytes = await readFile(path);
      } catch {
        return null;
      }
      return utf8Text(bytes, path);
    },
  };
}

async function* readDir(c: Candidate): AsyncGenerator<IngestEvent> {
  const { readdir } = await import("node:fs/promises");
  const entries = await readdir(c.path);
  const adapter = DIR_ADAPTERS.find((a) => a.detect(entries));
  if (!adapter)
    throw new IngestError(
      c.path,
      `directory in no known format (tried: ${DIR_ADAPTERS.map((a) => a.format).join(", ")})`,
    );
  yield { type: "trajectory", trajectory: await adapter.read(c.path, entries) };
}

async function* readJson(c: Candidate, maxBytes: number, pre: Buffer | null = null): AsyncGenerator<IngestEvent> {
  const { value, bytes } = pre
    ? { value: parseJsonBytes(pre, c.path), bytes: pre }
    : await readJsonFile(c.path, maxBytes);
  const adapter = JSON_ADAPTERS.find((a) => a.detect(value, c.path));
  if (adapter) {
    yield { type: "trajectory", trajectory: await adapter.read(value, context(c.path, sha256(bytes))) };
    return;
  }
  if (Array.isArray(value) && value.length > 0 && RECORD_ADAPTERS.some((a) => a.detect(value[0]))) {
    yield* readRecords(c, arrayRows(value), "jsonl");
    return;
  }
  // a file found by walking that is named like a trajectory (.traj) is one, damaged: an error, not a skip
  if (!c.explicit && !/\.traj(\.json)?$/i.test(c.path)) {
    yield { type: "skip", file: c.path, reason: "not a trajectory" };
    return;
  }
  const hint = misplacedRecord(Array.isArray(value) ? value[0] : value, c.path);
  throw new IngestError(c.path, hint ?? `no known trajectory format (tried: ${formatsTried()})`);
}

async function* arrayRows(values: unknown[]): AsyncGenerator<{ row: unknown; index: number }> {
  for (let i = 0; i < values.length; i++) yield { row: values[i], index: i };
}

/** How many leading lines a session adapter may need to see before it can tell (preamble lines). */
const SESSION_HEAD_LINES = 256;

/** Whether a JSONL file is one trajectory (a session log) rather than one record a line. */
export async function isSessionFile(file: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Promise<boolean> {
  return (await sessionFormat(file, maxLineBytes)) !== null;
}

/**
 * The session adapter (whole file = one trajectory) that claims a JSONL file, judged from its
 * first lines; null when none does, and the lines are then read as records. Lines that do not
 * parse are passed over here: the reader that takes the file reports them.
 */
async function sessionFormat(
  file: string,
  maxLineBytes: number,
): Promise<{ adapter: SessionAdapter; head: unknown[] } | null> {
  if (SESSION_ADAPTERS.length === 0) return null;
  const open = new Set(SESSION_ADAPTERS);
  const head: unknown[] = [];
  for await (const item of jsonlLines(file, maxLineBytes)) {
    if (head.length >= SESSION_HEAD_LINES) break;
    if ("error" in item || (head.length === 0 && looksBinary(item.bytes.subarray(0, 8192)))) return null;
    let value: unknown;
    try {
      value = JSON.parse(item.bytes.toString("utf8"));
    } catch {
      continue;
    }
    head.push(value);
    for (const a of open) {
      const v = a.detectLine(value, head.length - 1);
      if (v === true) return { adapter: a, head };
      if (v === false) open.delete(a);
    }
    if (open.size === 0) return null;
  }
  return null;
}

/** Read a JSONL file that is one trajectory: every line parsed (a bad line fails the file), then the adapter. */
async function* readSession(
  c: Candidate,
  adapter: SessionAdapter,
  head: unknown[],
  maxFileBytes: number,
  maxLineBytes: number,
): AsyncGenerator<IngestEvent> {
  if (!c.explicit) {
    const why = adapter.partOf?.(head, c.path) ?? null;
    if (why) {
      yield { type: "skip", file: c.path, reason: why };
      return;
    }
  }
  const size = (await stat(c.path)).size;
  if (size > maxFileBytes)
    throw new IngestError(
      c.path,
      `file is ${size} bytes, over the ${maxFileBytes}-byte limit for one ${adapter.format} session`,
    );
  const hash = createHash("sha256");
  const lines: ParsedLine[] = [];
  for await (const item of jsonlLines(c.path, maxLineBytes)) {
    if ("error" in item) throw item.error;
    hash.update(item.bytes).update("\n");
    lines.push({ line: item.line, value: parseJson(utf8Text(item.bytes, c.path, item.line), c.path, item.line) });
  }
  yield { type: "trajectory", trajectory: await adapter.read(lines, context(c.path, hash.digest("hex"))) };
}

async function* readJsonl(c: Candidate, maxLineBytes: number): AsyncGenerator<IngestEvent> {
  let adapter: RecordAdapter | undefined;
  let seen = 0;
  const first = c.rows?.from ?? 1;
  for await (const item of jsonlLines(c.path, maxLineBytes)) {
    if (c.rows && (item.line < c.rows.from || item.line >= c.rows.to)) {
      if (item.line >= c.rows.to) break;
      continue;
    }
    if ("error" in item) {
      yield { type: "error", error: item.error };
      continue;
    }
    seen++;
    try {
      if (item.line === first && looksBinary(item.bytes.subarray(0, 8192)))
        throw new IngestError(c.path, "binary file, expected JSON lines", item.line);
      const text = utf8Text(item.bytes, c.path, item.line);
      const value = parseJson(text, c.path, item.line);
      if (!adapter || !adapter.detect(value)) adapter = RECORD_ADAPTERS.find((a) => a.detect(value));
      if (!adapter) {
        if (seen === 1 && !c.explicit) {
          yield { type: "skip", file: c.path, reason: "not a trajectory" };
          return;
        }
        // a label table or score records given as trajectories: one error for the file, not one a line
        const hint = seen === 1 ? misplacedRecord(value, c.path) : null;
        if (hint) {
          yield { type: "error", error: new IngestError(c.path, hint) };
          return;
        }
        throw new IngestError(c.path, `record in no known trajectory format (tried: ${formatsTried()})`, item.line);
      }
      yield {
        type: "trajectory",
        trajectory: adapter.read(value, context(c.path, sha256(item.bytes), item.line), "jsonl"),
      };
    } catch (e) {
      const err = toIngestError(e, c.path);
      yield {
        type: "error",
        error: err.line === undefined ? new IngestError(err.file, err.message, item.line, err.field) : err,
      };
      if (seen === 1 && err.message.startsWith("binary file")) return;
    }
  }
  if (seen === 0) throw new IngestError(c.path, "empty file");
}

async function* readRecords(
  c: Candidate,
  rows: AsyncIterable<{ row: unknown; index: number }>,
  container: "jsonl" | "parquet",
): AsyncGenerator<IngestEvent> {
  let adapter: RecordAdapter | undefined;
  for await (const { row, index } of rows) {
    const line = index + 1;
    if (c.rows && (line < c.rows.from || line >= c.rows.to)) {
      if (line >= c.rows.to) break;
      continue;
    }
    try {
      if (!adapter || !adapter.detect(row)) adapter = RECORD_ADAPTERS.find((a) => a.detect(row));
      if (!adapter) throw new IngestError(c.path, `row in no known trajectory layout (tried: ${formatsTried()})`, line);
      const hash = sha256(JSON.stringify(row, bigintSafe));
      yield { type: "trajectory", trajectory: adapter.read(row, context(c.path, hash, line), container) };
    } catch (e) {
      const err = toIngestError(e, c.path);
      yield {
        type: "error",
        error: err.line === undefined ? new IngestError(err.file, err.message, line, err.field) : err,
      };
    }
  }
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
