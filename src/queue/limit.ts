/**
 * Rate limits that hold across all workers of a run: judge requests per minute and (estimated)
 * tokens per minute, counted in Redis in one-second buckets over a sliding minute. A Lua script
 * checks and counts atomically, so workers on many machines never exceed the run's limit together;
 * a request that does not fit waits until enough of the window has passed.
 */
import type { Redis } from "ioredis";
import type { ChatRequest, JudgeBackend } from "../judge/backend.js";
import { estimateTokens } from "../judge/limit.js";

/**
 * KEYS[1], KEYS[2]: request and token bucket prefixes; ARGV: now (s), rpm (0: none), tpm (0: none),
 * tokens of this request. Returns 0 when counted, else the seconds to wait.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local function used(prefix)
  local total = 0
  for s = now - 59, now do
    local v = redis.call('GET', prefix .. s)
    if v then total = total + tonumber(v) end
  end
  return total
end
if rpm > 0 and used(KEYS[1]) + 1 > rpm then return 1 end
if tpm > 0 then
  local t = used(KEYS[2])
  if t > 0 and t + tokens > tpm then return 1 end
end
if rpm > 0 then redis.call('INCRBY', KEYS[1] .. now, 1); redis.call('EXPIRE', KEYS[1] .. now, 70) end
if tpm > 0 then redis.call('INCRBY', KEYS[2] .. now, tokens); redis.call('EXPIRE', KEYS[2] .. now, 70) end
return 0
`;

export function sharedLimits(
  inner: JudgeBackend,
  redis: Redis,
  run: string,
  l: { rpm?: number; tpm?: number },
): JudgeBackend {
  if (!l.rpm && !l.tpm) return inner;
  const req = `rubricate:run:${run}:rpm:${inner.model}:`;
  const tok = `rubricate:run:${run}:tpm:${inner.model}:`;
  return {
    model: inner.model,
    async chat(r: ChatRequest) {
      const tokens = estimateTokens(r);
      for (;;) {
        const now = Math.floor(Date.now() / 1000);
        const wait = (await redis.eval(TAKE, 2, req, tok, now, l.rpm ?? 0, l.tpm ?? 0, tokens)) as number;
        if (wait === 0) break;
        await new Promise((ok) => setTimeout(ok, 250 + Math.random() * 250));
      }
      return inner.chat(r);
    },
  };
}
