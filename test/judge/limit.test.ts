/** Client-side limits: requests in flight, tokens per minute. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChatRequest, ChatResponse, JudgeBackend } from "../../src/judge/backend.js";
import { estimateTokens, limitedBackend, TokenWindow } from "../../src/judge/limit.js";

const req = (chars: number, maxTokens = 1): ChatRequest => ({ system: "", user: "x".repeat(chars), maxTokens });
const ok: ChatResponse = {
  text: "YES",
  finishReason: "stop",
  refusal: null,
  choices: [],
  usage: { prompt: 1, completion: 1, cached: 0 },
};

describe("judge request limits", () => {
  it("estimates tokens from the prompt length and the answers it may generate", () => {
    assert.equal(estimateTokens(req(400, 10)), 110);
    assert.equal(estimateTokens({ ...req(400, 10), n: 3 }), 130);
  });

  it("never has more than `concurrency` requests in flight", async () => {
    let now = 0;
    let peak = 0;
    const slow: JudgeBackend = {
      model: "m",
      async chat() {
        peak = Math.max(peak, ++now);
        await new Promise((r) => setTimeout(r, 5));
        now--;
        return ok;
      },
    };
    const b = limitedBackend(slow, { concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, () => b.chat(req(10))));
    assert.equal(peak, 3);
  });

  it("a token window waits for spend older than a minute to leave before going over", async () => {
    let t = 0;
    const waits: number[] = [];
    const w = new TokenWindow(
      1000,
      () => t,
      async (ms) => {
        waits.push(ms);
        t += ms;
      },
    );
    await w.take(600);
    await w.take(300);
    assert.equal(t, 0, "900 of 1000: no wait");
    await w.take(200);
    assert.equal(waits.length, 1, "1100 would exceed the minute's budget");
    assert.ok(t > 60_000, `waited until the first spend left the window (t=${t})`);
    // a request larger than the whole budget goes alone, once the window is empty
    await w.take(5000);
    assert.ok(t >= 120_000);
  });

  it("concurrent takers are served in arrival order", async () => {
    let t = 0;
    const w = new TokenWindow(
      100,
      () => t,
      async (ms) => {
        t += ms;
      },
    );
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => w.take(60).then(() => order.push(i))));
    assert.deepEqual(order, [1, 2, 3]);
  });
});
