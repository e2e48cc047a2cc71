/**
 * `POST /get_reward`: OpenRLHF's remote reward protocol. Request `{query: [str], prompts: [str],
 * labels: [any]}` (other keys are ignored; a single string counts as a batch of one); answer
 * `{rewards: [float], scores: [float], extra_logs: {name: [float]}}`, lists aligned with `query`.
 * OpenRLHF turns every `extra_logs` value into a tensor, so they are numbers only; each sample's
 * error (null when it was scored) is in `errors`, a key OpenRLHF does not read.
 */
import { createHash } from "node:crypto";
import { kindOf } from "../scaffolds/build.js";
import { queryRollout } from "./items.js";
import type { ItemResult, Prepared, RewardService } from "./service.js";

export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = "BadRequest";
  }
}

export interface RewardAnswer {
  rewards: number[];
  scores: number[];
  extra_logs: Record<string, number[]>;
  errors: (string | null)[];
}

/** The samples of an OpenRLHF request, each read into a rollout (or its error). */
export function openrlhfItems(body: unknown, service: RewardService): Prepared[] {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new BadRequest(
      `expected a JSON object {"query": [...], "prompts": [...], "labels": [...]}, got ${kindOf(body)}`,
    );
  const b = body as Record<string, unknown>;
  const query = typeof b.query === "string" ? [b.query] : b.query;
  if (!Array.isArray(query))
    throw new BadRequest(
      `field 'query': expected a list of strings (each prompt + response, chat-templated), got ${kindOf(b.query)}`,
    );
  const list = (field: "prompts" | "labels"): unknown[] => {
    const v = b[field];
    if (v === undefined || v === null) return [];
    if (typeof v === "string" && field === "prompts") return [v];
    if (!Array.isArray(v))
      throw new BadRequest(`field '${field}': expected a list aligned with 'query', got ${kindOf(v)}`);
    return v;
  };
  const prompts = list("prompts");
  const labels = list("labels");
  return query.map((q, i) => {
    const name = `query[${i}]`;
    if (typeof q !== "string")
      return {
        name,
        hash: "",
        rollout: null,
        error: {
          type: "parse",
          message: `${name}: expected a string (the chat-templated prompt and response), got ${kindOf(q)}`,
        },
      };
    const prompt = prompts[i];
    const label = labels[i];
    const hash = createHash("sha256")
      .update(q)
      .update("\u0000")
      .update(typeof prompt === "string" ? prompt : "")
      .update("\u0000")
      .update(JSON.stringify(label ?? null))
      .digest("hex");
    return service.prepare(name, hash, () => queryRollout(q, prompt, label));
  });
}

/** OpenRLHF's answer: rewards, scores in [0, 1] for its dynamic filtering, numeric logs, and the errors. */
export function openrlhfAnswer(results: ItemResult[]): RewardAnswer {
  const num = (x: number | null, fallback: number) => (x === null ? fallback : x);
  return {
    rewards: results.map((r) => r.reward),
    scores: results.map((r) => Math.min(1, Math.max(0, r.reward))),
    extra_logs: {
      // a sample that failed logs its fallback reward here; rubricate_failed says which did
      rubricate_p_resolved: results.map((r) => num(r.p_resolved, r.reward)),
      rubricate_behaviour_score: results.map((r) => num(r.behaviour_score, r.reward)),
      rubricate_failed: results.map((r) => (r.failed ? 1 : 0)),
      rubricate_cache_hit: results.map((r) => (r.cache_hit ? 1 : 0)),
    },
    errors: results.map((r) => (r.error ? `${r.error.type}: ${r.error.message}` : null)),
  };
}
