/**
 * Start-up loads only what a command needs: `--version` and `--help` import no stage of the
 * library's heavy dependencies. Checked with a module loader hook that lists every module the
 * process loads (no timings here: they depend on the machine's load; see bench/startup.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { FORMATS } from "../../src/scaffolds/registry.js";
import { FORMAT_NAMES } from "../../src/scaffolds/formats.js";
import { ROOT } from "../helpers.js";
import { CLI } from "../judge/cli.js";

const HEAVY = [
  "fastify",
  "bullmq",
  "ioredis",
  "vega",
  "vega-lite",
  "openai",
  "web-tree-sitter",
  "@huggingface/tokenizers",
  "js-tiktoken",
  "better-sqlite3",
  "hyparquet",
  "yaml",
  "zod",
];

const dir = mkdtempSync(join(tmpdir(), "rubricate-startup-"));
const hooks = join(dir, "hooks.mjs");
writeFileSync(
  hooks,
  'import { appendFileSync } from "node:fs";\n' +
    "export async function load(url, context, next) {\n" +
    "  appendFileSync(process.env.RUBRICATE_LOAD_TRACE, url + '\\n');\n" +
    "  return next(url, context);\n" +
    "}\n",
);
const register = join(dir, "register.mjs");
writeFileSync(
  register,
  `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);

/** The packages (node_modules names) and project modules a CLI run loads. */
function loaded(args: string[]): { packages: Set<string>; modules: string[] } {
  const trace = join(dir, `trace-${args.join("_").replace(/\W/g, "")}-${Date.now()}.txt`);
  writeFileSync(trace, "");
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, RUBRICATE_LOAD_TRACE: trace },
  });
  assert.equal(r.status, 0, r.stderr);
  const urls = readFileSync(trace, "utf8").split("\n").filter(Boolean);
  const packages = new Set(
    urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(decodeURIComponent(u))?.[1] ?? []),
  );
  return {
    packages,
    modules: urls.filter((u) => u.includes("/dist/src/")).map((u) => u.replace(/.*\/dist\/src\//, "")),
  };
}

describe("start-up", () => {
  for (const args of [
    ["--version"],
    ["--help"],
    ["score", "--help"],
    ["serve", "--help"],
    ["queue", "submit", "--help"],
  ])
    it(`${args.join(" ")} loads no heavy dependency and no stage of the library`, () => {
      const { packages, modules } = loaded(args);
      assert.ok(packages.has("commander"), "the trace sees packages (commander is loaded)");
      for (const p of HEAVY) assert.ok(!packages.has(p), `${p} not loaded by ${args.join(" ")}`);
      const stages = modules.filter(
        (m) =>
          !/^(cli\/(main|program|numbers|judgeflags|epipe|commands\/)|[a-z]+\/(names|formats|reward|filter)\.js)/.test(
            m,
          ),
      );
      assert.deepEqual(stages, [], "only the CLI's registration and the choice lists");
    });

  it("a command loads its dependencies when it runs (the trace can see them)", () => {
    const { packages } = loaded(["rubric", "show", "swe-default"]);
    assert.ok(packages.has("yaml"), "rubric show reads YAML");
  });

  it("the format list of the help is the registry's", () => {
    assert.deepEqual([...FORMAT_NAMES], [...FORMATS]);
  });
});
