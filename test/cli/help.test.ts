/**
 * The CLI's help: every command has a description and an Examples section whose every command
 * line parses (flags, values, choices, required options) against the command it names; help
 * wraps to $COLUMNS; the side report is `--json <file>` everywhere, old spellings hidden.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { examplesOf } from "../../src/cli/commands/common.js";
import { buildProgram } from "../../src/cli/program.js";
import { ROOT } from "../helpers.js";
import { CLI } from "../judge/cli.js";

/** Every command below the root, with its path ("queue submit"). */
function walk(c: Command, path: string[] = []): { path: string[]; cmd: Command }[] {
  return c.commands.flatMap((s) => [{ path: [...path, s.name()], cmd: s }, ...walk(s, [...path, s.name()])]);
}

/** The help of one command, as `--help` prints it (at 100 columns). */
function helpOf(cmd: Command): string {
  let out = "";
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = "100";
  for (let c: Command | null = cmd; c; c = c.parent) c.configureOutput({ writeOut: (s) => (out += s) });
  try {
    cmd.outputHelp();
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
  return out;
}

/** The command lines of an Examples section: continuation lines joined, notes dropped. */
function exampleLines(help: string): string[] {
  const section = help.split("\nExamples:\n")[1]?.split("\n\n")[0] ?? "";
  const lines: string[] = [];
  let cur = "";
  for (const raw of section.split("\n")) {
    const l = raw.trim();
    if (!cur && (l.startsWith("#") || !l)) continue;
    cur += (cur ? " " : "") + l.replace(/\s+#\s[^'"]*$/, "");
    if (cur.endsWith("\\")) cur = cur.slice(0, -1).trim();
    else {
      lines.push(cur);
      cur = "";
    }
  }
  return lines;
}

/** Shell words: plain, '...' and "..." (no variables, no pipes: examples are plain command lines). */
function words(line: string): string[] {
  return (line.match(/(?:'[^']*'|"[^"]*"|[^\s'"])+/g) ?? []).map((w) => w.replace(/'([^']*)'|"([^"]*)"/g, "$1$2"));
}

/** Parses `argv` (after `rubricate`) with every action replaced: the command that would run, or the usage error. */
async function parse(argv: string[]): Promise<{ ran?: string; error?: string }> {
  const program = buildProgram();
  let ran: string | undefined;
  let error = "";
  for (const { cmd } of walk(program)) {
    cmd.configureOutput({ writeOut: () => {}, writeErr: (s) => (error += s) });
    if (cmd.commands.length === 0) cmd.action(() => {});
  }
  program.configureOutput({ writeOut: () => {}, writeErr: (s) => (error += s) });
  program.hook("preAction", (_root, action) => {
    const path: string[] = [];
    for (let c: Command | null = action; c?.parent; c = c.parent) path.unshift(c.name());
    ran = path.join(" ");
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    return { error: error || String(e) };
  }
  return { ran };
}

describe("help", () => {
  const commands = walk(buildProgram());

  it("walks every command (the walk finds them all)", () => {
    const names = commands.map((c) => c.path.join(" "));
    for (const n of ["ingest", "score", "select", "queue submit", "rubric lint", "rubric induce", "serve", "worker"])
      assert.ok(names.includes(n), `${n} registered`);
    assert.ok(names.length >= 25, `${names.length} commands`);
  });

  for (const { path, cmd } of commands) {
    const name = path.join(" ");
    it(`${name}: a description and examples that parse`, async () => {
      assert.ok(cmd.description().trim().length > 20, `${name} has a description`);
      assert.doesNotMatch(cmd.description(), /[a-z,;]\n[a-z(]/, `${name}: no line break inside a sentence`);
      const help = helpOf(cmd);
      assert.match(help, /\nExamples:\n/, `${name} --help has an Examples section`);
      const lines = exampleLines(help);
      assert.equal(lines.length, examplesOf(cmd).length, `${name}: every example is in the help`);
      assert.ok(
        lines.some((l) => l.startsWith(`npx rubricate ${name} `) || l === `npx rubricate ${name}`),
        `${name}: an example of the command itself`,
      );
      for (const line of lines) {
        assert.ok(line.startsWith("npx rubricate "), `runs as the README does: ${line}`);
        const argv = words(line).slice(2);
        const r = await parse(argv);
        assert.equal(r.error, undefined, `${line}\n${r.error}`);
        assert.ok(r.ran && line.startsWith(`npx rubricate ${r.ran}`), `${line} runs ${r.ran}`);
      }
    });
  }

  it("an example with a bad flag, value or missing required option does not parse (the check can fail)", async () => {
    assert.ok((await parse(["score", "examples/", "--no-such-flag"])).error);
    assert.ok((await parse(["eval", "scores.jsonl", "--reward", "nope"])).error);
    assert.ok((await parse(["filter", "examples/"])).error, "-o is required");
    assert.equal((await parse(["rubric", "list"])).ran, "rubric list");
  });

  it("required options say so", () => {
    for (const name of ["filter", "select", "export", "train", "report"]) {
      const cmd = commands.find((c) => c.path.join(" ") === name)!.cmd;
      const flat = helpOf(cmd).replace(/\s+/g, " ");
      assert.match(flat, /-o, --output <\w+> [^-]*\(required\)/, `${name} marks -o as required`);
    }
  });

  it("the side report is --json <file> on eval, filter, select and pairs; the old spellings still parse, hidden", async () => {
    for (const [name, old] of [
      ["eval", ""],
      ["filter", "--report"],
      ["select", "--choices"],
      ["pairs", "--report"],
    ]) {
      const help = helpOf(commands.find((c) => c.path.join(" ") === name)!.cmd).replace(/\s+/g, " ");
      assert.match(help, /--json <file> also write [^]*? to this file/, `${name} --json <file>`);
      if (old) assert.ok(!help.includes(`${old} <file>`), `${name} hides ${old}`);
    }
    assert.equal((await parse(["filter", "examples/", "--report", "f.json", "-o", "kept.jsonl"])).error, undefined);
    assert.equal((await parse(["select", "examples/", "--choices", "c.jsonl", "-o", "p.jsonl"])).error, undefined);
    assert.equal((await parse(["pairs", "examples/", "--report", "r.json", "-o", "d.jsonl"])).error, undefined);
  });

  for (const width of [60, 160])
    it(`wraps to COLUMNS=${width}`, () => {
      for (const args of [["--help"], ["score", "--help"], ["select", "--help"], ["serve", "--help"]]) {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, COLUMNS: String(width) },
        });
        assert.equal(r.status, 0, r.stderr);
        const lines = r.stdout.split("\n");
        // a line may run over only when it holds a word longer than the width allows (a URL, a JSON body)
        const over = lines.filter((l) => l.length > width && !l.split(/\s+/).some((w) => w.length > width - 30));
        assert.deepEqual(over, [], `${args.join(" ")} at ${width} columns`);
        if (width === 160)
          assert.ok(
            lines.some((l) => l.length > 100),
            `${args.join(" ")} uses the width (not commander's fixed 80)`,
          );
      }
    });
});
