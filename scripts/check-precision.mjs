// Precision and recall of the checks on their hand-labelled samples (build first): empty_patch,
// debug_artifacts, patch_unviewed_files, destructive_commands and env_tampering from
// test/checks/patch-safety.cases.ts; repeats_actions, failed_edit_streak, excessive_steps,
// budget_exhausted and hallucinated_paths from test/checks/process-labels.ts:
//   npx tsc -p tsconfig.json && node scripts/check-precision.mjs
// The data folders are the tests' (RUBRICATE_SHARED_DATA, RUBRICATE_TRAIN_DATA or beside the checkout).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, CHECKS, readTrajectories } from "../dist/src/index.js";
import { CASES, CHECKED } from "../dist/test/checks/patch-safety.cases.js";
import { PROCESS_CASES } from "../dist/test/checks/process-labels.js";
import { SHARED, TRAIN } from "../dist/test/helpers.js";

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
console.log("check                  labelled +/-   TP  FP  FN  TN   precision  recall");
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
    `${name.padEnd(22)} ${String(pos).padStart(4)} / ${String(cases.length - pos).padEnd(4)}  ${[n.tp, n.fp, n.fn, n.tn]
      .map((x) => String(x).padStart(3))
      .join(" ")}   ${ratio(n.tp, n.tp + n.fp).padStart(9)}  ${ratio(n.tp, n.tp + n.fn).padStart(6)}`,
  );
  for (const w of wrong) console.log(`    ${w}`);
}
