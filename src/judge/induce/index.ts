/**
 * Rubrics from data (after OpenRubrics and C2): from contrasting pairs of attempts at one task
 * (one that resolved it, one that did not, shown in an order fixed by a hash), the judge proposes
 * criteria that distinguish them; near-duplicates are merged; each candidate is then asked of
 * attempts at tasks held aside (the rubric protocol: one request per attempt for all candidates)
 * and kept only when its verdicts agree with the labels there. Labels choose the pairs and judge
 * the candidates; they never appear in a prompt.
 *
 * Requests: one per pair per judge to propose, one per held-aside attempt per judge to validate
 * (two when an answer leaves criteria out).
 */
import { createHash } from "node:crypto";
import type { Criterion } from "../../rubric/schema.js";
import type { JudgeBackend } from "../backend.js";
import type { Price } from "../prices.js";
import { systemPrompt } from "../protocols/prompt.js";
import { askRubric, rubricVotes } from "../protocols/rubric.js";
import { plainSender } from "../protocols/sender.js";
import { meteredBackend, newStats, type JudgeStats } from "../usage.js";
import { merge, type Candidate, type Proposed } from "./merge.js";
import { propose } from "./propose.js";
import { candidateStats, dropReason, type CandidateStats, type KeepRule, type Observation } from "./validate.js";

/** A labelled attempt. */
export interface Sample {
  id: string;
  task: string;
  resolved: boolean;
}

export interface PlanOptions {
  /** share of the contrasting tasks held aside for the filter (default 0.5) */
  holdout?: number;
  /** most pairs asked for proposals (default 20) */
  maxPairs?: number;
  /** most held-aside attempts the candidates are asked about (default 80) */
  maxValidate?: number;
  seed?: number;
}

export interface Pair {
  task: string;
  /** shown as A */
  first: string;
  /** shown as B */
  second: string;
  /** whether A is the attempt that resolved the task (never shown to the judge) */
  firstResolved: boolean;
}

export interface InducePlan {
  pairs: Pair[];
  held: Sample[];
  /** tasks with both a resolved and an unresolved attempt */
  contrasting: number;
  proposalTasks: number;
  heldTasks: number;
}

const h = (s: string) => createHash("sha256").update(s).digest("hex");

/** Which pairs propose and which attempts validate: disjoint tasks, chosen by hash (reproducible for a seed). */
export function planInduction(samples: Sample[], o: PlanOptions = {}): InducePlan {
  const seed = String(o.seed ?? 1);
  const byTask = new Map<string, Sample[]>();
  for (const s of samples) byTask.set(s.task, [...(byTask.get(s.task) ?? []), s]);
  const order = (xs: string[], salt: string) =>
    [...xs].sort((a, b) => (h(`${seed}:${salt}:${a}`) < h(`${seed}:${salt}:${b}`) ? -1 : 1));
  const tasks = order([...byTask.keys()], "task");
  const mixed = (t: string) => {
    const ss = byTask.get(t)!;
    return ss.some((s) => s.resolved) && ss.some((s) => !s.resolved);
  };
  const contrasting = tasks.filter(mixed);
  const nPropose = Math.min(o.maxPairs ?? 20, Math.ceil(contrasting.length * (1 - (o.holdout ?? 0.5))));
  const proposeTasks = contrasting.slice(0, nPropose);
  const pairs = proposeTasks.map((task) => {
    const ss = byTask.get(task)!;
    const pick = (resolved: boolean) =>
      order(
        ss.filter((s) => s.resolved === resolved).map((s) => s.id),
        `pick:${task}`,
      )[0];
    const r = pick(true);
    const u = pick(false);
    const rFirst = h(`${seed}:order:${task}`).charCodeAt(0) % 2 === 0;
    return { task, first: rFirst ? r : u, second: rFirst ? u : r, firstResolved: rFirst };
  });
  // held aside: the other tasks, contrasting ones first (they give within-task comparisons)
  const taken = new Set(proposeTasks);
  const rest = tasks.filter((t) => !taken.has(t)).sort((a, b) => Number(mixed(b)) - Number(mixed(a)));
  const held: Sample[] = [];
  const heldTasks = new Set<string>();
  for (const t of rest) {
    if (held.length >= (o.maxValidate ?? 80)) break;
    const ss = byTask.get(t)!;
    held.push(
      ...order(
        ss.map((s) => s.id),
        `held:${t}`,
      ).map((id) => ss.find((s) => s.id === id)!),
    );
    heldTasks.add(t);
  }
  return {
    pairs,
    held: held.slice(0, o.maxValidate ?? 80),
    contrasting: contrasting.length,
    proposalTasks: proposeTasks.length,
    heldTasks: heldTasks.size,
  };
}

export interface InduceOptions extends Partial<KeepRule> {
  /** most candidates validated (default 12) */
  maxCandidates?: number;
  /** similarity at which two proposals are one criterion (default 0.5) */
  mergeThreshold?: number;
  maxTokens?: number;
  prices?: Record<string, Price>;
  /** progress and warnings */
  onNote?: (message: string) => void;
}

export interface Judged extends Candidate {
  stats: CandidateStats;
  /** null when kept */
  dropped: string | null;
}

export interface InduceResult {
  candidates: Judged[];
  kept: Judged[];
  /** pairs whose proposals could not be had, with why */
  failedPairs: string[];
  proposals: number;
  /** proposal items that did not match the schema */
  invalidProposals: number;
  stats: JudgeStats;
}

/** The criterion a candidate becomes. */
export function criterionOf(c: Candidate): Criterion {
  return {
    id: c.id,
    title: c.title,
    question: c.question,
    polarity: c.polarity,
    weight: c.kind === "hard_rule" ? 2 : 1,
    severity: c.kind === "hard_rule" ? "major" : "minor",
    kind: "judge",
  };
}

/**
 * Run a plan: `text(id, budget)` gives an attempt's rendered transcript ("pair": half the prompt
 * budget, for two in one prompt; "full": for one).
 */
export async function induce(
  plan: InducePlan,
  text: (id: string, budget: "pair" | "full") => string,
  backends: JudgeBackend[],
  o: InduceOptions = {},
): Promise<InduceResult> {
  const stats = newStats();
  const panel = backends.map((b) => meteredBackend(b, { prices: o.prices, stats }));
  const name = panel.length === 1 ? `judge:${panel[0].model}` : `judge-panel:${panel.map((b) => b.model).join("+")}`;
  const sender = plainSender(name);
  const say = o.onNote ?? (() => {});

  // 1. proposals from each contrasting pair
  const perPair: Proposed[][] = plan.pairs.map(() => []);
  const failedPairs: string[] = [];
  let invalidProposals = 0;
  await Promise.all(
    plan.pairs.map(async (pair, i) => {
      const first = text(pair.first, "pair");
      const second = text(pair.second, "pair");
      for (const b of panel) {
        const r = await propose(b, sender, { first, second, maxTokens: o.maxTokens ?? 2048 });
        if ("error" in r) {
          failedPairs.push(`${pair.task} (${b.model}): ${r.error}`);
          continue;
        }
        invalidProposals += r.invalid;
        for (const p of r.proposals) {
          // which attempt the criterion favours, against which one resolved: computed here, never asked
          const favoursFirst = (p.present_in === "A") === (p.polarity === "encourage");
          perPair[i].push({ proposal: p, pair: i, agrees: favoursFirst === pair.firstResolved });
        }
      }
    }),
  );
  // in pair order, whatever order the answers came in, so the merge is reproducible
  const proposed = perPair.flat();
  say(`induce: ${proposed.length} criteria proposed from ${plan.pairs.length} pairs (${failedPairs.length} failed)`);

  // 2. near-duplicates merged; the most supported go on
  const candidates = merge(proposed, o.mergeThreshold ?? 0.5).slice(0, o.maxCandidates ?? 12);
  say(`induce: ${candidates.length} candidates after merging; asking them of ${plan.held.length} held-aside attempts`);
  if (!candidates.length)
    return { candidates: [], kept: [], failedPairs, proposals: proposed.length, invalidProposals, stats };

  // 3. every candidate asked of each held-aside attempt (one rubric request per attempt per judge)
  const criteria = candidates.map(criterionOf);
  const system = systemPrompt(criteria);
  const ids = criteria.map((c) => c.id);
  const obs = new Map<string, Observation[]>(ids.map((id) => [id, []]));
  await Promise.all(
    plan.held.map(async (s) => {
      const transcript = text(s.id, "full");
      const answers = await Promise.all(
        panel.map(async (b) => ({
          by: `judge:${b.model}`,
          a: await askRubric(b, sender, {
            system,
            transcript,
            ids,
            maxTokens: o.maxTokens ?? 2048,
            temperature: 0,
            samples: 1,
          }),
        })),
      );
      for (const c of criteria) {
        // steps are not known here: evidence is not used by the filter
        const votes = rubricVotes(answers, c.id, Number.MAX_SAFE_INTEGER, name).filter((v) => v.value !== null);
        const value = votes.length ? votes.reduce((a, v) => a + v.value!, 0) / votes.length : null;
        const goodness = value === null ? null : c.polarity === "encourage" ? value : 1 - value;
        obs.get(c.id)!.push({ task: s.task, resolved: s.resolved, goodness });
      }
    }),
  );

  // 4. the label-consistency filter
  const rule: KeepRule = { minAuc: o.minAuc ?? 0.6, minDecided: o.minDecided ?? 8 };
  const judged = candidates.map((c) => {
    const st = candidateStats(obs.get(c.id)!);
    return { ...c, stats: st, dropped: dropReason(st, rule) };
  });
  return {
    candidates: judged,
    kept: judged.filter((c) => !c.dropped),
    failedPairs,
    proposals: proposed.length,
    invalidProposals,
    stats,
  };
}
