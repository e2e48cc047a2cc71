/** A JSON-lines file written with back-pressure (or stdout for "-"). */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

export class JsonlFile {
  private stream: NodeJS.WritableStream;
  private toStdout: boolean;
  rows = 0;

  constructor(path: string) {
    this.toStdout = path === "-";
    this.stream = this.toStdout ? process.stdout : createWriteStream(path);
  }

  /** the same as write (so a JSONL file and a Parquet file take rows alike) */
  add(value: unknown): Promise<void> {
    return this.write(value);
  }

  async write(value: unknown): Promise<void> {
    this.rows++;
    if (!this.stream.write(JSON.stringify(value) + "\n")) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (this.toStdout) return;
    const ws = this.stream as WriteStream;
    ws.end();
    await once(ws, "close");
  }
}
