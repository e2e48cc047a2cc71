/**
 * A content-addressed judge cache, so that re-running a judged scoring run
 * costs nothing. One entry per answer, keyed by the sha256 of everything that
 * decides the answer (see `cacheKey`).
 *
 * The store is an append-only JSONL log (`store.ts`) with an in-memory index:
 * plain files, no native module, nothing to compile at install. Several
 * processes (parallel `score` runs) can append to one file at once; each reads
 * what the others wrote when it misses.
 */
import { createHash } from "node:crypto";
import { redact } from "../io/redact.js";
import type { ChatRequest, ChatResponse, JudgeBackend } from "./backend.js";
import { CacheDamaged, LogStore, type CacheOpenOptions } from "./store.js";

export { CacheDamaged, type CacheOpenOptions };

/** A response as the cached backend returns it: `cacheHit` is true when no request was spent on it. */
export type CachedResponse = ChatResponse;

export interface CacheMeta {
  model: string;
  /** milliseconds since the epoch (default: now) */
  createdAt?: number;
}

export interface CacheStats {
  entries: number;
  /** size of the cache file (0 for an in-memory cache) */
  bytes: number;
}

/** Bump to make every older entry a miss when what is stored changes meaning. */
const FORMAT = 1;

export class JudgeCache {
  readonly path: string;
  private store: LogStore;

  /** what the check at open found and did, for the user (null: the file was sound) */
  readonly repaired: string | null;

  /** `path` is a file (created with its folder when missing), or ":memory:" for a cache that is never written. */
  constructor(path: string, o: CacheOpenOptions = {}) {
    this.path = path;
    this.store = new LogStore(path, o);
    this.repaired = this.store.repaired;
  }

  /** The stored response, or undefined on a miss; an entry that cannot be read or parsed is a miss too. */
  get(key: string): ChatResponse | undefined {
    try {
      const entry = this.store.get(key) as { r?: unknown } | undefined;
      return entry && wellFormed(entry.r) ? entry.r : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, response: ChatResponse, meta: CacheMeta): void {
    const { cacheHit: _drop, ...res } = response as CachedResponse;
    // a key a server echoed is never stored
    const r = JSON.parse(redact(JSON.stringify(res))) as unknown;
    this.store.put(key, { m: meta.model, t: meta.createdAt ?? Date.now(), r });
  }

  stats(): CacheStats {
    return this.store.stats();
  }

  close(): void {
    this.store.close();
  }
}

function wellFormed(r: unknown): r is ChatResponse {
  const x = r as ChatResponse | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.text === "string" &&
    Array.isArray(x.choices) &&
    x.choices.length > 0 &&
    x.choices.every((c) => typeof c?.text === "string") &&
    typeof x.usage === "object" &&
    x.usage !== null &&
    typeof x.usage.prompt === "number"
  );
}

/** JSON with object keys sorted at every depth and undefined fields left out, so equal values give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonicalJson(x))).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * The cache key: sha256 (hex) of the canonical JSON of
 *  - a format version (bumped when stored answers change meaning);
 *  - `namespace`: whatever else the caller wants kept apart (rubric hash, judge mode...);
 *  - `model`: the backend's model name;
 *  - `request`: the WHOLE ChatRequest, every field (system, user, schema,
 *    topLogprobs, maxTokens, temperature, n, and any field added to ChatRequest
 *    later, such as a seed or other sampling parameters), so a new field
 *    changes the key without this code knowing about it. Fields set to
 *    undefined count as absent.
 * The server's base URL is deliberately NOT part of the key: the same model
 * answers the same on another server (a local vLLM vs. a hosted endpoint).
 */
export function cacheKey(parts: { namespace: string; model: string; request: ChatRequest }): string {
  const text = canonicalJson({ v: FORMAT, namespace: parts.namespace, model: parts.model, request: parts.request });
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Whether an answer may be stored. Only plain successes are: thrown errors
 * never reach here, and refusals, answers cut off at the token limit
 * (finishReason "length") and empty answers without logprobs are left out,
 * because they are often transient (load, a moderation hiccup, a server that
 * dropped the output) and caching them would freeze a failure into every
 * later run; asking again may well succeed. An answer to a one-token request
 * (a YES/NO question) is complete whatever its finish reason: vLLM reports
 * "length" for every one of them (its token limit is checked before the end
 * of sequence), and refusing those would leave the cache empty forever.
 */
export function cacheable(res: ChatResponse, req?: ChatRequest): boolean {
  const oneToken = req !== undefined && req.maxTokens <= 1;
  return [res, ...res.choices].every(
    (c) =>
      !c.refusal &&
      (oneToken || c.finishReason !== "length") &&
      (c.text !== "" || (c.firstTokenLogprobs?.length ?? 0) > 0),
  );
}

/**
 * A backend answering from the cache when it can. A hit returns the stored
 * response with `cacheHit: true` (its usage is what the original request
 * cost, for the record; callers must not count it again). Identical requests
 * in flight at once are coalesced into one inner call; the ones that waited
 * also get `cacheHit: true`, since no request was spent on them. A failure to
 * store an answer is a warning, not an error: the answer was paid for.
 */
export function cachedBackend(
  inner: JudgeBackend,
  cache: JudgeCache,
  namespace: string,
): JudgeBackend & { hits: number; misses: number } {
  const inflight = new Map<string, Promise<ChatResponse>>();
  const self = {
    model: inner.model,
    hits: 0,
    misses: 0,
    async chat(req: ChatRequest): Promise<CachedResponse> {
      const key = cacheKey({ namespace, model: inner.model, request: req });
      const pending = inflight.get(key);
      if (pending) {
        const res = await pending;
        self.hits++;
        return { ...res, cacheHit: true };
      }
      const stored = cache.get(key);
      if (stored) {
        self.hits++;
        return { ...stored, cacheHit: true };
      }
      self.misses++;
      const call = inner.chat(req).then((res) => {
        if (cacheable(res, req)) {
          try {
            cache.put(key, res, { model: inner.model });
          } catch (e) {
            process.emitWarning(`judge cache ${cache.path}: could not store an answer: ${(e as Error).message}`);
          }
        }
        return res;
      });
      inflight.set(key, call);
      try {
        return await call;
      } finally {
        inflight.delete(key);
      }
    },
  };
  return self;
}
