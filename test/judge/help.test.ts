/** The judge commands' --help: an Examples section whose every flag is one the command defines. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCli } from "./cli.js";

const COMMANDS = [
  { args: ["score"], must: ["--judge-critic", "--judge-mode"] },
  { args: ["select"], must: ["--judge-pairwise", "--comparisons", "--pairwise-only"] },
  { args: ["eval"], must: ["--pairwise", "--criterion"] },
  { args: ["rubric", "induce"], must: ["--holdout", "--min-auc", "--max-pairs"] },
];

describe("--help of the judge commands", () => {
  for (const { args, must } of COMMANDS)
    it(`${args.join(" ")}: the judge flags, and examples using only defined flags`, async () => {
      const r = await runCli([...args, "--help"]);
      assert.equal(r.status, 0, r.stderr);
      const [options, examples] = r.stdout.split("\nExamples:\n");
      assert.ok(examples, `${args.join(" ")} --help has an Examples section`);
      const defined = new Set(options.match(/(?<=^\s+(?:-\w, )?)--[\w-]+/gm) ?? []);
      for (const f of must) assert.ok(defined.has(f), `${f} listed`);
      const lines = examples.trim().split("\n");
      assert.ok(
        lines.some((l) => l.includes(`rubricate ${args.join(" ")} `)),
        "an example of this command",
      );
      const own = lines.filter((l) => !/^\s*rubricate /.test(l) || l.includes(`rubricate ${args.join(" ")} `));
      for (const l of own)
        for (const f of l.split(/ && /)[0].match(/(?<=\s)--[\w-]+/g) ?? [])
          assert.ok(defined.has(f), `example flag ${f} is an option of ${args.join(" ")}: ${l}`);
    });
});
