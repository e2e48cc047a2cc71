/**
 * The README's set-up and tour run as written: every shell command of those
 * sections (skips named below with their reason) runs in a temporary folder
 * holding a copy of `examples/`, in order, with `npx rubricate` meaning the
 * built CLI; exit codes are checked, and stdout holds only data. The library
 * example runs against the built package, imported by its name.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT } from "./helpers.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

/** Commands not run, each with why. */
const SKIP: [RegExp, string][] = [
  [/^npm install$/, "installs the packages: needs the network, and the suite runs on an installed checkout"],
  [/^npm test$/, "the test suite itself: running it from inside the suite would recurse"],
];

/** Commands the README says fail on the examples, with the exit code and what they must say. */
const EXPECTED_FAILURES: [RegExp, number, RegExp][] = [
  [/^npx rubricate train examples\//, 1, /need at least 20 labelled trajectories with both outcomes/],
  [/^npx rubricate calibrate /, 1, /need at least 10 labelled records with both outcomes/],
];

/** The text of a `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a '## ${heading}' section`);
  const end = README.indexOf("\n## ", start + 4);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of a language in a text. */
function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

/** The commands of shell blocks: continuations joined, comments dropped, `a && b` split. */
export function shellCommands(text: string): string[] {
  const out: string[] = [];
  for (const block of blocks(text, "sh")) {
    const joined = block.replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n")) {
      const code = line.replace(/(^|\s)#.*$/, "").trim();
      if (code) out.push(...code.split("&&").map((c) => c.trim()));
    }
  }
  return out;
}

describe("README", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "rubricate-readme-"));
    cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true });
    // the package as a user installs it: `import ... from "rubricate"` finds the built package
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "rubricate"), "dir");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("every command of the set-up and the tour runs as written against the examples; stdout holds only data", () => {
    const commands = [...shellCommands(section("Set-up")), ...shellCommands(section("A tour"))];
    assert.ok(commands.length >= 15, `found ${commands.length} commands`);
    let ran = 0;
    for (const command of commands) {
      if (SKIP.some(([re]) => re.test(command))) continue;
      assert.match(command, /^npx rubricate /, `'${command}': the README runs rubricate as 'npx rubricate'`);
      assert.doesNotMatch(
        command,
        /['"|;<>$`*]/,
        `'${command}': no quoting, pipes or globs the test would have to interpret`,
      );
      const args = command.split(/\s+/).slice(2);
      for (const a of args)
        if (!a.startsWith("-") && /\//.test(a) && !a.endsWith("/") && args[args.indexOf(a) - 1] !== "-o")
          assert.ok(existsSync(join(dir, a)) || existsSync(join(dir, a.split("/")[0])), `'${command}': ${a} exists`);
      const r = spawnSync(process.execPath, [CLI, ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: join(dir, ".cache") },
        maxBuffer: 256 << 20,
      });
      ran++;
      const failure = EXPECTED_FAILURES.find(([re]) => re.test(command));
      const context = `'${command}'\n${r.stderr.slice(-2000)}`;
      if (failure) {
        assert.equal(r.status, failure[1], context);
        assert.match(r.stderr, failure[2], context);
        continue;
      }
      assert.equal(r.status, 0, context);
      const o = args.indexOf("-o");
      if (o >= 0) {
        assert.equal(r.stdout, "", `'${command}' writes to ${args[o + 1]}, nothing to stdout`);
        const file = join(dir, args[o + 1]);
        assert.ok(existsSync(file), `'${command}' wrote ${args[o + 1]}`);
        if (file.endsWith(".jsonl"))
          for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) JSON.parse(line);
        continue;
      }
      assert.ok(r.stdout.trim().length > 0, `'${command}' prints its result`);
      assert.doesNotMatch(r.stdout, /\r|\u001b\[/, `'${command}': no progress or cursor control on stdout`);
      if (r.stdout.trimStart().startsWith("{")) {
        const lines = r.stdout.split("\n").filter(Boolean);
        for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `'${command}': a JSONL line: ${line}`);
      } else assert.doesNotMatch(r.stdout, /^\s*\{"/m, `'${command}': a table or text, not JSON mixed into it`);
    }
    assert.ok(ran >= 15, `ran ${ran} commands`);
  });

  it("the library example prints what it says: the ROC-AUC of p(resolved) as a number with its interval", () => {
    const lib = section("Library");
    const [first] = blocks(lib, "ts");
    assert.ok(first?.includes('from "rubricate"'), "the first library example imports the package");
    writeFileSync(join(dir, "example.mjs"), first);
    const r = spawnSync(process.execPath, ["example.mjs"], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ROC-AUC of p\(resolved\): (0|1)\.\d{3} \[(0|1)\.\d{3}, (0|1)\.\d{3}\]\n$/);
    assert.equal(r.stderr, "", "no errors on the examples");
  });
});
