/**
 * An OpenAI-compatible chat-completions server for the tests, on 127.0.0.1:
 * GET /v1/models and POST /v1/chat/completions with JSON-schema answers,
 * logprobs/top_logprobs, usage, and scripted failures (429 with Retry-After,
 * 500, 400, malformed or truncated JSON, refusals, delays), an optional latency on every answer, and the
 * number of requests in flight.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** raw body text (for malformed replies); else `json` */
  raw?: string;
  json?: unknown;
  delayMs?: number;
}

export type Script = (body: Record<string, unknown>, n: number) => Reply | undefined;

export interface TestServer {
  url: string;
  requests: Record<string, unknown>[];
  script: Script | null;
  /** the models GET /v1/models lists */
  models: string[];
  /** the Authorization header of each chat request */
  auth: (string | undefined)[];
  /** milliseconds every chat answer waits before it is sent (added to a scripted delay) */
  latencyMs: number;
  /** chat requests being answered now, and the most there have been at once */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

function completion(
  content: string,
  opts: { logprobs?: { token: string; logprob: number }[]; refusal?: string } = {},
): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model: "test-judge",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
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

/** The default answer: "yes" to every rubric question citing steps 0 and 1; YES with p ≈ 0.82 for a logprob question. */
type Schema = { properties?: { criteria?: { items?: { properties?: { id?: { enum?: string[] } } } } } };

/** The JSON schema a request asks for, in any dialect: response_format (OpenAI, SGLang, Ollama), structured_outputs.json (vLLM), json_schema (llama.cpp). */
export function requestedSchema(body: Record<string, unknown>): Schema | undefined {
  const rf = body.response_format as { json_schema?: { schema?: Schema } } | undefined;
  return (
    rf?.json_schema?.schema ??
    (body.structured_outputs as { json?: Schema } | undefined)?.json ??
    (body.json_schema as Schema | undefined)
  );
}

/** The same completion with `n` choices (the request's n), as servers that support n answer. */
export function withChoices(json: unknown, n: number): unknown {
  const c = json as { choices: unknown[] };
  return { ...c, choices: Array.from({ length: n }, (_, i) => ({ ...(c.choices[0] as object), index: i })) };
}

export function defaultReply(body: Record<string, unknown>): Reply {
  const ids = requestedSchema(body)?.properties?.criteria?.items?.properties?.id?.enum;
  if (ids) {
    const json = completion(
      JSON.stringify({
        criteria: ids.map((id) => ({ id, verdict: "yes", evidence: [0, 1], rationale: `looked at ${id}` })),
      }),
    );
    return { json: typeof body.n === "number" && body.n > 1 ? withChoices(json, body.n) : json };
  }
  if (body.top_logprobs) {
    return {
      json: completion("YES", {
        logprobs: [
          { token: "YES", logprob: -0.2 },
          { token: " NO", logprob: -1.7 },
          { token: "Yes", logprob: -4 },
        ],
      }),
    };
  }
  return { json: completion("YES") };
}

export { completion };

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

export async function startServer(): Promise<TestServer> {
  const state: TestServer = {
    url: "",
    requests: [],
    script: null,
    models: ["test-judge"],
    auth: [],
    latencyMs: 0,
    inFlight: 0,
    maxInFlight: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
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
    try {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      state.requests.push(body);
      state.auth.push(req.headers.authorization);
      const r = state.script?.(body, state.requests.length) ?? defaultReply(body);
      const delay = (r.delayMs ?? 0) + state.latencyMs;
      if (delay) await new Promise((ok) => setTimeout(ok, delay));
      res.writeHead(r.status ?? 200, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(r.raw ?? JSON.stringify(r.json ?? {}));
    } finally {
      state.inFlight--;
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return state;
}
