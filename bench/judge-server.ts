/**
 * The test suite's OpenAI-compatible server in its own process, for bench/judge.ts (so the
 * server's CPU is never counted as the client's): prints its URL, then answers each line "spans"
 * on stdin with one JSON line of the chat requests since the last (arrival, answer, connection),
 * and serves until killed.
 *
 * Usage: node dist/bench/judge-server.js [--latency MS] [--nagle] [--split]
 *   --nagle  leave Nagle's algorithm on for the server's sockets
 *   --split  answer in two writes, headers then body
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startServer } from "../test/judge/server.js";

const { values } = parseArgs({
  options: {
    latency: { type: "string", default: "0" },
    nagle: { type: "boolean", default: false },
    split: { type: "boolean", default: false },
  },
});
const server = await startServer({ noDelay: !values.nagle, splitWrites: values.split });
server.models = ["bench"];
server.latencyMs = Number(values.latency);
server.spans = [];
process.stdout.write(`${server.url}\n`);
// keep no request bodies: the bench sends thousands
setInterval(() => (server.requests.length = 0), 1000).unref();
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "spans") continue;
  const spans = server.spans;
  server.spans = [];
  process.stdout.write(`${JSON.stringify(spans)}\n`);
}
await server.close();
