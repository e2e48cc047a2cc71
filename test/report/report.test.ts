import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { bestOfN, bootstrap, rocAuc, rng, type Attempt } from "../../src/eval/metrics.js";
import { analyse, rocCurve } from "../../src/report/analysis.js";
import { buildReport } from "../../src/report/build.js";
import type { ReportIndex } from "../../src/report/client.js";
import { MixedRubricsError, collectScores } from "../../src/report/collect.js";
import { pResolved } from "../../src/score/reward.js";
import { BodyStore, CUT_MARK, commonCap, cutText, type Body } from "../../src/report/store.js";
import { renderVerdictsOnSteps } from "../../src/report/terminal.js";
import type { ScoreRecord } from "../../src/types/score.js";
import { ROOT } from "../helpers.js";
import { XSS, synthetic, type Synthetic } from "./synth.js";

const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });

/** The index and the inflated bodies of a report file (embedded, or in its side folder). */
export function readReport(file: string): { html: string; index: ReportIndex; bodies: Map<string, Body> } {
  const html = readFileSync(file, "utf8");
  const index = JSON.parse(
    /<script type="application\/json" id="report-index">(.*?)<\/script>/s.exec(html)![1],
  ) as ReportIndex;
  const chunks = new Map<number, string[]>();
  const inflate = (k: string, b64: string) =>
    chunks.set(Number(k), gunzipSync(Buffer.from(b64, "base64")).toString("utf8").split("\n"));
  for (const m of html.matchAll(/<script type="application\/octet-stream" id="chunk-(\d+)">(.*?)<\/script>/gs))
    inflate(m[1], m[2]);
  if (index.side)
    for (const f of readdirSync(join(dirname(file), index.side))) {
      const m = /^rubricateChunk\((\d+),"([A-Za-z0-9+/=]*)"\);\n$/.exec(
        readFileSync(join(dirname(file), index.side, f), "utf8"),
      );
      assert.ok(m, `${f} is a chunk script`);
      inflate(m[1], m[2]);
    }
  const bodies = new Map<string, Body>();
  for (const r of (index as ReportIndex).rows) bodies.set(r.id, JSON.parse(chunks.get(r.b[0])![r.b[1]]));
  return { html, index, bodies };
}

describe("p(resolved)", () => {
  const outcome = (value: number | null) =>
    ({
      criteria: [
        {
          id: "predicted-resolution",
          kind: "outcome",
          status: value === null ? "unscored" : "decided",
          value,
        },
      ],
    }) as unknown as ScoreRecord;
  it("is the record's own p_resolved, or for records from before that field its outcome criterion's value", () => {
    assert.equal(pResolved({ ...outcome(0.7), p_resolved: 0.2 }), 0.2);
    assert.equal(pResolved({ ...outcome(0.7), p_resolved: null }), null);
    assert.equal(pResolved(outcome(0.7)), 0.7);
    assert.equal(pResolved(outcome(null)), null);
    assert.equal(pResolved({ criteria: [] }), null);
  });
});

describe("the two numbers", () => {
  it("evaluates p(resolved) first (read by pResolved), then the behaviour score, and names what decided p(resolved)", async () => {
    const s = await synthetic({ tasks: 6, per: 3 });
    const rand = rng(5);
    const rs: ScoreRecord[] = s.records.map((r) => ({
      ...r,
      p_resolved: Math.min(1, 0.35 * Number(r.label!.resolved) + 0.65 * rand()),
      provenance: { ...r.provenance, p_resolved: "outcome-model:test" },
    }));
    const a = analyse(rs, { bootstrap: 50 });
    assert.deepEqual(
      a.series.map((x) => [x.key, x.label]),
      [
        ["p_resolved", "p(resolved)"],
        ["score", "behaviour score"],
      ],
    );
    const labelled = rs.filter((r) => r.label);
    assert.equal(
      a.series[0].auc.value,
      rocAuc(labelled.map((r) => ({ score: r.p_resolved!, label: r.label!.resolved }))),
    );
    assert.equal(a.series[1].auc.value, rocAuc(labelled.map((r) => ({ score: r.score!, label: r.label!.resolved }))));
    assert.deepEqual(a.pDeciders, [{ by: "outcome-model:test", records: rs.length }]);
    const res = labelled.filter((r) => r.label!.resolved).map((r) => r.p_resolved!);
    assert.ok(Math.abs(a.meanP.resolved! - res.reduce((x, y) => x + y, 0) / res.length) < 1e-12);
  });
});

describe("ROC curve", () => {
  it("runs from (0,0) to (1,1) and its trapezoid area is the Mann-Whitney AUC, ties included", () => {
    const rand = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const xs = Array.from({ length: 40 }, () => {
        const label = rand() < 0.4;
        return { score: Math.round((rand() + (label ? 0.3 : 0)) * 8) / 8, label };
      });
      const c = rocCurve(xs);
      if (!c.length) continue;
      assert.deepEqual([c[0].fpr, c[0].tpr], [0, 0]);
      assert.deepEqual([c.at(-1)!.fpr, c.at(-1)!.tpr], [1, 1]);
      let area = 0;
      for (let i = 1; i < c.length; i++) area += ((c[i].fpr - c[i - 1].fpr) * (c[i].tpr + c[i - 1].tpr)) / 2;
      assert.ok(Math.abs(area - rocAuc(xs)!) < 1e-12, `trial ${trial}: ${area} vs ${rocAuc(xs)}`);
    }
  });
});

describe("best-of-N intervals", () => {
  it("are the bootstrap of bestOfN over resampled tasks (pick, random and oracle), computed from per-task shares", async () => {
    const s = await synthetic({ tasks: 8, per: 4 });
    const a = analyse(s.records, { bootstrap: 300, seed: 3 });
    const series = a.series.find((x) => x.key === "score")!;
    const tasks = new Map<string, Attempt[]>();
    for (const r of s.records)
      if (r.label && r.score !== null)
        tasks.set(r.instance_id!, [
          ...(tasks.get(r.instance_id!) ?? []),
          { score: r.score, label: r.label.resolved, key: r.trajectory_id },
        ]);
    for (const p of series.bestOfN) {
      const eligible = [...tasks.values()].filter((t) => t.length >= p.n);
      for (const line of ["reward", "random", "oracle"] as const) {
        const direct = bootstrap(eligible, (gs) => bestOfN(gs, p.n)[line], 300, 3);
        for (const k of ["value", "lo", "hi"] as const)
          assert.ok(Math.abs(p[line][k]! - direct[k]!) < 1e-12, `N=${p.n} ${line} ${k}: ${p[line][k]} vs ${direct[k]}`);
      }
    }
  });
});

describe("size budget", () => {
  it("finds the largest common cap that fits, and cuts in the middle with a marker", () => {
    assert.equal(commonCap([10, 20, 30], 100), Number.POSITIVE_INFINITY);
    const cap = commonCap([10, 200, 300], 210);
    assert.equal(cap, 100);
    assert.ok([10, 200, 300].reduce((s, x) => s + Math.min(x, cap), 0) <= 210);
    assert.ok([10, 200, 300].reduce((s, x) => s + Math.min(x, cap + 1), 0) > 210);
    const s = `HEAD${"x".repeat(5000)}TAIL`;
    const cut = cutText(s, 1000);
    assert.ok(cut.startsWith("HEAD") && cut.endsWith("TAIL"));
    assert.match(cut, new RegExp(`\\[… 4008 ${CUT_MARK} …\\]`));
    assert.equal(cutText("short", 1000), "short");
  });

  it("keeps the store near its budget however many large bodies come, and never cuts when they fit", () => {
    const big = (i: number): Body => ({
      meta: { file: "f", format: "x", variant: "", model: null, run: null, origin: null, vetoed_by: [] },
      verdicts: [],
      steps: Array.from({ length: 20 }, (_, k) => ({
        i: k,
        tool: "bash",
        thought: `thinking ${i} ${k}`,
        action: `cat file_${i}_${k}.py`,
        obs: Array.from(
          { length: 300 },
          (_, j) => `line ${j} of file ${i}/${k}: ${((i * 7919 + j * 104729 + k) % 99991).toString(36)}`,
        ).join("\n"),
      })),
    });
    const tight = new BodyStore(200, 1_000_000);
    for (let i = 0; i < 200; i++) {
      const b = big(i);
      const budget = tight.budget();
      const lengths = b.steps!.flatMap((s) => [s.thought.length, s.action.length, s.obs!.length]);
      const cap = Math.max(160, commonCap(lengths, budget));
      for (const s of b.steps!) if (s.obs!.length > cap) s.obs = cutText(s.obs!, cap);
      tight.add({ ...b, cut: 1 });
    }
    tight.flush();
    const st = tight.stats();
    assert.equal(st.bodies, 200);
    assert.ok(st.storedBytes < 1_250_000, `stored ${st.storedBytes} bytes for a 1 MB budget`);
    const roomy = new BodyStore(5, 50_000_000);
    assert.ok(roomy.budget() > 1_000_000);
  });
});

describe("side folder", () => {
  it("keeps every text whole beside the report, where the embedded store must cut to its budget", async () => {
    const s = await synthetic({ tasks: 2, per: 2 });
    // an observation of 3 M random characters: about 2.3 MB gzip+base64, over a 1 MB budget
    const rand = rng(11);
    const huge = Array.from({ length: 3_000_000 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join("");
    const t0 = s.trajectories[0];
    t0.steps[0].observation = huge;
    const events = async function* () {
      for (const t of s.trajectories) yield { type: "trajectory" as const, trajectory: t };
    };
    const embedded = join(s.dir, "embedded.html");
    const a = await buildReport(embedded, { scores: [s.scoresFile], trajectories: events(), maxMb: 1, bootstrap: 20 });
    assert.equal(a.sideFolder, null);
    assert.equal(a.store.cutBodies, 1);
    const cut = readReport(embedded).bodies.get(t0.id)!.steps![0].obs!;
    assert.ok(cut.length < huge.length && cut.includes(CUT_MARK));

    const side = join(s.dir, "side.html");
    const b = await buildReport(side, {
      scores: [s.scoresFile],
      trajectories: events(),
      maxMb: 1,
      bootstrap: 20,
      sideFolder: true,
    });
    assert.equal(b.sideFolder, join(s.dir, "side_files"));
    assert.equal(b.store.cutTexts, 0);
    assert.ok(b.bytes < 1_000_000, `${b.bytes} bytes of HTML`);
    const r = readReport(side);
    assert.equal(r.index.side, "side_files");
    assert.doesNotMatch(r.html, /application\/octet-stream/);
    assert.equal(r.bodies.get(t0.id)!.steps![0].obs, huge);
    assert.equal(r.bodies.size, s.records.length);
    // a rebuild with fewer chunks leaves no stale chunk file behind
    const before = readdirSync(b.sideFolder!).length;
    t0.steps[0].observation = "short";
    await buildReport(side, { scores: [s.scoresFile], trajectories: events(), bootstrap: 20, sideFolder: true });
    assert.ok(readdirSync(b.sideFolder!).length < before);
    assert.ok(existsSync(join(b.sideFolder!, "chunk-0.js")));
  });
});

describe("report from synthetic scores", () => {
  let s: Synthetic;
  let out: string;
  before(async () => {
    s = await synthetic({ tasks: 5, per: 3 });
    out = join(s.dir, "report.html");
    const r = cli("report", s.scoresFile, "--trajectories", s.trajFile, "-o", out, "--bootstrap", "200", "-q");
    assert.equal(r.status, 0, r.stderr);
  });

  it("is one file that fetches nothing: no external scripts, styles, images or fonts", () => {
    const html = readFileSync(out, "utf8");
    assert.doesNotMatch(html, /<(script|img|link|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
    assert.doesNotMatch(html, /@import|url\((["']?)https?:/i);
    assert.doesNotMatch(html, /<link\b/i);
  });

  it("holds every record, its verdicts and its steps in the store; agent text never appears raw in the page", () => {
    const { html, index, bodies } = readReport(out);
    assert.equal(index.rows.length, s.records.length);
    assert.ok(!html.includes("window.__pwned"), "agent text must not reach the page as markup");
    for (const r of s.records) {
      const b = bodies.get(r.trajectory_id)!;
      const t = s.trajectories.find((x) => x.id === r.trajectory_id)!;
      assert.equal(b.steps!.length, t.steps.length);
      assert.deepEqual(
        b.verdicts.map((v) => [index.criteria[v.c].id, v.status, v.evidence]),
        r.criteria.map((c) => [c.id, c.status, c.evidence]),
      );
      const row = index.rows.find((x) => x.id === r.trajectory_id)!;
      assert.deepEqual(
        row.f.map((i) => index.criteria[i].id),
        r.criteria.filter((c) => c.status === "decided" && c.value! >= 0.5).map((c) => c.id),
      );
    }
    assert.ok([...bodies.values()].some((b) => b.steps!.some((x) => x.obs?.includes(XSS))));
  });

  it("draws the outcome plots as SVG", () => {
    const html = readFileSync(out, "utf8");
    for (const id of ["roc", "calibration", "best-of-n", "fire-rates", "per-scaffold"])
      assert.match(html, new RegExp(`<figure id="plot-${id}"[^>]*><h3>[^<]+</h3><svg `), id);
    assert.match(html, /behaviour score: AUC \d\.\d{3}/);
  });

  it("refuses records of two rubric hashes, naming files and hashes, and reports one when chosen", async () => {
    const other = join(s.dir, "other.jsonl");
    const lines = readFileSync(s.scoresFile, "utf8").trim().split("\n");
    writeFileSync(
      other,
      lines
        .slice(0, 4)
        .map((l) => {
          const r = JSON.parse(l) as ScoreRecord;
          r.rubric = { ...r.rubric, hash: "0123456789abcdef" };
          return JSON.stringify(r);
        })
        .join("\n") + "\n",
    );
    const bad = cli("report", s.scoresFile, other, "-o", join(s.dir, "mixed.html"), "-q");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /2 different rubrics; a report never mixes them/);
    assert.match(bad.stderr, /hash 0123456789abcdef\): 4 records — .*other\.jsonl: 4/);
    assert.match(bad.stderr, new RegExp(`hash ${s.records[0].rubric.hash}\\): ${lines.length} records`));
    await assert.rejects(collectScores([s.scoresFile, other]), MixedRubricsError);
    const ok = cli("report", s.scoresFile, other, "--rubric", "0123456789ab", "-o", join(s.dir, "one.html"), "-q");
    assert.equal(ok.status, 0, ok.stderr);
    const { html, index } = readReport(join(s.dir, "one.html"));
    assert.equal(index.rows.length, 4);
    assert.match(html, new RegExp(`${lines.length} records of other rubrics were left out`));
    const none = cli("report", s.scoresFile, other, "--rubric", "feedface", "-o", join(s.dir, "x.html"), "-q");
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--rubric feedface names none of the rubrics/);
  });

  it("a filter report becomes the before/after table; a bad one is an error naming the file", () => {
    const fr = join(s.dir, "filter.json");
    const kept = join(s.dir, "kept.jsonl");
    const f = cli("filter", s.trajFile, "--scores", s.scoresFile, "--policy", "terminal", "--report", fr, "-o", kept);
    assert.equal(f.status, 0, f.stderr);
    const r = cli("report", s.scoresFile, "--filter-report", fr, "-o", join(s.dir, "f.html"), "-q");
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      readFileSync(join(s.dir, "f.html"), "utf8"),
      /<h3>Filter: before and after<\/h3><p>policy terminal: kept/,
    );
    writeFileSync(join(s.dir, "bad.json"), JSON.stringify({ policy: "hybrid", kept: "many" }));
    const bad = cli("report", s.scoresFile, "--filter-report", join(s.dir, "bad.json"), "-o", join(s.dir, "g.html"));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.json: field '\w+': not a filter report/);
  });

  it("names the bad lines of a scores file and still reports the good ones (exit 1)", () => {
    const mixed = join(s.dir, "broken.jsonl");
    writeFileSync(mixed, `${readFileSync(s.scoresFile, "utf8")}{"schema": "rubricate.score/1"}\nnot json\n`);
    const r = cli("report", mixed, "-o", join(s.dir, "b.html"), "-q");
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`broken\\.jsonl:${s.records.length + 1}: .*not a ScoreRecord`));
    assert.match(r.stderr, new RegExp(`broken\\.jsonl:${s.records.length + 2}`));
    assert.equal(readReport(join(s.dir, "b.html")).index.rows.length, s.records.length);
  });
});

describe("report without labels", () => {
  it("leaves the outcome plots out and says why", async () => {
    const s = await synthetic({ tasks: 2, per: 2, labels: false });
    const out = join(s.dir, "r.html");
    const res = await buildReport(out, { scores: [s.scoresFile], bootstrap: 50 });
    assert.equal(res.charts.length, 0);
    const html = readFileSync(out, "utf8");
    assert.doesNotMatch(html, /<figure/);
    assert.match(html, /No outcome plots: none of the 4 records carries an outcome label/);
    const { bodies } = readReport(out);
    assert.ok([...bodies.values()].every((b) => b.steps === null && b.verdicts.length > 0));
  });
});

describe("inspect --scores", () => {
  let s: Synthetic;
  before(async () => {
    s = await synthetic({ tasks: 2, per: 4 });
  });

  it("shows each verdict with its evidence steps and opens the cited steps", () => {
    const r = s.records.find((x) => x.criteria.some((c) => c.evidence.length))!;
    const t = s.trajectories.find((x) => x.id === r.trajectory_id)!;
    const text = renderVerdictsOnSteps(t, r, { width: 120 });
    for (const c of r.criteria) {
      assert.match(text, new RegExp(`[−+] ${c.id}`));
      if (c.evidence.length) assert.match(text, new RegExp(`${c.id}.*steps ${c.evidence.join(", ")}`));
    }
    const cited = new Set(r.criteria.flatMap((c) => c.evidence));
    const opened = [...text.matchAll(/^▶\s+(\d+) /gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      opened,
      [...cited].sort((a, b) => a - b),
    );
  });

  it("from the CLI: verdicts for a scored trajectory, exit 1 and a note for one without a record", () => {
    const one = join(s.dir, "one.jsonl");
    writeFileSync(one, `${JSON.stringify(s.trajectories[0])}\n`);
    const r = cli("inspect", one, "--scores", s.scoresFile, "--no-color");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^verdicts$/m);
    assert.match(r.stdout, new RegExp(`rubric swe-default \\S+ \\(${s.records[0].rubric.hash}\\)`));
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const other = join(s.dir, "other.jsonl");
    writeFileSync(other, `${JSON.stringify({ ...s.trajectories[1], id: "not-scored" })}\n`);
    const miss = cli("inspect", other, "--scores", s.scoresFile);
    assert.equal(miss.status, 1);
    assert.match(miss.stderr, /no score record for trajectory not-scored/);
  });
});
