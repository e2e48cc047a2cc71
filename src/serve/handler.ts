/**
 * One scoring request, from its body to its answer: the same function whether the server's own
 * thread scores (`--workers 0`) or a worker thread does. Never throws: a bad request is a 400
 * answer, a full queue a 429 with Retry-After.
 */
import { BodyError, parseBody } from "./limits.js";
import { BadRequest, openrlhfAnswer, openrlhfItems } from "./openrlhf.js";
import { parseScoreRequest, scoreAnswer, scoreItems } from "./rich.js";
import { UnknownRubric, type RewardService } from "./service.js";

export const SCORING_ROUTES = ["/get_reward", "/v1/score"] as const;
export type ScoringRoute = (typeof SCORING_ROUTES)[number];

/** The field of each route's body that lists its rollouts. */
export const ITEMS_FIELD: Record<ScoringRoute, string> = { "/get_reward": "query", "/v1/score": "items" };

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface ScoringRequest {
  route: ScoringRoute;
  /** the raw JSON body */
  body: Uint8Array;
  /** `?rubric=` of the URL */
  rubric?: string;
  /** performance.now() when the request arrived, in this thread's clock */
  arrived: number;
  maxDepth: number;
}

export async function handleScoring(service: RewardService, r: ScoringRequest): Promise<Answer> {
  try {
    const body = parseBody(r.body, r.maxDepth);
    if (r.route === "/get_reward") {
      const rubric = rubricOf(service, r.rubric);
      const items = openrlhfItems(body, service);
      const out = await service.scoreBatch(items, rubric, r.route, { arrived: r.arrived });
      return "retryAfter" in out
        ? overloaded(service, out.retryAfter)
        : { status: 200, body: openrlhfAnswer(out.results) };
    }
    const req = parseScoreRequest(body);
    const rubric = rubricOf(service, req.rubric ?? r.rubric);
    const { items, parsed } = scoreItems(req, service);
    const timeoutMs = req.options?.timeout_s !== undefined ? req.options.timeout_s * 1000 : undefined;
    const out = await service.scoreBatch(items, rubric, r.route, { arrived: r.arrived, timeoutMs });
    if ("retryAfter" in out) return overloaded(service, out.retryAfter);
    return { status: 200, body: scoreAnswer(req, parsed, out.results, rubric, service.mode) };
  } catch (e) {
    if (e instanceof BadRequest || e instanceof BodyError)
      return { status: 400, body: { error: { type: "bad_request", message: service.redact(e.message) } } };
    throw e;
  }
}

/** The rubric a request names (ids of the server's rubrics only, never a path), or the default. */
function rubricOf(service: RewardService, id: string | undefined) {
  try {
    return service.rubric(id);
  } catch (e) {
    if (e instanceof UnknownRubric) throw new BadRequest(e.message);
    throw e;
  }
}

/** 429 with the seconds to wait. */
export function overloaded(
  service: { queue: { depth: number; capacity: number; maxWaitS: number | null } },
  seconds: number,
): Answer {
  const q = service.queue;
  const bound = q.maxWaitS === null ? "" : `, or ${q.maxWaitS} s of work at the recent rate`;
  return {
    status: 429,
    headers: { "retry-after": String(seconds) },
    body: {
      error: {
        type: "overloaded",
        message: `the scoring queue is full (${q.depth} rollouts admitted; it takes ${q.capacity}${bound}); retry after ${seconds} s`,
      },
    },
  };
}
