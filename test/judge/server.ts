/**
 * An OpenAI-compatible chat-completions server for the tests, on 127.0.0.1:
 * GET /v1/models and POST /v1/chat/completions with JSON-schema answers,
 * logprobs/top_logprobs, usage, and scripted failures (429 with Retry-After,
 * 500, 400, malformed or truncated JSON, refusals, delays, bodies cut off or stalled half way), an
 * optional latency on every answer, and the number of requests in flight. A request with a
 * JSON schema (in any dialect's field) is answered like a guided-decoding
 * server answers it: with an instance of that schema, built under `guided`
 * (which may leave out whatever the schema does not require, or repeat array
 * items), never with anything the schema does not allow.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dialect } from "../../src/judge/backend.js";
import { instanceOf, type GuidedPolicy, type JsonSchema } from "./guided.js";

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** raw body text (for malformed replies); else `json` */
  raw?: string;
  json?: unknown;
  delayMs?: number;
  /** answer only once this settles (after any delay) */
  waitFor?: Promise<void>;
  /** send the headers (a Content-Length for the whole body) and half the body, then drop the connection */
  truncate?: boolean;
  /** send the headers and half the body, then wait this long before the rest */
  stallMs?: number;
}

export type Script = (body: Record<string, unknown>, n: number) => Reply | undefined;

export interface TestServer {
  url: string;
  requests: Record<string, unknown>[];
  script: Script | null;
  /** the models GET /v1/models lists */
  models: string[];
  /** answer a chat request for a model not in `models` with 404, as vLLM does (default: answer any model) */
  onlyListedModels?: boolean;
  /** the Authorization header of each chat request */
  auth: (string | undefined)[];
  /** milliseconds every chat answer waits before it is sent (added to a scripted delay) */
  latencyMs: number;
  /** chat requests being answered now, and the most there have been at once */
  inFlight: number;
  maxInFlight: number;
  /** how schema-constrained answers are built when no script answers (default: every property, two array items) */
  guided: GuidedPolicy;
  /** when set, the server reads a JSON schema only where that server does (see requestedSchema) and answers free text otherwise */
  dialect?: Dialect;
  /** when an array, each chat request's arrival and answer times (performance.timeOrigin-based ms) and its connection */
  spans: { at: number; end: number; conn: number }[] | null;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** false: leave Nagle's algorithm on for the server's sockets (node's default is to turn it off) */
  noDelay?: boolean;
  /** send the headers and the body of each answer in two writes (as many servers do) instead of one */
  splitWrites?: boolean;
}

function completion(
  content: string,
  opts: { logprobs?: { token: string; logprob: number }[]; refusal?: string; finish?: string } = {},
): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model: "test-judge",
    choices: [
      {
        index: 0,
        finish_reason: opts.finish ?? "stop",
        message: { role: "assistant", content, refusal: opts.refusal ?? null },
        logprobs: opts.logprobs
          ? {
              content: [
                {
                  token: opts.logprobs[0].token,
                  logprob: opts.logprobs[0].logprob,
                  bytes: null,
                  top_logprobs: opts.logprobs.map((l) => ({ ...l, bytes: null })),
                },
              ],
            }
          : null,
      },
    ],
    usage: {
      prompt_tokens: 100,
      completion_tokens: 10,
      total_tokens: 110,
      prompt_tokens_details: { cached_tokens: 40 },
    },
  };
}

/**
 * The JSON schema a request asks for. Without `dialect`, in any dialect's field: response_format
 * (OpenAI, SGLang, Ollama), structured_outputs.json (vLLM), json_schema (llama.cpp). With it, only
 * in the fields that server reads (after their documentation): vLLM response_format json_schema or
 * structured_outputs.json (not guided_json, removed in v0.12); SGLang, Ollama's OpenAI endpoint and
 * OpenAI response_format json_schema; llama.cpp's server response_format (json_schema, or
 * json_object with a schema) or its own json_schema. A schema anywhere else is ignored, as that
 * server ignores it.
 */
export function requestedSchema(body: Record<string, unknown>, dialect?: Dialect): JsonSchema | undefined {
  const rf = body.response_format as
    | { type?: string; json_schema?: { schema?: JsonSchema }; schema?: JsonSchema }
    | undefined;
  const standard = rf?.type === "json_schema" ? rf.json_schema?.schema : undefined;
  const vllm = (body.structured_outputs as { json?: JsonSchema } | undefined)?.json;
  const llamacpp = (rf?.type === "json_object" ? rf.schema : undefined) ?? (body.json_schema as JsonSchema | undefined);
  if (dialect === "vllm") return standard ?? vllm;
  if (dialect === "llamacpp") return standard ?? llamacpp;
  if (dialect) return standard;
  return standard ?? vllm ?? llamacpp;
}

/** The criterion ids a rubric-mode request asks about (the required properties of its schema). */
export function askedIds(body: Record<string, unknown>): string[] {
  return requestedSchema(body)?.required ?? [];
}

/** A rubric-mode answer to `body` in the shape its schema asks for: for each asked id, `entry(id, i)`. */
export function rubricAnswer(
  body: Record<string, unknown>,
  entry: (id: string, i: number) => { verdict: string; evidence?: number[]; rationale?: string },
): string {
  return JSON.stringify(
    Object.fromEntries(
      askedIds(body).map((id, i) => {
        const e = entry(id, i);
        return [id, { rationale: e.rationale ?? `about ${id}`, evidence: e.evidence ?? [0], verdict: e.verdict }];
      }),
    ),
  );
}

/** The user message of a request. */
export function userText(body: Record<string, unknown>): string {
  return (body.messages as { role: string; content: string }[]).find((m) => m.role === "user")?.content ?? "";
}

/** The same completion with `n` choices (the request's n), as servers that support n answer. */
export function withChoices(json: unknown, n: number): unknown {
  const c = json as { choices: unknown[] };
  return { ...c, choices: Array.from({ length: n }, (_, i) => ({ ...(c.choices[0] as object), index: i })) };
}

/** Default answers: a schema instance (for a rubric question "yes", citing steps 0 and 1); YES with p ≈ 0.82 for a logprob question. */
export function defaultReply(body: Record<string, unknown>, policy: GuidedPolicy = {}, dialect?: Dialect): Reply {
  const schema = requestedSchema(body, dialect);
  if (schema) {
    const n = typeof body.n === "number" && body.n > 1 ? body.n : 1;
    const json = withChoices(completion(""), n) as { choices: { message: { content: string } }[] };
    for (const c of json.choices)
      c.message = {
        ...c.message,
        content: JSON.stringify(instanceOf(schema, { text: (p) => `looked at ${p.join(".")}`, ...policy })),
      };
    return { json };
  }
  // a one-token budget is used up by the answer: vLLM and OpenAI then say finish_reason "length"
  const finish = (body.max_tokens ?? body.max_completion_tokens) === 1 ? "length" : "stop";
  if (body.top_logprobs) {
    return {
      json: completion("YES", {
        finish,
        logprobs: [
          { token: "YES", logprob: -0.2 },
          { token: " NO", logprob: -1.7 },
          { token: "Yes", logprob: -4 },
        ],
      }),
    };
  }
  return { json: completion("YES", { finish }) };
}

export { completion };

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

const now = () => performance.timeOrigin + performance.now();

export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const state: TestServer = {
    url: "",
    requests: [],
    script: null,
    models: ["test-judge"],
    auth: [],
    latencyMs: 0,
    inFlight: 0,
    maxInFlight: 0,
    guided: {},
    spans: null,
    close: async () => {},
  };
  const conns = new WeakMap<object, number>();
  let nextConn = 0;
  const server: Server = createServer({ noDelay: opts.noDelay ?? true }, async (req, res) => {
    if (req.method === "GET" && req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ object: "list", data: state.models.map((id) => ({ id, object: "model", owned_by: "test" })) }),
      );
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const at = now();
    if (state.spans) {
      if (!conns.has(req.socket)) conns.set(req.socket, nextConn++);
      const span = { at, end: at, conn: conns.get(req.socket)! };
      state.spans.push(span);
      res.once("finish", () => (span.end = now()));
    }
    try {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      state.requests.push(body);
      if (state.onlyListedModels && !state.models.includes(String(body.model))) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            object: "error",
            message: `The model \`${String(body.model)}\` does not exist.`,
            type: "NotFoundError",
            code: 404,
          }),
        );
        return;
      }
      state.auth.push(req.headers.authorization);
      const r = state.script?.(body, state.requests.length) ?? defaultReply(body, state.guided, state.dialect);
      const delay = (r.delayMs ?? 0) + state.latencyMs;
      if (delay) await new Promise((ok) => setTimeout(ok, delay));
      if (r.waitFor) await r.waitFor;
      const text = Buffer.from(r.raw ?? JSON.stringify(r.json ?? {}));
      if (!r.truncate && !r.stallMs) {
        res.writeHead(r.status ?? 200, { "content-type": "application/json", ...(r.headers ?? {}) });
        if (opts.splitWrites) res.flushHeaders();
        res.end(text);
        return;
      }
      // misbehaving: the headers promise the whole body, half of it comes, then nothing (or a long wait)
      res.writeHead(r.status ?? 200, {
        "content-type": "application/json",
        "content-length": String(text.length),
        ...(r.headers ?? {}),
      });
      if (r.truncate) {
        // dropped once the half has gone out: the client has the headers and part of the body
        res.write(text.subarray(0, text.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      res.write(text.subarray(0, text.length >> 1));
      const timer = setTimeout(() => res.end(text.subarray(text.length >> 1)), r.stallMs);
      res.on("close", () => clearTimeout(timer));
    } finally {
      state.inFlight--;
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  return state;
}
