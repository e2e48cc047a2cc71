/**
 * Report benchmark: build time and file size of `rubricate report` for the shared data and for
 * copies of it (10x, and 28x = 10,052 trajectories), and the time the report takes to open in
 * Debian's headless Chromium. Copies get their own trajectory and task ids, so a copy adds tasks
 * (with the same attempts per task) rather than attempts.
 *
 * Baselines measured in the same run: reading the same trajectories alone (what any command
 * reading them pays), the size of the same trajectories as canonical JSONL (what `ingest`
 * writes), and opening an empty page in the same browser.
 *
 * Usage: node dist/bench/report.js [--data DIR] [--scores FILE] [--copies 1,10,28] [--side-folder] [--keep DIR]
 *   --side-folder: the bodies whole in a folder beside each report (nothing cut); sizes are the HTML and the folder
 *   --open A.html,B.html: build nothing, only open these reports (kept from an earlier run with --keep)
 *   --scores: ScoreRecords of DIR (default: scored here with `rubricate score`, labels from DIR/index.jsonl)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { IngestEvent } from "../src/ingest/pipeline.js";
import { readTrajectories } from "../src/labels/stream.js";
import { buildReport } from "../src/report/build.js";
import type { ScoreRecord } from "../src/types/score.js";
import { chromiumMissing, launch } from "../test/report/browser.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: resolve(root, "..", "shared", "data", "trajectories") },
    scores: { type: "string" },
    copies: { type: "string", default: "1,10,28" },
    keep: { type: "string" },
    "side-folder": { type: "boolean", default: false },
    open: { type: "string" },
  },
});
const data = values.data!;
const dir = values.keep ?? mkdtempSync(join(tmpdir(), "rubricate-bench-report-"));
mkdirSync(dir, { recursive: true });
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const now = () => Number(process.hrtime.bigint()) / 1e9;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
console.log(`machine: ${cpus().length} cores, load average ${load()} (1, 5, 15 min)`);

let scoresFile = values.scores;
if (!scoresFile && !values.open) {
  scoresFile = join(dir, "scores.jsonl");
  const t0 = now();
  const r = spawnSync(
    process.execPath,
    [join(root, "dist/src/cli/main.js"), "score", data, "--labels", join(data, "index.jsonl"), "-q", "-o", scoresFile],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`score failed: ${r.stderr}`);
  console.log(`scored ${data} in ${(now() - t0).toFixed(1)} s (not part of the figures)`);
}
const base = scoresFile ? readFileSync(scoresFile, "utf8").trim().split("\n") : [];

const copyId = (id: string, k: number) => (k === 0 ? id : `${id}~${k}`);

/** k copies of the records, each copy with its own trajectory and task ids. */
function copiesOf(k: number): string {
  const file = join(dir, `scores-x${k}.jsonl`);
  const lines: string[] = [];
  for (let c = 0; c < k; c++)
    for (const l of base) {
      const r = JSON.parse(l) as ScoreRecord;
      r.trajectory_id = copyId(r.trajectory_id, c);
      if (r.instance_id) r.instance_id = copyId(r.instance_id, c);
      lines.push(JSON.stringify(r));
    }
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** The trajectories of `data`, read k times, ids changed like the records'. */
async function* trajectoryCopies(k: number): AsyncGenerator<IngestEvent> {
  for (let c = 0; c < k; c++)
    for await (const ev of readTrajectories([data], { autoLabels: false })) {
      if (ev.type === "trajectory") {
        const t = ev.trajectory;
        t.id = copyId(t.id, c);
        if (t.instance_id) t.instance_id = copyId(t.instance_id, c);
      }
      yield ev;
    }
}

/** The baseline: reading the same copies and nothing else (timed); then their size as canonical JSONL (not timed). */
async function readOnly(k: number): Promise<{ seconds: number; canonical: number }> {
  const t0 = now();
  for await (const ev of trajectoryCopies(k)) void ev;
  const seconds = now() - t0;
  let canonical = 0;
  for await (const ev of readTrajectories([data], { autoLabels: false }))
    if (ev.type === "trajectory") canonical += Buffer.byteLength(JSON.stringify(ev.trajectory)) + 1;
  return { seconds, canonical: canonical * k };
}

interface Row {
  copies: number;
  trajectories: number;
  build: number;
  read: number;
  bytes: number;
  canonical: number;
  cut: number;
  side: number;
  file: string;
}

const rows: Row[] = [];
for (const file of values.open?.split(",") ?? []) {
  const html = readFileSync(file, "utf8");
  const index = JSON.parse(/<script type="application\/json" id="report-index">(.*?)<\/script>/s.exec(html)![1]) as {
    rows: unknown[];
    side: string | null;
  };
  const side = index.side
    ? readdirSync(join(dirname(file), index.side)).reduce(
        (s, f) => s + statSync(join(dirname(file), index.side!, f)).size,
        0,
      )
    : 0;
  const copies = Number(/x(\d+)/.exec(file)?.[1] ?? 0);
  rows.push({
    copies,
    trajectories: index.rows.length,
    build: 0,
    read: 0,
    bytes: statSync(file).size,
    canonical: 0,
    cut: 0,
    side,
    file,
  });
}
for (const k of values.open ? [] : values.copies!.split(",").map(Number)) {
  const scores = copiesOf(k);
  const { seconds: read, canonical } = await readOnly(k);
  const file = join(dir, `report-x${k}.html`);
  const t0 = now();
  const phases: [string, number][] = [];
  const res = await buildReport(file, {
    sideFolder: values["side-folder"],
    scores: [scores],
    trajectories: trajectoryCopies(k),
    onProgress: (phase) => {
      if (phases.at(-1)?.[0] !== phase) phases.push([phase, now()]);
    },
  });
  const build = now() - t0;
  const split = phases.map(([p, t], i) => `${p} ${((phases[i + 1]?.[1] ?? t0 + build) - t).toFixed(1)} s`).join(", ");
  rows.push({
    copies: k,
    trajectories: res.records,
    build,
    read,
    bytes: statSync(file).size,
    canonical,
    cut: res.store.cutBodies,
    side: res.sideFolder ? res.store.storedBytes : 0,
    file,
  });
  console.log(
    `x${k}: ${res.records} trajectories: build ${build.toFixed(1)} s (reading them alone ${read.toFixed(1)} s, ${(build / read).toFixed(2)}x); ` +
      (res.sideFolder
        ? `HTML ${mb(res.bytes)} + side folder ${mb(res.store.storedBytes)} (canonical JSONL ${mb(canonical)}, ${((100 * (res.bytes + res.store.storedBytes)) / canonical).toFixed(0)}%); nothing cut`
        : `${mb(res.bytes)} (canonical JSONL ${mb(canonical)}, ${((100 * res.bytes) / canonical).toFixed(0)}%); ${res.store.cutBodies} trajectories with texts cut to fit 45 MB`) +
      `; load ${load()}\n    (${split})`,
  );
}

if (chromiumMissing) console.log(`open time: skipped (${chromiumMissing})`);
else {
  const empty = join(dir, "empty.html");
  writeFileSync(
    empty,
    "<!doctype html><html><body><script>document.body.setAttribute('data-ready','1')</script></body></html>",
  );
  const b = await launch();
  const ROUNDS = 3;
  const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[xs.length >> 1];
  /** ms from navigation start to the viewer being ready, then to the table, one trajectory, one search */
  async function openOnce(file: string, full: boolean, searchToo = false) {
    const page = await b.browser.newPage();
    const t0 = now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-ready]", { state: "attached" });
    const wall = (now() - t0) * 1000;
    const out = { wall, ready: 0, table: 0, open: 0, search: 0 };
    if (full) {
      out.ready = Number(await page.getAttribute("body", "data-ready-ms"));
      let t = now();
      await page.click('nav a[data-view="trajectories"]');
      await page.waitForSelector("table.list tbody tr");
      out.table = (now() - t) * 1000;
      t = now();
      await page.click("table.list tbody tr:nth-child(2) a");
      await page.waitForSelector(".verdict");
      out.open = (now() - t) * 1000;
      if (searchToo) {
        await page.goBack();
        await page.waitForSelector("#search");
        t = now();
        await page.fill("#search", "traceback");
        out.search = await page
          .waitForFunction(() => /matching/.test(document.querySelector("#list-status")?.textContent ?? ""), null, {
            timeout: 600_000,
          })
          .then(
            () => (now() - t) * 1000 - 250, // less the typing debounce
            () => Number.POSITIVE_INFINITY,
          );
      }
    }
    await page.close();
    return out;
  }
  for (let i = 0; i < 2; i++) await openOnce(empty, false); // warm the browser
  const emptyMs = median(await Promise.all([0, 1, 2].map(() => openOnce(empty, false).then((x) => x.wall))));
  console.log(`open in Chromium (median of ${ROUNDS}); baseline: an empty page ${emptyMs.toFixed(0)} ms`);
  for (const r of rows) {
    const runs: Awaited<ReturnType<typeof openOnce>>[] = [];
    // the first full-text search inflates every chunk: timed once, in the first round
    for (let i = 0; i < ROUNDS; i++) runs.push(await openOnce(r.file, true, i === 0));
    const m = (k: "wall" | "ready" | "table" | "open" | "search") => median(runs.map((x) => x[k])).toFixed(0);
    console.log(
      `x${r.copies} (${r.trajectories} trajectories, ${mb(r.bytes)}${r.side ? ` + ${mb(r.side)} beside` : ""}): loaded and ready ${m("wall")} ms (page says ${m("ready")} ms), ` +
        `table ${m("table")} ms, open a trajectory ${m("open")} ms, first full-text search ${Number.isFinite(runs[0].search) ? `${runs[0].search.toFixed(0)} ms` : "over 600 s"}; load ${load()}`,
    );
  }
  await b.close();
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
