/**
 * The YES/NO protocol (the execution-free reward-model protocol): one question, answered with a
 * single token, its probability read from the first token's logprobs: p = p(YES) / (p(YES) + p(NO)).
 * The question comes last, after the trajectory, so every question about one trajectory shares its
 * prefix (prefix caching).
 */
import { unscored } from "../../types/decider.js";
import type { ChatRequest, ChatResponse, JudgeBackend } from "../backend.js";
import { fence } from "../render.js";
import type { Vote } from "../panel.js";
import { failedVote } from "../panel.js";

/** The probability mass of YES and NO variants (" YES", "Yes", "yes"...) among a first token's top logprobs. */
export function yesNoMass(tops: { token: string; logprob: number }[]): { yes: number; no: number; rest: number } {
  let yes = 0;
  let no = 0;
  let all = 0;
  const seen = new Set<string>();
  for (const t of tops) {
    if (seen.has(t.token)) continue;
    seen.add(t.token);
    const p = Math.exp(t.logprob);
    all += p;
    const w = t.token
      .trim()
      .toLowerCase()
      .replace(/[^a-z]/g, "");
    if (w === "yes") yes += p;
    else if (w === "no") no += p;
  }
  return { yes, no, rest: Math.max(0, 1 - all) };
}

/**
 * p(YES) / (p(YES) + p(NO)); null when neither appears. When only one of the
 * two is among the top logprobs, the other is given the mass the list leaves
 * out (its upper bound), so a missing NO does not make p(YES) exactly 1.
 */
export function yesProbability(tops: { token: string; logprob: number }[]): number | null {
  const m = yesNoMass(tops);
  if (m.yes + m.no === 0) return null;
  const yes = m.yes || m.rest;
  const no = m.no || m.rest;
  return yes / (yes + no);
}

/** How the judge sends a request (with usage counted) and turns a failed request into a verdict. */
export interface Sender {
  send(b: JudgeBackend, req: ChatRequest): Promise<ChatResponse>;
  failure(e: unknown): import("../../types/decider.js").Verdict;
  /** the judge's name in verdicts */
  name: string;
}

/** Ask one backend one YES/NO question about a rendered trajectory. */
export async function askYesNo(
  b: JudgeBackend,
  s: Sender,
  q: { system: string; transcript: string; id: string; question: string },
): Promise<Vote> {
  const by = `judge:${b.model}`;
  try {
    const res = await s.send(b, {
      system: q.system,
      user: `${fence(q.transcript)}\n\nQuestion (${q.id}): ${q.question}\nAnswer with exactly one word: YES or NO.`,
      topLogprobs: 20,
      maxTokens: 1,
    });
    if (res.refusal)
      return failedVote(by, unscored(s.name, "refused", `the judge refused: ${res.refusal.slice(0, 200)}`));
    const p = res.firstTokenLogprobs ? yesProbability(res.firstTokenLogprobs) : null;
    const word = res.text.trim().toLowerCase();
    const value = p ?? (word.startsWith("yes") ? 1 : word.startsWith("no") ? 0 : null);
    if (value === null)
      return failedVote(
        by,
        unscored(s.name, "malformed_response", `expected YES or NO, got ${JSON.stringify(res.text.slice(0, 200))}`),
      );
    const m = p === null ? null : yesNoMass(res.firstTokenLogprobs!);
    const raw = m
      ? ` from the first token's logprobs (raw mass YES ${m.yes.toFixed(3)}, NO ${m.no.toFixed(3)})`
      : " (no logprobs: from the answer word)";
    return { by, value, evidence: [], note: `p(YES) = ${value.toFixed(3)}${raw}` };
  } catch (e) {
    return failedVote(by, s.failure(e));
  }
}
