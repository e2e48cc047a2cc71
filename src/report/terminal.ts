/**
 * The verdict-on-steps view for a terminal (`rubricate inspect --scores`): the verdicts with their
 * evidence steps, then every step, with the steps a verdict cites opened up (thought, action, the
 * head of the observation) and marked with the criteria that cite them.
 */
import type { CriterionResult, ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { pResolved } from "../score/reward.js";

export interface TerminalOptions {
  width?: number;
  color?: boolean;
  /** observation lines shown for a cited step */
  obsLines?: number;
}

type Tone = "good" | "bad" | "warn" | "dim" | "bold" | "plain";
const ANSI: Record<Tone, string> = {
  good: "\x1b[32m",
  bad: "\x1b[31m",
  warn: "\x1b[33m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
  plain: "",
};

/** How a verdict reads: its word and tone (bad: a discouraged behaviour present or an encouraged one absent). */
export function verdictWord(c: CriterionResult): { word: string; tone: Tone; mark: string } {
  if (c.status === "not_applicable") return { word: "n/a", tone: "dim", mark: "·" };
  if (c.status === "unscored") return { word: `unscored (${c.reason ?? "?"})`, tone: "warn", mark: "?" };
  const fired = (c.value ?? 0) >= 0.5;
  const good = (c.goodness ?? 0) >= 0.5;
  return { word: fired ? "fired" : "not fired", tone: good ? "good" : "bad", mark: good ? "✓" : "✗" };
}

const sign = (c: CriterionResult) => (c.polarity === "encourage" ? "+" : "−");

function clip(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, Math.max(1, width - 1))}…` : s;
}

/** The first `maxLines` lines of `text`, each clipped to the width; `indent` before the first, spaces before the rest. */
function wrap(text: string, width: number, indent: string, maxLines: number): string[] {
  const out: string[] = [];
  const lines = text.replace(/\r/g, "").split("\n");
  const pad = " ".repeat(indent.length);
  for (const line of lines) {
    if (out.length >= maxLines) break;
    out.push((out.length ? pad : indent) + clip(line.replace(/\t/g, "  "), width - indent.length));
  }
  const more = lines.length - out.length;
  if (more > 0) out.push(`${pad}… (${more} more lines)`);
  return out;
}

export function renderVerdictsOnSteps(t: Trajectory, r: ScoreRecord, o: TerminalOptions = {}): string {
  const width = Math.max(60, o.width ?? 100);
  const paint = (tone: Tone, s: string) => (o.color && tone !== "plain" ? `${ANSI[tone]}${s}\x1b[0m` : s);
  const f3 = (x: number | null) => (x === null ? "–" : x.toFixed(3));
  const out: string[] = [];
  const label = r.label ? (r.label.resolved ? paint("good", "resolved") : paint("bad", "unresolved")) : "no label";
  out.push(paint("bold", `trajectory ${t.id}  ${t.instance_id ?? ""}`));
  out.push(
    `  ${t.source.scaffold}${t.source.model ? `, model ${t.source.model}` : ""} · ${label} · p(resolved) ${f3(pResolved(r))}${r.provenance.p_resolved ? ` (${r.provenance.p_resolved})` : ""} · behaviour score ${f3(r.score)}${r.vetoed_by.length ? paint("bad", ` (vetoed by ${r.vetoed_by.join(", ")})`) : ""}`,
  );
  out.push(
    `  rubric ${r.rubric.id} ${r.rubric.version} (${r.rubric.hash}) · ${r.decided} decided, ${r.not_applicable} n/a, ${r.unscored} unscored`,
  );
  if (r.error) out.push(paint("bad", `  error: ${r.error}`));
  out.push("", paint("bold", "verdicts"));
  const idw = Math.min(32, Math.max(...r.criteria.map((c) => c.id.length)) + 2);
  const order = [...r.criteria].sort((a, b) => rank(a) - rank(b));
  for (const c of order) {
    const v = verdictWord(c);
    const ev = c.evidence.length ? `steps ${c.evidence.join(", ")}` : "";
    const head = `  ${v.mark} ${`${sign(c)} ${c.id}`.padEnd(idw)} ${v.word.padEnd(19)} ${c.kind.padEnd(7)} `;
    out.push(paint(v.tone, head) + paint("dim", ev));
    for (const line of wrap(c.explanation, width, "      ", 3)) out.push(line);
  }
  const cites = new Map<number, CriterionResult[]>();
  for (const c of r.criteria) for (const i of c.evidence) cites.set(i, [...(cites.get(i) ?? []), c]);
  out.push("", paint("bold", `steps (${t.steps.length}; cited steps opened)`));
  for (const s of t.steps) {
    const cs = cites.get(s.index) ?? [];
    const action = s.tool === "none" ? `(no action) ${s.thought}` : s.action;
    const flat = action.replace(/\s+/g, " ").trim();
    if (!cs.length) {
      out.push(paint("dim", clip(`  ${String(s.index).padStart(4)}  ${s.tool.padEnd(14)} ${flat}`, width)));
      continue;
    }
    const tags = cs.map((c) => paint(verdictWord(c).tone, `[${sign(c)} ${c.id}]`)).join(" ");
    out.push(`${paint("bold", `▶ ${String(s.index).padStart(4)}  ${s.tool}`)}  ${tags}`);
    if (s.thought.trim()) out.push(...wrap(s.thought.trim(), width, "        thought  ", 4));
    if (s.tool !== "none") out.push(...wrap(s.action, width, "        action   ", 6));
    if (s.observation !== null) out.push(...wrap(s.observation, width, "        obs      ", o.obsLines ?? 8));
  }
  return out.join("\n");
}

function rank(c: CriterionResult): number {
  const t = verdictWord(c).tone;
  return t === "bad" ? 0 : t === "warn" ? 1 : t === "good" ? 2 : 3;
}
