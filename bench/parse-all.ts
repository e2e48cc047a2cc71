/**
 * The plainest read-and-parse of input files, the floor the benches compare with: whole files with
 * `JSON.parse`, JSONL line by line. No imports beyond node:fs, so the floor process stays bare.
 */
import { readFileSync } from "node:fs";

/** Values parsed from `files`. */
export function parseAll(files: string[]): number {
  let n = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    if (f.endsWith(".jsonl")) {
      for (const line of text.split("\n")) if (line.trim()) JSON.parse(line), n++;
    } else {
      JSON.parse(text);
      n++;
    }
  }
  return n;
}
