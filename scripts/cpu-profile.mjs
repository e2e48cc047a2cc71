// Summarises a V8 CPU profile (from `node --cpu-prof`): the functions with the most self time,
// and self time by source file, so a profile can be read and compared in a terminal.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/src/cli/main.js score DATA -o /tmp/s.jsonl -q
//   node scripts/cpu-profile.mjs /tmp/prof/CPU.*.cpuprofile [--top 25]
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const top = args.includes("--top") ? Number(args[args.indexOf("--top") + 1]) : 25;
const files = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--top");
if (!files.length) {
  console.error("usage: node scripts/cpu-profile.mjs <file.cpuprofile>... [--top N]");
  process.exit(2);
}

const byFunction = new Map();
const byFile = new Map();
let total = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // samples are node ids; timeDeltas[i] is the time before sample i
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  for (const [id, ms] of self) {
    const f = nodes.get(id).callFrame;
    const where = shortUrl(f.url);
    const name = `${f.functionName || "(anonymous)"}  ${where}${where ? `:${f.lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(where || f.functionName, (byFile.get(where || f.functionName) ?? 0) + ms);
    total += ms;
  }
}

function shortUrl(url) {
  if (!url) return "";
  const i = url.indexOf("/dist/");
  if (i >= 0) return url.slice(i + 1);
  const j = url.indexOf("/node_modules/");
  if (j >= 0) return url.slice(j + 1);
  return url.replace(/^file:\/\//, "");
}

const row = ([name, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`;
console.log(`total sampled: ${total.toFixed(0)} ms over ${files.length} profile(s)`);
console.log(`top ${top} functions by self time:`);
for (const r of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(row(r));
console.log(`top ${top} files by self time:`);
for (const r of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(row(r));
