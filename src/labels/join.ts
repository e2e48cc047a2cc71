/**
 * The label joiner: the only code that reads outcome labels. It attaches
 * `label` to trajectories from label files the user names (`--labels`) or that
 * sit beside a run in the standard places, and never touches messages.
 */
import { readdirSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Label, Trajectory } from "../types/trajectory.js";
import { IngestError } from "../io/error.js";
import { parseLabelFile, type LabelEntry } from "./parse.js";

const LABEL_FILE = /(^report\.json$|^results?\.json$|^final_report\.json$|\.log$|labels?\.(jsonl|csv|json)$|^index\.jsonl$)/i;

/** Label entries from the user's `--labels` paths (files or folders, walked for label files). */
export class LabelIndex {
  private byPath = new Map<string, LabelEntry>();
  private byRunId = new Map<string, LabelEntry>();
  private byId = new Map<string, LabelEntry>();
  private fallback: LabelEntry | null = null;
  readonly errors: IngestError[] = [];
  files = 0;
  entries = 0;

  static async load(paths: string[]): Promise<LabelIndex> {
    const idx = new LabelIndex();
    for (const p of paths) {
      let st;
      try {
        st = await stat(p);
      } catch {
        idx.errors.push(new IngestError(p, "labels: no such file or directory"));
        continue;
      }
      const files = st.isDirectory() ? await labelFilesUnder(p) : [p];
      for (const f of files) {
        try {
          idx.add(await parseLabelFile(f));
          idx.files++;
        } catch (e) {
          if (st.isDirectory() && e instanceof IngestError && e.message.startsWith("not a label file")) continue;
          idx.errors.push(e instanceof IngestError ? e : new IngestError(f, String((e as Error).message ?? e)));
        }
      }
    }
    return idx;
  }

  add(entries: LabelEntry[]): void {
    for (const e of entries) {
      this.entries++;
      if (e.instance_id === "*") this.fallback ??= e;
      else if (e.path) this.byPath.set(e.path, e);
      else if (e.run) this.byRunId.set(`${e.run}\u0000${e.instance_id}`, e);
      else if (!this.byId.has(e.instance_id)) this.byId.set(e.instance_id, e);
    }
  }

  /** Most specific match: the trajectory's file, then run + instance, then instance. */
  lookup(t: Trajectory): LabelEntry | undefined {
    const p = this.byPath.get(resolve(t.source.file));
    if (p && (!t.instance_id || p.instance_id === t.instance_id)) return p;
    if (!t.instance_id) return undefined;
    if (t.source.run) {
      const r = this.byRunId.get(`${t.source.run}\u0000${t.instance_id}`);
      if (r) return r;
    }
    return this.byId.get(t.instance_id) ?? this.fallback ?? undefined;
  }
}

async function labelFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const e of entries) {
    if (e.isFile() && LABEL_FILE.test(e.name)) out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

function toLabel(e: LabelEntry): Label {
  const l: Label = { resolved: e.resolved, origin: e.origin };
  if (e.tests) l.tests = e.tests;
  return l;
}

/**
 * Finds labels beside a run without being told: per-instance report.json and
 * evaluation logs, SWE-bench `logs/run_evaluation/<run>/<model>/<id>/report.json`,
 * OpenHands eval logs, and run summaries named `<model>.<run>.json`.
 */
export class LabelFinder {
  private listings = new Map<string, string[] | null>();
  private parsed = new Map<string, LabelEntry[] | null>();
  constructor(private maxLevels = 4) {}

  async find(t: Trajectory): Promise<LabelEntry | undefined> {
    const iid = t.instance_id;
    if (!iid) return undefined;
    const run = t.source.run;
    let dir = dirname(resolve(t.source.file));
    const own = dir;
    for (let level = 0; level < this.maxLevels; level++) {
      const names = await this.list(dir);
      if (names) {
        const hit =
          (names.includes("logs") ? await this.fromLogs(join(dir, "logs"), iid, run) : undefined) ??
          (names.includes("output.swebench_eval.logs") ? await this.fromFile(join(dir, "output.swebench_eval.logs", `instance_${iid}.log`), iid) : undefined) ??
          (await this.fromSummaries(dir, names, run, dir === own && t.source.line !== undefined, iid));
        if (hit) return hit;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return undefined;
  }

  /** `logs/<id>/report.json`, `logs/<id>/run_instance.log`, `logs/run_evaluation/<run>/<model>/<id>/report.json` */
  private async fromLogs(logs: string, iid: string, run: string | null): Promise<LabelEntry | undefined> {
    const names = await this.list(logs);
    if (!names) return undefined;
    if (names.includes(iid)) {
      const hit = (await this.fromFile(join(logs, iid, "report.json"), iid)) ?? (await this.fromFile(join(logs, iid, "run_instance.log"), iid));
      if (hit) return hit;
    }
    if (run && names.includes("run_evaluation")) return this.fromRunEvaluation(join(logs, "run_evaluation", run), iid);
    return undefined;
  }

  private async list(dir: string): Promise<string[] | null> {
    if (!this.listings.has(dir)) {
      try {
        // synchronous: directory listings are small and cached, and this is far cheaper than a promise each
        this.listings.set(dir, readdirSync(dir));
      } catch {
        this.listings.set(dir, null);
      }
    }
    return this.listings.get(dir)!;
  }

  private async entriesOf(file: string): Promise<LabelEntry[] | null> {
    if (!this.parsed.has(file)) {
      const names = await this.list(dirname(file));
      if (!names || !names.includes(basename(file))) {
        this.parsed.set(file, null);
      } else {
        try {
          this.parsed.set(file, await parseLabelFile(file, relative(process.cwd(), file)));
        } catch {
          this.parsed.set(file, null);
        }
      }
    }
    return this.parsed.get(file)!;
  }

  private async fromFile(file: string, iid: string): Promise<LabelEntry | undefined> {
    const entries = await this.entriesOf(file);
    return entries?.find((e) => e.instance_id === iid);
  }

  private async fromRunEvaluation(runDir: string, iid: string): Promise<LabelEntry | undefined> {
    const models = await this.list(runDir);
    for (const m of models ?? []) {
      if (!(await this.list(join(runDir, m)))?.includes(iid)) continue;
      const hit = await this.fromFile(join(runDir, m, iid, "report.json"), iid);
      if (hit) return hit;
    }
    return undefined;
  }

  /** `<model>.<run>.json` for the trajectory's run, or a summary beside a multi-record file (output.jsonl). */
  private async fromSummaries(dir: string, names: string[], run: string | null, own: boolean, iid: string): Promise<LabelEntry | undefined> {
    for (const n of names) {
      if (!n.endsWith(".json") || n.endsWith(".traj.json")) continue;
      const forRun = run !== null && n.endsWith(`.${run}.json`);
      if (!forRun && !own) continue;
      const entries = await this.entriesOf(join(dir, n));
      if (!entries || !entries.some((e) => e.origin.includes("resolved_ids"))) continue;
      const hit = entries.find((e) => e.instance_id === iid);
      if (hit) return hit;
    }
    return undefined;
  }
}

export interface JoinOptions {
  index?: LabelIndex;
  /** look for label files beside the run (default true) */
  auto?: boolean;
}

/** Attach a label: explicit `--labels` first, then a label field of the record itself, then files beside the run. */
export async function attachLabel(t: Trajectory, opts: JoinOptions, finder: LabelFinder): Promise<Trajectory> {
  const explicit = opts.index?.lookup(t);
  if (explicit) {
    t.label = toLabel(explicit);
    return t;
  }
  if (t.label) return t;
  if (opts.auto !== false) {
    const found = await finder.find(t);
    if (found) t.label = toLabel(found);
  }
  return t;
}
