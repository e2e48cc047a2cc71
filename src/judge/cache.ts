/**
 * A content-addressed judge cache in an embedded SQLite database, so that
 * re-running a judged scoring run costs nothing. One row per answer, keyed by
 * the sha256 of everything that decides the answer (see `cacheKey`). The file
 * is opened in WAL mode with a busy timeout, so several processes (parallel
 * `score` runs) can read and write one cache file at once.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";

/** better-sqlite3 is a native module: loaded when a cache is opened, so the rest of rubricate works without it. */
const load = (): typeof Database => createRequire(import.meta.url)("better-sqlite3") as typeof Database;
import { redact } from "../io/redact.js";
import type { ChatRequest, ChatResponse, JudgeBackend } from "./backend.js";

/** A response as the cached backend returns it: `cacheHit` is true when no request was spent on it. */
export type CachedResponse = ChatResponse;

export interface CacheMeta {
  model: string;
  /** milliseconds since the epoch (default: now) */
  createdAt?: number;
}

export interface CacheStats {
  entries: number;
  /** size of the database (page count x page size, including pages still in the WAL) */
  bytes: number;
}

/** Bump to make every older entry a miss when what is stored changes meaning. */
const FORMAT = 1;

const SCHEMA = `CREATE TABLE IF NOT EXISTS judge_cache (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  response TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  created_at INTEGER NOT NULL
)`;

export interface CacheOpenOptions {
  busyTimeoutMs?: number;
  /** a cache that fails its integrity check is moved aside and rebuilt (else opening it throws `CacheDamaged`) */
  repair?: boolean;
}

/** A cache file that failed its integrity check at open. */
export class CacheDamaged extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CacheDamaged";
  }
}

type Sqlite = typeof Database;

/**
 * What SQLite's quick_check finds wrong with the file (pages, indexes, the header), or null when
 * it is sound. A file that is not a SQLite database at all is left to the open to report.
 */
function integrityProblem(Sqlite: Sqlite, path: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Sqlite(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma("quick_check(5)") as { quick_check: string }[];
    const bad = rows.map((r) => r.quick_check).filter((m) => m !== "ok");
    const text = bad.join("; ").replace(/\s*\n\s*/g, "; ");
    return bad.length ? `quick_check: ${text.slice(0, 300)}` : null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "SQLITE_NOTADB") return null;
    if (code === "SQLITE_CORRUPT") return `${(e as Error).message}`;
    return null; // busy, permissions...: the open says what is wrong
  } finally {
    db?.close();
  }
}

/**
 * Moves a damaged cache aside (`<file>.damaged-<time>`) and writes a new one with every row that
 * can still be read from it. Returns what was done, for the user.
 */
function rebuild(Sqlite: Sqlite, path: string, damage: string): string {
  const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(path, aside);
  for (const ext of ["-wal", "-shm"]) if (existsSync(path + ext)) renameSync(path + ext, aside + ext);
  const fresh = new Sqlite(path);
  let kept = 0;
  let lost = 0;
  try {
    fresh.exec(SCHEMA);
    const put = fresh.prepare(
      "INSERT OR REPLACE INTO judge_cache (key, model, response, prompt_tokens, completion_tokens, cached_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    let old: Database.Database | undefined;
    try {
      old = new Sqlite(aside, { readonly: true, fileMustExist: true });
      const rows = old
        .prepare(
          "SELECT key, model, response, prompt_tokens, completion_tokens, cached_tokens, created_at FROM judge_cache",
        )
        .raw()
        .iterate() as IterableIterator<unknown[]>;
      // rows are copied until the damage stops the scan; a row whose answer no longer parses is left out
      for (;;) {
        let next: IteratorResult<unknown[]>;
        try {
          next = rows.next();
        } catch {
          break;
        }
        if (next.done) break;
        const r = next.value;
        let ok = typeof r[0] === "string" && /^[0-9a-f]{64}$/.test(r[0]) && typeof r[2] === "string";
        if (ok) {
          try {
            ok = wellFormed(JSON.parse(r[2] as string));
          } catch {
            ok = false;
          }
        }
        if (!ok) {
          lost++;
          continue;
        }
        put.run(...(r as [string, string, string, number, number, number, number]));
        kept++;
      }
    } catch {
      // the old file cannot be read at all: the new cache starts empty
    } finally {
      old?.close();
    }
  } finally {
    fresh.close();
  }
  return `judge cache ${path} was damaged (${damage}): moved to ${aside} and rebuilt with the ${kept} entries that could still be read${lost ? ` (${lost} unreadable left out)` : ""}`;
}

export class JudgeCache {
  readonly path: string;
  private db: Database.Database;
  private getStmt: Database.Statement<[string], { response: string }>;
  private putStmt: Database.Statement<[string, string, string, number, number, number, number]>;
  private countStmt: Database.Statement<[], { n: number }>;

  /** what the integrity check at open found and did, for the user (null: the file was sound) */
  readonly repaired: string | null = null;

  constructor(path: string, o: CacheOpenOptions = {}) {
    this.path = path;
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database | undefined;
    try {
      // `timeout` is SQLite's busy_timeout: wait for another process's write lock instead of failing
      const Sqlite = load();
      const damage = path === ":memory:" || !existsSync(path) ? null : integrityProblem(Sqlite, path);
      if (damage) {
        if (!o.repair)
          throw new CacheDamaged(
            `judge cache ${path} is damaged (${damage}); refusing to use it. ` +
              "Pass --repair-cache to move it aside and rebuild it from the entries that can still be read, " +
              "or use another --cache file, or --no-cache",
          );
        this.repaired = rebuild(Sqlite, path, damage);
      }
      db = new Sqlite(path, { timeout: o.busyTimeoutMs ?? 10_000 });
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.exec(SCHEMA);
      this.getStmt = db.prepare("SELECT response FROM judge_cache WHERE key = ?");
      this.putStmt = db.prepare(
        "INSERT OR REPLACE INTO judge_cache (key, model, response, prompt_tokens, completion_tokens, cached_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      this.countStmt = db.prepare("SELECT count(*) AS n FROM judge_cache");
    } catch (e) {
      db?.close();
      if (e instanceof CacheDamaged) throw e;
      const code = (e as { code?: string }).code;
      const what = code === "SQLITE_NOTADB" ? "it is not a SQLite database" : (e as Error).message;
      throw new Error(
        `judge cache ${path}: cannot open it (${what}); expected a SQLite judge cache, or a path where one can be created (use another --cache file or --no-cache)`,
      );
    }
    this.db = db;
  }

  /** The stored response, or undefined on a miss; a row that cannot be read or parsed is a miss too. */
  get(key: string): ChatResponse | undefined {
    try {
      const row = this.getStmt.get(key);
      if (!row) return undefined;
      const res = JSON.parse(row.response) as ChatResponse;
      return wellFormed(res) ? res : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, response: ChatResponse, meta: CacheMeta): void {
    const { cacheHit: _drop, ...res } = response as CachedResponse;
    const u = res.usage ?? { prompt: 0, completion: 0, cached: 0 };
    this.putStmt.run(
      key,
      meta.model,
      redact(JSON.stringify(res)), // a key a server echoed is never stored
      u.prompt,
      u.completion,
      u.cached,
      meta.createdAt ?? Date.now(),
    );
  }

  stats(): CacheStats {
    const pages = this.db.pragma("page_count", { simple: true }) as number;
    const size = this.db.pragma("page_size", { simple: true }) as number;
    return { entries: this.countStmt.get()!.n, bytes: pages * size };
  }

  close(): void {
    if (this.db.open) this.db.close();
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
