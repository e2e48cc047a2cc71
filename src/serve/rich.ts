/**
 * `POST /v1/score`: the rich form. Request `{items: [...], rubric?: id, options?: {timeout_s?,
 * record?}}` with each item in one of the forms of `items.ts`; answer per item: the reward, p(resolved),
 * the behaviour score, every criterion's value, evidence and explanation, judge usage, whether the
 * cache answered, and the error of an item that got the fallback; with per-group statistics and
 * per-group normalised rewards (GRPO-style advantages) for items that share a `group`.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { groupNormalize } from "../score/reward.js";
import type { Rubric } from "../rubric/schema.js";
import type { CriterionResult, JudgeUsage, ScoreRecord } from "../types/score.js";
import { describeIssues, ItemSchema, itemRollout, type Item } from "./items.js";
import { BadRequest } from "./openrlhf.js";
import type { ItemError, ItemResult, Prepared, RewardService, ServeReward } from "./service.js";

export const ScoreRequest = z.strictObject({
  items: z.array(z.unknown()).min(1),
  /** the id of a rubric the server serves (default: its first) */
  rubric: z.string().optional(),
  options: z
    .strictObject({
      /** answer within this many seconds (at most the server's deadline) */
      timeout_s: z.number().positive().optional(),
      /** include each item's whole ScoreRecord */
      record: z.boolean().optional(),
    })
    .optional(),
});
export type ScoreRequest = z.infer<typeof ScoreRequest>;

export interface ScoredItem {
  id: string | number;
  group?: string | number;
  reward: number;
  failed: boolean;
  p_resolved: number | null;
  /** what decided p_resolved: "outcome-model:<version>", "judge:<model>"; null when nothing did */
  p_resolved_by: string | null;
  behaviour_score: number | null;
  /** (reward − group mean) / group std over the group's scored items (0 when they are all equal); null when failed */
  normalized_reward?: number | null;
  vetoed_by: string[];
  trajectory_id: string | null;
  steps: number | null;
  criteria: CriterionResult[];
  usage: JudgeUsage | null;
  cache_hit: boolean;
  latency_ms: number;
  error: ItemError | null;
  record?: ScoreRecord;
}

export interface GroupStats {
  /** items in the group */
  n: number;
  /** items that got a reward (not the fallback): the statistics are over these */
  scored: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
}

export interface ScoreAnswer {
  rubric: { id: string; version: string; hash: string };
  reward: ServeReward;
  results: ScoredItem[];
  groups: Record<string, GroupStats>;
  usage: {
    requests: number;
    prompt_tokens: number;
    completion_tokens: number;
    cache_hits: number;
    cost_usd: number | null;
  };
}

/** Read the request's envelope (a 400 when it is wrong); each item is read on its own. */
export function parseScoreRequest(body: unknown): ScoreRequest {
  const r = ScoreRequest.safeParse(body);
  if (!r.success) throw new BadRequest(describeIssues(r.error, "request body"));
  return r.data;
}

export function scoreItems(req: ScoreRequest, service: RewardService): { items: Prepared[]; parsed: (Item | null)[] } {
  const parsed: (Item | null)[] = [];
  const items = req.items.map((raw, i): Prepared => {
    const name = `items[${i}]`;
    const r = ItemSchema.safeParse(raw);
    if (!r.success) {
      // a malformed item keeps its id and group when they are readable
      const o = raw && typeof raw === "object" ? (raw as { id?: unknown; group?: unknown }) : {};
      const keep: Item = {};
      if (typeof o.id === "string" || typeof o.id === "number") keep.id = o.id;
      if (typeof o.group === "string" || typeof o.group === "number") keep.group = o.group;
      parsed.push(keep);
      return { name, hash: "", rollout: null, error: { type: "parse", message: describeIssues(r.error, name) } };
    }
    parsed.push(r.data);
    const { id: _id, group: _group, ...content } = r.data;
    const hash = createHash("sha256").update(JSON.stringify(content)).digest("hex");
    return service.prepare(name, hash, () => itemRollout(r.data, name));
  });
  return { items, parsed };
}

export function scoreAnswer(
  req: ScoreRequest,
  parsed: (Item | null)[],
  results: ItemResult[],
  rubric: Rubric,
  mode: ServeReward,
): ScoreAnswer {
  const out = results.map((r, i): ScoredItem => {
    const item = parsed[i];
    const rec = r.record;
    const s: ScoredItem = {
      id: item?.id ?? i,
      reward: r.reward,
      failed: r.failed,
      p_resolved: r.p_resolved,
      p_resolved_by: r.p_resolved === null ? null : (rec?.provenance.p_resolved ?? null),
      behaviour_score: r.behaviour_score,
      vetoed_by: rec?.vetoed_by ?? [],
      trajectory_id: rec?.trajectory_id ?? null,
      steps: rec?.steps ?? null,
      criteria: rec?.criteria ?? [],
      usage: rec?.usage && !r.cache_hit ? rec.usage : null,
      cache_hit: r.cache_hit,
      latency_ms: Math.round(r.latency_ms * 1000) / 1000,
      error: r.error,
    };
    if (item?.group !== undefined) s.group = item.group;
    if (req.options?.record && rec) s.record = rec;
    return s;
  });
  return {
    rubric: { id: rubric.id, version: rubric.version, hash: rubric.hash },
    reward: mode,
    results: out,
    groups: groups(out),
    usage: total(out),
  };
}

/** Statistics of each group over its scored items, and each scored item's normalised reward. */
function groups(items: ScoredItem[]): Record<string, GroupStats> {
  const stats: Record<string, GroupStats> = {};
  const members = new Map<string, ScoredItem[]>();
  for (const it of items) {
    if (it.group === undefined) continue;
    const k = String(it.group);
    const list = members.get(k);
    if (list) list.push(it);
    else members.set(k, [it]);
  }
  for (const [k, list] of members) {
    const ok = list.filter((x) => !x.failed);
    const values = ok.map((x) => x.reward);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const std = mean === null ? null : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    stats[k] = {
      n: list.length,
      scored: ok.length,
      mean,
      std,
      min: values.length ? Math.min(...values) : null,
      max: values.length ? Math.max(...values) : null,
    };
    const norm = groupNormalize(ok.map((x) => ({ task: k, value: x.reward })));
    ok.forEach((x, j) => (x.normalized_reward = norm[j]));
    for (const x of list) if (x.failed) x.normalized_reward = null;
  }
  return stats;
}

function total(items: ScoredItem[]): ScoreAnswer["usage"] {
  const t: ScoreAnswer["usage"] = { requests: 0, prompt_tokens: 0, completion_tokens: 0, cache_hits: 0, cost_usd: 0 };
  for (const it of items) {
    const u = it.usage;
    if (!u) continue;
    t.requests += u.requests;
    t.prompt_tokens += u.prompt_tokens;
    t.completion_tokens += u.completion_tokens;
    t.cache_hits += u.cache_hits;
    t.cost_usd = t.cost_usd === null || u.cost_usd === null ? null : t.cost_usd + u.cost_usd;
  }
  return t;
}
