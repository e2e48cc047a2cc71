/** Checks on request bodies before they are parsed, and bearer tokens compared in constant time. */
import { createHash, timingSafeEqual } from "node:crypto";
import secureJson from "secure-json-parse";

export interface JsonShape {
  /** the nesting is deeper than allowed */
  tooDeep: boolean;
  /** elements of the top-level array field asked for (1 when that field is a single string, 0 when absent) */
  items: number;
}

/**
 * Read the shape of a JSON body without parsing it: whether it nests objects and arrays deeper than
 * `max` (a body built to exhaust the parser is refused before it is parsed), and how many elements
 * the top-level field `field` holds (the rollouts of a request, counted before any is read). Works on
 * the UTF-8 bytes: no byte of a multi-byte character is a quote, bracket or backslash.
 */
export function jsonShape(bytes: Uint8Array, max: number, field: string): JsonShape {
  const key = new TextEncoder().encode(field);
  let depth = 0;
  let items = 0;
  let counting = false;
  let seen = false;
  let lastKey = false;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === 34) {
      // a string: jump to its closing quote (one not escaped by an odd run of backslashes)
      let j = i + 1;
      for (;;) {
        j = bytes.indexOf(34, j);
        if (j < 0) return { tooDeep: false, items }; // unterminated: the parser reports it
        let k = j - 1;
        while (bytes[k] === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j++;
      }
      if (depth === 1) {
        // a key of the top-level object when a colon follows
        let m = j + 1;
        while (m < n && (bytes[m] === 32 || bytes[m] === 10 || bytes[m] === 13 || bytes[m] === 9)) m++;
        if (bytes[m] === 58) lastKey = j - i - 1 === key.length && key.every((b, x) => bytes[i + 1 + x] === b);
        else if (lastKey && !counting) items = 1; // the field is one string
      } else if (counting && depth === 2) seen = true;
      i = j;
    } else if (c === 123 || c === 91) {
      if (counting && depth === 2) seen = true;
      if (++depth > max) return { tooDeep: true, items };
      if (depth === 2 && c === 91 && lastKey) counting = true;
    } else if (c === 125 || c === 93) {
      if (counting && depth === 2) {
        items += seen ? 1 : 0;
        counting = false;
        lastKey = false;
      }
      depth--;
    } else if (counting && depth === 2) {
      if (c === 44) {
        items++;
        seen = false;
      } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) seen = true;
    }
  }
  return { tooDeep: false, items };
}

/** A JSON body refused before or while parsing: the message says why (400). */
export class BodyError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = "BodyError";
  }
}

/**
 * Parse a JSON request body: refused when nested deeper than `maxDepth`, when it is not JSON, or
 * when it carries `__proto__` / `constructor.prototype` keys.
 */
export function parseBody(bytes: Uint8Array, maxDepth: number): unknown {
  if (jsonShape(bytes, maxDepth, "").tooDeep)
    throw new BodyError(`the JSON body nests objects and arrays deeper than ${maxDepth} levels`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (!text.trim()) throw new BodyError("the body is empty; expected a JSON object");
  try {
    return secureJson.parse(text, null, { protoAction: "error", constructorAction: "error" });
  } catch (e) {
    throw new BodyError(`the body is not valid JSON: ${(e as Error).message}`);
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  return timingSafeEqual(digest(m[1].trim()), digest(token));
}

/** Whether a host name or address listens only on this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}
