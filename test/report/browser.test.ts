/**
 * The report in a real browser: Debian's headless Chromium driven by playwright-core. Over the
 * shared real data (scored, filtered and reported by the CLI as a user would): no console errors,
 * every plot present, sorting, filtering, search and opening a trajectory work, the highlighted
 * evidence steps are the record's, best-of-N picks are right, and a screenshot of each view is
 * written to docs/. Over synthetic data: agent text stays text, and a report without labels says
 * why it has no plots. Skipped, with the reason, without Chromium.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { readTrajectories } from "../../src/labels/stream.js";
import { buildReport } from "../../src/report/build.js";
import { pResolved } from "../../src/score/reward.js";
import { ScoreRecordSchema, type ScoreRecord } from "../../src/types/score.js";
import { HAS_SHARED, ROOT, SHARED } from "../helpers.js";
import { chromiumMissing, launch, type Launched } from "./browser.js";
import { XSS, synthetic } from "./synth.js";
import { askedIds, completion, rubricAnswer, startServer } from "../judge/server.js";
import { runCli } from "../judge/cli.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
/** Where the screenshots go: a temporary folder, or the README's pictures with RUBRICATE_SCREENSHOTS=docs. */
const DOCS =
  process.env.RUBRICATE_SCREENSHOTS === "docs"
    ? join(ROOT, "docs")
    : (process.env.RUBRICATE_SCREENSHOTS ?? join(tmpdir(), "rubricate-report-screenshots"));
const skip = chromiumMissing || (HAS_SHARED ? false : "shared data not present");

/** A page that records console errors, uncaught exceptions and dialogs. */
async function open(b: Launched, file: string, hash = "") {
  const page = await b.browser.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForSelector("body[data-ready]", { state: "attached" });
  return { page, errors, dialogs };
}

const countText = async (page: Page) => (await page.textContent("#list-status")) ?? "";
const shown = async (page: Page) => Number(/^(\d+) of/.exec(await countText(page))?.[1] ?? -1);

describe("report in Chromium, over the shared data", { skip }, () => {
  let dir: string;
  let html: string;
  let records: ScoreRecord[];
  let b: Launched;
  let page: Page;
  let errors: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "rubricate-report-browser-"));
    const scores = join(dir, "scores.jsonl");
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 0, `${args[0]}: ${r.stderr}`);
    };
    run("score", SHARED, "--labels", join(SHARED, "index.jsonl"), "-q", "-o", scores);
    run(
      "filter",
      SHARED,
      "--scores",
      scores,
      "--policy",
      "hybrid",
      "--report",
      join(dir, "filter.json"),
      "-o",
      join(dir, "kept.jsonl"),
    );
    html = join(dir, "report.html");
    run("report", scores, "--trajectories", SHARED, "--filter-report", join(dir, "filter.json"), "-o", html, "-q");
    records = readFileSync(scores, "utf8")
      .trim()
      .split("\n")
      .map((l) => ScoreRecordSchema.parse(JSON.parse(l)));
    b = await launch();
    ({ page, errors } = await open(b, html));
    mkdirSync(DOCS, { recursive: true });
  });
  after(async () => {
    await b?.close();
  });

  it("opens with no console errors and shows the summary", async () => {
    assert.equal(await page.textContent("#stat-records b"), records.length.toLocaleString("en-US"));
    const resolved = records.filter((r) => r.label?.resolved).length;
    assert.equal(await page.textContent("#stat-resolved b"), String(resolved));
    assert.match((await page.textContent("#rubric"))!, new RegExp(records[0].rubric.hash));
    assert.match((await page.textContent("#unscored"))!, /no_judge/);
    // p(resolved) and what decided it, next to the behaviour score
    const pBy = records[0].provenance.p_resolved!;
    assert.match(pBy, /^outcome-model:/);
    const prov = (await page.textContent("#provenance"))!;
    assert.ok(prov.includes(`p(resolved) decided byrecords${pBy}${records.length}`), prov);
    const meanP = (resolved: boolean) => {
      const ps = records.filter((r) => r.label?.resolved === resolved).map((r) => pResolved(r)!);
      return (ps.reduce((x, y) => x + y, 0) / ps.length).toFixed(3);
    };
    assert.equal(await page.textContent("#stat-p b"), `${meanP(true)} / ${meanP(false)}`);
    await page.screenshot({ path: join(DOCS, "report-summary.png") });
    assert.deepEqual(errors, []);
  });

  it("shows every plot as SVG, and the filter table", async () => {
    await page.click('nav a[data-view="plots"]');
    const plots = await page.$$eval("figure[data-plot]", (fs) =>
      fs.map((f) => ({ id: f.getAttribute("data-plot"), marks: f.querySelectorAll("svg path, svg line").length })),
    );
    assert.deepEqual(
      plots.map((p) => p.id),
      ["roc", "calibration", "best-of-n", "fire-rates", "per-scaffold"],
    );
    for (const p of plots) assert.ok(p.marks > 10, `${p.id} has ${p.marks} marks`);
    assert.match((await page.textContent("#plot-roc"))!, /p\(resolved\): AUC 0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]/);
    assert.match((await page.textContent("#filter"))!, /policy hybrid, threshold 0\.8: kept \d+ of 359/);
    await page.screenshot({ path: join(DOCS, "report-plots.png"), fullPage: true });
    assert.deepEqual(errors, []);
  });

  it("filters the table by outcome, scaffold, criterion fired and score range, and sorts it", async () => {
    await page.click('nav a[data-view="trajectories"]');
    await page.waitForSelector("table.list");
    assert.equal(await shown(page), records.length);
    await page.selectOption("#f-outcome", "1");
    assert.equal(await shown(page), records.filter((r) => r.label?.resolved).length);
    const outcomes = await page.$$eval("table.list tbody tr td:nth-child(3)", (tds) => tds.map((t) => t.textContent));
    assert.ok(outcomes.length > 0 && outcomes.every((o) => o === "resolved"));
    await page.selectOption("#f-outcome", "");
    const scaffold = records[0].source.scaffold;
    await page.selectOption("#f-scaffold", { label: scaffold });
    assert.equal(await shown(page), records.filter((r) => r.source.scaffold === scaffold).length);
    await page.selectOption("#f-scaffold", "");
    const fired = (r: ScoreRecord, id: string) =>
      r.criteria.some((c) => c.id === id && c.status === "decided" && c.value! >= 0.5);
    await page.selectOption("#f-crit", { label: "− clean-patch" });
    assert.equal(await shown(page), records.filter((r) => fired(r, "clean-patch")).length);
    await page.selectOption("#f-crit", "");
    await page.fill("#f-min", "0.9");
    await page.fill("#f-max", "0.95");
    const inRange = records.filter((r) => r.score !== null && r.score >= 0.9 && r.score <= 0.95);
    // scores in the index are rounded to 4 places, as shown
    assert.ok(Math.abs((await shown(page)) - inRange.length) <= 1, `${await shown(page)} vs ${inRange.length}`);
    await page.fill("#f-max", "");
    await page.selectOption("#f-range", "p");
    const pAbove = records.filter((r) => (pResolved(r) ?? -1) >= 0.9).length;
    assert.ok(Math.abs((await shown(page)) - pAbove) <= 1, `${await shown(page)} vs ${pAbove}`);
    await page.selectOption("#f-range", "s");
    await page.fill("#f-min", "");
    await page.click('th[data-sort="p"]');
    const top = Math.max(...records.map((r) => pResolved(r) ?? -1));
    const first = await page.textContent("table.list tbody tr:first-child td:nth-child(4)");
    assert.equal(first, top.toFixed(3));
    await page.click('th[data-sort="p"]');
    await page.click('th[data-sort="task"]');
    await page.screenshot({ path: join(DOCS, "report-trajectories.png") });
    assert.deepEqual(errors, []);
  });

  it("searches the full text of thoughts, actions, observations, the task, the patch and the explanations", async () => {
    const needle = "timeseries/core.py";
    const expected = new Set<string>();
    for await (const ev of readTrajectories([SHARED], { autoLabels: false })) {
      if (ev.type !== "trajectory") continue;
      const t = ev.trajectory;
      const text = [
        ...t.steps.flatMap((s) => [s.thought, s.tool === "none" ? "" : s.action, s.observation ?? ""]),
        t.patch ?? "",
        t.task ?? "",
        ...(records.find((r) => r.trajectory_id === t.id)?.criteria.map((c) => c.explanation) ?? []),
      ]
        .join("\n")
        .toLowerCase();
      if (text.includes(needle)) expected.add(t.id);
    }
    assert.ok(expected.size > 0 && expected.size < records.length);
    await page.fill("#search", needle);
    await page.waitForFunction(() => /matching/.test(document.querySelector("#list-status")?.textContent ?? ""));
    assert.equal(await shown(page), expected.size);
    const ids = await page.$$eval("table.list tbody tr", (trs) => trs.map((t) => t.getAttribute("data-id")));
    assert.ok(ids.every((id) => expected.has(id!)));
    await page.fill("#search", "");
    await page.waitForFunction(() => !/matching/.test(document.querySelector("#list-status")?.textContent ?? ""));
    assert.equal(await shown(page), records.length);
  });

  it("opens a trajectory: its steps, the verdicts, and the record's evidence highlighted and linked", async () => {
    // the record with the most cited steps
    const r = [...records].sort(
      (x, y) =>
        new Set(y.criteria.flatMap((c) => c.evidence)).size - new Set(x.criteria.flatMap((c) => c.evidence)).size,
    )[0];
    await page.click('nav a[data-view="trajectories"]');
    await page.evaluate((id) => (location.hash = `#t/${encodeURIComponent(id)}`), r.trajectory_id);
    await page.waitForSelector(".step");
    assert.equal(await page.$$eval(".step", (s) => s.length), r.steps);
    const verdicts = await page.$$eval(".verdict", (vs) =>
      vs.map((v) => [v.getAttribute("data-criterion"), v.getAttribute("data-evidence")]),
    );
    assert.deepEqual(verdicts.sort(), r.criteria.map((c) => [c.id, c.evidence.join(",")]).sort());
    const cited = new Map<number, string[]>();
    for (const c of r.criteria) for (const i of c.evidence) cited.set(i, [...(cited.get(i) ?? []), c.id]);
    const highlighted = await page.$$eval(".step.evidence", (ss) =>
      ss.map((s) => [Number(s.getAttribute("data-step")), s.getAttribute("data-cited-by")]),
    );
    assert.deepEqual(
      highlighted.map(([i, by]) => [i, String(by).split(" ").sort()]),
      [...cited].sort((a, b) => a[0] - b[0]).map(([i, by]) => [i, by.sort()]),
    );
    // following an evidence link brings that step into view and flashes it
    const c =
      r.criteria.find((x) => x.evidence.length && (x.goodness ?? 1) < 0.5) ??
      r.criteria.find((x) => x.evidence.length)!;
    const step = c.evidence[c.evidence.length - 1];
    await page.click(`#v-${c.id} a.ev[data-step="${step}"]`);
    await page.waitForSelector(`#step-${step}.flash`);
    assert.ok(
      await page.$eval(`#step-${step}`, (e) => {
        const b = e.getBoundingClientRect();
        return b.top < window.innerHeight && b.bottom > 0;
      }),
    );
    // long observations are collapsed
    const long = await page.$$eval("details.long.obs", (ds) => ds.map((d) => (d as HTMLDetailsElement).open));
    assert.ok(long.length > 0 && long.every((o) => o === false));
    // for the picture: a labelled trajectory whose early steps carry a problem's evidence, seen from the top
    const shot = records.find(
      (x) =>
        x.label &&
        x.steps < 40 &&
        x.criteria.some((k) => (k.goodness ?? 1) < 0.5 && k.evidence.some((i) => i >= 1 && i <= 3)),
    );
    if (shot) {
      await page.evaluate((id) => (location.hash = `#t/${encodeURIComponent(id)}`), shot.trajectory_id);
      await page.waitForSelector(`.step[data-step="${shot.steps - 1}"]`);
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await page.screenshot({ path: join(DOCS, "report-trajectory.png") });
    assert.deepEqual(errors, []);
  });

  it("shows the attempts at each task side by side with the pick marked", async () => {
    await page.click('nav a[data-view="tasks"]');
    await page.waitForSelector("section.group");
    const byTask = new Map<string, ScoreRecord[]>();
    for (const r of records) byTask.set(r.instance_id!, [...(byTask.get(r.instance_id!) ?? []), r]);
    const groups = await page.$$eval("section.group", (gs) =>
      gs.map((g) => ({
        task: g.getAttribute("data-task"),
        cards: g.querySelectorAll(".card").length,
        pick: g.querySelector('.card:has([data-pick="score"])')?.getAttribute("data-id"),
        pickP: g.querySelector('.card:has([data-pick="p"])')?.getAttribute("data-id"),
        first: g.querySelector(".card")?.getAttribute("data-id"),
      })),
    );
    assert.ok(groups.length > 0);
    for (const g of groups) {
      const rs = byTask.get(g.task!)!;
      assert.equal(g.cards, rs.length);
      const best = (v: (r: ScoreRecord) => number | null) =>
        [...rs].sort((a, b) => (v(b) ?? -1) - (v(a) ?? -1) || (a.trajectory_id < b.trajectory_id ? -1 : 1))[0]
          .trajectory_id;
      assert.equal(
        g.pick,
        best((r) => r.score),
        g.task!,
      );
      assert.equal(g.pickP, best(pResolved), g.task!);
      // cards are ordered by p(resolved), the default reward of select
      assert.equal(g.first, g.pickP, g.task!);
    }
    await page.screenshot({ path: join(DOCS, "report-best-of-n.png") });
    assert.deepEqual(errors, []);
  });
});

describe("report in Chromium, over synthetic data", { skip: chromiumMissing }, () => {
  let b: Launched;
  before(async () => {
    b = await launch();
  });
  after(async () => {
    await b?.close();
  });

  it("shows agent text as text: markup in an observation neither runs nor renders", async () => {
    const s = await synthetic({ tasks: 2, per: 3 });
    const out = join(s.dir, "r.html");
    await buildReport(out, { scores: [s.scoresFile], trajectories: [s.trajFile], bootstrap: 50 });
    const t = s.trajectories.find((x) => x.steps.some((st) => st.observation?.includes(XSS)))!;
    const { page, errors, dialogs } = await open(b, out, `#t/${t.id}`);
    await page.waitForSelector(".step");
    await page.$$eval("details", (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const text = await page.textContent("#steps");
    assert.ok(text!.includes(XSS));
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.$$eval("#steps img", (x) => x.length), 0);
    assert.deepEqual(errors, []);
  });

  it("scored by a panel of two judges on a loopback OpenAI-compatible server: the rationale, the votes and the provenance", async () => {
    const server = await startServer();
    server.models = ["judge-a", "judge-b"];
    // judge-b says no to root-cause; both say yes to the rest, each with its own rationale
    server.script = (body) => {
      if (!askedIds(body).length) return undefined;
      const model = String(body.model);
      const content = rubricAnswer(body, (id) => ({
        verdict: model === "judge-b" && id === "root-cause" ? "no" : "yes",
        evidence: [1],
        rationale: `${model} read step 1 for ${id}`,
      }));
      return { json: completion(content) };
    };
    try {
      const s = await synthetic({ tasks: 2, per: 2 });
      const scores = join(s.dir, "judged.jsonl");
      const r = await runCli([
        "score",
        s.trajFile,
        "--judge",
        server.url,
        "--model",
        "judge-a,judge-b",
        "-q",
        "-o",
        scores,
      ]);
      assert.equal(r.status, 0, r.stderr.slice(-2000));
      const records = readFileSync(scores, "utf8")
        .trim()
        .split("\n")
        .map((l) => ScoreRecordSchema.parse(JSON.parse(l)));
      const rec = records.find((x) => x.criteria.some((c) => c.id === "root-cause" && c.status === "decided"));
      assert.ok(rec, "some record has root-cause decided by the panel");
      const out = join(s.dir, "judged.html");
      await buildReport(out, { scores: [scores], trajectories: [s.trajFile], bootstrap: 50 });
      const { page, errors } = await open(b, out);
      const prov = (await page.textContent("#provenance"))!;
      assert.match(prov, /judge-a/);
      assert.match(prov, /judge-b/);
      assert.match(prov, /judge usage: [1-9]\d* requests/);
      await page.evaluate((id) => (location.hash = `#t/${encodeURIComponent(id)}`), rec.trajectory_id);
      await page.waitForSelector("#v-root-cause");
      const c = rec.criteria.find((x) => x.id === "root-cause")!;
      const verdict = (await page.textContent("#v-root-cause"))!;
      assert.ok(verdict.includes(c.explanation), `${verdict} lacks ${c.explanation}`);
      assert.match(c.explanation, /judge-\w read step 1 for root-cause/);
      assert.match(verdict, /votes: judge:judge-a 1\.00, judge:judge-b 0\.00 · agreement 0\.50/);
      assert.deepEqual(
        await page.$$eval("#v-root-cause a.ev", (as) => as.map((a) => a.getAttribute("data-step"))),
        c.evidence.map(String),
      );
      assert.deepEqual(errors, []);
    } finally {
      await server.close();
    }
  });

  it("with a side folder: trajectories and search read it from file://, and a missing chunk file is named", async () => {
    const s = await synthetic({ tasks: 3, per: 2 });
    const out = join(s.dir, "side report.html");
    const res = await buildReport(out, {
      scores: [s.scoresFile],
      trajectories: [s.trajFile],
      bootstrap: 50,
      sideFolder: true,
    });
    assert.equal(res.sideFolder, join(s.dir, "side report_files"));
    const { page, errors } = await open(b, out);
    const t = s.trajectories[1];
    await page.evaluate((id) => (location.hash = `#t/${encodeURIComponent(id)}`), t.id);
    await page.waitForSelector(".step");
    assert.equal(await page.$$eval(".step", (x) => x.length), t.steps.length);
    await page.click('nav a[data-view="trajectories"]');
    await page.fill("#search", "window.__pwned");
    await page.waitForFunction(() => /matching/.test(document.querySelector("#list-status")?.textContent ?? ""));
    const expected = s.trajectories.filter((x) => x.steps.some((st) => st.observation?.includes("window.__pwned")));
    assert.ok(expected.length > 0);
    assert.equal(await shown(page), expected.length);
    assert.deepEqual(errors, []);
    // the folder moved away: the page names the file it could not load
    rmSync(res.sideFolder!, { recursive: true });
    const again = await open(b, out, `#t/${encodeURIComponent(t.id)}`);
    await again.page.waitForSelector("#load-error");
    assert.match(
      (await again.page.textContent("#load-error"))!,
      /cannot load side report_files\/chunk-0\.js: the folder side report_files must stay next to this report/,
    );
  });

  it("without labels: no outcome plots, and the page says why", async () => {
    const s = await synthetic({ tasks: 2, per: 2, labels: false });
    const out = join(s.dir, "r.html");
    await buildReport(out, { scores: [s.scoresFile], bootstrap: 50 });
    const { page, errors } = await open(b, out, "#plots");
    assert.equal(await page.$$eval("figure[data-plot]", (x) => x.length), 0);
    assert.match((await page.textContent("#no-outcome"))!, /none of the 4 records carries an outcome label/);
    await page.click('nav a[data-view="trajectories"]');
    await page.click("table.list tbody tr:first-child a");
    await page.waitForSelector(".verdict");
    assert.match((await page.textContent("#steps"))!, /build it with --trajectories/);
    assert.deepEqual(errors, []);
  });
});
