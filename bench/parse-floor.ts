/**
 * The floor `bench:score` compares `score` with: a bare Node process that reads and parses the
 * files named in a list file (one path a line) the plainest way, whole files with `JSON.parse` and
 * JSONL line by line. It imports nothing else, so its time is Node's start-up plus reading and parsing.
 *
 * Usage: node dist/bench/parse-floor.js <list file>
 */
import { readFileSync } from "node:fs";

let n = 0;
for (const f of readFileSync(process.argv[2], "utf8").split("\n")) {
  if (!f) continue;
  const text = readFileSync(f, "utf8");
  if (f.endsWith(".jsonl")) {
    for (const line of text.split("\n")) if (line.trim()) JSON.parse(line), n++;
  } else {
    JSON.parse(text);
    n++;
  }
}
if (n === 0) process.exit(1);
