/**
 * Limits on what an input may be, checked without recursion (a check that recursed would hit the
 * runtime's own stack limit on the very inputs it guards against): how deeply JSON nests, and
 * whether bytes are valid UTF-8.
 */
import { isUtf8 } from "node:buffer";

/**
 * The deepest JSON nesting read. Real trajectories nest about 10 levels; the runtime's recursive
 * JSON.stringify and structured clone (worker threads) fail somewhere past 3,000.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The offset in `text` (valid JSON) of the bracket that first opens level `limit + 1`, or -1 when
 * nothing nests that deep. One pass, no recursion; strings are skipped with `indexOf`.
 */
export function overDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = closingQuote(text, i + 1);
    else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/** The offset of the quote closing a JSON string whose text starts at `from`. */
function closingQuote(text: string, from: number): number {
  for (let i = from; ; ) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let b = q - 1;
    while (b >= from && text.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q + 1;
  }
}

/** The byte offset of the first invalid UTF-8 sequence in `bytes`, or -1 when they are valid UTF-8. */
export function invalidUtf8At(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > n) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    // overlong 3- and 4-byte forms, UTF-16 surrogates, code points past U+10FFFF
    const b1 = bytes[i + 1];
    if (len === 3 && ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0))) return i;
    if (len === 4 && ((b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 >= 0x90))) return i;
    i += len;
  }
  return -1;
}

/** 1-based line and column (in bytes) of byte `offset`. */
export function byteLineCol(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: offset - last };
}
