/**
 * Output for the CLI: JSONL writers that are opened, checked and locked before any work, write
 * whole lines and stop the run with a clear message on a write error (see `io/write.ts`), and
 * notes on stderr. Every line, to a file, stdout or stderr, has the configured secrets redacted.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { lockOutput, type OutputLock } from "../io/lock.js";
import { redact } from "../io/redact.js";
import { LineFile, OutputError, checkOutputPath, reasonOf, type LineFileOptions } from "../io/write.js";
import "./epipe.js";

export { OutputError };

/**
 * A fresh file name in `dir` for a command's records when none was given and standard output is
 * a terminal: `<base>.jsonl`, else `<base>-2.jsonl`, `<base>-3.jsonl`... (an existing file is never
 * overwritten).
 */
export function freshOutputName(dir: string, base: string, exists: (path: string) => boolean = existsSync): string {
  for (let i = 1; ; i++) {
    const p = join(dir, `${base}${i === 1 ? "" : `-${i}`}.jsonl`);
    if (!exists(p)) return p;
  }
}

export interface JsonlWriter {
  write(value: unknown): Promise<void>;
  close(): Promise<void>;
  /** lines written */
  readonly lines: number;
}

export interface WriterOptions extends LineFileOptions {
  /** the run's inputs: an output that is one of them is refused */
  inputs?: string[];
  /** what to name in the lock (the command line) */
  command?: string;
}

const toStdout = (path?: string) => !path || path === "-";

/**
 * Checks and locks an output path (before any work): the folder must exist, the path must not be
 * a folder or an input, and no other run may be writing it. Returns the lock to release, or null
 * for stdout. Locks are also released when the process exits.
 */
export function claimOutput(path: string | undefined, o: WriterOptions & { append?: boolean } = {}): OutputLock | null {
  if (toStdout(path)) return null;
  checkOutputPath(path!, o.inputs, o.append);
  const lock = lockOutput(path!, o.command ?? commandLine());
  if (lock.note) note(`note: ${lock.note}`);
  return lock;
}

/**
 * Writes JSON lines to a file, or to stdout when `path` is undefined or "-". A file is checked and
 * locked here (call it before any work) unless `claimed` says the caller already did.
 */
export function jsonlWriter(path?: string, append = false, o: WriterOptions & { claimed?: boolean } = {}): JsonlWriter {
  if (toStdout(path)) return stdoutWriter();
  const lock = o.claimed ? null : claimOutput(path, { ...o, append });
  let file: LineFile;
  try {
    file = new LineFile(path!, { append, writeSync: o.writeSync });
  } catch (e) {
    lock?.release();
    throw e;
  }
  return {
    get lines() {
      return file.lines;
    },
    async write(value) {
      file.writeLine(serialise(value));
    },
    async close() {
      try {
        file.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** JSON of one output value; a value that cannot be serialised is an error naming it, not a crash. */
function serialise(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    const v = value as { source?: { file?: string }; id?: string; trajectory_id?: string };
    const what = v?.source?.file ?? v?.trajectory_id ?? v?.id ?? "a value";
    throw new Error(`cannot write the output for ${what}: ${(e as Error).message}`);
  }
}

function stdoutWriter(): JsonlWriter {
  let failed: unknown = null;
  let lines = 0;
  const onError = (e: unknown) => {
    failed ??= e;
  };
  process.stdout.on("error", onError);
  const check = () => {
    if (failed) throw new OutputError(`cannot write to standard output: ${reasonOf(failed)}; stopped`, "-");
  };
  return {
    get lines() {
      return lines;
    },
    async write(value) {
      check();
      const ok = process.stdout.write(redact(serialise(value)) + "\n");
      lines++;
      if (!ok) await drainOrError();
      check();
    },
    async close() {
      process.stdout.off("error", onError);
      check();
    },
  };
  function drainOrError(): Promise<void> {
    return new Promise((done) => {
      const finish = () => {
        process.stdout.off("drain", finish);
        process.stdout.off("error", finish);
        done();
      };
      process.stdout.once("drain", finish);
      process.stdout.once("error", finish);
    });
  }
}

/** Writes a whole text file (a model, a report) safely: checked first by `claimOutput`; errors are clear. */
export function writeText(path: string, text: string): void {
  const file = new LineFile(path);
  try {
    file.writeLine(text.endsWith("\n") ? text.slice(0, -1) : text);
  } finally {
    file.close();
  }
}

export function note(line: string): void {
  process.stderr.write(redact(line) + "\n");
}

function commandLine(): string {
  return ["rubricate", ...process.argv.slice(2)].join(" ").slice(0, 300);
}
