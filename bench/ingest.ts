/**
 * Ingestion benchmark. Prints, from one run on this machine:
 *  1. throughput of `ingest` over the shared real trajectories (MB/s, trajectories/s)
 *     next to plain JSON.parse of the same bytes (the target: at least half its speed);
 *  2. peak resident memory while streaming a large generated JSONL file
 *     (default 1 GB; target: under 300 MB).
 *
 * Usage: node dist/bench/ingest.js [--data DIR] [--rounds N] [--big-mb N]
 */
import { createWriteStream, statSync, unlinkSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { inputFiles } from "./inputs.js";
import { ingest } from "../src/ingest/pipeline.js";
import { readTrajectories } from "../src/labels/stream.js";
import { parseAll } from "./parse-all.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    rounds: { type: "string", default: "5" },
    "big-mb": { type: "string", default: "1024" },
    stream: { type: "string" },
  },
});
const DATA = values.data!;
const ROUNDS = Number(values.rounds);
const BIG_MB = Number(values["big-mb"]);

async function ingestAll(labels: boolean): Promise<number> {
  let n = 0;
  const events = labels ? readTrajectories([DATA]) : ingest([DATA]);
  for await (const ev of events) if (ev.type === "trajectory") n++;
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function throughput(): Promise<void> {
  const { files, bytes } = await inputFiles([DATA]);
  const mb = bytes / 1e6;
  const trajectories = await ingestAll(false); // also warms the page cache
  parseAll(files);
  const parse: number[] = [];
  const plain: number[] = [];
  const labelled: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    parse.push(await time(() => parseAll(files)));
    plain.push(await time(() => ingestAll(false)));
    labelled.push(await time(() => ingestAll(true)));
  }
  const row = (name: string, s: number) =>
    `  ${name.padEnd(34)} ${s.toFixed(3).padStart(7)} s  ${(mb / s).toFixed(1).padStart(7)} MB/s  ${(trajectories / s).toFixed(0).padStart(6)} traj/s  ${(median(parse) / s).toFixed(2).padStart(5)}x JSON.parse speed`;
  console.log(
    `ingestion throughput: ${files.length} files, ${mb.toFixed(1)} MB, ${trajectories} trajectories, median of ${ROUNDS} rounds`,
  );
  console.log(row("JSON.parse of the same bytes", median(parse)));
  console.log(row("ingest (no labels)", median(plain)));
  console.log(row("ingest + label discovery", median(labelled)));
  const ratio = median(parse) / median(plain);
  console.log(
    `  target: ingest at least 0.5x JSON.parse speed -> ${ratio.toFixed(2)}x ${ratio >= 0.5 ? "MET" : "NOT MET"}`,
  );
}

/** A large JSONL of canonical records (real trajectories, repeated with distinct ids). */
async function makeBig(path: string, targetBytes: number): Promise<number> {
  const records: string[] = [];
  for await (const ev of ingest([DATA])) {
    if (ev.type === "trajectory") records.push(JSON.stringify(ev.trajectory));
    if (records.length >= 200) break;
  }
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  while (written < targetBytes) {
    const rec = records[n % records.length].replace(/"id":"[0-9a-f]+"/, `"id":"big${n}"`) + "\n";
    if (!out.write(rec)) await once(out, "drain");
    written += Buffer.byteLength(rec);
    n++;
  }
  out.end();
  await once(out, "close");
  return n;
}

/** Parent: write the big file, then measure streaming it in a fresh process. */
async function memory(): Promise<void> {
  const path = join(tmpdir(), `rubricate-bench-${process.pid}.jsonl`);
  try {
    const lines = await makeBig(path, BIG_MB * 1024 * 1024);
    console.log(
      `streaming a ${(statSync(path).size / 1048576).toFixed(0)} MB JSONL of ${lines} canonical records in a fresh process:`,
    );
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--stream", path], { stdio: "inherit" });
    if (child.status !== 0) console.log(`  child failed with status ${child.status}`);
  } finally {
    unlinkSync(path);
  }
}

/** Child: stream one file, sampling resident memory. */
async function stream(path: string): Promise<void> {
  const size = statSync(path).size;
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let n = 0;
  const secs = await time(async () => {
    for await (const ev of ingest([path])) {
      if (ev.type === "trajectory") n++;
      if ((n & 255) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
  });
  clearInterval(timer);
  const mbPeak = peak / 1048576;
  console.log(`  ${n} trajectories in ${secs.toFixed(1)} s (${(size / 1e6 / secs).toFixed(0)} MB/s)`);
  console.log(
    `  resident memory: ${(base / 1048576).toFixed(0)} MB at start, peak ${mbPeak.toFixed(0)} MB; target under 300 MB -> ${mbPeak < 300 ? "MET" : "NOT MET"}`,
  );
}

if (values.stream) await stream(values.stream);
else {
  await throughput();
  if (BIG_MB > 0) await memory();
}
