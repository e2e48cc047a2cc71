/**
 * `score` end to end, as a user runs it: each figure is a fresh process
 * (`rubricate score DATA -o FILE -q`: the built-in rubric's checks, the shipped outcome model,
 * labels found beside each run, excessive_steps decided against each run at the end), timed from
 * spawn to exit. Measured in the same run, alternating with it:
 *  - the floor: a bare Node process that reads and `JSON.parse`s the same input files
 *    (bench/parse-floor.ts), and `rubricate --version` (start-up alone);
 *  - with `--copies N` (default 10): a folder holding N copies of the data, built in a temporary
 *    folder, scored with `--jobs 1`, `--jobs 2` and the default (outputs compared byte for byte).
 * Wall time is what the targets read; CPU time (user + system of the child, from /proc on Linux)
 * is printed beside it because it depends less on what else runs on the machine. The load average
 * is printed at the start and the end: figures from a loaded machine are only comparable to
 * figures of the same run. Input bytes are counted as `bench:ingest` counts them (bench/inputs.ts).
 *
 * Targets (issue 21): score ≤ 3x the floor; --jobs 2 on 2 cores ≥ 1.6x the throughput of --jobs 1
 * on the copies; the default as fast as the faster of the two.
 *
 * Usage: node dist/bench/score.js [--data DIR] [--runs N] [--copies N] [--jobs-runs N] [--cli FILE]
 *   --copies 0 leaves out the --jobs part; --cli measures another build's dist/src/cli/main.js
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { autoJobs } from "../src/score/parallel.js";
import { inputFiles } from "./inputs.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const FLOOR = join(here, "parse-floor.js");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    runs: { type: "string", default: "5" },
    copies: { type: "string", default: "10" },
    "jobs-runs": { type: "string", default: "5" },
    cli: { type: "string" },
  },
});
const DATA = values.data!;
/** the CLI measured: this checkout's, or another build's (`--cli`, to compare two builds on the same machine) */
const CLI = values.cli ? resolve(values.cli) : join(root, "dist", "src", "cli", "main.js");
const RUNS = Number(values.runs);
const COPIES = Number(values.copies);
const JOBS_RUNS = Number(values["jobs-runs"]);

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/** CPU seconds of this process's waited-for children so far (Linux; null elsewhere). */
function childCpu(): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields 16 and 17 of the line (cutime, cstime) in clock ticks of 1/100 s
  return (Number(rest[13]) + Number(rest[14])) / 100;
}

interface Run {
  wall: number;
  cpu: number | null;
}

/** Run node with `args` to its end; its wall time and CPU time. */
function timed(args: string[]): Run {
  const c0 = childCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = childCpu();
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return { wall, cpu: c0 === null || c1 === null ? null : c1 - c0 };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[xs.length >> 1];
/** "median (min-max)" */
function range(xs: number[], digits = 2, unit = ""): string {
  const s = sorted(xs);
  return `${median(xs).toFixed(digits)}${unit} (${s[0].toFixed(digits)}-${s[s.length - 1].toFixed(digits)})`;
}
function row(name: string, runs: Run[]): string {
  const cpu = runs.every((r) => r.cpu !== null)
    ? `, CPU ${range(
        runs.map((r) => r.cpu!),
        2,
        " s",
      )}`
    : "";
  return `  ${name.padEnd(30)} wall ${range(
    runs.map((r) => r.wall),
    2,
    " s",
  )}${cpu}`;
}

const tmp = mkdtempSync(join(tmpdir(), "rubricate-bench-score-"));
try {
  console.log(`machine: ${availableParallelism()} cores, load average ${load()} (1, 5, 15 min) at the start`);
  const { files, bytes } = await inputFiles([DATA]);
  const list = join(tmp, "files.txt");
  writeFileSync(list, files.join("\n") + "\n");
  const out = join(tmp, "scores.jsonl");
  const score = (data: string, extra: string[] = [], file = out) =>
    timed([CLI, "score", data, "-o", file, "-q", ...extra]);
  // warm-up (page cache, compile cache), not counted
  timed([FLOOR, list]);
  score(DATA);
  const records = readFileSync(out, "utf8").trim().split("\n").length;
  const floor: Run[] = [];
  const version: Run[] = [];
  const scored: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    floor.push(timed([FLOOR, list]));
    version.push(timed([CLI, "--version"]));
    scored.push(score(DATA));
  }
  console.log(
    `score end to end: ${records} records from ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; ${RUNS} runs of each, alternating, after one to warm up`,
  );
  console.log(row("JSON.parse floor (bare node)", floor));
  console.log(row("rubricate --version", version));
  console.log(row("rubricate score", scored));
  const ratios = scored.map((s, i) => s.wall / floor[i].wall);
  const less = scored.map((s, i) => (s.wall - version[i].wall) / floor[i].wall);
  console.log(
    `  score / floor, paired by run: ${range(ratios)}x; without start-up (score - --version): ${range(less)}x`,
  );
  if (scored.every((s) => s.cpu !== null))
    console.log(
      `  CPU: score / floor ${range(scored.map((s, i) => s.cpu! / floor[i].cpu!))}x; ${((median(scored.map((s) => s.cpu!)) * 1000) / records).toFixed(1)} ms per record`,
    );
  console.log(
    `  target: score at most 3x the JSON.parse floor -> ${median(ratios).toFixed(2)}x ${median(ratios) <= 3 ? "MET" : "NOT MET"}`,
  );

  if (COPIES > 0) {
    const big = join(tmp, "copies");
    for (let i = 0; i < COPIES; i++) cpSync(DATA, join(big, `copy${i}`), { recursive: true });
    const chosen = await autoJobs([big]);
    const outs = [1, 2].map((j) => join(tmp, `jobs${j}.jsonl`));
    const one: Run[] = [];
    const two: Run[] = [];
    const auto: Run[] = [];
    for (let r = 0; r < JOBS_RUNS; r++) {
      one.push(score(big, ["--jobs", "1"], outs[0]));
      two.push(score(big, ["--jobs", "2"], outs[1]));
      auto.push(score(big, [], join(tmp, "auto.jsonl")));
    }
    const same = readFileSync(outs[0]).equals(readFileSync(outs[1]));
    const n = readFileSync(outs[0], "utf8").trim().split("\n").length;
    console.log(
      `score --jobs on ${COPIES} copies (${n} records, ${((COPIES * bytes) / 1e6).toFixed(0)} MB), ${JOBS_RUNS} runs of each, alternating; outputs of --jobs 1 and 2 ${same ? "identical" : "DIFFERENT"}`,
    );
    console.log(row("--jobs 1", one));
    console.log(row("--jobs 2", two));
    // (another build's CLI chooses by its own rule)
    console.log(row(values.cli ? "default" : `default (--jobs ${chosen} at this load)`, auto));
    const speed = one.map((x, i) => x.wall / two[i].wall);
    console.log(`  --jobs 2 throughput / --jobs 1, paired by run: ${range(speed)}x`);
    console.log(
      `  target: at least 1.6x on 2 cores -> ${median(speed).toFixed(2)}x ${median(speed) >= 1.6 ? "MET" : "NOT MET"}` +
        `; the default ${median(auto.map((a) => a.wall)) <= 1.05 * Math.min(median(one.map((x) => x.wall)), median(two.map((x) => x.wall))) ? "is" : "is NOT"} within 5% of the faster`,
    );
  }
  console.log(`load average ${load()} at the end`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
