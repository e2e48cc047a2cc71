/**
 * A scoring worker thread: builds the same service as the server's thread would (rubrics, judge,
 * outcome model) and answers the scoring requests the pool hands it (`handler.ts`), its metrics,
 * and a request to finish its work and close.
 */
import { parentPort, workerData } from "node:worker_threads";
import { handleScoring, type ScoringRoute } from "./handler.js";
import { buildService, type ServiceSettings } from "./build.js";

export type ToWorker =
  | { type: "score"; id: number; route: ScoringRoute; body: Uint8Array; rubric?: string; waited: number }
  | { type: "metrics"; id: number }
  | { type: "close" };

export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "note"; message: string }
  | { type: "log"; message: string }
  | { type: "answer"; id: number; status: number; headers?: Record<string, string>; payload: string }
  | { type: "metrics"; id: number; json: unknown }
  | { type: "closed" };

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const { settings, maxDepth } = workerData as { settings: ServiceSettings; maxDepth: number };

try {
  const { service, judge } = await buildService(settings, {
    onNote: (message) => post({ type: "note", message }),
    onError: (message) => post({ type: "log", message }),
  });
  port.on("message", (m: ToWorker) => {
    if (m.type === "score") {
      const arrived = performance.now() - m.waited;
      handleScoring(service, { route: m.route, body: m.body, rubric: m.rubric, arrived, maxDepth }).then(
        (a) =>
          post({ type: "answer", id: m.id, status: a.status, headers: a.headers, payload: JSON.stringify(a.body) }),
        (e: Error) => {
          post({ type: "log", message: `internal error: ${e.stack ?? e.message}` });
          const error = { type: "internal", message: "internal error (see the server's log)" };
          post({ type: "answer", id: m.id, status: 500, payload: JSON.stringify({ error }) });
        },
      );
    } else if (m.type === "metrics") {
      service.metrics.registry.getMetricsAsJSON().then((json) => post({ type: "metrics", id: m.id, json }));
    } else if (m.type === "close") {
      service.queue.idle().then(() => {
        judge?.close();
        post({ type: "closed" });
        port.close();
      });
    }
  });
  post({ type: "ready" });
} catch (e) {
  post({ type: "failed", message: (e as Error).message });
}
