/**
 * Start-up benchmark: how long the CLI takes to answer `--version`, `--help` and `score --help`,
 * and its peak memory, against bare `node -e 0` measured in the same run. The cases run round
 * robin (one run of each, then the next round) so that a change in the machine's load falls on
 * all of them alike; the load average is printed before and after.
 *
 * Each run is a fresh process. Peak RSS and CPU time (user + system) are the child's own, written at
 * exit by a small CommonJS preload (`-r`) given to every case, bare node included. CPU time depends
 * less on the load than wall time does, but is not free of it (caches, frequency).
 *
 * Usage: node dist/bench/startup.js [--runs 7] [--cli dist/src/cli/main.js]...
 *   --cli: the entry point to time; repeat it to compare builds in one run (e.g. a build of the base commit)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    cli: { type: "string", multiple: true, default: [join(root, "dist", "src", "cli", "main.js")] },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs: expected a whole number of at least 1");
const clis = values.cli!.map((c) => resolve(c));

const dir = mkdtempSync(join(tmpdir(), "rubricate-bench-startup-"));
const preload = join(dir, "rss.cjs");
// fd 3 is a pipe the bench reads: [maxRSS in KiB, user + system CPU in µs]
writeFileSync(
  preload,
  'process.on("exit", () => { try { const u = process.resourceUsage(); require("node:fs").writeSync(3, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); } catch {} });\n',
);

const cases: { name: string; args: string[] }[] = [{ name: "node -e 0 (baseline)", args: ["-e", "0"] }];
clis.forEach((cli, i) => {
  const tag = clis.length > 1 ? `[${i + 1}] ` : "";
  cases.push(
    { name: `${tag}rubricate --version`, args: [cli, "--version"] },
    { name: `${tag}rubricate --help`, args: [cli, "--help"] },
    { name: `${tag}rubricate score --help`, args: [cli, "score", "--help"] },
  );
});

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`machine: ${cpus().length} cores, node ${process.version}, load average ${load()} (1, 5, 15 min)`);
clis.forEach((cli, i) => console.log(`cli${clis.length > 1 ? ` [${i + 1}]` : ""}: ${cli}`));
console.log(`${runs} runs of each case, round robin`);

const times = cases.map(() => [] as number[]);
const rss = cases.map(() => [] as number[]);
const cpu = cases.map(() => [] as number[]);
for (let r = 0; r < runs; r++)
  cases.forEach((c, i) => {
    const start = process.hrtime.bigint();
    const p = spawnSync(process.execPath, ["-r", preload, ...c.args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (p.status !== 0) throw new Error(`${c.name} exited ${p.status}: ${p.stderr}`);
    times[i]!.push(s);
    const [kib, us] = JSON.parse(p.output[3] as string) as [number, number];
    rss[i]!.push(kib / 1024);
    cpu[i]!.push(us / 1e6);
  });
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const base = median(times[0]!);
const baseCpu = median(cpu[0]!);
const plus = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)} s`;
const rows = cases.map((c, i) => {
  const t = times[i]!;
  const m = median(t);
  return [
    c.name,
    `${m.toFixed(3)} s`,
    `${Math.min(...t).toFixed(3)}–${Math.max(...t).toFixed(3)} s`,
    i === 0 ? "" : plus(m - base),
    `${median(cpu[i]!).toFixed(3)} s`,
    i === 0 ? "" : plus(median(cpu[i]!) - baseCpu),
    `${median(rss[i]!).toFixed(0)} MB`,
    `${Math.max(...rss[i]!).toFixed(0)} MB`,
  ];
});
const head = [
  "case",
  "median",
  "range",
  "over bare node",
  "CPU (median)",
  "CPU over bare",
  "peak RSS (median)",
  "(max)",
];
const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
const line = (r: string[]) =>
  r
    .map((x, j) => x.padEnd(widths[j]!))
    .join("  ")
    .trimEnd();
console.log(`\n${line(head)}\n${rows.map(line).join("\n")}`);
console.log(`\nload average after: ${load()} — wall times depend on it; compare rows of the same run only`);
