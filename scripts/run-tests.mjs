// Builds the project, runs every compiled test with node's test runner and
// ends with the plain "N passed, N failed" line that CI reads.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const tsc = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
if (tsc.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
// the code is formatted as Biome formats it (120 columns; `npx biome format --write .` fixes it):
// counted as one test, so a badly formatted tree fails CI without hiding the other results
const format = spawnSync("npx", ["biome", "format", "."], { encoding: "utf8" });
const formatted = format.status === 0;
if (!formatted) console.log(`${format.stdout}${format.stderr}\nnot formatted: run npx biome format --write .`);
const { readdirSync, statSync } = await import("node:fs");
const { join } = await import("node:path");
// node 20's --test takes no globs: list the compiled *.test.js files ourselves
function testFiles(p) {
  if (!existsSync(p)) {
    console.error(`no such test path: ${p}`);
    return [];
  }
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((n) => {
      const q = join(p, n);
      return statSync(q).isDirectory() ? testFiles(q) : n.endsWith(".test.js") ? [q] : [];
    });
}
const args = process.argv.slice(2).map((a) => a.replace(/^test\//, "dist/test/").replace(/\.ts$/, ".js"));
const targets = (args.length ? args : ["dist/test"]).flatMap(testFiles);
const run = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    "--test-reporter-destination=dist/test-results.tap",
    ...targets,
  ],
  { stdio: "inherit" },
);
const { readFileSync } = await import("node:fs");
const tap = existsSync("dist/test-results.tap") ? readFileSync("dist/test-results.tap", "utf8") : "";
const count = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
const passed = count("pass") + (formatted ? 1 : 0);
const failed = count("fail") + count("cancelled") + (formatted ? 0 : 1);
console.log(`${passed} passed, ${failed} failed, ${count("skipped")} skipped`);
process.exit(run.status === 0 && failed === 0 && passed > 1 ? 0 : 1);
