/**
 * An output file is locked for the run that writes it: `<file>.lock`, created exclusively, holds
 * the writer's process id, host and start time. A second run on the same file refuses with a
 * message naming the first; a lock whose process is gone (killed with -9) is taken over, so
 * `--resume` after a kill still works. The lock is removed when the run ends, however it ends.
 */
import { hostname } from "node:os";
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { OutputError } from "./write.js";

interface Holder {
  pid: number;
  host: string;
  started: string;
  command?: string;
}

const held = new Set<string>();
let hooked = false;

/** Whether process `pid` on this host is running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(lock: string): Holder | null {
  try {
    const v = JSON.parse(readFileSync(lock, "utf8")) as Holder;
    return typeof v.pid === "number" && typeof v.host === "string" ? v : null;
  } catch {
    return null;
  }
}

/** Removes every lock this process holds (at exit, and on SIGINT / SIGTERM / SIGHUP before exiting). */
function releaseAll(): void {
  for (const lock of held) {
    try {
      unlinkSync(lock);
    } catch {
      // already gone
    }
  }
  held.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", releaseAll);
  for (const [sig, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const) {
    process.on(sig, () => {
      releaseAll();
      process.exit(code);
    });
  }
}

export interface OutputLock {
  /** the lock file */
  path: string;
  /** a note when a stale lock (its process gone) was taken over */
  note: string | null;
  release(): void;
}

/**
 * Locks `file` for this process. Throws OutputError when another running process holds it. Files
 * that are not regular files (/dev/null, a pipe) are not locked.
 */
export function lockOutput(file: string, command = "rubricate"): OutputLock {
  try {
    if (!statSync(file).isFile()) return { path: "", note: null, release() {} };
  } catch {
    // a new file
  }
  const lock = `${file}.lock`;
  if (held.has(lock)) throw new OutputError(`${file} is named twice as an output of this run`, file, "ELOCKED");
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  let note: string | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST")
        throw new OutputError(`cannot lock ${file}: cannot create ${lock} (${(e as Error).message})`, file, code);
      const h = readHolder(lock);
      // a lock of this pid that this process does not hold is a previous process's (pids are reused)
      if (h && (h.host !== me.host || (h.pid !== process.pid && alive(h.pid))))
        throw new OutputError(
          `${file} is being written by another run (process ${h.pid} on ${h.host}, started ${h.started}${h.command ? `: ${h.command}` : ""}); ` +
            `refusing to write it too. Wait for that run to end, or delete ${lock} if it is not running.`,
          file,
          "ELOCKED",
        );
      if (!h) {
        // being written this instant by another starter, or damaged: wait a moment, then take it
        const age = Date.now() - statSafe(lock);
        if (age < 2000) {
          sleep(50);
          continue;
        }
      }
      // stale: its process is gone; moved aside first so that two runs cannot both take it
      const aside = `${lock}.stale-${process.pid}`;
      try {
        renameSync(lock, aside);
        unlinkSync(aside);
      } catch {
        continue;
      }
      note = `took over the lock ${lock}: ${h ? `process ${h.pid} that held it is no longer running` : "it was unreadable"}`;
      continue;
    }
    writeSync(fd, JSON.stringify(me) + "\n");
    closeSync(fd);
    held.add(lock);
    hook();
    return {
      path: lock,
      note,
      release() {
        if (!held.delete(lock)) return;
        try {
          unlinkSync(lock);
        } catch {
          // already gone
        }
      },
    };
  }
  throw new OutputError(`cannot lock ${file}: ${lock} keeps changing; is another run starting on it?`, file, "ELOCKED");
}

function statSafe(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
