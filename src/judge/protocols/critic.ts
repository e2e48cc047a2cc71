/**
 * The adversarial critic (after RLAC): for a trajectory with a patch, the judge first names the
 * single likeliest way the patch fails the task, as a concrete claim about behaviour; a second
 * question then checks that claim against the trajectory and the patch, answered YES/NO with
 * logprobs. The criterion `critic-failure` (discouraged) has as its value the probability that the
 * claimed failure is real, and the claim as its explanation. Two requests per trajectory per
 * judge; both start with the system prompt and the trajectory, so the second reuses the first's
 * prefix.
 */
import { z } from "zod";
import { rubricHash } from "../../rubric/load.js";
import type { Criterion, Rubric } from "../../rubric/schema.js";
import { unscored } from "../../types/decider.js";
import type { ChatResponse, JudgeBackend } from "../backend.js";
import { failedVote, type Vote } from "../panel.js";
import { fence } from "../render.js";
import { askYesNo, type Sender } from "./yesno.js";

export const CRITIC_ID = "critic-failure";

/** The critic as a rubric criterion: a judge criterion whose `params.protocol` is "critic". */
export const CRITIC_CRITERION: Criterion = {
  id: CRITIC_ID,
  title: "Survives an adversarial critic",
  question:
    "Does the final patch fail the task in the way a critic claims (the single likeliest failure it could name, checked against the trajectory and the patch)?",
  polarity: "discourage",
  weight: 2,
  severity: "major",
  kind: "judge",
  params: { protocol: "critic" },
  when: { has_patch: true },
  why: "A critic that must name one concrete failure, checked separately, finds faults a general question misses.",
};

export function isCritic(c: Pick<Criterion, "kind" | "params">): boolean {
  return c.kind === "judge" && c.params?.protocol === "critic";
}

/** The rubric with the critic criterion added (unless it has one); its hash changes with it, so records say so. */
export function withCritic(rubric: Rubric): Rubric {
  if (rubric.criteria.some(isCritic)) return rubric;
  const { hash: _h, origin, ...rest } = rubric;
  const next = { ...rest, criteria: [...rubric.criteria, { ...CRITIC_CRITERION }] };
  return { ...next, hash: rubricHash(next), origin };
}

const Claim = z.object({ rationale: z.string(), evidence: z.array(z.number().int()), claim: z.string() });

export const CLAIM_SCHEMA: Record<string, unknown> = {
  type: "object",
  additionalProperties: false,
  required: ["rationale", "evidence", "claim"],
  properties: {
    rationale: { type: "string" },
    evidence: { type: "array", items: { type: "integer" } },
    claim: { type: "string" },
  },
};

const CLAIM_INSTRUCTION =
  "Act as an adversarial reviewer of the final patch. Name the single most likely way it fails to resolve the task: " +
  "one concrete claim about behaviour (an input or call, what the task requires, what the patched code does instead). " +
  'Reply with a JSON object: "rationale" (why this is the likeliest failure), then "evidence" (step numbers), then "claim" (the claim, one or two sentences). JSON only.';

/** The claim as the check quotes it: its own delimiters, which the claim cannot contain. */
function quote(claim: string): string {
  const clean = claim.replace(/<<</g, "‹‹‹").replace(/>>>/g, "›››").slice(0, 1500);
  return `<<<CLAIM\n${clean}\nCLAIM>>>`;
}

export interface CriticQuestion {
  system: string;
  transcript: string;
  steps: number;
  maxTokens: number;
}

/** One backend's critic vote: the claim, then its check; the value is p(the claimed failure is real). */
export async function askCritic(b: JudgeBackend, s: Sender, q: CriticQuestion): Promise<Vote> {
  const by = `judge:${b.model}`;
  let res: ChatResponse;
  try {
    res = await s.send(b, {
      system: q.system,
      user: `${fence(q.transcript)}\n\n${CLAIM_INSTRUCTION}`,
      schema: { name: "critic_claim", schema: CLAIM_SCHEMA },
      maxTokens: q.maxTokens,
      temperature: 0,
    });
  } catch (e) {
    return failedVote(by, s.failure(e));
  }
  if (res.refusal)
    return failedVote(by, unscored(s.name, "refused", `the critic refused: ${res.refusal.slice(0, 200)}`));
  let parsed: z.infer<typeof Claim> | null = null;
  try {
    const r = Claim.safeParse(
      JSON.parse(
        res.text
          .trim()
          .replace(/^```(?:json)?\s*/i, "")
          .replace(/```\s*$/, ""),
      ),
    );
    parsed = r.success ? r.data : null;
  } catch {
    parsed = null;
  }
  const claim = parsed?.claim.trim() ?? "";
  if (!parsed || !claim)
    return failedVote(
      by,
      unscored(
        s.name,
        "malformed_response",
        `the critic named no failure claim; raw: ${JSON.stringify(res.text.slice(0, 300))}`,
      ),
    );
  const check = await askYesNo(b, s, {
    system: q.system,
    transcript: q.transcript,
    id: CRITIC_ID,
    question: `A critic claims the final patch fails the task this way:\n${quote(claim)}\nChecked against the task, the trajectory and the final patch, is the claim correct: does the patched code fail this way?`,
  });
  const evidence = [...new Set(parsed.evidence.filter((i) => i >= 0 && i < q.steps))].sort((x, y) => x - y);
  const said = `critic's claim: ${claim.slice(0, 600)}`;
  if (check.value === null) {
    const f = check.failure ?? unscored(s.name, "malformed_response", check.note);
    return failedVote(by, { ...f, explanation: `${said}; the check was not answered: ${f.explanation}` });
  }
  const confirmed = check.value >= 0.5 ? "confirmed" : "not confirmed";
  return { by, value: check.value, evidence, note: `${said} — check: ${confirmed}, ${check.note}` };
}
