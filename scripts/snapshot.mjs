// Writes every analysis fact and every score record over a data folder to one JSONL file, or
// compares two such files. Used to show that a refactor changes no result:
//   node scripts/snapshot.mjs write ../shared/data/trajectories before.jsonl
//   (change the code, npm run build)
//   node scripts/snapshot.mjs write ../shared/data/trajectories after.jsonl
//   node scripts/snapshot.mjs compare before.jsonl after.jsonl
// SNAPSHOT_MODEL=<file> scores with that outcome model instead of the shipped one (to compare across a model change).
import { createWriteStream, readFileSync } from "node:fs";
import {
  analyze,
  loadRubric,
  readTrajectories,
  scoreStream,
  outcomeProvider,
  DEFAULT_MODEL,
} from "../dist/src/index.js";

const [cmd, a, b] = process.argv.slice(2);
if (cmd === "write" && a && b) await write(a, b);
else if (cmd === "compare" && a && b) compare(a, b);
else {
  console.error(
    "usage: node scripts/snapshot.mjs write <data folder> <out.jsonl> | compare <before.jsonl> <after.jsonl>",
  );
  process.exit(2);
}

function plain(v) {
  if (v instanceof Set) return [...v].sort();
  if (v instanceof Map) return Object.fromEntries([...v].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") {
    const o = typeof v.toJSON === "function" ? v.toJSON() : v;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, plain(o[k])]),
    );
  }
  return v;
}

/** The facts a refactor must keep, without the fields that only name a scaffold's tool. */
function factsOf(f) {
  const steps = f.steps.map(({ tool: _tool, action: _action, ...s }) => s);
  const { actions: _actions, canRun: _canRun, ...rest } = f;
  return plain({ ...rest, steps });
}

async function write(folder, out) {
  const rubric = loadRubric("swe-default");
  const outcome = outcomeProvider(process.env.SNAPSHOT_MODEL ?? DEFAULT_MODEL);
  // the records as `score` makes them (run-relative criteria against the whole folder)
  const records = new Map();
  for await (const ev of scoreStream([folder], { rubric, outcome }))
    if (ev.type === "record") records.set(`${ev.record.source.file}:${ev.record.source.line}`, ev.record);
  const w = createWriteStream(out);
  let n = 0;
  for await (const ev of readTrajectories([folder])) {
    if (ev.type !== "trajectory") continue;
    const t = ev.trajectory;
    const facts = factsOf(analyze(t));
    const record = records.get(`${t.source.file}:${t.source.line}`);
    w.write(JSON.stringify({ id: t.id, file: t.source.file, line: t.source.line ?? null, facts, record }) + "\n");
    n++;
  }
  await new Promise((r) => w.end(r));
  console.log(`${n} trajectories -> ${out}`);
}

function compare(x, y) {
  const read = (p) =>
    new Map(
      readFileSync(p, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .map((r) => [`${r.file.replace(/^.*?(data\/trajectories|\.data\/train)\//, "")}:${r.line}`, r]),
    );
  const before = read(x);
  const after = read(y);
  let facts = 0;
  let records = 0;
  const shown = [];
  for (const [k, r] of before) {
    const s = after.get(k);
    if (!s) {
      shown.push(`missing after: ${k}`);
      continue;
    }
    for (const [part, count] of [
      ["facts", () => facts++],
      ["record", () => records++],
    ]) {
      const p = JSON.stringify(r[part]);
      const q = JSON.stringify(s[part]);
      if (p === q) continue;
      count();
      let i = 0;
      while (p[i] === q[i]) i++;
      if (shown.length < 30)
        shown.push(
          `${k} ${part} differs at: ...${p.slice(Math.max(0, i - 120), i + 80)}\n    after: ...${q.slice(Math.max(0, i - 120), i + 80)}`,
        );
    }
  }
  for (const k of after.keys()) if (!before.has(k)) shown.push(`new after: ${k}`);
  for (const s of shown) console.log(s);
  console.log(`${before.size} before, ${after.size} after; ${facts} facts and ${records} records differ`);
  process.exitCode = facts || records || before.size !== after.size ? 1 : 0;
}
