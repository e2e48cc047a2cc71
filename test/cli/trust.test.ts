/**
 * The CLI a new user can trust (issue 18): records never on a terminal and stdout holding only
 * data, exit codes that say when something failed (with one line saying what), quiet ends on a
 * closed pipe, one clear error for an input given in the wrong place, readable summary tables.
 * Each test runs the built CLI as a child process.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../helpers.js";
import { CLI, runCli } from "../judge/cli.js";

const examples = join(ROOT, "examples");
const tmp = () => mkdtempSync(join(tmpdir(), "rubricate-trust-"));
const lines = (text: string) => text.split("\n").filter(Boolean);
const HAS_SCRIPT = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

/** Runs the CLI with stdout and stderr on a pseudo-terminal (util-linux `script`), in `cwd`. */
function onTerminal(args: string[], cwd: string): { status: number | null; out: string } {
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const cmd = [process.execPath, CLI, ...args].map(quote).join(" ");
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, COLUMNS: "120" },
  });
  return { status: r.status, out: r.stdout };
}

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/** A rubric whose criteria all need a judge: without one, nothing is decided. */
function judgeOnlyRubric(dir: string): string {
  const p = join(dir, "judge-only.yaml");
  writeFileSync(
    p,
    [
      "id: judge-only",
      "version: 1",
      "criteria:",
      "  - id: root-cause",
      "    title: Finds the root cause",
      "    question: Does the agent identify the root cause before changing code?",
      "    polarity: encourage",
      "    weight: 1",
      "    kind: judge",
      "",
    ].join("\n"),
  );
  return p;
}

describe("score output: records never on a terminal, stdout only data", () => {
  it("piped: every stdout line is a record; the summary is on stderr", async () => {
    const r = await runCli(["score", examples]);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, 8);
    for (const l of out) assert.equal(JSON.parse(l).schema, "rubricate.score/1");
    assert.match(r.stderr, /present: all/);
    assert.doesNotMatch(r.stdout, /present: all|mean score/);
  });

  it("on a terminal without -o: a fresh rubricate-scores.jsonl in the current folder, never overwritten", (t) => {
    if (!HAS_SCRIPT) return t.skip("no util-linux 'script' to make a terminal");
    const d = tmp();
    let r = onTerminal(["score", examples], d);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /records written to rubricate-scores\.jsonl \(standard output is a terminal/);
    assert.doesNotMatch(r.out, /"schema":"rubricate\.score\/1"/, "no record printed on the terminal");
    assert.equal(lines(readFileSync(join(d, "rubricate-scores.jsonl"), "utf8")).length, 8);
    r = onTerminal(["score", examples, "-q"], d);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /records written to rubricate-scores-2\.jsonl/);
    assert.deepEqual(readdirSync(d).sort(), ["rubricate-scores-2.jsonl", "rubricate-scores.jsonl"]);
  });
});

describe("exit codes: 1 with one line saying what failed", () => {
  it("a judge that answers nothing (--no-probe, nothing listening) stops the run; --allow-unjudged accepts it", async () => {
    const d = tmp();
    const port = await closedPort();
    const judge = ["--judge", `http://127.0.0.1:${port}/v1`, "--model", "m", "--no-probe", "--retries", "0"];
    const out = join(d, "s.jsonl");
    let r = await runCli(["score", examples, ...judge, "--concurrency", "1", "-o", out]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `score: stopped after (\\d+) trajectories: the judge \\(m at http://127\\.0\\.0\\.1:${port}/v1\\) answered none of its requests`,
      ),
    );
    assert.match(r.stderr, /--allow-unjudged/);
    const written = lines(readFileSync(out, "utf8")).map((l) => JSON.parse(l));
    const stoppedAfter = Number(/stopped after (\d+) trajectories/.exec(r.stderr)![1]);
    assert.equal(written.length, stoppedAfter);
    assert.ok(written.length < 8, "no further check-only records under the judge's name");
    // three trajectories with judge failures (and none answered) were enough to tell
    const failed = written.filter((w) => w.criteria.some((c: { reason?: string }) => c.reason === "judge_error"));
    assert.equal(failed.length, 3);
    r = await runCli(["score", examples, ...judge, "--allow-unjudged", "-o", join(d, "b.jsonl")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /answered none of its requests; the scores come from the other criteria \(--allow-unjudged\)/,
    );
    assert.equal(lines(readFileSync(join(d, "b.jsonl"), "utf8")).length, 8);
  });

  it("a rubric with every criterion unscored: exit 1; eval then says no record has a score, not 'give labels'", async () => {
    const d = tmp();
    const out = join(d, "s.jsonl");
    let r = await runCli(["score", examples, "--rubric", judgeOnlyRubric(d), "-o", out]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /score: no trajectory got a score: no behaviour criterion of rubric judge-only was decided \(unscored: no_judge 8\)/,
    );
    const records = lines(readFileSync(out, "utf8")).map((l) => JSON.parse(l));
    assert.ok(records.every((x) => x.score === null && x.label));
    // (p(resolved) comes from the outcome model and is there; the behaviour score is what is missing)
    r = await runCli(["eval", out, "--reward", "rubric"]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /eval: no record has a score to evaluate: 8 labelled records, none with a value/);
    assert.doesNotMatch(r.stderr, /give labels/);
    assert.match(r.stderr, /every behaviour score is null/);
  });

  it("export/filter/select --scores with a missing file: a usage error naming it, nothing written", async () => {
    const d = tmp();
    const missing = join(d, "missing.jsonl");
    for (const cmd of ["export", "filter", "select"]) {
      const out = join(d, `${cmd}.jsonl`);
      const r = await runCli([cmd, examples, "--scores", missing, "-o", out]);
      assert.equal(r.status, 2, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`--scores .*missing\\.jsonl: no such file`), cmd);
      assert.ok(!existsSync(out), `${cmd} wrote nothing`);
    }
  });
});

describe("pipes: a reader that stops early ends the run quietly", () => {
  it("ingest and inspect into `head`: exit 0, no stack trace", async () => {
    const d = tmp();
    // a JSONL of many canonical trajectories, far more than a pipe holds
    const one = spawnSync(process.execPath, [CLI, "ingest", examples, "-q"], { encoding: "utf8" });
    assert.equal(one.status, 0, one.stderr);
    const big = join(d, "big.jsonl");
    writeFileSync(big, one.stdout.repeat(40));
    for (const args of [
      ["ingest", big, "-q"],
      ["inspect", big, "--limit", "1000"],
    ]) {
      // a real shell pipe: the reader's end closes when head has its lines
      const r = spawnSync(
        "bash",
        ["-c", '"$@" | head -n 2; echo "status=${PIPESTATUS[0]}" >&2', "_", process.execPath, CLI, ...args],
        { encoding: "utf8", timeout: 120_000 },
      );
      const shown = r.stdout;
      const status = Number(/status=(\d+)/.exec(r.stderr)?.[1]);
      const stderr = r.stderr;
      assert.equal(lines(shown).length, 2, args[0]);
      assert.equal(status, 0, `${args[0]}: ${stderr}`);
      assert.doesNotMatch(stderr, /EPIPE|Error|at .*\.js:\d+/, args[0]);
    }
  });

  it("help into a reader that never reads (`--help | true`): exit 0, no stack trace", () => {
    for (const args of [["--help"], ["score", "--help"]]) {
      const r = spawnSync(
        "bash",
        ["-c", '"$@" | true; echo "status=${PIPESTATUS[0]}" >&2', "_", process.execPath, CLI, ...args],
        {
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      assert.equal(Number(/status=(\d+)/.exec(r.stderr)?.[1]), 0, `${args.join(" ")}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /EPIPE|Error|at .*\.js:\d+/, args.join(" "));
    }
  });
});

describe("inputs in the wrong place", () => {
  it("a label table as trajectories: one error per file, 'did you mean --labels?'", async () => {
    const d = tmp();
    const csv = join(d, "labels.csv");
    const jsonl = join(d, "labels.jsonl");
    writeFileSync(csv, "instance_id,resolved\nx__y-1,true\nx__y-2,false\n");
    writeFileSync(jsonl, '{"instance_id":"x__y-1","resolved":true}\n{"instance_id":"x__y-2","resolved":false}\n');
    const r = await runCli(["ingest", csv, jsonl]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    const errors = lines(r.stderr).filter((l) => /error:/.test(l));
    assert.equal(errors.length, 2, r.stderr);
    for (const f of [csv, jsonl])
      assert.ok(
        errors.some((e) =>
          e.includes(
            `${f}: this looks like a label table (instance_id, resolved), not trajectories; did you mean --labels ${f}?`,
          ),
        ),
        r.stderr,
      );
  });

  it("trajectories given to eval: one error saying what the file holds and what eval reads", async () => {
    const file = join(examples, "openhands", "output.jsonl");
    const r = await runCli(["eval", file]);
    assert.equal(r.status, 1);
    const errors = lines(r.stderr).filter((l) => /error:/.test(l));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(
      errors[0],
      /output\.jsonl: it holds trajectories, not score records; expected the ScoreRecord JSONL that 'rubricate score' writes \(score them first/,
    );
  });
});

describe("summary and eval tables", () => {
  it("the score summary says 'present' and names the behaviour where the id reads the other way", async () => {
    const r = await runCli(["score", examples, "-q", "-o", join(tmp(), "s.jsonl")]);
    assert.equal(r.status, 0, r.stderr);
    const s = await runCli(["score", examples]);
    assert.match(s.stderr, /behaviour\s+kind\s+present: all/);
    assert.match(s.stderr, /- no patch submitted \(submits-a-patch\)\s+check\s+13% \(1\/8\)/);
    assert.match(s.stderr, /\+ reproduces-first\s+check/);
    assert.doesNotMatch(s.stderr, /fired/);
  });

  it("eval fits 100 columns, drops groups that repeat another, and --bootstrap 0 claims no intervals", async () => {
    const d = tmp();
    const scores = join(d, "s.jsonl");
    assert.equal((await runCli(["score", examples, "-q", "-o", scores])).status, 0);
    let r = await runCli(["eval", scores, "--group-by", "format,scaffold,model", "--bootstrap", "200"]);
    assert.equal(r.status, 0, r.stderr);
    const width = (t: string) => Math.max(...t.split("\n").map((l) => l.length));
    assert.ok(width(r.stdout) <= 100, `${width(r.stdout)} columns`);
    assert.match(r.stdout, /95% intervals: percentile bootstrap over tasks \(200 resamples\)/);
    // scaffold and model group the same records as format (and as overall): shown once
    assert.match(r.stdout, /^format: mini-swe-agent /m);
    assert.doesNotMatch(r.stdout, /^(scaffold|model): /m);
    assert.match(r.stdout.replace(/\n/g, " "), /left out, the same records as a row above: .*scaffold: mini-swe-agent/);
    assert.match(r.stdout, /- no patch submitted \(submits-a-patch\)/);
    r = await runCli(["eval", scores, "--bootstrap", "0"]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /95%|\[-, -\]/);
    assert.match(r.stdout, /no intervals \(--bootstrap 0\)/);
    r = await runCli(["eval", scores, "--wide"]);
    assert.ok(width(r.stdout) > 100, "--wide keeps the one wide table");
    assert.match(r.stdout, /Discrimination and calibration/);
  });
});

describe("progress: on a terminal's stderr, quiet with -q", () => {
  it("eval's intervals and train's reading show a bar on a terminal, none with -q or when piped", async (t) => {
    if (!HAS_SCRIPT) return t.skip("no util-linux 'script' to make a terminal");
    const d = tmp();
    const scores = join(d, "s.jsonl");
    assert.equal((await runCli(["score", examples, "-q", "-o", scores])).status, 0);
    let r = onTerminal(["eval", scores, "--bootstrap", "300"], d);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /eval: intervals .*\/\d+ parts/);
    r = onTerminal(["eval", scores, "--bootstrap", "300", "-q"], d);
    assert.doesNotMatch(r.out, /eval: intervals/);
    const piped = await runCli(["eval", scores]);
    assert.doesNotMatch(piped.stderr, /eval: intervals/);
    r = onTerminal(["train", examples, "-o", join(d, "m.json")], d);
    assert.match(r.out, /train: reading .*\/\d+ inputs/);
  });
});
