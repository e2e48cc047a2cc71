/**
 * A seeded, bounded fuzz test over real files: copies of shared trajectories in four formats are
 * corrupted in 18 ways and mixed with good copies. Scoring the mix must not crash, must report
 * every bad file (with its line or field where it has one), and must give every good file the
 * byte-identical record of a clean run over the good files alone.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { IngestError } from "../../src/io/error.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreStream } from "../../src/score/stream.js";
import { SHARED, sharedSuite } from "../helpers.js";

/** mulberry32: a small seeded generator, so a failure can be replayed */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.RUBRICATE_FUZZ_SEED ?? 20);

/** The smallest files of each single-JSON format in the shared index (`count` of each). */
function pickGood(count: number): string[] {
  const rows = readFileSync(join(SHARED, "index.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { format: string; files: string[] });
  const formats = ["moatless-json", "sweagent-traj-v0", "mini-swe-agent-1.1", "mini-swe-agent-1 "];
  return formats.flatMap((f) =>
    rows
      .filter((r) => r.format.startsWith(f))
      .map((r) => join(SHARED, r.files[0]))
      .sort((a, b) => statSync(a).size - statSync(b).size || (a < b ? -1 : 1))
      .slice(0, count),
  );
}

type Json = Record<string, unknown>;

/** Where a format keeps its steps (the field a damaged file loses or gets wrong; SWE-agent's `history` is optional). */
function stepsKey(v: Json): string {
  for (const k of ["messages", "trajectory", "transitions", "steps", "history"]) if (k in v) return k;
  return Object.keys(v)[0];
}

/** Fields every adapter reads as text (a field nobody reads may hold anything). */
const READ_AS_TEXT = new Set(["role", "content", "action", "observation", "thought", "response"]);

/** A string field that adapters read, at a random depth of `v`, for type damage; null when none. */
function someStringHolder(v: unknown, rnd: () => number): { holder: Json | unknown[]; key: string | number } | null {
  const found: { holder: Json | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [v];
  while (stack.length && found.length < 400) {
    const x = stack.pop();
    if (Array.isArray(x)) for (const y of x) stack.push(y);
    else if (x && typeof x === "object")
      for (const [k, y] of Object.entries(x))
        if (typeof y === "string" && READ_AS_TEXT.has(k)) found.push({ holder: x as Json, key: k });
        // `extra` (raw provider responses) is read by no adapter; a Moatless `output` is free-form, shown as it is
        else if (k !== "extra" && k !== "output") stack.push(y);
  }
  return found.length ? found[Math.floor(rnd() * found.length)] : null;
}

/**
 * The corruptions: each takes the good file's bytes and returns the bad bytes. `position`: the
 * error must name a line or a field.
 */
const CORRUPTIONS: { name: string; position: boolean; make: (b: Buffer, rnd: () => number) => Buffer | null }[] = [
  { name: "truncated", position: true, make: (b, r) => b.subarray(0, 10 + Math.floor(r() * (b.length / 2))) },
  { name: "empty", position: false, make: () => Buffer.alloc(0) },
  { name: "whitespace", position: false, make: () => Buffer.from("  \n\t \n") },
  { name: "binary", position: false, make: (b) => Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0]), b]) },
  {
    name: "nul-inside",
    position: false,
    make: (b, r) => insert(b, Math.floor(r() * b.length), Buffer.from([0, 0, 0])),
  },
  {
    name: "invalid-utf8",
    position: true,
    make: (b, r) => {
      const at = b.indexOf('"', Math.floor(r() * (b.length / 2))) + 1;
      return insert(b, at, Buffer.from([0xc3, 0x28]));
    },
  },
  {
    name: "missing-bracket",
    position: true,
    make: (b) => {
      const at = b.lastIndexOf("}");
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    },
  },
  { name: "trailing-garbage", position: true, make: (b) => Buffer.concat([b, Buffer.from("\n}} and more")]) },
  {
    name: "nan",
    position: true,
    make: (b) => Buffer.from(b.toString("utf8").replace(/: *(-?\d+(\.\d+)?)([,}\n])/, ": NaN$3")),
  },
  {
    name: "deep-nesting",
    position: true,
    make: (b) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
      return Buffer.from(JSON.stringify({ ...v, extra: "@@DEEP@@" }).replace('"@@DEEP@@"', deep));
    },
  },
  {
    name: "root-array",
    position: false,
    make: () => Buffer.from("[1, 2, 3]"),
  },
  {
    name: "root-string",
    position: false,
    make: () => Buffer.from('"a trajectory"'),
  },
  {
    name: "steps-wrong-type",
    position: true,
    make: (b) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      v[stepsKey(v)] = 42;
      return Buffer.from(JSON.stringify(v));
    },
  },
  {
    name: "steps-deleted",
    position: true,
    make: (b) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      delete v[stepsKey(v)];
      return Buffer.from(JSON.stringify(v));
    },
  },
  {
    name: "step-not-object",
    position: true,
    make: (b) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      const steps = v[stepsKey(v)];
      if (!Array.isArray(steps) || steps.length < 2) return null;
      steps[1] = 7;
      return Buffer.from(JSON.stringify(v));
    },
  },
  {
    name: "step-field-wrong-type",
    position: true,
    make: (b) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      const steps = v[stepsKey(v)];
      if (!Array.isArray(steps)) return null;
      // the first step field an adapter reads as text or a role, made an object
      for (const s of steps.slice(1)) {
        if (!s || typeof s !== "object") continue;
        for (const k of ["role", "content", "action", "observation", "response", "thought"])
          if (typeof (s as Json)[k] === "string") {
            (s as Json)[k] = { damaged: true };
            return Buffer.from(JSON.stringify(v));
          }
      }
      return null;
    },
  },
  {
    name: "unterminated-string",
    position: true,
    make: (b, r) => {
      const text = b.toString("utf8");
      const at = text.indexOf('"', Math.floor(r() * (text.length / 2)));
      return Buffer.from(`${text.slice(0, at)}"unterminated ${text.slice(at + 1).replace(/"/g, "'")}`);
    },
  },
  {
    name: "string-made-number",
    position: true,
    make: (b, r) => {
      const v = JSON.parse(b.toString("utf8")) as Json;
      const target = someStringHolder(v[stepsKey(v)], r);
      if (!target) return null;
      (target.holder as Record<string | number, unknown>)[target.key] = 12345;
      return Buffer.from(JSON.stringify(v));
    },
  },
];

function insert(b: Buffer, at: number, what: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), what, b.subarray(at)]);
}

sharedSuite("fuzz: corrupted real files mixed with good ones", (it) => {
  it(`${CORRUPTIONS.length} kinds of damage: no crash, every bad file reported, good records byte-identical (seed ${SEED})`, async () => {
    const rnd = prng(SEED);
    const dir = mkdtempSync(join(tmpdir(), "rubricate-fuzz-"));
    const sources = pickGood(2);
    assert.ok(sources.length >= 6, "good files of several formats");
    // the good copies: same names as the originals, so each adapter reads them as it reads the real ones
    const good = sources.map((src, i) => {
      const p = join(dir, `good-${i}-${basename(src)}`);
      copyFileSync(src, p);
      return p;
    });
    const bad: { path: string; kind: string; position: boolean }[] = [];
    for (const c of CORRUPTIONS) {
      // each kind damages two randomly chosen sources (the seed decides which and where)
      for (let k = 0; k < 2; k++) {
        const i = Math.floor(rnd() * sources.length);
        const bytes = c.make(readFileSync(sources[i]), rnd);
        if (!bytes) continue;
        const p = join(dir, `bad-${c.name}-${k}-${basename(sources[i])}`);
        writeFileSync(p, bytes);
        bad.push({ path: p, kind: c.name, position: c.position });
      }
    }
    assert.ok(new Set(bad.map((b) => b.kind)).size >= 15, "at least 15 kinds of damage made");
    let fifo: string | null = join(dir, "bad-fifo.traj.json");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      fifo = null; // no mkfifo here: the other kinds still run
    }

    const rubric = loadRubric("swe-default");
    const run = async (inputs: string[]) => {
      const records = new Map<string, string>();
      const errors: IngestError[] = [];
      for await (const ev of scoreStream(inputs, { rubric, runContext: false })) {
        if (ev.type === "record") records.set(ev.record.source.file, JSON.stringify(ev.record));
        else if (ev.type === "error") errors.push(ev.error);
      }
      return { records, errors };
    };
    const clean = await run(good);
    assert.equal(clean.errors.length, 0, clean.errors.map((e) => e.describe()).join("\n"));
    assert.equal(clean.records.size, good.length);

    // the mix, in a seeded order
    const mixed = [...good, ...bad.map((b) => b.path), ...(fifo ? [fifo] : [])]
      .map((p) => ({ p, k: rnd() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.p);
    const dirty = await run(mixed);

    for (const g of good) assert.equal(dirty.records.get(g), clean.records.get(g), `the record of ${g} changed`);
    const unreported: string[] = [];
    for (const b of bad) {
      assert.ok(!dirty.records.has(b.path), `${b.kind}: ${b.path} gave a record`);
      const errs = dirty.errors.filter((e) => e.file === b.path);
      if (!errs.length) unreported.push(`${b.kind}: ${b.path}`);
      else if (b.position)
        assert.ok(
          errs.some((e) => e.line !== undefined || e.field !== undefined),
          `${b.kind}: no line or field in ${errs[0].describe()}`,
        );
    }
    assert.deepEqual(unreported, [], "bad files without an error");
    if (fifo) assert.ok(dirty.errors.some((e) => e.file === fifo && /named pipe/.test(e.message)));
    assert.equal(dirty.records.size, good.length, "no record from a bad file");
  });
});
