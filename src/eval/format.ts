/** Plain-text formatting shared by the reports: numbers, intervals, percentages, aligned tables. */
import type { Interval } from "./metrics.js";

export const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? "-" : x.toFixed(3));
/** A value and its interval; a value without one (no bootstrap, too few tasks) alone. */
export const ci = (i: Interval): string =>
  i.value === null ? "-" : i.lo === null && i.hi === null ? f3(i.value) : `${f3(i.value)} [${f3(i.lo)}, ${f3(i.hi)}]`;
export const pct = (x: number | null): string => (x === null ? "-" : `${(100 * x).toFixed(0)}%`);

/** Rows as an aligned table: first column left-aligned, the rest right-aligned, a rule under the header. */
export function table(rows: string[][]): string {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const out = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
  out.splice(1, 0, w.map((x) => "-".repeat(x)).join("  "));
  return out.join("\n");
}
