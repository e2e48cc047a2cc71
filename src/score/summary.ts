/**
 * Running summary of scored records (constant memory): for each criterion how
 * often it fired (behaviour present), split by resolved / unresolved where
 * labels exist, and how often it was not applicable or unscored.
 */
import type { ScoreRecord } from "../types/score.js";

interface Counts {
  kind: string;
  polarity: string;
  fired: [number, number, number]; // resolved, unresolved, unlabelled
  decided: [number, number, number];
  notApplicable: number;
  unscored: number;
}

export class ScoreSummary {
  readonly criteria = new Map<string, Counts>();
  records = 0;
  errors = 0;
  labelled = [0, 0];
  scoreSum = [0, 0, 0];
  scoreN = [0, 0, 0];
  vetoed = 0;
  /** records whose trajectory text tried to steer a grader (`injection` set) */
  injection = 0;

  add(r: ScoreRecord): void {
    this.records++;
    if (r.error) {
      this.errors++;
      return;
    }
    const g = r.label ? (r.label.resolved ? 0 : 1) : 2;
    if (g < 2) this.labelled[g]++;
    if (r.score !== null) {
      this.scoreSum[g] += r.score;
      this.scoreN[g]++;
    }
    if (r.vetoed_by.length) this.vetoed++;
    if (r.injection) this.injection++;
    for (const c of r.criteria) {
      let k = this.criteria.get(c.id);
      if (!k) {
        k = { kind: c.kind, polarity: c.polarity, fired: [0, 0, 0], decided: [0, 0, 0], notApplicable: 0, unscored: 0 };
        this.criteria.set(c.id, k);
      }
      if (c.status === "not_applicable") k.notApplicable++;
      else if (c.status === "unscored") k.unscored++;
      else {
        k.decided[g]++;
        if ((c.value ?? 0) >= 0.5) k.fired[g]++;
      }
    }
  }

  /** A plain-text table for the terminal. */
  table(): string {
    const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}% (${a}/${b})` : "-");
    const rows: string[][] = [["criterion", "kind", "fired: all", "resolved", "unresolved", "n/a", "unscored"]];
    for (const [id, k] of this.criteria) {
      const all = k.fired[0] + k.fired[1] + k.fired[2];
      const dec = k.decided[0] + k.decided[1] + k.decided[2];
      rows.push([
        `${k.polarity === "encourage" ? "+" : "-"} ${id}`,
        k.kind,
        pct(all, dec),
        pct(k.fired[0], k.decided[0]),
        pct(k.fired[1], k.decided[1]),
        String(k.notApplicable),
        String(k.unscored),
      ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
    const mean = (g: number) => (this.scoreN[g] ? (this.scoreSum[g] / this.scoreN[g]).toFixed(3) : "-");
    lines.push("");
    lines.push(
      `${this.records} trajectories (${this.labelled[0]} resolved, ${this.labelled[1]} unresolved, ${this.records - this.errors - this.labelled[0] - this.labelled[1]} unlabelled), ${this.errors} error records, ${this.vetoed} vetoed, ${this.injection} flagged for text addressed to a grader (injection)`,
    );
    lines.push(`mean score: resolved ${mean(0)}, unresolved ${mean(1)}, unlabelled ${mean(2)}`);
    lines.push(
      "('+' encouraged, '-' discouraged; 'fired' = the behaviour is present; n/a = condition or question does not apply)",
    );
    return lines.join("\n");
  }
}
