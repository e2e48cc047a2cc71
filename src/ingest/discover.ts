/**
 * Turns the user's paths and globs into candidate inputs: files to read, and
 * directories that are one trajectory each (AutoCodeRover attempts).
 */
import { readdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { DIR_ADAPTERS } from "../scaffolds/registry.js";
import { IngestError } from "../io/error.js";

export interface Candidate {
  path: string;
  kind: "file" | "dir";
  /** named by the user (an unknown format is an error) or found by walking a folder (skipped) */
  explicit: boolean;
  /** only these records of a multi-record file (JSONL lines or Parquet rows, 1-based, `to` excluded): a share of a large file */
  rows?: { from: number; to: number };
}

const TRAJECTORY_EXT = /\.(traj|json|jsonl|parquet)$/i;

/** Files that sit beside runs but are labels, predictions or configs, never trajectories. */
const NOT_TRAJECTORY = new Set([
  "report.json",
  "results.json",
  "result.json",
  "preds.json",
  "all_preds.jsonl",
  "metadata.json",
  "dataset_info.json",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "extract_status.json",
  "cost.json",
  "final_report.json",
]);

export function isWalkCandidate(name: string): boolean {
  return TRAJECTORY_EXT.test(name) && !NOT_TRAJECTORY.has(name.toLowerCase());
}

/** Yields candidates in a deterministic order; missing inputs become errors. */
export async function* discover(inputs: string[]): AsyncGenerator<Candidate | IngestError> {
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      if (isDynamicPattern(input)) {
        const matches = (await glob(input, { onlyFiles: false, dot: false, expandDirectories: false })).sort();
        if (matches.length === 0) yield new IngestError(input, "glob matched no files");
        for (const m of matches) yield* discover([m]);
        continue;
      }
      yield new IngestError(input, "no such file or directory");
      continue;
    }
    if (st.isDirectory()) yield* walk(input, true);
    else yield { path: input, kind: "file", explicit: true };
  }
}

async function* walk(dir: string, top: boolean): AsyncGenerator<Candidate | IngestError> {
  let entries;
  try {
    // synchronous: one promise per folder costs more than the listing itself on large trees
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    yield new IngestError(dir, `cannot read directory: ${(e as Error).message}`);
    return;
  }
  const names = entries.map((e) => e.name);
  if (DIR_ADAPTERS.some((a) => a.detect(names))) {
    yield { path: dir, kind: "dir", explicit: top };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p, false);
    else if (e.isFile() && isWalkCandidate(e.name)) yield { path: p, kind: "file", explicit: false };
  }
}
