/**
 * The rubric protocol: one request per trajectory whose JSON-schema answer holds, per judge
 * criterion, a rationale, the evidence steps and a verdict from a fixed set (yes / no / unclear),
 * in that order (reasoning before the decision). The schema has one required property per
 * criterion id, so a server that enforces it (guided decoding: vLLM, SGLang, llama.cpp, OpenAI
 * strict mode) answers every criterion exactly once. A server that ignores the schema may still
 * leave some out: those are asked again, alone; a criterion still without an answer is unscored
 * (`missing_verdict`). Values come from the verdicts through a fixed table, never from a judge's
 * own score.
 */
import { z } from "zod";
import { unscored, type Verdict } from "../../types/decider.js";
import type { ChatResponse, JudgeBackend } from "../backend.js";
import { failedVote, type Vote } from "../panel.js";
import { fence } from "../render.js";
import type { Sender } from "./yesno.js";

export const VERDICTS = ["yes", "no", "unclear"] as const;

/** Verdict table: the value (probability the behaviour is present) each answer maps to. */
const VERDICT_VALUE: Record<(typeof VERDICTS)[number], number | null> = { yes: 1, no: 0, unclear: null };

const Entry = z.object({
  rationale: z.string(),
  evidence: z.array(z.number().int()),
  verdict: z.enum(VERDICTS),
});
export type Entry = z.infer<typeof Entry>;

/** One answer (one sample): the entry for each criterion id it answered. */
export type Answer = Map<string, Entry>;

/** The answer's schema: an object with one required property per id, each {rationale, evidence, verdict} in that order. */
export function answerSchema(ids: string[]): Record<string, unknown> {
  const entry = {
    type: "object",
    additionalProperties: false,
    required: ["rationale", "evidence", "verdict"],
    properties: {
      rationale: { type: "string" },
      evidence: { type: "array", items: { type: "integer" } },
      verdict: { type: "string", enum: [...VERDICTS] },
    },
  };
  return {
    type: "object",
    additionalProperties: false,
    required: [...ids],
    properties: Object.fromEntries(ids.map((id) => [id, entry])),
  };
}

/**
 * Read the judge's JSON (a code fence around it tolerated): the entries of `ids` that match the
 * schema, and the ids whose entry does not. Null when the text is not a JSON object at all.
 */
export function parseAnswer(raw: string, ids: string[]): { answer: Answer; invalid: string[] } | null {
  const text = raw
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/```\s*$/, "");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  const answer: Answer = new Map();
  const invalid: string[] = [];
  for (const id of ids) {
    if (!(id in o)) continue;
    const e = Entry.safeParse(o[id]);
    if (e.success) answer.set(id, e.data);
    else invalid.push(id);
  }
  return { answer, invalid };
}

export interface RubricQuestion {
  system: string;
  transcript: string;
  ids: string[];
  maxTokens: number;
  temperature: number;
  samples: number;
}

/** One backend's answers (one per sample) and whether a second request was needed, or why there are none. */
export interface RubricAnswers {
  answers: Answer[];
  /** "missing": asked again for criteria the first answer left out; "unreadable": asked again for everything */
  reasked: "missing" | "unreadable" | null;
  /** ids whose entry did not match the schema (counted as missing) */
  invalid: string[];
}

const instruction = (ids: string[]) =>
  `Answer these questions of the rubric for this trajectory: ${ids.join(", ")}. ` +
  "Reply with one JSON object with a property for each of these ids, and only these; for each: " +
  '"rationale" (one or two sentences on what the trajectory shows), then "evidence" (the step numbers that show it), ' +
  'then "verdict" ("yes", "no" or "unclear"). Reply with the JSON object only.';

/**
 * Ask one backend about `q.ids`: one request; a second when no answer could be read (the whole
 * question again) or when answers lack criteria (only the missing ones, as many answers as lack
 * them). The trajectory comes first in both, so the second request reuses the first's prefix.
 */
export async function askRubric(b: JudgeBackend, s: Sender, q: RubricQuestion): Promise<RubricAnswers | Verdict> {
  const ask = async (ids: string[], note: string, n: number): Promise<ChatResponse | Verdict> => {
    try {
      return await s.send(b, {
        system: q.system,
        user: `${fence(q.transcript)}\n\n${note}${instruction(ids)}`,
        schema: { name: "rubric_verdicts", schema: answerSchema(ids) },
        maxTokens: q.maxTokens,
        temperature: q.temperature,
        ...(n > 1 ? { n } : {}),
      });
    } catch (e) {
      return s.failure(e);
    }
  };
  const read = (res: ChatResponse, ids: string[], invalid: string[]) =>
    res.choices.flatMap((ch) => {
      const p = parseAnswer(ch.text, ids);
      if (!p) return [];
      invalid.push(...p.invalid);
      return [p.answer];
    });
  const refused = (res: ChatResponse) => {
    const r = res.choices.find((ch) => ch.refusal)?.refusal;
    return r && res.choices.every((ch) => ch.refusal)
      ? unscored(s.name, "refused", `the judge refused: ${r.slice(0, 200)}`)
      : null;
  };

  const invalid: string[] = [];
  let res = await ask(q.ids, "", q.samples);
  if (!("choices" in res)) return res;
  if (refused(res)) return refused(res)!;
  let answers = read(res, q.ids, invalid);
  if (!answers.length) {
    const raw = res.text;
    res = await ask(q.ids, "Your previous reply was not a JSON object of the required shape. ", q.samples);
    if (!("choices" in res)) return res;
    if (refused(res)) return refused(res)!;
    answers = read(res, q.ids, invalid);
    if (!answers.length)
      return unscored(
        s.name,
        "malformed_response",
        `unreadable answer after one re-ask; raw: ${JSON.stringify((res.text || raw).slice(0, 500))}`,
      );
    return { answers, reasked: "unreadable", invalid };
  }
  const lacking = answers.filter((a) => q.ids.some((id) => !a.has(id)));
  if (!lacking.length) return { answers, reasked: null, invalid };
  const missing = q.ids.filter((id) => lacking.some((a) => !a.has(id)));
  const again = await ask(
    missing,
    `Your previous answer had no valid verdict for ${missing.join(", ")}. `,
    Math.min(q.samples, lacking.length),
  );
  // a failed second request leaves the criteria it was about without a verdict, the others stand
  if ("choices" in again && !refused(again)) {
    const more = read(again, missing, invalid);
    lacking.forEach((a, i) => {
      for (const [id, e] of more[i] ?? []) if (!a.has(id)) a.set(id, e);
    });
  }
  return { answers, reasked: "missing", invalid };
}

/** What the votes about one criterion say beyond their values: evidence steps dropped as outside the trajectory. */
export interface VoteCounts {
  evidenceDropped: number;
  missing: number;
}

/**
 * The votes about criterion `id` in each backend's answers. Evidence step numbers outside the
 * trajectory's `steps` are dropped and counted (in `counts` and in the vote's note).
 */
export function rubricVotes(
  answers: { by: string; a: RubricAnswers | Verdict }[],
  id: string,
  steps: number,
  name: string,
  counts: VoteCounts = { evidenceDropped: 0, missing: 0 },
): Vote[] {
  const votes: Vote[] = [];
  for (const { by, a } of answers) {
    if (!("answers" in a)) {
      votes.push(failedVote(by, a));
      continue;
    }
    for (const ans of a.answers) {
      const v = ans.get(id);
      if (!v) {
        counts.missing++;
        const why = a.invalid.includes(id) ? "its entry did not match the schema" : "it was left out";
        const again = a.reasked === "missing" ? ", even when asked again for the missing criteria" : "";
        votes.push(
          failedVote(
            by,
            unscored(name, "missing_verdict", `the judge's answer has no verdict for this criterion (${why}${again})`),
          ),
        );
        continue;
      }
      const kept = [...new Set(v.evidence.filter((i) => i >= 0 && i < steps))].sort((x, y) => x - y);
      const dropped = v.evidence.filter((i) => i < 0 || i >= steps).length;
      counts.evidenceDropped += dropped;
      const value = VERDICT_VALUE[v.verdict];
      const extra = dropped
        ? ` [${dropped} evidence step number${dropped > 1 ? "s" : ""} outside the trajectory's ${steps} steps dropped]`
        : "";
      votes.push({
        by,
        value,
        evidence: kept,
        note: `${v.verdict}: ${v.rationale.slice(0, 500)}${extra}`,
        ...(value === null
          ? { failure: unscored(name, "judge_unclear", `the judge could not tell: ${v.rationale.slice(0, 300)}`) }
          : {}),
      });
    }
  }
  return votes;
}
