/** The published declarations compile in a consumer project under default checking (skipLibCheck: false). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "./helpers.js";

/** Every .d.ts under a folder. */
function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name));
}

describe("published types", () => {
  it("no public declaration mentions web-tree-sitter (its own declarations fail without skipLibCheck)", () => {
    const files = declarations(join(ROOT, "dist", "src"));
    assert.ok(files.some((f) => f.endsWith("index.d.ts")));
    const leaking = files.filter((f) => readFileSync(f, "utf8").includes("web-tree-sitter"));
    assert.deepEqual(leaking, []);
  });

  it("a consumer importing rubricate type-checks with skipLibCheck: false", () => {
    const dir = mkdtempSync(join(tmpdir(), "rubricate-consumer-"));
    try {
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(ROOT, join(dir, "node_modules", "rubricate"), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
      writeFileSync(
        join(dir, "index.ts"),
        `import { evaluate, loadRubric, parseShell, scoreStream, type ScoreRecord } from "rubricate";
const rubric = loadRubric("swe-default");
const records: ScoreRecord[] = [];
for await (const ev of scoreStream(["examples/"], { rubric })) if (ev.type === "record") records.push(ev.record);
const auc: number | null = evaluate(records).overall.auc.value;
console.log(auc, parseShell("ls -la").length);
`,
      );
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "nodenext",
            moduleResolution: "nodenext",
            target: "es2022",
            noEmit: true,
            skipLibCheck: false,
            typeRoots: [join(ROOT, "node_modules", "@types")],
            types: ["node"],
          },
          files: ["index.ts"],
        }),
      );
      const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
      const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
