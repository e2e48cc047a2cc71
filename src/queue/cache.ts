/**
 * The judge answer cache shared by every worker of every machine: the same content-addressed
 * keys as the local file cache (`cacheKey`: the whole request, the model, the rubric's hash), answers
 * stored in Redis. Two workers asking the same question at once: the first marks the key as in
 * flight (SET NX) and asks; the other waits for its answer instead of paying again.
 */
import { redact } from "../io/redact.js";
import type { Redis } from "ioredis";
import type { ChatRequest, ChatResponse, JudgeBackend } from "../judge/backend.js";
import { cacheKey, cacheable } from "../judge/cache.js";

const PREFIX = "rubricate:judge-cache:";
const FLIGHT = "rubricate:judge-flight:";

/** How long an in-flight mark lives (a worker that died while asking frees the key then). */
const FLIGHT_MS = 120_000;

export function redisCachedBackend(
  inner: JudgeBackend,
  redis: Redis,
  namespace: string,
  pollMs = 100,
): JudgeBackend & { hits: number; misses: number } {
  const self = {
    model: inner.model,
    hits: 0,
    misses: 0,
    async chat(req: ChatRequest): Promise<ChatResponse> {
      const key = cacheKey({ namespace, model: inner.model, request: req });
      const stored = await get(redis, key);
      if (stored) {
        self.hits++;
        return { ...stored, cacheHit: true };
      }
      // another worker asking the same now: wait for its answer (until its mark expires)
      while ((await redis.set(FLIGHT + key, "1", "PX", FLIGHT_MS, "NX")) !== "OK") {
        await new Promise((ok) => setTimeout(ok, pollMs));
        const got = await get(redis, key);
        if (got) {
          self.hits++;
          return { ...got, cacheHit: true };
        }
      }
      try {
        // the worker that held the mark may have stored its answer and let go between our first
        // look and our mark: look again before paying
        const late = await get(redis, key);
        if (late) {
          self.hits++;
          return { ...late, cacheHit: true };
        }
        self.misses++;
        const res = await inner.chat(req);
        if (cacheable(res, req)) {
          const { cacheHit: _h, cost: _c, ...plain } = res;
          await redis
            .set(PREFIX + key, redact(JSON.stringify(plain))) // a key a server echoed is never stored
            .catch((e: Error) => process.emitWarning(`shared judge cache: could not store an answer: ${e.message}`));
        }
        return res;
      } finally {
        await redis.del(FLIGHT + key).catch(() => {});
      }
    },
  };
  return self;
}

async function get(redis: Redis, key: string): Promise<ChatResponse | undefined> {
  const raw = await redis.get(PREFIX + key);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as ChatResponse;
    return v && typeof v.text === "string" && Array.isArray(v.choices) ? v : undefined;
  } catch {
    return undefined; // a damaged entry is a miss; the answer is stored again
  }
}
