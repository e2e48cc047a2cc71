/**
 * The judge's HTTP transport: a `fetch` for the OpenAI client over node:http/https with one
 * keep-alive agent per backend whose sockets have TCP_NODELAY set, so a request never waits on
 * Nagle's algorithm for the ACK of its own first segment (a 40 ms stall per request against a
 * server that delays its ACKs), and without the WHATWG-stream machinery of the global fetch
 * (about half the client CPU per request). The request goes out in one write (headers and body
 * together). The answer resolves at its headers; its body is read whole, and a body cut off or
 * aborted fails the read with a TypeError ("terminated"), as the global fetch does.
 *
 * TCP_NODELAY on the client cannot help against a server that leaves Nagle's algorithm on and
 * writes an answer's headers and body apart (llama.cpp's server, many small HTTP servers): its
 * body waits for the ACK of its headers, which the client's kernel delays by up to 40 ms on a
 * connection it has used before. So the transport watches for it: when answers on reused
 * connections keep arriving with their small body ≥ 30 ms after their headers, it stops reusing
 * connections to that server (a fresh connection acknowledges at once), which costs a handshake
 * per request instead of a 40 ms stall.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Keep-alive agents (plain and TLS) whose every socket gets TCP_NODELAY. */
export interface NoDelayAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

export function noDelayAgents(keepAlive = true): NoDelayAgents {
  // noDelay is passed on to net.connect; the socket event below sets it again for any socket
  // an agent hands out (a reused one too), so it holds whatever the agent does
  const opts = { keepAlive, noDelay: true, keepAliveMsecs: 1000, scheduling: "lifo" as const };
  return { http: new HttpAgent(opts), https: new HttpsAgent(opts) };
}

/** A body this much later than its headers on a reused connection is taken for a delayed-ACK stall. */
export const STALL_MS = 30;
/** Stalls on reused connections after which connections to that server are no longer reused. */
export const STALLS_BEFORE_FRESH = 3;
/** Only bodies smaller than this count (a large body may simply take long to arrive). */
const SMALL_BODY = 64 * 1024;

/** What the transport found: stalled answers seen per server, and the servers it no longer reuses connections to. */
export interface TransportState {
  stalls: Map<string, number>;
  fresh: Set<string>;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
}

/** The body of `res` as a stream of one chunk, failing with a TypeError when the body is cut off. */
function bodyStream(
  res: IncomingMessage,
  signal: AbortSignal | null | undefined,
  onEnd: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(ctl) {
      const parts: Buffer[] = [];
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        ctl.error(e);
      };
      const onAbort = () => {
        fail(abortError(signal!));
        res.destroy();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        signal?.removeEventListener("abort", onAbort);
        if (settled) return;
        settled = true;
        onEnd(parts.reduce((a, p) => a + p.length, 0));
        if (parts.length) ctl.enqueue(parts.length === 1 ? parts[0] : Buffer.concat(parts));
        ctl.close();
      });
      res.on("error", (e) => fail(new TypeError(`terminated: ${e.message}`)));
      res.on("close", () => {
        signal?.removeEventListener("abort", onAbort);
        if (!res.complete) fail(new TypeError("terminated: the connection closed before the whole body arrived"));
      });
    },
  });
}

/** Request headers as a plain object (the client gives a Headers instance, a record or pairs). */
function plainHeaders(h: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (h instanceof Headers) h.forEach((v, k) => (out[k] = v));
  else if (Array.isArray(h)) for (const [k, v] of h) out[k.toLowerCase()] = v;
  else for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * A fetch over node:http/https through `agents` (keep-alive), or through fresh connections to a
 * server found to stall them (see above); `state` is what it found, `onSocket` hears each socket
 * a request is given (tests).
 */
export function noDelayFetch(
  agents: NoDelayAgents = noDelayAgents(),
  state: TransportState = { stalls: new Map(), fresh: new Set() },
  onSocket?: (s: Socket) => void,
): Fetch {
  let once: NoDelayAgents | null = null;
  return (input, init = {}) =>
    new Promise<Response>((ok, fail) => {
      const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
      const tls = url.protocol === "https:";
      if (!tls && url.protocol !== "http:")
        return fail(new TypeError(`unsupported protocol ${url.protocol} in ${url.origin} (http or https)`));
      const signal = init.signal;
      if (signal?.aborted) return fail(abortError(signal));
      const body = init.body;
      if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array))
        return fail(new TypeError("the judge transport sends string or byte bodies only"));
      const headers = plainHeaders(init.headers);
      if (body !== undefined && body !== null) headers["content-length"] = String(Buffer.byteLength(body));
      const send = tls ? httpsRequest : httpRequest;
      const origin = url.origin;
      const use = state.fresh.has(origin) ? (once ??= noDelayAgents(false)) : agents;
      const req = send(
        url,
        { method: init.method ?? "GET", headers, agent: tls ? use.https : use.http },
        (res: IncomingMessage) => {
          const headersAt = performance.now();
          const reused = req.reusedSocket;
          const onEnd = (bytes: number) => {
            if (!reused || bytes >= SMALL_BODY || performance.now() - headersAt < STALL_MS) return;
            const n = (state.stalls.get(origin) ?? 0) + 1;
            state.stalls.set(origin, n);
            if (n >= STALLS_BEFORE_FRESH) state.fresh.add(origin);
          };
          signal?.removeEventListener("abort", onAbort);
          const h = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          const status = res.statusCode ?? 502;
          // a Response cannot carry a body with these statuses
          const empty = status === 204 || status === 304 || init.method === "HEAD";
          if (empty) res.resume();
          ok(
            new Response(empty ? null : bodyStream(res, signal, onEnd), {
              status,
              statusText: res.statusMessage,
              headers: h,
            }),
          );
        },
      );
      const onAbort = () => req.destroy(abortError(signal!));
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("socket", (s: Socket) => {
        s.setNoDelay(true);
        onSocket?.(s);
      });
      req.on("error", (e) => {
        signal?.removeEventListener("abort", onAbort);
        fail(signal?.aborted ? abortError(signal) : new TypeError(`fetch failed: ${e.message}`, { cause: e }));
      });
      // headers and body in one write
      req.end(body ?? undefined);
    });
}
