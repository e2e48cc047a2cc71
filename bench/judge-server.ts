/** The test suite's OpenAI-compatible server in its own process, for bench/judge.ts: prints its URL, serves until killed. */
import { startServer } from "../test/judge/server.js";

const server = await startServer();
server.models = ["bench"];
process.stdout.write(`${server.url}\n`);
// keep no request bodies: the bench sends thousands
setInterval(() => (server.requests.length = 0), 1000);
