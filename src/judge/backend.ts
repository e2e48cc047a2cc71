/**
 * The narrow judge backend: a chat request in, text (and logprobs, usage) out.
 * One implementation speaks the OpenAI chat-completions protocol through the
 * official client to any compatible server (vLLM, SGLang, Ollama, llama.cpp,
 * OpenAI); dialects differ in how structured output is requested, whether `n`
 * samples come from one request, and how thinking is switched off.
 */
import OpenAI from "openai";

export const DIALECTS = ["openai", "vllm", "sglang", "ollama", "llamacpp"] as const;
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
  ) {
    super(message);
    this.name = "JudgeHttpError";
  }
}

export interface OpenAICompatibleOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  dialect?: Dialect;
  /** retries on 408/409/429/5xx and connection errors, honouring Retry-After (the client's backoff with jitter) */
  maxRetries?: number;
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

  constructor(o: OpenAICompatibleOptions) {
    this.model = o.model;
    this.dialect = o.dialect ?? "openai";
    this.client = new OpenAI({
      baseURL: o.baseURL,
      // local servers accept any key; never written to outputs or logs
      apiKey: o.apiKey ?? process.env.RUBRICATE_API_KEY ?? process.env.OPENAI_API_KEY ?? "not-needed",
      maxRetries: o.maxRetries ?? 4,
      timeout: o.timeoutMs ?? 300_000,
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

  private async send(req: ChatRequest, n: number): Promise<ChatResponse> {
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = (await this.client.chat.completions.create(
        this.body(req, n) as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
      )) as OpenAI.Chat.Completions.ChatCompletion;
    } catch (e) {
      if (e instanceof OpenAI.APIError) {
        const status = e.status;
        throw new JudgeHttpError(
          status,
          `${status ?? "connection"}: ${e.message}`,
          status === undefined || status === 429 || status >= 500,
        );
      }
      throw e;
    }
    const choices: Choice[] = (res.choices ?? []).map((choice) => {
      const msg = choice.message;
      const first = choice.logprobs?.content?.[0];
      return {
        text: msg?.content ?? "",
        firstTokenLogprobs: first
          ? [
              { token: first.token, logprob: first.logprob },
              ...(first.top_logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob })),
            ]
          : undefined,
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
    const r = await this.send(
      { system: "Answer with one word.", user: "Is 2 + 2 = 4? Answer YES or NO.", topLogprobs: 5, maxTokens: 1 },
      1,
    );
    return {
      models,
      modelListed: models ? models.includes(this.model) : null,
      logprobs: (r.firstTokenLogprobs?.length ?? 0) > 0,
      n: SUPPORTS_N[this.dialect],
      latencyMs: Date.now() - t0,
    };
  }
}
