/** The judge commands' --help: their judge flags, and an Examples section with an example of the command. */
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
    it(`${args.join(" ")}: the judge flags, and an example of the command`, async () => {
      const r = await runCli([...args, "--help"]);
      assert.equal(r.status, 0, r.stderr);
      const [options, examples] = r.stdout.split("\nExamples:\n");
      assert.ok(examples, `${args.join(" ")} --help has an Examples section`);
      const defined = new Set(options.match(/(?<=^\s+(?:-\w, )?)--[\w-]+/gm) ?? []);
      for (const f of must) assert.ok(defined.has(f), `${f} listed`);
      // every example line is parsed against its command in test/cli/help.test.ts
      assert.ok(examples.includes(`rubricate ${args.join(" ")} `), "an example of this command");
    });
});
