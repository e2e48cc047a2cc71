/**
 * The LLM judge as a decider, composed of: backends (one per model; several form a panel), each
 * wrapped in usage metering; a protocol per mode; and a reducer that combines the votes of the
 * panel and of samples. Modes:
 *  - rubric: one request per trajectory, a JSON answer for every judge criterion (`protocols/rubric.ts`);
 *  - criterion: one YES/NO question per criterion, valued by its logprobs (`protocols/yesno.ts`);
 *  - outcome: only the rubric's outcome criteria, asked "will this patch pass the hidden tests?"
 *    the YES/NO way; `outcome: true` adds them to the other modes.
 * A judge criterion whose `params.protocol` is "critic" (`critic-failure`, added by
 * `--judge-critic`) is decided by the adversarial critic in rubric and criterion modes
 * (`protocols/critic.ts`): a claimed failure, then its check.
 * Anything that cannot be read is unscored with a typed reason.
 */
import { createHash } from "node:crypto";
import type { Criterion } from "../rubric/schema.js";
import { unscored, type Decider, type Verdict } from "../types/decider.js";
import type { JudgeUsage } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { redact } from "../io/redact.js";
import { JudgeHttpError, JudgeResponseError, type ChatRequest, type JudgeBackend } from "./backend.js";
import { settle, type Aggregate, type Vote } from "./panel.js";
import type { Price } from "./prices.js";
import { INSTRUCTIONS, OUTCOME_QUESTION, systemPrompt } from "./protocols/prompt.js";
import { askCritic, isCritic } from "./protocols/critic.js";
import { askRubric, rubricVotes, type VoteCounts } from "./protocols/rubric.js";
import { askYesNo, type Sender } from "./protocols/yesno.js";
import { renderTranscript, type Rendered } from "./render.js";
import { addUsage, emptyUsage, meteredBackend, newStats, type JudgeStats } from "./usage.js";

import { JUDGE_MODES } from "./names.js";

export { JUDGE_MODES };
export type JudgeMode = (typeof JUDGE_MODES)[number];

export interface JudgeOptions {
  mode: JudgeMode;
  /** judge the rubric's outcome criteria too (else the outcome model does) */
  outcome?: boolean;
  maxPromptTokens?: number;
  maxTokens?: number;
  /** answers asked of each judge per rubric-mode call (default 1) */
  samples?: number;
  /** sampling temperature; default 0, or 0.7 when samples > 1 */
  temperature?: number;
  /** how votes of a panel or of samples combine (default mean) */
  aggregate?: Aggregate;
  /** price table for cost accounting */
  prices?: Record<string, Price>;
  /**
   * the rubric's criteria: the system prompt then lists all its judge questions
   * whichever apply to a trajectory, so it is byte-identical across calls and
   * trajectories (prefix caching); without it, the questions asked are listed
   */
  rubric?: Criterion[];
  /** renders a trajectory within the token budget (default: renderTranscript) */
  render?: (t: Trajectory, maxTokens: number) => Rendered;
}

/** What the protocols met over a run: answers re-asked, verdicts still missing, evidence dropped. */
export interface ProtocolCounts extends VoteCounts {
  /** rubric answers asked again for the criteria they left out */
  reaskedMissing: number;
  /** rubric answers asked again because nothing in them could be read */
  reaskedUnreadable: number;
  /** critic claims checked, and how many the check confirmed (p(YES) ≥ 0.5) */
  criticChecked: number;
  criticConfirmed: number;
}

export type JudgeDecider = Decider<unknown, Criterion> & {
  /** the run's totals so far */
  stats: JudgeStats;
  counts: ProtocolCounts;
};

export function judgeDecider(backend: JudgeBackend | JudgeBackend[], o: JudgeOptions): JudgeDecider {
  const stats = newStats();
  const counts: ProtocolCounts = {
    evidenceDropped: 0,
    missing: 0,
    reaskedMissing: 0,
    reaskedUnreadable: 0,
    criticChecked: 0,
    criticConfirmed: 0,
  };
  const panel = (Array.isArray(backend) ? backend : [backend]).map((b) =>
    meteredBackend(b, { prices: o.prices, stats }),
  );
  if (!panel.length) throw new Error("a judge needs at least one backend");
  const name = panel.length === 1 ? `judge:${panel[0].model}` : `judge-panel:${panel.map((b) => b.model).join("+")}`;
  const samples = Math.max(1, o.samples ?? 1);
  const temperature = o.temperature ?? (samples > 1 ? 0.7 : 0);
  const how = o.aggregate ?? "mean";
  const render = o.render ?? renderTranscript;
  const rubricJudged = o.rubric?.filter((c) => c.kind === "judge") ?? [];
  const fixedSystem = rubricJudged.length ? systemPrompt(rubricJudged) : null;
  // a trajectory asked about judge and outcome criteria is rendered once
  const renders = new WeakMap<Trajectory, Rendered>();
  const renderOnce = (t: Trajectory): Rendered => {
    let r = renders.get(t);
    if (!r) renders.set(t, (r = render(t, o.maxPromptTokens ?? 24000)));
    return r;
  };
  const failure = (e: unknown): Verdict => {
    // a server may echo the API key in its error message: never into a record
    const msg = redact((e as Error).message).slice(0, 200);
    if (e instanceof JudgeResponseError)
      return unscored(name, "malformed_response", `the judge server's answer is impossible: ${msg}`);
    if (e instanceof JudgeHttpError && /context|too long|maximum.*tokens/i.test(e.message))
      return unscored(name, "context_too_long", `the judge server refused the prompt as too long: ${msg}`);
    return unscored(name, "judge_error", `judge request failed: ${msg}`);
  };

  return {
    name,
    stats,
    counts,
    provenance: {
      judge: panel.length === 1 ? panel[0].model : panel.map((b) => b.model),
      mode: o.mode,
      temperature,
      samples,
      aggregate: panel.length * samples > 1 ? how : undefined,
      instructions_sha256: createHash("sha256").update(INSTRUCTIONS).digest("hex").slice(0, 16),
    },
    async decide(t, _facts, criteria) {
      const verdicts = new Map<string, Verdict>();
      const usage: JudgeUsage = emptyUsage();
      const sender: Sender = {
        name,
        failure,
        async send(b: JudgeBackend, req: ChatRequest) {
          const res = await b.chat(req);
          addUsage(usage, res);
          return res;
        },
      };
      const rendered = renderOnce(t);
      usage.transcript = {
        sha256: rendered.hash,
        tokens: rendered.tokens,
        tokenizer: rendered.counter,
        cut_chars: rendered.cut,
      };
      const note = rendered.flags.length
        ? ` [trajectory text tried to address the judge ${rendered.flags.length}x; neutralised: ${rendered.flags.slice(0, 2).join("; ")}]`
        : "";
      // the outcome mode asks only the outcome question; judge criteria say why they have no value
      if (o.mode === "outcome")
        for (const c of criteria.filter((x) => x.kind === "judge"))
          verdicts.set(
            c.id,
            unscored(
              name,
              "no_judge",
              "not asked: --judge-mode outcome asks the judge only whether the patch will pass the hidden tests",
            ),
          );
      const asked = o.mode === "outcome" ? [] : criteria.filter((c) => c.kind === "judge");
      const critics = asked.filter(isCritic);
      const judged = asked.filter((c) => !isCritic(c));
      const outcome = o.outcome || o.mode === "outcome" ? criteria.filter((c) => c.kind === "outcome") : [];
      const system = fixedSystem ?? systemPrompt(judged.length ? judged : criteria);
      const decide = (c: Criterion, votes: Vote[], detail: (v: Vote) => string) => {
        const v = settle(votes, how, name, detail, note);
        if (v) verdicts.set(c.id, v);
        else {
          stats.failures++;
          verdicts.set(
            c.id,
            votes.find((x) => x.failure)?.failure ??
              unscored(name, "judge_unclear", `the judge could not tell: ${votes[0]?.note.slice(0, 300) ?? ""}`),
          );
        }
      };
      const yesNo = async (c: Criterion, question: string) => {
        const votes = await Promise.all(
          panel.map((b) => askYesNo(b, sender, { system, transcript: rendered.text, id: c.id, question })),
        );
        decide(c, votes, (v) => (votes.length > 1 ? votes.map((x) => `${x.by}: ${x.note}`).join("; ") : v.note));
      };

      for (const c of outcome) await yesNo(c, OUTCOME_QUESTION);
      for (const c of critics) {
        const votes = await Promise.all(
          panel.map((b) =>
            askCritic(b, sender, { system, transcript: rendered.text, steps: t.steps.length, maxTokens: 512 }),
          ),
        );
        for (const v of votes)
          if (v.value !== null) {
            counts.criticChecked++;
            if (v.value >= 0.5) counts.criticConfirmed++;
          }
        decide(c, votes, (v) => (votes.length > 1 ? votes.map((x) => `${x.by}: ${x.note}`).join("; ") : v.note));
      }
      if (!judged.length) return { verdicts, usage };
      if (o.mode === "criterion") {
        for (const c of judged) await yesNo(c, c.question);
        return { verdicts, usage };
      }
      const q = {
        system,
        transcript: rendered.text,
        ids: judged.map((c) => c.id),
        maxTokens: o.maxTokens ?? 2048,
        temperature,
        samples,
      };
      const answers = await Promise.all(
        panel.map(async (b) => ({ by: `judge:${b.model}`, a: await askRubric(b, sender, q) })),
      );
      for (const { a } of answers)
        if ("answers" in a) {
          if (a.reasked === "missing") counts.reaskedMissing++;
          if (a.reasked === "unreadable") counts.reaskedUnreadable++;
        }
      for (const c of judged) decide(c, rubricVotes(answers, c.id, t.steps.length, name, counts), (v) => v.note);
      return { verdicts, usage };
    },
  };
}
