/**
 * The files ingestion reads for a data folder, as the benches count them: every file input found by
 * discovery and the .json files inside folder-format inputs (AutoCodeRover keeps one trajectory as a
 * folder of files). `bench:ingest` and `bench:score` count input bytes this way, so their MB agree.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { discover } from "../src/ingest/discover.js";

export async function inputFiles(dirs: string[]): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = [];
  for await (const c of discover(dirs)) {
    if (!("kind" in c)) continue;
    if (c.kind === "file") files.push(c.path);
    else if (c.kind === "dir")
      for (const n of readdirSync(c.path)) if (n.endsWith(".json")) files.push(join(c.path, n));
  }
  return { files, bytes: files.reduce((s, f) => s + statSync(f).size, 0) };
}
