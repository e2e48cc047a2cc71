/**
 * The floor `bench:score` compares `score` with: a bare Node process that reads and parses the
 * files named in a list file (one path a line) the plainest way, whole files with `JSON.parse` and
 * JSONL line by line. It imports nothing else (parse-all.ts reads with node:fs only), so its time is Node's start-up plus reading and parsing.
 *
 * Usage: node dist/bench/parse-floor.js <list file>
 */
import { readFileSync } from "node:fs";
import { parseAll } from "./parse-all.js";

const files = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
if (parseAll(files) === 0) process.exit(1);
