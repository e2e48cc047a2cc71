/**
 * A temporary file of JSON values by key: what a pass over the inputs rendered, kept on disk
 * (not in memory) until the rows that combine several trajectories (pairs) are written.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class Spool<T> {
  private dir = mkdtempSync(join(tmpdir(), "rubricate-spool-"));
  private fd = openSync(join(this.dir, "spool.jsonl"), "w+");
  private at = new Map<string, { offset: number; length: number }>();
  private end = 0;

  put(key: string, value: T): void {
    const buf = Buffer.from(JSON.stringify(value), "utf8");
    writeSync(this.fd, buf, 0, buf.length, this.end);
    this.at.set(key, { offset: this.end, length: buf.length });
    this.end += buf.length;
  }

  has(key: string): boolean {
    return this.at.has(key);
  }

  get(key: string): T {
    const where = this.at.get(key);
    if (!where) throw new Error(`spool: nothing stored under ${key}`);
    const buf = Buffer.alloc(where.length);
    readSync(this.fd, buf, 0, where.length, where.offset);
    return JSON.parse(buf.toString("utf8")) as T;
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
