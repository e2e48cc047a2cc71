/** Output helpers for the CLI: a JSONL writer that respects back-pressure, and stderr notes. */
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

export interface JsonlWriter {
  write(value: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Write JSON lines to a file, or to stdout when `path` is undefined or "-". */
export function jsonlWriter(path?: string, append = false): JsonlWriter {
  const toStdout = !path || path === "-";
  const stream: NodeJS.WritableStream = toStdout
    ? process.stdout
    : createWriteStream(path, { flags: append ? "a" : "w" });
  return {
    async write(value) {
      if (!stream.write(JSON.stringify(value) + "\n")) await once(stream, "drain");
    },
    async close() {
      if (toStdout) return;
      const ws = stream as WriteStream;
      ws.end();
      await once(ws, "close");
    },
  };
}

export function note(line: string): void {
  process.stderr.write(line + "\n");
}
