/** `rubricate rubric list | show | lint`. */
import { CHECKS } from "../checks/index.js";
import { RubricError, builtinRubricIds, loadRubric } from "../rubric/load.js";
import { note } from "./output.js";

export function runRubric(cmd: "list" | "show" | "lint", arg?: string): number {
  try {
    if (cmd === "list") {
      for (const id of builtinRubricIds()) {
        const r = loadRubric(id);
        const kinds = ["check", "judge", "outcome"]
          .map((k) => `${r.criteria.filter((c) => c.kind === k).length} ${k}`)
          .join(", ");
        process.stdout.write(`${r.id.padEnd(16)} v${r.version}  ${r.criteria.length} criteria (${kinds})  ${r.hash}\n`);
      }
      return 0;
    }
    const r = loadRubric(arg!);
    if (cmd === "lint") {
      process.stdout.write(
        `${arg}: ok — rubric ${r.id} v${r.version}, ${r.criteria.length} criteria, hash ${r.hash}\n`,
      );
      return 0;
    }
    const out: string[] = [`${r.id} v${r.version} (${r.hash})`, "", r.description.trim(), ""];
    out.push(
      `aggregation: ${r.aggregation.method}, veto ${r.aggregation.veto ? `on (critical criteria set the score to ${r.aggregation.veto_score})` : "off"}`,
      "",
    );
    for (const c of r.criteria) {
      const how =
        c.kind === "check"
          ? `check ${c.check}${c.params && Object.keys(c.params).length ? ` ${JSON.stringify(c.params)}` : ""}`
          : c.kind;
      const when = c.when ? `  when ${JSON.stringify(c.when)}` : "";
      out.push(`${c.polarity === "encourage" ? "+" : "-"} ${c.id}  [${how}; weight ${c.weight}; ${c.severity}]${when}`);
      out.push(`    ${c.title}: ${c.question}`);
      if (c.kind === "check") out.push(`    detects: ${CHECKS.get(c.check!)!.description}`);
      if (c.why) out.push(`    why: ${c.why.trim().replace(/\s+/g, " ")}`);
      out.push("");
    }
    process.stdout.write(out.join("\n") + "\n");
    return 0;
  } catch (e) {
    if (e instanceof RubricError) {
      note(e.message);
      return 1;
    }
    throw e;
  }
}
