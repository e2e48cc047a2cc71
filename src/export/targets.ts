/**
 * What an export may write, checked before any work: targets that exist are not overwritten
 * without `force`, input files named by an option must exist, and LLaMA-Factory's
 * `dataset_info.json` is merged into (never clobbered), with a clear error when it is not JSON.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { isDynamicPattern } from "tinyglobby";
import { IngestError } from "../io/error.js";
import { parseJson } from "../io/read.js";

/** A problem with how the command was called (exit code 2): nothing was written. */
export class UsageError extends Error {}

/** Refuse to overwrite existing files unless `force`. */
export function checkTargets(paths: string[], force = false): void {
  if (force) return;
  const there = paths.filter((p) => p !== "-" && existsSync(p));
  if (there.length)
    throw new UsageError(
      `${there.length === 1 ? "output exists" : "outputs exist"}: ${there.join(", ")} (use --force to overwrite)`,
    );
}

/** Files an option names (`--scores`, `--system-prompt`...) must exist and be files. */
export function checkInputs(option: string, paths: string[] | undefined): void {
  for (const p of paths ?? []) {
    if (!existsSync(p)) throw new UsageError(`${option} ${p}: no such file`);
    if (!statSync(p).isFile()) throw new UsageError(`${option} ${p}: not a file`);
  }
}

/**
 * The trajectory inputs must exist (a file or a folder; a glob is left to discovery): a mistyped
 * path is an error before any output is created, not an empty dataset.
 */
export function checkTrajectoryInputs(paths: string[]): void {
  const missing = paths.filter((p) => !existsSync(p) && !isDynamicPattern(p));
  if (missing.length)
    throw new UsageError(
      `${missing.length === 1 ? "input" : "inputs"} not found: ${missing.join(", ")} (expected trajectory files or folders)`,
    );
}

function readInfo(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let v: unknown;
  try {
    v = parseJson(readFileSync(path, "utf8"), path);
  } catch (e) {
    const why = e instanceof IngestError ? e.describe() : `${path}: ${(e as Error).message}`;
    throw new UsageError(
      `${why}; it must be LLaMA-Factory's dataset_info.json (a JSON object), which is added to, never overwritten`,
    );
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new UsageError(`${path}: expected a JSON object of dataset entries (LLaMA-Factory's dataset_info.json)`);
  return v as Record<string, unknown>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Check that `entries` can go into the dataset_info.json at `path`: the file is a JSON object and no
 * entry of the same name says something else (unless `force`). Call before the export's work.
 */
export function checkDatasetInfo(path: string, entries: Record<string, unknown>, force = false): void {
  const info = readInfo(path);
  for (const [name, entry] of Object.entries(entries)) {
    if (name in info && !same(info[name], entry) && !force)
      throw new UsageError(
        `${path} already has a dataset named '${name}' with other settings; choose another --dataset-name or use --force to replace it`,
      );
  }
}

/** Add `entries` to the dataset_info.json at `path`, keeping every other entry; returns what changed. */
export function mergeDatasetInfo(
  path: string,
  entries: Record<string, unknown>,
): { added: string[]; replaced: string[] } {
  const info = readInfo(path);
  const added: string[] = [];
  const replaced: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (!(name in info)) added.push(name);
    else if (!same(info[name], entry)) replaced.push(name);
    info[name] = entry;
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + "\n");
  renameSync(tmp, path);
  return { added, replaced };
}
