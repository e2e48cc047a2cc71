/**
 * Turns the user's paths and globs into candidate inputs: files to read, and
 * directories that are one trajectory each (AutoCodeRover attempts).
 *
 * Symbolic links are followed (a Hugging Face cache snapshot is nothing but links), each file and
 * folder is read once whatever the names that lead to it (a second name is a skip naming the
 * first), a link back to a folder being walked is a loop (skipped, with a reason), and anything
 * that is not a regular file or folder (a named pipe, a socket, a device) is refused with an
 * error instead of being opened: a pipe would block the read forever. The walk keeps its own
 * stack, so deep trees cannot exhaust the runtime's.
 */
import { readdirSync, statSync, lstatSync, type Dirent, type Stats } from "node:fs";
import { join } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { DIR_ADAPTERS } from "../scaffolds/registry.js";
import { IngestError } from "../io/error.js";

export interface Candidate {
  path: string;
  /** "skip": found, not read (`reason` says why); the reader reports it as a skip */
  kind: "file" | "dir" | "skip";
  /** named by the user (an unknown format is an error) or found by walking a folder (skipped) */
  explicit: boolean;
  /** why a "skip" candidate is not read */
  reason?: string;
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

/** What one discovery has met: device:inode of each file and folder -> the path it was first found by. */
interface Seen {
  files: Map<string, string>;
  dirs: Map<string, string>;
}

const identity = (st: Stats): string => `${st.dev}:${st.ino}`;

/** Yields candidates in a deterministic order; missing inputs and special files become errors. */
export async function* discover(inputs: string[]): AsyncGenerator<Candidate | IngestError> {
  const seen: Seen = { files: new Map(), dirs: new Map() };
  for (const input of inputs) yield* discoverInput(input, seen);
}

async function* discoverInput(input: string, seen: Seen): AsyncGenerator<Candidate | IngestError> {
  let st: Stats;
  try {
    st = statSync(input);
  } catch (e) {
    if (isDynamicPattern(input)) {
      const matches = (await glob(input, { onlyFiles: false, dot: false, expandDirectories: false })).sort();
      if (matches.length === 0) yield new IngestError(input, "glob matched no files");
      for (const m of matches) yield* discoverInput(m, seen);
      return;
    }
    yield new IngestError(input, statProblem(input, e));
    return;
  }
  if (st.isDirectory()) yield* walk(input, st, seen);
  else if (st.isFile()) yield fileCandidate(input, st, seen, true);
  else yield new IngestError(input, refusal(st));
}

/** Why a path cannot be looked at: missing, a broken or looping link, no permission. */
function statProblem(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return "symbolic link loop: the link leads back to itself";
  if (code === "EACCES") return "permission denied";
  if (code === "ENOENT") {
    try {
      if (lstatSync(path).isSymbolicLink()) return "broken symbolic link: its target does not exist";
    } catch {
      // not there at all
    }
    return "no such file or directory";
  }
  return `cannot read it: ${(e as Error).message}`;
}

/** The refusal of a path that is neither a regular file nor a folder. */
function refusal(st: Stats): string {
  const what = st.isFIFO()
    ? "a named pipe"
    : st.isSocket()
      ? "a socket"
      : st.isCharacterDevice()
        ? "a character device"
        : st.isBlockDevice()
          ? "a block device"
          : "a special file";
  return `${what}, not a regular file: refused (only regular files and folders are read)`;
}

function fileCandidate(path: string, st: Stats, seen: Seen, explicit: boolean): Candidate {
  const id = identity(st);
  const first = seen.files.get(id);
  if (first !== undefined) return { path, kind: "skip", explicit, reason: `the same file as ${first}, read once` };
  seen.files.set(id, path);
  return { path, kind: "file", explicit };
}

/** A subfolder to walk, with the identities of the folders above it (a link back to one is a loop). */
interface Sub {
  dir: string;
  above: string[];
}

/** A folder and its descendants, in the order a recursive walk gives (entries by name), without recursion. */
function* walk(root: string, rootStat: Stats, seen: Seen): Generator<Candidate | IngestError> {
  const rootId = identity(rootStat);
  const first = seen.dirs.get(rootId);
  if (first !== undefined) {
    yield { path: root, kind: "skip", explicit: true, reason: `the same folder as ${first}, read once` };
    return;
  }
  seen.dirs.set(rootId, root);
  // a frame per open folder: its entries, classified in name order, and how many were taken
  const stack: { items: (Candidate | IngestError | Sub)[]; next: number }[] = [];
  const open = (sub: Sub, top: boolean): Candidate | IngestError | null => {
    let entries: Dirent[];
    try {
      // synchronous: one promise per folder costs more than the listing itself on large trees
      entries = readdirSync(sub.dir, { withFileTypes: true });
    } catch (e) {
      return new IngestError(sub.dir, `cannot read directory: ${(e as Error).message}`);
    }
    if (DIR_ADAPTERS.some((a) => a.detect(entries.map((e) => e.name))))
      return { path: sub.dir, kind: "dir", explicit: top };
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    stack.push({ items: classify(sub, entries, seen), next: 0 });
    return null;
  };
  const top = open({ dir: root, above: [rootId] }, true);
  if (top) yield top;
  while (stack.length) {
    const frame = stack[stack.length - 1];
    if (frame.next >= frame.items.length) {
      stack.pop();
      continue;
    }
    const item = frame.items[frame.next++];
    if ("above" in item) {
      const c = open(item, false);
      if (c) yield c;
    } else yield item;
  }
}

/** A folder's entries as candidates, errors and subfolders to walk. */
function classify(parent: Sub, entries: Dirent[], seen: Seen): (Candidate | IngestError | Sub)[] {
  const out: (Candidate | IngestError | Sub)[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(parent.dir, e.name);
    const candidate = isWalkCandidate(e.name);
    // only links, folders and files named like trajectories are looked at
    if (!e.isSymbolicLink() && !e.isDirectory() && !candidate) continue;
    let st: Stats;
    try {
      st = statSync(p);
    } catch (err) {
      // a broken or looping link: an error where a trajectory may be lost, else a skip that says so
      const why = statProblem(p, err);
      out.push(candidate ? new IngestError(p, why) : { path: p, kind: "skip", explicit: false, reason: why });
      continue;
    }
    if (st.isDirectory()) {
      const id = identity(st);
      const seenAt = seen.dirs.get(id);
      if (seenAt === undefined) {
        seen.dirs.set(id, p);
        out.push({ dir: p, above: [...parent.above, id] });
      } else {
        const reason = parent.above.includes(id)
          ? `symbolic link loop: it leads back to ${seenAt}, a folder above it`
          : `the same folder as ${seenAt}, read once`;
        out.push({ path: p, kind: "skip", explicit: false, reason });
      }
    } else if (!candidate) continue;
    else if (st.isFile()) out.push(fileCandidate(p, st, seen, false));
    else out.push(new IngestError(p, refusal(st)));
  }
  return out;
}
