/**
 * The induced rubric as YAML: each kept criterion a judge criterion, with what was measured about
 * it in a comment above it (held-aside AUC, within-task consistency, lift, counts, support), and
 * the whole checked by the rubric loader before it is written.
 */
import { parseRubric } from "../../rubric/load.js";
import type { Rubric } from "../../rubric/schema.js";
import type { Candidate } from "./merge.js";
import type { CandidateStats } from "./validate.js";

const q = (s: string) => JSON.stringify(s.replace(/\s+/g, " ").trim());
const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));

export interface Measured {
  candidate: Candidate;
  stats: CandidateStats;
}

export function measuredComment(m: Measured): string {
  const s = m.stats;
  return (
    `held-aside AUC ${f(s.auc)}, within-task consistency ${f(s.consistency)} (${s.pairs} pairs), lift ${f(s.lift)}; ` +
    `decided ${s.decided} (${s.resolved} resolved, ${s.unresolved} unresolved), ${s.unscored} unscored; ` +
    `proposed by ${m.candidate.support} pairs, ${m.candidate.agreeing} favouring the attempt that resolved`
  );
}

/** YAML text of the rubric (validated: an invalid rubric throws), and the parsed rubric. */
export function rubricYaml(
  kept: Measured[],
  meta: { id: string; header: string[]; description: string },
): { text: string; rubric: Rubric } {
  const lines = [
    ...meta.header.map((h) => (h ? `# ${h}` : "#")),
    `id: ${meta.id}`,
    "version: 1.0.0",
    `description: ${q(meta.description)}`,
    "aggregation:",
    "  method: weighted",
    "  veto: false",
    "criteria:",
  ];
  for (const m of kept) {
    const c = m.candidate;
    const hard = c.kind === "hard_rule";
    lines.push(
      `  # ${c.kind === "hard_rule" ? "hard rule" : "principle"}: ${measuredComment(m)}`,
      `  - id: ${c.id}`,
      `    title: ${q(c.title)}`,
      `    question: ${q(c.question)}`,
      `    polarity: ${c.polarity}`,
      `    weight: ${hard ? 2 : 1}`,
      `    severity: ${hard ? "major" : "minor"}`,
      "    kind: judge",
    );
  }
  const text = `${lines.join("\n")}\n`;
  return { text, rubric: parseRubric(text, `${meta.id}.yaml`) };
}
