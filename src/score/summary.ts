/**
 * Running summary of scored records (constant memory): for each criterion how
 * often its behaviour was present, split by resolved / unresolved where
 * labels exist, and how often it was not applicable or unscored.
 */
import { behaviourName } from "../checks/behaviour.js";
import type { ScoreRecord } from "../types/score.js";

interface Counts {
  kind: string;
  polarity: "encourage" | "discourage";
  /** what decided it (the first "check:<name>" seen, else the first value) */
  by: string;
  fired: [number, number, number]; // resolved, unresolved, unlabelled
  decided: [number, number, number];
  notApplicable: number;
  unscored: number;
}

/**
 * Reasons a criterion is unscored that are failures of the run (a server down, a check that threw,
 * an answer that could not be read), as opposed to choices (no judge, no outcome model) or the
 * judge's own uncertainty.
 */
export const FAILURE_REASONS: ReadonlySet<string> = new Set(["judge_error", "check_error", "malformed_response"]);

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
  /** unscored criteria by reason, over all records */
  readonly unscoredBy = new Map<string, number>();
  /** records with at least one criterion left unscored by a failure (see FAILURE_REASONS) */
  failedRecords = 0;
  /** records (not error records) whose behaviour score is null */
  nullScores = 0;

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
    } else this.nullScores++;
    let failed = false;
    if (r.vetoed_by.length) this.vetoed++;
    if (r.injection) this.injection++;
    for (const c of r.criteria) {
      let k = this.criteria.get(c.id);
      if (!k) {
        k = {
          kind: c.kind,
          polarity: c.polarity,
          by: c.by,
          fired: [0, 0, 0],
          decided: [0, 0, 0],
          notApplicable: 0,
          unscored: 0,
        };
        this.criteria.set(c.id, k);
      }
      if (c.by.startsWith("check:")) k.by = c.by;
      if (c.status === "not_applicable") k.notApplicable++;
      else if (c.status === "unscored") {
        k.unscored++;
        const why = c.reason ?? "unknown";
        this.unscoredBy.set(why, (this.unscoredBy.get(why) ?? 0) + 1);
        if (FAILURE_REASONS.has(why)) failed = true;
      } else {
        k.decided[g]++;
        if ((c.value ?? 0) >= 0.5) k.fired[g]++;
      }
    }
    if (failed) this.failedRecords++;
  }

  /** unscored criteria counted by reason, e.g. "judge_error 12, no_judge 40" (most first); `only` keeps some reasons */
  reasons(only?: (reason: string) => boolean): string {
    return [...this.unscoredBy]
      .filter(([k]) => !only || only(k))
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  }

  /** A plain-text table for the terminal. */
  table(): string {
    const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}% (${a}/${b})` : "-");
    const rows: string[][] = [["behaviour", "kind", "present: all", "resolved", "unresolved", "n/a", "unscored"]];
    for (const [id, k] of this.criteria) {
      const all = k.fired[0] + k.fired[1] + k.fired[2];
      const dec = k.decided[0] + k.decided[1] + k.decided[2];
      rows.push([
        `${k.polarity === "encourage" ? "+" : "-"} ${behaviourName({ id, polarity: k.polarity, by: k.by })}`,
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
      "('+' encouraged, '-' discouraged, criterion id in brackets where it names the opposite; 'present' = share of the trajectories where it was decided that show the behaviour; n/a = condition or question does not apply)",
    );
    return lines.join("\n");
  }
}
