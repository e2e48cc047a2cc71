/**
 * The rubric protocol: one request per trajectory whose JSON-schema answer holds, per judge
 * criterion, a verdict from a fixed set (yes / no / unclear), evidence steps and a rationale.
 * Values come from the verdicts through a fixed table, never from a judge's own score.
 */
import { z } from "zod";
import { unscored, type Verdict } from "../../types/decider.js";
import type { ChatResponse, JudgeBackend } from "../backend.js";
import { failedVote, type Vote } from "../panel.js";
import { fence } from "../render.js";
import type { Sender } from "./yesno.js";

/** Verdict table: the value (probability the behaviour is present) each answer maps to. */
const VERDICT_VALUE: Record<string, number | null> = { yes: 1, no: 0, unclear: null };

const Answer = z.object({
  criteria: z.array(
    z.object({
      id: z.string(),
      verdict: z.enum(["yes", "no", "unclear"]),
      evidence: z.array(z.number().int()),
      rationale: z.string(),
    }),
  ),
});
export type Answer = z.infer<typeof Answer>;

export function answerSchema(ids: string[]): Record<string, unknown> {
  return {
    type: "object",
    additionalProperties: false,
    required: ["criteria"],
    properties: {
      criteria: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["id", "verdict", "evidence", "rationale"],
          properties: {
            id: { type: "string", enum: ids },
            verdict: { type: "string", enum: ["yes", "no", "unclear"] },
            evidence: { type: "array", items: { type: "integer" } },
            rationale: { type: "string" },
          },
        },
      },
    },
  };
}

/** Parse the judge's JSON, tolerating a code fence around it; null when it does not match the schema. */
export function parseAnswer(raw: string): Answer | null {
  const text = raw
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/```\s*$/, "");
  try {
    const r = Answer.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export interface RubricQuestion {
  system: string;
  transcript: string;
  ids: string[];
  maxTokens: number;
  temperature: number;
  samples: number;
}

/** One backend's answers (one per sample), or why there are none; re-asked once when no answer can be read. */
export async function askRubric(b: JudgeBackend, s: Sender, q: RubricQuestion): Promise<Answer[] | Verdict> {
  const user = `${fence(q.transcript)}\n\nAnswer every question of the rubric for this trajectory (ids: ${q.ids.join(", ")}). For each: verdict yes, no or unclear; the step numbers that show it; one sentence of rationale. Reply with JSON only.`;
  let raw = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    let res: ChatResponse;
    try {
      const text = attempt
        ? `${user}\n\nYour previous reply was not valid JSON of the required shape. Reply with the JSON object only.`
        : user;
      res = await s.send(b, {
        system: q.system,
        user: text,
        schema: { name: "rubric_verdicts", schema: answerSchema(q.ids) },
        maxTokens: q.maxTokens,
        temperature: q.temperature,
        ...(q.samples > 1 ? { n: q.samples } : {}),
      });
    } catch (e) {
      return s.failure(e);
    }
    const refusal = res.choices.find((ch) => ch.refusal)?.refusal;
    if (refusal && res.choices.every((ch) => ch.refusal))
      return unscored(s.name, "refused", `the judge refused: ${refusal.slice(0, 200)}`);
    const parsed = res.choices.map((ch) => parseAnswer(ch.text)).filter((a) => a !== null);
    if (parsed.length) return parsed;
    raw = res.text;
  }
  return unscored(
    s.name,
    "malformed_response",
    `unreadable answer after one re-ask; raw: ${JSON.stringify(raw.slice(0, 500))}`,
  );
}

/** The votes about criterion `id` in each backend's answers (evidence outside the trajectory's `steps` dropped). */
export function rubricVotes(
  answers: { by: string; a: Answer[] | Verdict }[],
  id: string,
  steps: number,
  name: string,
): Vote[] {
  const votes: Vote[] = [];
  for (const { by, a } of answers) {
    if (!Array.isArray(a)) {
      votes.push(failedVote(by, a));
      continue;
    }
    for (const ans of a) {
      const v = ans.criteria.find((x) => x.id === id);
      if (!v) {
        votes.push(
          failedVote(by, unscored(name, "malformed_response", "the judge's answer has no verdict for this criterion")),
        );
        continue;
      }
      const evidence = [...new Set(v.evidence.filter((i) => i >= 0 && i < steps))].sort((x, y) => x - y);
      const value = VERDICT_VALUE[v.verdict];
      votes.push({
        by,
        value,
        evidence,
        note: `${v.verdict}: ${v.rationale.slice(0, 500)}`,
        ...(value === null
          ? { failure: unscored(name, "judge_unclear", `the judge could not tell: ${v.rationale.slice(0, 300)}`) }
          : {}),
      });
    }
  }
  return votes;
}
