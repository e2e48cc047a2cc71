/**
 * An append-only JSONL key-value log with an in-memory index, for the judge
 * cache. Line 1 names the format; every other line is one entry,
 * `{"k":"<key>",...value}`; a later line for a key replaces an earlier one.
 *
 * - Several processes may append at once: each entry is one write to a file
 *   opened with O_APPEND, so entries never overlap; a miss first reads what
 *   other processes appended since (the index follows the file's end).
 * - A process killed mid-write leaves a torn last line: it is ignored, and when
 *   another entry was appended after it, the whole entry at its end is kept.
 * - Any other line that cannot be read is damage: opening refuses the file
 *   (`CacheDamaged`), or with `repair` moves it aside and writes a new one
 *   with every entry that can still be read.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

const HEADER = '{"rubricate":"judge-cache","format":1}';
const ENTRY_START = '{"k":"';
const CHUNK = 1 << 20;

export interface CacheOpenOptions {
  /** a cache with damaged lines is moved aside and rebuilt (else opening it throws `CacheDamaged`) */
  repair?: boolean;
}

/** A cache file with lines that cannot be read (not a torn last line), found at open. */
export class CacheDamaged extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CacheDamaged";
  }
}

type Entry = Record<string, unknown>;
/** where an entry's line is in the file, or the entry itself (written by this process, or in memory) */
type Slot = { off: number; len: number } | Entry;

export class LogStore {
  private index = new Map<string, Slot>();
  private fd: number | null = null;
  /** bytes of the file read into the index so far (up to the end of the last whole line) */
  private indexed = 0;
  readonly repaired: string | null = null;

  constructor(
    readonly path: string,
    o: CacheOpenOptions = {},
  ) {
    if (path === ":memory:") return;
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.fd = openSync(path, "a+");
      if (fstatSync(this.fd).size === 0) writeSync(this.fd, `${HEADER}\n`);
      else this.checkHeader();
      const bad = this.catchUp();
      if (bad.length) {
        const where = `${bad.length} unreadable line${bad.length === 1 ? "" : "s"}, the first at line ${bad[0]}`;
        if (!o.repair)
          throw new CacheDamaged(
            `judge cache ${path} is damaged (${where}); refusing to use it. ` +
              "Pass --repair-cache to move it aside and rebuild it from the entries that can still be read, " +
              "or use another --cache file, or --no-cache",
          );
        this.repaired = this.rebuild(where, bad.length);
      }
    } catch (e) {
      this.close();
      if (e instanceof CacheDamaged) throw e;
      throw new Error(
        `judge cache ${path}: cannot open it (${(e as Error).message}); expected a rubricate judge cache (JSONL), or a path where one can be created (use another --cache file or --no-cache)`,
      );
    }
  }

  get(key: string): Entry | undefined {
    let slot = this.index.get(key);
    if (!slot && this.fd !== null) {
      this.catchUp(); // another process may have written it
      slot = this.index.get(key);
    }
    if (!slot) return undefined;
    if (!isOffset(slot)) return slot;
    const buf = Buffer.alloc(slot.len);
    readSync(this.fd!, buf, 0, slot.len, slot.off);
    return JSON.parse(buf.toString("utf8")) as Entry;
  }

  put(key: string, value: Entry): void {
    const entry = { k: key, ...value };
    if (this.fd !== null) {
      // one write of the whole line: O_APPEND puts it after whatever any process wrote last
      const line = Buffer.from(`${JSON.stringify(entry)}\n`);
      const n = writeSync(this.fd, line);
      if (n !== line.length) throw new Error(`short write (${n} of ${line.length} bytes)`);
    }
    this.index.set(key, entry);
  }

  stats(): { entries: number; bytes: number } {
    if (this.fd === null) return { entries: this.index.size, bytes: 0 };
    this.catchUp();
    return { entries: this.index.size, bytes: fstatSync(this.fd).size };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private checkHeader(): void {
    const buf = Buffer.alloc(64);
    const n = readSync(this.fd!, buf, 0, 64, 0);
    const text = buf.subarray(0, n).toString("latin1");
    if (text.startsWith("SQLite format 3"))
      throw new Error("it is a SQLite cache of an older rubricate; delete it, or give another --cache file");
    if (!text.startsWith(HEADER))
      throw new Error("it is not a rubricate judge cache: its first line is not the header");
  }

  /**
   * Index the lines appended since the last call (by any process). Returns the line numbers
   * (1-based, counted from the start of what was read) of lines that could not be read.
   */
  private catchUp(): number[] {
    const size = fstatSync(this.fd!).size;
    const bad: number[] = [];
    let pos = this.indexed;
    let carry = Buffer.alloc(0);
    let carryAt = pos;
    let lineNo = 0;
    while (pos < size) {
      const chunk = Buffer.alloc(Math.min(CHUNK, size - pos));
      const n = readSync(this.fd!, chunk, 0, chunk.length, pos);
      if (n <= 0) break;
      pos += n;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
        lineNo++;
        if (!this.indexLine(buf.subarray(start, nl), carryAt + start)) bad.push(lineNo);
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      carryAt += start;
    }
    // a last line without its newline is being written, or was torn by a kill: left for later
    this.indexed = carryAt;
    return bad;
  }

  /** Index one line at byte offset `off`; false when it cannot be read. */
  private indexLine(line: Buffer, off: number): boolean {
    const text = line.toString("utf8");
    if (text === HEADER || text === "") return true;
    if (this.tryIndex(text, off, line.length)) return true;
    // a torn write followed by a whole entry on the same line: keep the entry
    const at = text.lastIndexOf(ENTRY_START);
    if (at > 0) {
      const skip = Buffer.byteLength(text.slice(0, at));
      return this.tryIndex(text.slice(at), off + skip, line.length - skip);
    }
    return false;
  }

  private tryIndex(text: string, off: number, len: number): boolean {
    let entry: Entry;
    try {
      entry = JSON.parse(text) as Entry;
    } catch {
      return false;
    }
    if (!entry || typeof entry !== "object" || typeof entry.k !== "string") return false;
    this.index.set(entry.k, { off, len });
    return true;
  }

  /** Move the damaged file aside and write a new one with every entry that could be read. */
  private rebuild(damage: string, lost: number): string {
    const aside = `${this.path}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const kept: Entry[] = [];
    for (const key of this.index.keys()) kept.push(this.get(key)!);
    closeSync(this.fd!);
    renameSync(this.path, aside);
    if (existsSync(this.path)) throw new Error(`${this.path} reappeared while it was being rebuilt`);
    this.fd = openSync(this.path, "a+");
    writeSync(this.fd, `${HEADER}\n${kept.map((e) => `${JSON.stringify(e)}\n`).join("")}`);
    this.index.clear();
    this.indexed = 0;
    this.catchUp();
    return `judge cache ${this.path} was damaged (${damage}): moved to ${aside} and rebuilt with the ${kept.length} entries that could still be read (${lost} unreadable left out)`;
  }
}

const isOffset = (s: Slot): s is { off: number; len: number } =>
  typeof (s as { off?: unknown }).off === "number" && typeof (s as { k?: unknown }).k !== "string";
