/**
 * The name of the behaviour a criterion's verdict is about, for tables that count how often it is
 * present. A discouraged criterion's id usually names the good behaviour (`submits-a-patch`) while
 * its value says whether the bad one is present (no patch): shown under its id, "present" reads
 * backwards. Those rows name the bad behaviour instead, in the words of the check that finds it.
 */
import { CHECKS } from "./index.js";

export interface NamedCriterion {
  id: string;
  polarity: "encourage" | "discourage";
  /** what decided it: "check:<name>", "judge:<model>"... */
  by?: string;
}

export function behaviourName(c: NamedCriterion): string {
  if (c.polarity === "encourage") return c.id;
  const check = c.by?.startsWith("check:") ? CHECKS.get(c.by.slice(6)) : undefined;
  if (check) return `${check.present ?? check.name.replace(/_/g, " ")} (${c.id})`;
  // a judge's discouraged criterion: "no-hard-coding" asks whether there is hard-coding
  if (c.id.startsWith("no-") || c.id.startsWith("no_")) return `${c.id.slice(3).replace(/[-_]/g, " ")} (${c.id})`;
  return c.id;
}
