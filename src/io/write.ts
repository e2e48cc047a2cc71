/**
 * Writing outputs safely: a JSONL file opened (and so checked) before any work, written one whole
 * line at a time, and on a write error (a full disk: ENOSPC) cut back to its last complete line and
 * closed, with an error that says what happened and how far the file got. Secrets are redacted
 * from every line written.
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  realpathSync,
  statSync,
  writeSync as fsWriteSync,
  type Stats,
} from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { redact } from "./redact.js";

/** A write that could not be done: the message says what, where, and what the file holds now. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "OutputError";
  }
}

/** Why an operating system error stops a write, in words. */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case "ENOSPC":
      return "no space left on the device (ENOSPC)";
    case "EDQUOT":
      return "disk quota exceeded (EDQUOT)";
    case "EFBIG":
      return "file too large for the file system (EFBIG)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${err.code})`;
    case "EROFS":
      return "the file system is read-only (EROFS)";
    case "EISDIR":
      return "it is a folder (EISDIR)";
    case "ENOENT":
      return "its folder does not exist (ENOENT)";
    case "ENOTDIR":
      return "a part of its path is not a folder (ENOTDIR)";
    case "EPIPE":
      return "the reader closed the pipe (EPIPE)";
    case "EIO":
      return "input/output error (EIO)";
    default:
      return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
  }
}

/**
 * Checks that `path` can be written as an output before any work is done: its folder exists and
 * it is not a folder itself, and it is not one of `inputs` nor (unless appended to) an existing
 * trajectory-named file inside an input folder: writing it would destroy an input.
 */
export function checkOutputPath(path: string, inputs: string[] = [], append = false): void {
  let st: Stats | null = null;
  try {
    st = statSync(path);
  } catch {
    // a new file: its folder must exist and be a folder
    const dir = dirname(resolve(path));
    let d: Stats;
    try {
      d = statSync(dir);
    } catch (e) {
      throw new OutputError(`cannot write ${path}: the folder ${dir} does not exist (${reasonOf(e)})`, path);
    }
    if (!d.isDirectory()) throw new OutputError(`cannot write ${path}: ${dir} is not a folder`, path);
    return;
  }
  if (st.isDirectory()) throw new OutputError(`cannot write ${path}: it is a folder; name a file`, path, "EISDIR");
  if (!st.isFile()) return; // /dev/null, a pipe, a terminal
  const real = realpathSync(path);
  for (const input of inputs) {
    let i: Stats;
    try {
      i = statSync(input);
    } catch {
      continue; // a glob or a missing input: reported by the reader
    }
    if (i.isFile() && i.dev === st.dev && i.ino === st.ino)
      throw new OutputError(`cannot write ${path}: it is also an input (${input}); writing it would destroy it`, path);
    if (!append && i.isDirectory() && /\.(traj|json|jsonl|parquet)$/i.test(path)) {
      const folder = realpathSync(input);
      if (real.startsWith(folder.endsWith(sep) ? folder : folder + sep))
        throw new OutputError(
          `cannot write ${path}: it is a file inside the input folder ${input}, read as an input; writing it would destroy it (write the output elsewhere)`,
          path,
        );
    }
  }
}

export interface LineFileOptions {
  /** keep what the file holds and add to it (else it is emptied) */
  append?: boolean;
  /** the low-level write (fs.writeSync); tests put one that fails part way in its place */
  writeSync?: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
}

/**
 * A file of lines written synchronously, each line whole or not at all. `committed` is the byte
 * length of the complete lines in the file; after a failed write the file is cut back to it.
 */
export class LineFile {
  readonly path: string;
  private fd: number | null;
  private committed: number;
  private regular: boolean;
  private readonly write0: NonNullable<LineFileOptions["writeSync"]>;
  /** lines written */
  lines = 0;

  constructor(path: string, o: LineFileOptions = {}) {
    this.path = path;
    this.write0 = o.writeSync ?? fsWriteSync;
    try {
      this.fd = openSync(path, o.append ? "a" : "w");
    } catch (e) {
      throw new OutputError(`cannot write ${path}: ${reasonOf(e)}`, path, (e as NodeJS.ErrnoException).code);
    }
    const st = fstatSync(this.fd);
    this.regular = st.isFile();
    this.committed = this.regular ? st.size : 0;
  }

  /** Writes one line (a newline is added). Throws OutputError, the file cut back to its last whole line. */
  writeLine(text: string): void {
    if (this.fd === null) throw new OutputError(`cannot write ${this.path}: it was closed after an error`, this.path);
    const buf = Buffer.from(redact(text) + "\n", "utf8");
    let off = 0;
    try {
      while (off < buf.length) off += this.write0(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.fail(e);
    }
    this.committed += buf.length;
    this.lines++;
  }

  private fail(e: unknown): never {
    const fd = this.fd!;
    this.fd = null;
    let cut = "";
    if (this.regular) {
      try {
        ftruncateSync(fd, this.committed);
        cut = `; the file ends at its last complete line (${this.lines} lines, ${this.committed} bytes)`;
      } catch {
        cut = `; it could not be cut back to its last complete line (${this.committed} bytes): the last line may be partial`;
      }
    }
    try {
      closeSync(fd);
    } catch {
      // the write error is the one to report
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(`cannot write ${this.path}: ${reasonOf(e)}; stopped${cut}`, this.path, code);
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (e) {
      throw new OutputError(`cannot write ${this.path}: ${reasonOf(e)}`, this.path, (e as NodeJS.ErrnoException).code);
    }
  }
}
