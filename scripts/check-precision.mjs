// Precision and recall of the checks on their hand-labelled samples (build first): the patch and
// safety checks and the testing checks from test/checks/*.cases.ts; repeats_actions, failed_edit_streak, excessive_steps,
// budget_exhausted and hallucinated_paths from test/checks/process-labels.ts, and there too the
// responses a scaffold refused for their format (the analysis' steps that did not run; by trajectory,
// then by step):
//   npx tsc -p tsconfig.json && node scripts/check-precision.mjs
// The data folders are the tests' (RUBRICATE_SHARED_DATA, RUBRICATE_TRAIN_DATA or beside the checkout).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, CHECKS, readTrajectories } from "../dist/src/index.js";
import { FORMAT_REJECTED, PROCESS_CASES } from "../dist/test/checks/process-labels.js";
import { SHARED, TRAIN } from "../dist/test/helpers.js";

/** The hand-labelled case files (test/checks/<name>.cases.ts), each exporting CASES and CHECKED. */
const MODULES = ["patch-safety", "testing"];
const CASES = {};
const CHECKED = [];
for (const m of MODULES) {
  const mod = await import(`../dist/test/checks/${m}.cases.js`);
  Object.assign(CASES, mod.CASES);
  CHECKED.push(...mod.CHECKED);
}

async function load(c) {
  let path = join(c.data === "shared" ? SHARED : TRAIN, c.file);
  if (path.includes("/llm_completions/") && !path.endsWith(".json"))
    path = join(
      path,
      readdirSync(path).find((f) => f.endsWith(".json")),
    );
  for await (const ev of readTrajectories([path]))
    if (ev.type === "trajectory" && (c.line === undefined || ev.trajectory.source.line === c.line))
      return ev.trajectory;
  throw new Error(`no trajectory in ${path}`);
}

const ratio = (a, b) => (b ? (a / b).toFixed(2) : "n/a");
console.log("check                      labelled +/-   TP  FP  FN  TN   precision  recall");
// (a case may carry the check's parameters and the run's context: excessive_steps compares with the run's median)
const SAMPLES = { ...Object.fromEntries(CHECKED.map((name) => [name, CASES[name]])), ...PROCESS_CASES };
for (const [name, cases] of Object.entries(SAMPLES)) {
  const check = CHECKS.get(name);
  const n = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const wrong = [];
  for (const c of cases) {
    const t = await load(c);
    const got = check.run(analyze(t), t, check.params.parse(c.params ?? {}), c.ctx ?? {}).present === true;
    n[got ? (c.present ? "tp" : "fp") : c.present ? "fn" : "tn"]++;
    if (got !== c.present)
      wrong.push(`${c.present ? "missed" : "false alarm"}: ${c.data} ${c.file}${c.line ? `:${c.line}` : ""}`);
  }
  const pos = cases.filter((c) => c.present).length;
  console.log(
    `${name.padEnd(26)} ${String(pos).padStart(4)} / ${String(cases.length - pos).padEnd(4)}  ${[n.tp, n.fp, n.fn, n.tn]
      .map((x) => String(x).padStart(3))
      .join(" ")}   ${ratio(n.tp, n.tp + n.fp).padStart(9)}  ${ratio(n.tp, n.tp + n.fn).padStart(6)}`,
  );
  for (const w of wrong) console.log(`    ${w}`);
}

// responses refused for their format: a fact of the analysis (steps that did not run), not a check
{
  const n = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const steps = { tp: 0, fp: 0, fn: 0 };
  const wrong = [];
  for (const c of FORMAT_REJECTED) {
    const got = analyze(await load(c))
      .steps.filter((s) => !s.executed)
      .map((s) => s.index);
    const any = got.length > 0;
    n[any ? (c.present ? "tp" : "fp") : c.present ? "fn" : "tn"]++;
    for (const i of got) steps[c.evidence.includes(i) ? "tp" : "fp"]++;
    for (const i of c.evidence) if (!got.includes(i)) steps.fn++;
    if (any !== c.present || got.join() !== c.evidence.join())
      wrong.push(`steps ${JSON.stringify(got)}, read ${JSON.stringify(c.evidence)}: ${c.data} ${c.file}`);
  }
  const pos = FORMAT_REJECTED.filter((c) => c.present).length;
  const row = (name, k, p, q) =>
    console.log(
      `${name.padEnd(26)} ${k}  ${[p.tp, p.fp, p.fn, q]
        .map((x) => String(x).padStart(3))
        .join(" ")}   ${ratio(p.tp, p.tp + p.fp).padStart(9)}  ${ratio(p.tp, p.tp + p.fn).padStart(6)}`,
    );
  row("format_rejected", `${String(pos).padStart(4)} / ${String(FORMAT_REJECTED.length - pos).padEnd(4)}`, n, n.tn);
  row("  (by step)", "           ", steps, "  -");
  for (const w of wrong) console.log(`    ${w}`);
}
