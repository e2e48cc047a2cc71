/**
 * Client-side limits on judge requests: at most `concurrency` in flight, at
 * most `rpm` started in any rolling minute, and at most `tpm` (estimated
 * prompt + completion) tokens started in any rolling minute. Self-hosted
 * servers queue rather than refuse, so these are the real controls there;
 * hosted APIs also answer 429, which the backend retries.
 */
import PQueue from "p-queue";
import type { ChatRequest, ChatResponse, JudgeBackend } from "./backend.js";

export interface Limits {
  concurrency?: number;
  rpm?: number;
  tpm?: number;
}

const MINUTE = 60_000;

/** Tokens a request may use: its text at ~4 characters a token plus the answers it may generate. */
export function estimateTokens(req: ChatRequest): number {
  return Math.ceil((req.system.length + req.user.length) / 4) + req.maxTokens * Math.max(1, req.n ?? 1);
}

/** A rolling one-minute window of token spend; `take` waits until the tokens fit. */
export class TokenWindow {
  private spent: { at: number; tokens: number }[] = [];
  private total = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perMinute: number,
    private now: () => number = Date.now,
    private sleep: (ms: number) => Promise<void> = (ms) => new Promise((ok) => setTimeout(ok, ms)),
  ) {}

  /** Waits (in arrival order) until `tokens` fit in the window, then records them. A request larger than the whole budget goes alone. */
  take(tokens: number): Promise<void> {
    const turn = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.spent.length && this.spent[0].at <= t - MINUTE) this.total -= this.spent.shift()!.tokens;
        if (this.total + tokens <= this.perMinute || !this.spent.length) break;
        await this.sleep(this.spent[0].at + MINUTE - t + 1);
      }
      this.spent.push({ at: this.now(), tokens });
      this.total += tokens;
    });
    this.chain = turn;
    return turn;
  }
}

export function limitedBackend(inner: JudgeBackend, l: Limits): JudgeBackend & { queue: PQueue } {
  const queue = new PQueue({
    concurrency: Math.max(1, l.concurrency ?? Infinity),
    ...(l.rpm ? { interval: MINUTE, intervalCap: Math.max(1, Math.floor(l.rpm)), strict: true } : {}),
  });
  const window = l.tpm ? new TokenWindow(l.tpm) : null;
  return {
    model: inner.model,
    queue,
    async chat(req: ChatRequest): Promise<ChatResponse> {
      if (window) await window.take(estimateTokens(req));
      return queue.add(() => inner.chat(req));
    },
  };
}
