/**
 * Safe low-level readers: whole-file JSON with a size cap and precise error
 * positions, and a streaming JSONL line splitter with a per-line cap, so
 * empty, truncated, binary, huge, deeply nested or non-UTF-8 inputs fail with a
 * clear error instead of a crash, a silent replacement or unbounded memory.
 */
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { IngestError } from "./error.js";
import { MAX_JSON_DEPTH, byteLineCol, invalidUtf8At, overDepth } from "./limits.js";

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

/** Reads the first `n` bytes of a file. */
export async function readHead(path: string, n = 4096): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when the bytes look binary (NUL bytes, as text formats never contain them). */
export function looksBinary(head: Uint8Array): boolean {
  return head.includes(0);
}

/** Convert a character offset into 1-based line and column. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < pos; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, col: pos - last };
}

/**
 * JSON.parse with an error that names the file, line and column; JSON nested deeper than
 * `MAX_JSON_DEPTH` is an error too (found without recursion), so nothing read can overflow the
 * stack of a later JSON.stringify.
 */
export function parseJson(text: string, file: string, baseLine?: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw jsonError(e, text, file, baseLine);
  }
  const deep = overDepth(text);
  if (deep >= 0) {
    const { line, col } = lineCol(text, deep);
    const where = baseLine !== undefined ? `column ${col}` : `line ${line}, column ${col}`;
    throw new IngestError(file, `JSON nested deeper than ${MAX_JSON_DEPTH} levels at ${where}`, baseLine ?? line);
  }
  return value;
}

/**
 * The text of bytes that must be UTF-8; invalid UTF-8 is an error naming the line and byte
 * (never read with replacement characters). `baseLine`: the bytes are that line of the file.
 */
export function utf8Text(bytes: Buffer, file: string, baseLine?: number): string {
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) {
    const { line, col } = byteLineCol(bytes, bad);
    const where = baseLine !== undefined ? `byte ${col}` : `line ${line}, byte ${col}`;
    const hex = [...bytes.subarray(bad, bad + 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new IngestError(
      file,
      `invalid UTF-8 at ${where} (bytes ${hex}): not a UTF-8 text file, or damaged`,
      baseLine ?? line,
    );
  }
  return bytes.toString("utf8");
}

function jsonError(e: unknown, text: string, file: string, baseLine?: number): IngestError {
  if (e instanceof RangeError) return new IngestError(file, "JSON nested too deeply to read", baseLine);
  const msg = e instanceof Error ? e.message : String(e);
  const pos = errorPosition(msg, text);
  if (pos !== null) {
    const { line, col } = lineCol(text, pos);
    const where = baseLine !== undefined ? `column ${col}` : `line ${line}, column ${col}`;
    return new IngestError(file, `malformed JSON at ${where}: ${shortMessage(msg)}`, baseLine ?? line);
  }
  if (/end of (JSON|data)/i.test(msg)) {
    // the position is the end of the text: its last line
    const { line, col } = lineCol(text, text.length);
    const where = baseLine !== undefined ? `column ${col}` : `line ${line}, column ${col}`;
    return new IngestError(
      file,
      `malformed JSON: unexpected end of input at ${where} (truncated file?)`,
      baseLine ?? line,
    );
  }
  return new IngestError(file, `malformed JSON: ${msg}`, baseLine);
}

/**
 * Where JSON.parse failed. V8 gives "at position N" for most errors, but for an
 * unexpected token it quotes the text around it instead ("...<10 chars>X<9 chars>"...);
 * find that excerpt in the text.
 */
function errorPosition(msg: string, text: string): number | null {
  const m = /position (\d+)/.exec(msg);
  if (m) return Number(m[1]);
  const t = /^Unexpected token '([\s\S]+?)', (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON$/.exec(msg);
  if (!t) return null;
  const [, token, cut, excerpt] = t;
  const at = text.indexOf(excerpt);
  if (at < 0) return null;
  return cut ? at + 10 : at + Math.max(0, excerpt.indexOf(token));
}

/** Read and parse a whole JSON file with size, emptiness and binary checks. */
export async function readJsonFile(
  file: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ value: unknown; bytes: Buffer }> {
  const st = await stat(file);
  if (st.size === 0) throw new IngestError(file, "empty file");
  if (st.size > maxBytes) {
    throw new IngestError(
      file,
      `file is ${st.size} bytes, over the ${maxBytes}-byte limit for a single JSON document (use JSONL for large data)`,
    );
  }
  const bytes = await readFile(file);
  return { value: parseJsonBytes(bytes, file), bytes };
}

/** Parse the bytes of a whole JSON file, rejecting empty and binary content. */
export function parseJsonBytes(bytes: Buffer, file: string): unknown {
  if (bytes.length === 0) throw new IngestError(file, "empty file");
  if (looksBinary(bytes.subarray(0, 8192))) throw new IngestError(file, "binary file, expected JSON text");
  const text = utf8Text(bytes, file);
  if (!text.trim()) throw new IngestError(file, "file holds only whitespace, expected JSON");
  return parseJson(text, file);
}

export interface JsonlLine {
  /** 1-based line number */
  line: number;
  /** raw bytes of the line (without the newline) */
  bytes: Buffer;
}

export type JsonlItem = JsonlLine | { line: number; error: IngestError };

/**
 * Stream the non-blank lines of a file. Lines longer than `maxLineBytes` are
 * skipped (yielding an error for that line) without buffering them.
 */
export async function* jsonlLines(file: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<JsonlItem> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 1;
  let overlong = false;
  const emit = function* (): Generator<JsonlItem> {
    if (overlong) {
      yield { line, error: new IngestError(file, `line longer than ${maxLineBytes} bytes, skipped`, line) };
    } else if (size > 0) {
      const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
      if (!isBlank(buf)) yield { line, bytes: buf };
    }
    parts = [];
    size = 0;
    overlong = false;
    line++;
  };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      push(chunk.subarray(start, nl));
      yield* emit();
      start = nl + 1;
    }
    if (start < chunk.length) push(chunk.subarray(start));
  }
  if (size > 0 || overlong) yield* emit();

  function push(b: Buffer): void {
    if (overlong || b.length === 0) return;
    if (size + b.length > maxLineBytes) {
      overlong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(b);
    size += b.length;
  }
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function shortMessage(msg: string): string {
  return msg.replace(/ in JSON at position \d+.*$/, "").replace(/^(Unexpected token '[\s\S]+?'),[\s\S]*$/, "$1");
}
