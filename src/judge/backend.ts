/**
 * The narrow judge backend: a chat request in, text (and logprobs, usage) out.
 * One implementation speaks the OpenAI chat-completions protocol through the
 * official client to any compatible server (vLLM, SGLang, Ollama, llama.cpp,
 * OpenAI); dialects differ in how structured output is requested, whether `n`
 * samples come from one request, and how thinking is switched off.
 */
import OpenAI from "openai";
import { addSecret } from "../io/redact.js";

import { DIALECTS } from "./names.js";

export { DIALECTS };
export type Dialect = (typeof DIALECTS)[number];

export interface ChatRequest {
  system: string;
  user: string;
  /** JSON schema the answer must follow, when the server can enforce it */
  schema?: { name: string; schema: Record<string, unknown> };
  /** ask for the top-k logprobs of each generated token */
  topLogprobs?: number;
  maxTokens: number;
  temperature?: number;
  /** number of sampled answers (default 1) */
  n?: number;
}

export interface Choice {
  text: string;
  /** top logprobs of the first generated token, when asked for */
  firstTokenLogprobs?: { token: string; logprob: number }[];
  finishReason: string | null;
  refusal: string | null;
}

export interface Usage {
  prompt: number;
  completion: number;
  cached: number;
}

/** The first answer's fields, all answers in `choices` (one per sample). */
export interface ChatResponse extends Choice {
  choices: Choice[];
  usage: Usage;
  /** true when no request was spent on it (the cache answered) */
  cacheHit?: boolean;
  /** dollars spent on it, from the price table (null: no price for the model; set by `meteredBackend`) */
  cost?: number | null;
}

export interface JudgeBackend {
  readonly model: string;
  chat(req: ChatRequest): Promise<ChatResponse>;
}

export class JudgeHttpError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
    readonly retryable: boolean,
    /** how long the server asked to wait before asking again (Retry-After), when it said */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "JudgeHttpError";
  }
}

/**
 * An answer that arrived whole but says something impossible (a log-probability above 0, not a
 * number): the server is broken, not busy, so it is not asked again; the criterion is unscored as
 * a malformed response.
 */
export class JudgeResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JudgeResponseError";
  }
}

export interface OpenAICompatibleOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  dialect?: Dialect;
  /**
   * retries on 408/409/429/5xx, connection errors, timeouts and bodies cut off or not JSON, with
   * exponential backoff and jitter, honouring Retry-After (default 4)
   */
  maxRetries?: number;
  /** milliseconds one attempt may take, headers and body (default 300,000) */
  timeoutMs?: number;
}

/** What a server was found to support at start-up. */
export interface Capabilities {
  /** models the server lists; null when it has no models endpoint */
  models: string[] | null;
  /** whether the configured model is among them (null: unknown) */
  modelListed: boolean | null;
  /** whether a one-token request came back with top logprobs */
  logprobs: boolean;
  /** whether one request returns `n` answers (by dialect) */
  n: boolean;
  /** round trip of the one-token request */
  latencyMs: number;
}

/** Servers that return several answers for one request with `n`; the others get n requests. */
const SUPPORTS_N: Record<Dialect, boolean> = { openai: true, vllm: true, sglang: true, ollama: false, llamacpp: false };

export class OpenAICompatible implements JudgeBackend {
  readonly model: string;
  readonly dialect: Dialect;
  private client: OpenAI;
  private maxRetries: number;
  private timeoutMs: number;

  constructor(o: OpenAICompatibleOptions) {
    this.model = o.model;
    this.dialect = o.dialect ?? "openai";
    this.maxRetries = o.maxRetries ?? 4;
    this.timeoutMs = o.timeoutMs ?? 300_000;
    const apiKey = o.apiKey ?? process.env.RUBRICATE_API_KEY ?? process.env.OPENAI_API_KEY ?? "not-needed";
    // local servers accept any key; redacted from every output, log and message
    addSecret(apiKey);
    this.client = new OpenAI({
      baseURL: o.baseURL,
      apiKey,
      // retried here (see send), so that every attempt is bounded whole and bodies are retried too
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  /** The request body in this server's dialect. */
  body(req: ChatRequest, n: number): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages: [
        { role: "system", content: req.system },
        { role: "user", content: req.user },
      ],
      max_tokens: req.maxTokens,
      temperature: req.temperature ?? 0,
    };
    if (n > 1) body.n = n;
    if (req.schema) {
      const { name, schema } = req.schema;
      if (this.dialect === "vllm") body.structured_outputs = { json: schema };
      else if (this.dialect === "llamacpp") body.json_schema = schema;
      else body.response_format = { type: "json_schema", json_schema: { name, schema, strict: true } };
    }
    if (req.topLogprobs) {
      body.logprobs = true;
      body.top_logprobs = req.topLogprobs;
    }
    if (this.dialect === "vllm" || this.dialect === "sglang" || this.dialect === "llamacpp")
      body.chat_template_kwargs = { enable_thinking: false };
    if (this.dialect === "ollama") body.think = false;
    return body;
  }

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const n = Math.max(1, req.n ?? 1);
    if (n === 1 || SUPPORTS_N[this.dialect]) return this.send(req, n);
    // no `n` on this server: n requests, answers and usage merged
    const parts = await Promise.all(Array.from({ length: n }, () => this.send(req, 1)));
    const usage = parts.reduce(
      (u, p) => ({
        prompt: u.prompt + p.usage.prompt,
        completion: u.completion + p.usage.completion,
        cached: u.cached + p.usage.cached,
      }),
      { prompt: 0, completion: 0, cached: 0 },
    );
    return { ...parts[0], choices: parts.flatMap((p) => p.choices), usage };
  }

  /**
   * One request, retried: on 408/409/429/5xx and connection errors (honouring Retry-After), and on
   * a body that was cut off, not JSON or not a chat completion, or slower than the timeout. Each
   * attempt is bounded by `timeoutMs` as a whole, headers and body.
   */
  private async send(req: ChatRequest, n: number): Promise<ChatResponse> {
    const body = this.body(req, n);
    for (let attempt = 0; ; attempt++) {
      try {
        return read(await this.attempt(body));
      } catch (e) {
        const fault = e instanceof JudgeHttpError ? e : e instanceof JudgeResponseError ? null : bodyFault(e);
        if (!fault || !fault.retryable || attempt >= this.maxRetries) throw fault ?? e;
        await sleep(retryDelay(fault, attempt));
      }
    }
  }

  /** One attempt, aborted when the whole exchange (headers and body) takes longer than the timeout. */
  private async attempt(body: Record<string, unknown>): Promise<OpenAI.Chat.Completions.ChatCompletion> {
    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.timeoutMs);
    try {
      const res = await this.client.chat.completions.create(
        body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
        { signal: ctl.signal, maxRetries: 0 },
      );
      if (timedOut) throw timeoutError(this.timeoutMs);
      return res as OpenAI.Chat.Completions.ChatCompletion;
    } catch (e) {
      if (timedOut) throw timeoutError(this.timeoutMs);
      if (e instanceof OpenAI.APIError) {
        const status = e.status;
        throw new JudgeHttpError(
          status,
          `${status ?? "connection"}: ${e.message}`,
          status === undefined || status === 408 || status === 409 || status === 429 || status >= 500,
          retryAfterMs(e.headers),
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Start-up probe: the models list and a one-token logprobs request. Throws when the server cannot be reached. */
  async probe(): Promise<Capabilities> {
    let models: string[] | null = null;
    try {
      const list = await this.client.models.list({ maxRetries: 1 });
      models = list.data.map((m) => m.id);
    } catch (e) {
      if (!(e instanceof OpenAI.APIError) || e.status === undefined)
        throw new JudgeHttpError(undefined, `cannot reach the judge server: ${(e as Error).message}`, false);
    }
    const t0 = Date.now();
    const modelListed = models ? models.includes(this.model) : null;
    let r: ChatResponse;
    try {
      r = await this.send(
        { system: "Answer with one word.", user: "Is 2 + 2 = 4? Answer YES or NO.", topLogprobs: 5, maxTokens: 1 },
        1,
      );
    } catch (e) {
      // a server that refuses a model it does not list (vLLM answers 404): the list says what is wrong
      if (modelListed === false)
        return { models, modelListed, logprobs: false, n: SUPPORTS_N[this.dialect], latencyMs: Date.now() - t0 };
      throw e;
    }
    return {
      models,
      modelListed,
      logprobs: (r.firstTokenLogprobs?.length ?? 0) > 0,
      n: SUPPORTS_N[this.dialect],
      latencyMs: Date.now() - t0,
    };
  }
}

/**
 * A chat completion's answers and usage. A body that is not a chat completion is a fault to retry;
 * a log-probability that cannot be (above 0, or not a number) is a `JudgeResponseError`.
 */
function read(res: OpenAI.Chat.Completions.ChatCompletion): ChatResponse {
  if (!res || typeof res !== "object" || !Array.isArray(res.choices))
    throw new JudgeHttpError(200, "the judge server's answer is not a chat completion (no choices)", true);
  const choices: Choice[] = (res.choices ?? []).map((choice) => {
    const msg = choice.message;
    const first = choice.logprobs?.content?.[0];
    const tops = first
      ? [
          { token: first.token, logprob: first.logprob },
          ...(first.top_logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob })),
        ]
      : undefined;
    if (tops) checkLogprobs(tops);
    return {
      text: msg?.content ?? "",
      firstTokenLogprobs: tops,
      finishReason: choice.finish_reason ?? null,
      refusal: (msg as { refusal?: string | null } | undefined)?.refusal ?? null,
    };
  });
  if (!choices.length) choices.push({ text: "", finishReason: null, refusal: null });
  const usage = res.usage as
    | (OpenAI.CompletionUsage & { prompt_tokens_details?: { cached_tokens?: number } })
    | undefined;
  return {
    ...choices[0],
    choices,
    usage: {
      prompt: usage?.prompt_tokens ?? 0,
      completion: usage?.completion_tokens ?? 0,
      cached: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    },
  };
}

/** The largest log-probability taken as 0 (servers round): anything above is impossible. */
const LOGPROB_EPSILON = 1e-4;

function checkLogprobs(tops: { token: string; logprob: number }[]): void {
  for (const t of tops)
    if (typeof t.logprob !== "number" || Number.isNaN(t.logprob) || t.logprob > LOGPROB_EPSILON)
      throw new JudgeResponseError(
        `impossible log-probability ${String(t.logprob)} for token ${JSON.stringify(t.token)}: a log-probability is at most 0`,
      );
}

/** An error thrown while the answer's body was read: cut off, not JSON, aborted. */
function bodyFault(e: unknown): JudgeHttpError | null {
  if (e instanceof SyntaxError)
    return new JudgeHttpError(
      200,
      `the judge server's answer is not valid JSON (truncated or damaged): ${e.message}`,
      true,
    );
  if (e instanceof TypeError || (e as Error)?.name === "AbortError")
    return new JudgeHttpError(undefined, `the judge server's answer was cut off: ${(e as Error).message}`, true);
  return null;
}

function timeoutError(ms: number): JudgeHttpError {
  return new JudgeHttpError(undefined, `timed out: no complete answer within ${ms / 1000} s (headers and body)`, true);
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds, capped at a minute. */
function retryAfterMs(h: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(h?.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms)) return Math.min(60_000, Math.max(0, ms));
  const v = h?.get("retry-after");
  if (!v) return undefined;
  const s = Number.parseFloat(v);
  const wait = Number.isFinite(s) ? s * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(wait) ? Math.min(60_000, Math.max(0, wait)) : undefined;
}

/** The wait before retry `attempt` (0-based): what the server asked, else 0.5 s doubling to 8 s, with jitter. */
function retryDelay(e: JudgeHttpError, attempt: number): number {
  if (e.retryAfterMs !== undefined) return e.retryAfterMs;
  return Math.min(8000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.25);
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
