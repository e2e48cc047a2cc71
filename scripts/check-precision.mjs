// Precision and recall of empty_patch, debug_artifacts, patch_unviewed_files, destructive_commands
// and env_tampering on the hand-labelled sample of test/checks/patch-safety.cases.ts (build first):
//   npx tsc -p tsconfig.json && node scripts/check-precision.mjs
// The data folders are the tests' (RUBRICATE_SHARED_DATA, RUBRICATE_TRAIN_DATA or beside the checkout).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, CHECKS, readTrajectories } from "../dist/src/index.js";
import { CASES, CHECKED } from "../dist/test/checks/patch-safety.cases.js";
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
for (const name of CHECKED) {
  const check = CHECKS.get(name);
  const n = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const wrong = [];
  for (const c of CASES[name]) {
    const t = await load(c);
    const got = check.run(analyze(t), t, check.params.parse({}), {}).present === true;
    n[got ? (c.present ? "tp" : "fp") : c.present ? "fn" : "tn"]++;
    if (got !== c.present) wrong.push(`${c.present ? "missed" : "false alarm"}: ${c.data} ${c.file}`);
  }
  const pos = CASES[name].filter((c) => c.present).length;
  console.log(
    `${name.padEnd(22)} ${String(pos).padStart(4)} / ${String(CASES[name].length - pos).padEnd(4)}  ${[
      n.tp,
      n.fp,
      n.fn,
      n.tn,
    ]
      .map((x) => String(x).padStart(3))
      .join(" ")}   ${ratio(n.tp, n.tp + n.fp).padStart(9)}  ${ratio(n.tp, n.tp + n.fn).padStart(6)}`,
  );
  for (const w of wrong) console.log(`    ${w}`);
}
