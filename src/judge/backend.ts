/**
 * The narrow judge backend: a chat request in, text (and logprobs, usage) out.
 * One implementation speaks the OpenAI chat-completions protocol through the
 * official client to any compatible server (vLLM, SGLang, Ollama, llama.cpp,
 * OpenAI); dialects differ only in how structured output is requested and
 * whether thinking must be switched off.
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
}

export interface ChatResponse {
  text: string;
  /** top logprobs of the first generated token, when asked for */
  firstTokenLogprobs?: { token: string; logprob: number }[];
  finishReason: string | null;
  refusal: string | null;
  usage: { prompt: number; completion: number; cached: number };
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

export class OpenAICompatible implements JudgeBackend {
  readonly model: string;
  private client: OpenAI;
  private dialect: Dialect;

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

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const body: Record<string, unknown> = {
      model: this.model,
      messages: [
        { role: "system", content: req.system },
        { role: "user", content: req.user },
      ],
      max_tokens: req.maxTokens,
      temperature: req.temperature ?? 0,
    };
    if (req.schema) {
      body.response_format = { type: "json_schema", json_schema: { name: req.schema.name, schema: req.schema.schema, strict: true } };
    }
    if (req.topLogprobs) {
      body.logprobs = true;
      body.top_logprobs = req.topLogprobs;
    }
    if (this.dialect === "vllm" || this.dialect === "sglang" || this.dialect === "llamacpp") body.chat_template_kwargs = { enable_thinking: false };
    if (this.dialect === "ollama") body.think = false;
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      res = (await this.client.chat.completions.create(body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming)) as OpenAI.Chat.Completions.ChatCompletion;
    } catch (e) {
      if (e instanceof OpenAI.APIError) {
        const status = e.status;
        throw new JudgeHttpError(status, `${status ?? "connection"}: ${e.message}`, status === undefined || status === 429 || status >= 500);
      }
      throw e;
    }
    const choice = res.choices?.[0];
    const msg = choice?.message;
    const first = choice?.logprobs?.content?.[0];
    const usage = res.usage as (OpenAI.CompletionUsage & { prompt_tokens_details?: { cached_tokens?: number } }) | undefined;
    return {
      text: msg?.content ?? "",
      firstTokenLogprobs: first ? [{ token: first.token, logprob: first.logprob }, ...(first.top_logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob }))] : undefined,
      finishReason: choice?.finish_reason ?? null,
      refusal: (msg as { refusal?: string | null } | undefined)?.refusal ?? null,
      usage: { prompt: usage?.prompt_tokens ?? 0, completion: usage?.completion_tokens ?? 0, cached: usage?.prompt_tokens_details?.cached_tokens ?? 0 },
    };
  }
}
