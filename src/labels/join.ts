/**
 * The label joiner: the only code that reads outcome labels. It attaches
 * `label` to trajectories from label files the user names (`--labels`) or that
 * sit beside a run in the standard places, and never touches messages.
 *
 * Evaluation files (per-instance reports and logs, reports of a whole run)
 * label only trajectories of their own run (see runs.ts); label tables say
 * themselves what they label (trajectory path, run, or just the instance).
 */
import { existsSync, readdirSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { Label, Trajectory } from "../types/trajectory.js";
import { IngestError } from "../io/error.js";
import { isNotLabelFile, parseLabelFile, type LabelEntry } from "./parse.js";
import { fileNamesRun, runOfFile } from "./runs.js";

const LABEL_FILE =
  /(^report\.json$|^results?\.json$|^final_report\.json$|\.log$|labels?\.(jsonl|csv|json)$|^index\.jsonl$|^README\.md$|\.swebench_eval\.md$)/i;

/** One `--labels` argument: a path, optionally prefixed by the run its evaluation files belong to (`<run>=<path>`). */
export interface LabelArg {
  text: string;
  path: string;
  run: string | null;
  /** runs its evaluation files were taken for */
  runs: Set<string>;
  evaluationFiles: number;
  used: boolean;
}

/** The labels of one evaluation file, for the run it belongs to. */
interface EvaluationFile {
  abs: string;
  run: string | null;
  /** the run was given by the user, not worked out from the location */
  named: boolean;
  wholeRun: boolean;
  byId: Map<string, LabelEntry>;
  /** a whole-run report's verdict for ids it does not list */
  unlisted?: LabelEntry;
  arg?: LabelArg;
}

/** `<run>=<path>` when the argument is not itself an existing path and the part before `=` has no path separator. */
function splitArg(text: string): { run: string | null; path: string } {
  const m = /^([^=/\\]+)=(.+)$/.exec(text);
  if (m && !existsSync(text)) return { run: m[1], path: m[2] };
  return { run: null, path: text };
}

/** Label entries from the user's `--labels` paths (files or folders, walked for label files). */
export class LabelIndex {
  private byPath = new Map<string, LabelEntry>();
  private byRunId = new Map<string, LabelEntry>();
  private byId = new Map<string, LabelEntry>();
  private evaluation: EvaluationFile[] = [];
  private ofRun = new Map<string, EvaluationFile[]>();
  private args: LabelArg[] = [];
  readonly errors: IngestError[] = [];
  files = 0;
  entries = 0;

  static async load(paths: string[]): Promise<LabelIndex> {
    const idx = new LabelIndex();
    for (const text of paths) {
      const { run, path } = splitArg(text);
      let st;
      try {
        st = await stat(path);
      } catch {
        idx.errors.push(new IngestError(path, "labels: no such file or directory"));
        continue;
      }
      const arg: LabelArg = { text, path, run, runs: new Set(), evaluationFiles: 0, used: false };
      idx.args.push(arg);
      const files = st.isDirectory() ? await labelFilesUnder(path) : [path];
      for (const f of files) {
        try {
          const entries = await parseLabelFile(f);
          // a README.md met while walking a folder is a report only if it looks like one (see describesOutcomes)
          if (st.isDirectory() && basename(f) === "README.md" && !describesOutcomes(entries)) continue;
          idx.add(entries, run ?? undefined, arg);
          idx.files++;
        } catch (e) {
          if (st.isDirectory() && isNotLabelFile(e)) continue;
          idx.errors.push(e instanceof IngestError ? e : new IngestError(f, String((e as Error).message ?? e)));
        }
      }
    }
    return idx;
  }

  /** Add the entries of one parsed file; `run` overrides the run its evaluation files are taken for. */
  add(entries: LabelEntry[], run?: string, arg?: LabelArg): void {
    const files = new Map<string, LabelEntry[]>();
    for (const e of entries) {
      this.entries++;
      if (e.file) {
        const list = files.get(e.file) ?? [];
        list.push(e);
        files.set(e.file, list);
      } else if (e.instance_id === "*") {
        continue; // only whole-run reports have a verdict for unlisted ids, and they carry their file
      } else if (e.path) this.byPath.set(e.path, e);
      else if (e.run) this.byRunId.set(`${e.run}\u0000${e.instance_id}`, e);
      else if (!this.byId.has(e.instance_id)) this.byId.set(e.instance_id, e);
    }
    for (const [abs, list] of files) {
      const ids = list.filter((e) => e.instance_id !== "*").map((e) => e.instance_id);
      const f: EvaluationFile = {
        abs,
        run: run ?? runOfFile(abs, ids),
        named: run !== undefined,
        wholeRun: list.some((e) => e.wholeRun),
        byId: new Map(),
        arg,
      };
      for (const e of list) {
        if (e.instance_id === "*") f.unlisted ??= e;
        else if (!f.byId.has(e.instance_id)) f.byId.set(e.instance_id, e);
      }
      this.evaluation.push(f);
      if (arg) {
        arg.evaluationFiles++;
        if (f.run) arg.runs.add(f.run);
      }
    }
    if (files.size) this.ofRun.clear();
  }

  /**
   * Most specific match: a table row naming the trajectory's file, then one
   * naming its run and instance; then the evaluation files of its run
   * (per-instance files, then whole-run reports, then a report's verdict on
   * ids it does not list); then a table row naming only the instance.
   */
  lookup(t: Trajectory): LabelEntry | undefined {
    const p = this.byPath.get(resolve(t.source.file));
    if (p && (!t.instance_id || p.instance_id === t.instance_id)) return p;
    if (!t.instance_id) return undefined;
    if (t.source.run) {
      const r = this.byRunId.get(`${t.source.run}\u0000${t.instance_id}`);
      if (r) return r;
    }
    return this.fromEvaluation(t.instance_id, t.source.run) ?? this.byId.get(t.instance_id);
  }

  private fromEvaluation(iid: string, run: string | null): LabelEntry | undefined {
    const files = this.filesOf(run);
    for (const wholeRun of [false, true]) {
      for (const f of files) {
        if (f.wholeRun !== wholeRun) continue;
        const e = f.byId.get(iid);
        if (e) return this.use(f, e);
      }
    }
    for (const f of files) if (f.unlisted) return this.use(f, f.unlisted);
    return undefined;
  }

  /** Evaluation files that may label a trajectory of `run`: those of that run (any, when the trajectory's run is unknown). */
  private filesOf(run: string | null): EvaluationFile[] {
    if (run === null) return this.evaluation;
    let list = this.ofRun.get(run);
    if (!list) {
      list = this.evaluation.filter((f) => f.run === run || (!f.named && f.wholeRun && fileNamesRun(f.abs, run)));
      this.ofRun.set(run, list);
    }
    return list;
  }

  private use(f: EvaluationFile, e: LabelEntry): LabelEntry {
    if (f.arg) f.arg.used = true;
    return e;
  }

  /** Positions of the `--labels` arguments whose files have labelled a trajectory. */
  usedArgs(): number[] {
    return this.args.flatMap((a, i) => (a.used ? [i] : []));
  }

  /** Mark `--labels` arguments (by position) as used: another index over the same arguments used them. */
  markUsed(positions: number[]): void {
    for (const i of positions) if (this.args[i]) this.args[i].used = true;
  }

  /** One error per `--labels` argument whose evaluation files labelled no trajectory (call after all lookups). */
  unusedErrors(): IngestError[] {
    const out: IngestError[] = [];
    for (const a of this.args) {
      if (a.used || a.evaluationFiles === 0) continue;
      const runs = [...a.runs];
      const names =
        runs
          .slice(0, 3)
          .map((r) => `'${r}'`)
          .join(", ") + (runs.length > 3 ? `, … (${runs.length} runs)` : "");
      const how = a.run ? "as given" : "worked out from the folders they sit in";
      out.push(
        new IngestError(
          a.text,
          `labels: labelled no trajectory: its evaluation files belong to run ${names || "(none)"} (${how}), and no trajectory read comes from a run of that name` +
            (a.run ? "" : `; to use them for another run, give --labels <run>=${a.path}`),
        ),
      );
    }
    return out;
  }
}

async function labelFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const e of entries) {
    if (e.isFile() && LABEL_FILE.test(e.name))
      out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

function toLabel(e: LabelEntry): Label {
  const l: Label = { resolved: e.resolved, origin: e.origin };
  if (e.tests) l.tests = e.tests;
  return l;
}

/** Folders inside a run that evaluation tools write reports into, searched in this order. */
const REPORT_FOLDERS = [
  "",
  "results",
  "new_eval_results",
  "eval_results",
  "sb-cli-reports",
  "trajs/sb-cli-reports",
  "old_eval_results",
];
/** Report file names, in order of preference within a folder. */
const REPORT_FILES = ["results.json", "result.json", "report.json", "final_report.json"];

/**
 * Finds labels beside a run without being told: per-instance report.json and
 * evaluation logs, SWE-bench `logs/run_evaluation/<run>/<model>/<id>/report.json`,
 * OpenHands eval logs, run summaries named `<model>.<run>.json`, and reports of
 * the whole run inside the run's own folder (experiments `results/results.json`,
 * Moatless `result.json`, SWE-agent `final_report.json`, AutoCodeRover
 * `new_eval_results/README.md`, OpenHands `README.md` / `*.swebench_eval.md`,
 * sb-cli reports). Another run's files are never read for a trajectory.
 */
export class LabelFinder {
  private listings = new Map<string, string[] | null>();
  private parsed = new Map<string, Map<string, LabelEntry> | null>();
  private reported = new Set<string>();
  private pending: IngestError[] = [];
  constructor(private maxLevels = 4) {}

  /** Errors in label files found beside runs since the last call (each file once). */
  takeErrors(): IngestError[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  async find(t: Trajectory): Promise<LabelEntry | undefined> {
    const iid = t.instance_id;
    if (!iid) return undefined;
    const run = t.source.run;
    let dir = dirname(resolve(t.source.file));
    const own = dir;
    const multiRecord = t.source.line !== undefined;
    for (let level = 0; level < this.maxLevels; level++) {
      const names = await this.list(dir);
      if (names) {
        const ownRecords = dir === own && multiRecord;
        const hit =
          (names.includes("logs") ? await this.fromLogs(join(dir, "logs"), iid, run) : undefined) ??
          (names.includes("output.swebench_eval.logs")
            ? await this.fromFile(join(dir, "output.swebench_eval.logs", `instance_${iid}.log`), iid)
            : undefined) ??
          (await this.fromSummaries(dir, names, run, ownRecords, iid)) ??
          ((run !== null && basename(dir) === run) || ownRecords
            ? await this.fromRunReports(dir, names, iid)
            : undefined);
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
      const hit =
        (await this.fromFile(join(logs, iid, "report.json"), iid)) ??
        (await this.fromFile(join(logs, iid, "run_instance.log"), iid));
      if (hit) return hit;
    }
    if (run && names.includes("run_evaluation")) return this.fromRunEvaluation(join(logs, "run_evaluation", run), iid);
    return undefined;
  }

  private async list(dir: string): Promise<string[] | null> {
    if (!this.listings.has(dir)) {
      try {
        // synchronous: directory listings are small and cached, and this is far cheaper than a promise each
        this.listings.set(dir, readdirSync(dir).sort());
      } catch {
        this.listings.set(dir, null);
      }
    }
    return this.listings.get(dir)!;
  }

  /** The file's entries by instance ("*" for a whole-run report's verdict on unlisted ids); null when absent or unreadable. */
  private async entriesOf(file: string, report = true): Promise<Map<string, LabelEntry> | null> {
    if (!this.parsed.has(file)) {
      const names = await this.list(dirname(file));
      let byId: Map<string, LabelEntry> | null = null;
      if (names && names.includes(basename(file))) {
        try {
          byId = new Map();
          for (const e of await parseLabelFile(file, relative(process.cwd(), file)))
            if (!byId.has(e.instance_id)) byId.set(e.instance_id, e);
        } catch (e) {
          byId = null;
          // a file named like a label file that cannot be read is reported (once); other files are just not labels
          if (report && !isNotLabelFile(e) && !this.reported.has(file)) {
            this.reported.add(file);
            this.pending.push(
              e instanceof IngestError
                ? e
                : new IngestError(relative(process.cwd(), file), String((e as Error).message ?? e)),
            );
          }
        }
      }
      this.parsed.set(file, byId);
    }
    return this.parsed.get(file)!;
  }

  private async fromFile(file: string, iid: string): Promise<LabelEntry | undefined> {
    return (await this.entriesOf(file))?.get(iid);
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
  private async fromSummaries(
    dir: string,
    names: string[],
    run: string | null,
    own: boolean,
    iid: string,
  ): Promise<LabelEntry | undefined> {
    for (const n of names) {
      if (!n.endsWith(".json") || n.endsWith(".traj.json")) continue;
      const forRun = run !== null && n.endsWith(`.${run}.json`);
      if (!forRun && !own) continue;
      const entries = await this.entriesOf(join(dir, n), forRun);
      if (!entries || ![...entries.values()].some((e) => e.wholeRun)) continue;
      const hit = entries.get(iid);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Reports of the whole run in the run's folder: an entry for the instance from any of them first, then a verdict on unlisted ids. */
  private async fromRunReports(runDir: string, names: string[], iid: string): Promise<LabelEntry | undefined> {
    const reports: Map<string, LabelEntry>[] = [];
    for (const folder of REPORT_FOLDERS) {
      const dir = folder ? join(runDir, folder) : runDir;
      const inside = folder ? await this.list(dir) : names;
      if (!inside) continue;
      const files = folder.endsWith("sb-cli-reports")
        ? inside.filter((n) => n.endsWith(".json"))
        : [
            ...REPORT_FILES.filter((n) => inside.includes(n)),
            ...inside.filter((n) => n.endsWith(".swebench_eval.md")),
            ...(inside.includes("README.md") ? ["README.md"] : []),
          ];
      for (const n of files) {
        const entries = await this.entriesOf(join(dir, n), n !== "README.md");
        if (!entries) continue;
        if (n === "README.md" && !folder.endsWith("eval_results") && !describesOutcomes([...entries.values()]))
          continue;
        const hit = entries.get(iid);
        if (hit) return hit;
        reports.push(entries);
      }
    }
    for (const r of reports) {
      const unlisted = r.get("*");
      if (unlisted) return unlisted;
    }
    return undefined;
  }
}

/**
 * A README.md in a run folder (or met while walking a `--labels` folder) is
 * read as a report only when it lists ids under two or more outcome headings,
 * or enumerates every instance (has an "Incomplete" heading): a description
 * that names a few resolved issues is not a report.
 */
function describesOutcomes(entries: LabelEntry[]): boolean {
  if (!entries.some((e) => e.instance_id === "*")) return true;
  const headings = new Set<string>();
  for (const e of entries) if (e.instance_id !== "*") headings.add(e.origin.slice(e.origin.lastIndexOf("#")));
  return headings.size >= 2;
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
