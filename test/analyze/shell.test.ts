/**
 * Bash parsing (src/analyze/shell.ts) and what each parsed command does
 * (src/analyze/shellkinds.ts): lists, pipelines, subshells, substitutions,
 * heredocs, redirects, quoting, wrappers, and the fast paths (plain word
 * lists; scripts with redirects and heredocs) against tree-sitter.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseShell, treeSitterParser, type ShellCommand } from "../../src/analyze/shell.js";
import { fastParser } from "../../src/analyze/shellfast.js";

const parseShellFast = (src: string) => fastParser.parse(src.trim());
const parseShellFull = (src: string) => treeSitterParser.parse(src.trim())!;
import { commandEffect, positional, pythonFiles, type CommandEffect } from "../../src/analyze/shellkinds.js";
import type { Trajectory } from "../../src/types/trajectory.js";
import { HAS_SHARED, SHARED, collect } from "../helpers.js";

/** name + args of each command */
function words(src: string): string[][] {
  return parseShell(src).map((c) => [c.name, ...c.args]);
}

function only(src: string): ShellCommand {
  const cmds = parseShell(src);
  assert.equal(cmds.length, 1, `expected one command in ${JSON.stringify(src)}, got ${JSON.stringify(cmds)}`);
  return cmds[0];
}

/** The merged effect of every command of a line (kinds in order, without duplicates). */
function effect(src: string): CommandEffect {
  const out: CommandEffect = { kinds: [], read: [], written: [], deleted: [] };
  for (const c of parseShell(src)) {
    const e = commandEffect(c);
    for (const k of e.kinds) if (!out.kinds.includes(k)) out.kinds.push(k);
    out.read.push(...e.read);
    out.written.push(...e.written);
    out.deleted.push(...e.deleted);
    for (const k of ["test", "script", "destructive", "env"] as const)
      if (e[k] !== undefined && out[k] === undefined) (out as unknown as Record<string, unknown>)[k] = e[k];
    if (e.cd !== undefined) out.cd = e.cd;
  }
  return out;
}

describe("parseShell: structure", () => {
  it("splits && / || / ; / | lists and pipelines into simple commands, in order", () => {
    assert.deepEqual(words("cd /testbed && python -m pytest tests -q || echo failed; ls | wc -l"), [
      ["cd", "/testbed"],
      ["python", "-m", "pytest", "tests", "-q"],
      ["echo", "failed"],
      ["ls"],
      ["wc", "-l"],
    ]);
  });

  it("descends into subshells and { } groups", () => {
    assert.deepEqual(words("(cd sub && make) | tee build.log"), [["cd", "sub"], ["make"], ["tee", "build.log"]]);
    assert.deepEqual(words("{ echo a; echo b; } > out.txt"), [
      ["echo", "a"],
      ["echo", "b"],
    ]);
  });

  it("lists the commands inside command substitution after the command that uses them", () => {
    assert.deepEqual(words("echo $(git rev-parse HEAD)"), [
      ["echo", "$(git rev-parse HEAD)"],
      ["git", "rev-parse", "HEAD"],
    ]);
    assert.deepEqual(words('cd "$(dirname "$0")"'), [
      ["cd", '$(dirname "$0")'],
      ["dirname", "$0"],
    ]);
  });

  it("reads compound statements (if / for / while) down to their commands", () => {
    assert.deepEqual(words("if [ -f setup.py ]; then cat setup.py; fi"), [["cat", "setup.py"]]);
    assert.deepEqual(words("for f in a.py b.py; do python $f; done"), [["python", "$f"]]);
    assert.deepEqual(words("while read l; do echo $l; done < files.txt"), [
      ["read", "l"],
      ["echo", "$l"],
    ]);
  });

  it("keeps a comment out of the commands", () => {
    assert.deepEqual(words("# First, restore the file\ngit checkout ./django/contrib/admin/helpers.py 2>&1"), [
      ["git", "checkout", "./django/contrib/admin/helpers.py"],
    ]);
  });

  it("takes the command string of `bash -c` / `sh -c` as the commands it runs", () => {
    assert.deepEqual(words('bash -c "cd /testbed && pytest -q tests/test_a.py"'), [
      ["cd", "/testbed"],
      ["pytest", "-q", "tests/test_a.py"],
    ]);
    assert.deepEqual(words("sh -c 'python reproduce.py'"), [["python", "reproduce.py"]]);
    // a redirect of the wrapper belongs to the last inner command
    assert.deepEqual(parseShell('bash -c "pytest -q" > log.txt').at(-1)?.redirects, [{ op: ">", target: "log.txt" }]);
    // an expansion inside the string is left alone
    assert.deepEqual(words('bash -c "$CMD"'), [["bash", "-c", "$CMD"]]);
  });

  it("parses a long script line by line when tree-sitter runs its lines together", () => {
    const script = [
      'echo "== first =="',
      "cp a.sql b.sql",
      'lint fix b.sql -f 2>&1 | grep -v "Done\\|Skip" | tail -1',
      'echo "Out:"',
      "sed -n '3p' b.sql | cat -A",
      "",
      'echo -e "\\n== second =="',
      "cp c.sql d.sql",
      'lint fix d.sql -f 2>&1 | grep -v "Done\\|Skip" | tail -1',
      'echo "Out:"',
    ].join("\n");
    const cmds = parseShell(script);
    assert.deepEqual(
      cmds.map((c) => c.name),
      ["echo", "cp", "lint", "grep", "tail", "echo", "sed", "cat", "echo", "cp", "lint", "grep", "tail", "echo"],
    );
    assert.ok(cmds.every((c) => !c.text.includes("\n")));
  });

  it("returns nothing for an empty line and survives unbalanced quotes", () => {
    assert.deepEqual(parseShell(""), []);
    assert.doesNotThrow(() => parseShell("echo 'unterminated"));
  });
});

describe("parseShell: words, quoting, assignments, paths", () => {
  it("removes single, double and ANSI-C quoting and joins concatenated words", () => {
    assert.deepEqual(only(`grep -rn "def foo" 'src/my dir' --include="*.py" a"b"'c'`).args, [
      "-rn",
      "def foo",
      "src/my dir",
      "--include=*.py",
      "abc",
    ]);
    assert.deepEqual(only(`echo "say \\"hi\\"" $'a\\tb'`).args, ['say "hi"', "a\\tb"]);
  });

  it("drops leading VAR=value assignments; the command is what follows", () => {
    const c = only(
      "PYTHONPATH=/workspace/django__django__3.0 DJANGO_SETTINGS_MODULE=test_settings python3 reproduce.py",
    );
    assert.equal(c.name, "python3");
    assert.deepEqual(c.args, ["reproduce.py"]);
    assert.deepEqual(parseShell("X=1 Y=2"), []);
  });

  it("reports export / unset / declare as commands", () => {
    assert.deepEqual(words("export JAVA_HOME=/usr/lib/jvm/java-11-openjdk-amd64 && ./mvnw test"), [
      ["export", "JAVA_HOME=/usr/lib/jvm/java-11-openjdk-amd64"],
      ["mvnw", "test"],
    ]);
    assert.deepEqual(words("unset PYTHONPATH"), [["unset", "PYTHONPATH"]]);
  });

  it("strips the path from the command name and keeps it in `path`", () => {
    const a = only("./tests/runtests.py aggregation");
    assert.deepEqual([a.name, a.path], ["runtests.py", "./tests/runtests.py"]);
    const b = only("/usr/bin/python3 -V");
    assert.deepEqual([b.name, b.path], ["python3", "/usr/bin/python3"]);
    assert.equal(only("python x.py").path, undefined);
  });
});

describe("parseShell: redirects and heredocs", () => {
  it("records file redirects with their operator, not fd duplications", () => {
    assert.deepEqual(only("python -m pytest tests > out.txt 2>&1").redirects, [{ op: ">", target: "out.txt" }]);
    assert.deepEqual(only("echo x >> notes.md").redirects, [{ op: ">>", target: "notes.md" }]);
    assert.deepEqual(only("sort < in.txt").redirects, [{ op: "<", target: "in.txt" }]);
    assert.deepEqual(only("make &> build.log").redirects, [{ op: "&>", target: "build.log" }]);
  });

  it("gives a redirect to the command it follows, not to one inside a substitution", () => {
    const [echo, git] = parseShell("echo $(git rev-parse HEAD) > rev.txt");
    assert.deepEqual(echo.redirects, [{ op: ">", target: "rev.txt" }]);
    assert.deepEqual(git.redirects, []);
  });

  it("`cat > file <<EOF` and `cat <<EOF > file` both write the file with the heredoc body", () => {
    for (const src of [
      "cat > fix.py <<'EOF'\nprint(1)\nEOF",
      "cat <<'EOF' > fix.py\nprint(1)\nEOF",
      'cat > fix.py << "EOF"\nprint(1)\nEOF',
    ]) {
      const c = only(src);
      assert.equal(c.name, "cat", src);
      assert.deepEqual(c.redirects, [{ op: ">", target: "fix.py" }], src);
      assert.equal(c.heredoc, "print(1)\n", src);
    }
  });

  it("attaches `python - <<'EOF'` bodies to python, also after `cd x &&` and before `&& pytest`", () => {
    const [cd, py, pytest] = parseShell(
      "cd /testbed && python - <<'EOF' && python -m pytest -q\nfrom pathlib import Path\nEOF",
    );
    assert.equal(cd.name, "cd");
    // (tree-sitter-bash drops the lone `-` right before `<<`; either way the body is python's program)
    assert.deepEqual([py.name, py.heredoc], ["python", "from pathlib import Path\n"]);
    assert.deepEqual([pytest.name, pytest.heredoc], ["python", undefined]);
  });

  it("passes a heredoc fed to `cat` through a pipe to the next command", () => {
    const [cat, py] = parseShell("cat <<EOF | python\nprint(2)\nEOF");
    assert.equal(cat.heredoc, "print(2)\n");
    assert.deepEqual([py.name, py.heredoc], ["python", "print(2)\n"]);
    // but not a heredoc fed to python on to what python pipes into
    const [, tail] = parseShell("python - <<EOF | tail -3\nprint(3)\nEOF");
    assert.equal(tail.heredoc, undefined);
  });

  it("treats a here-string as the command's input", () => {
    assert.equal(only("python3 <<< 'print(1)'").heredoc, "print(1)");
  });
});

describe("parseShell: the fast path agrees with tree-sitter", () => {
  it("leaves compound statements and `bash -c` to tree-sitter", () => {
    assert.deepEqual(words("if true; then ls; fi"), [["true"], ["ls"]]);
    assert.deepEqual(words("for x in a b; do echo x; done"), [["echo", "x"]]);
    assert.deepEqual(words("bash -c 'ls src'"), [["ls", "src"]]);
  });

  it("agrees on every plain command line in the shared data", {
    skip: !HAS_SHARED && "shared data not present",
  }, async () => {
    const { trajectories } = await collect([SHARED]);
    const plain = /^[^$`()<>\\\n\r#{}!]*$/;
    let n = 0;
    const differ: string[] = [];
    for (const t of trajectories as Trajectory[]) {
      for (const s of t.steps) {
        if (s.tool !== "bash" && s.tool !== "execute_bash") continue;
        const src = s.action.trim();
        if (!plain.test(src)) continue;
        n++;
        if (JSON.stringify(parseShell(src)) !== JSON.stringify(parseShellFull(src))) differ.push(src);
      }
    }
    assert.ok(n > 1000, `only ${n} plain lines`);
    assert.deepEqual(differ, []);
  });
});

describe("parseShell: the script fast path (redirects, heredocs, lines) agrees with tree-sitter", () => {
  // the cases both parsers must read alike; each fails when the fast path declines it
  const taken = [
    "ls -la",
    "cd /testbed && python -m pytest tests/test_a.py -x -q",
    "python reproduce.py || echo failed",
    "grep -rn 'def foo' src | head -20",
    'find . -name "*.py" -not -path "./.git/*" | sort',
    "FOO=1 BAR=two python x.py",
    `git diff --stat; git status --short`,
    `echo "a b" 'c d' e"f g"h`,
    "sleep 1 & echo started",
    "pip install -e . -q && pytest",
    "./tests/runtests.py aggregation.test_distinct_case",
    "bin/test sympy/sets/tests/test_contains.py",
    `sed -i 's/a/b/' x.py`,
    `python -c "print(1)"`,
    "cd /testbed && cat > repro.py << 'EOF'\nimport sys\n\nprint(sys.argv)\nEOF\npython repro.py",
    "cat <<'EOF' > /tmp/t.py\nx = 1\nEOF\n\npython /tmp/t.py 2>&1 | tail -20",
    "python - <<'PY'\nprint(1)\nPY",
    "python3 - << 'EOF' 2>&1\nimport a\nEOF",
    "cat > f.txt <<EOF\nplain text\nEOF",
    "cat > f.py << 'EOF'\n\n\n    indented()\n'\\' \"$x\" `y` $(z)\nEOF  ",
    'cat >> log <<"END"\nline\nEND',
    "cat > t.txt <<'EOF'\nthe EOF marker, and EOF again\n  not EOF\nEOF\nls", // the delimiter inside lines
    "python x.py > out.txt 2>&1",
    "ls missing 2>/dev/null | head -5; echo done",
    "python run.py &> log && cat log",
    "echo a >> f; cat < f",
    "cd /testbed && echo 'select 1;' | sqlfluff lint - 2>&1 | head -5",
    "ls\n\npython x.py  # try it\n# note 'quoted\ngit diff",
    'grep -rn "a\\|b" src "x\\"y" --include="*.py"',
    'python -c "import x; print(x.f(1))" && echo ok',
    "X=1 Y='a b' pytest -q tests/test_a.py::test_b > /tmp/r.txt",
    "find . -name '*.py' -exec grep -l x {} \\; 2>/dev/null",
    'cd /testbed && find src -type f -exec grep -l "a\\|b" {} \\; | head -5',
    "find . -name '*.pyc' -exec rm {} + -print",
    "cd /testbed && PYTHONPATH=src:$PYTHONPATH python -m pytest tests/test_a.py -x 2>&1 | tail -20",
    'echo $JAVA_HOME "${HOME}/x" a${B}c "\\$PATH" > /tmp/v.txt',
  ];
  for (const src of taken) {
    it(JSON.stringify(src), () => {
      assert.ok(parseShellFast(src), "the fast path takes it");
      assert.deepEqual(parseShell(src), parseShellFull(src));
    });
  }

  it("leaves expansions, odd heredocs and tree-sitter's odd readings to tree-sitter", () => {
    for (const src of [
      "echo $(ls) > f",
      "echo $1 $@", // positional and special parameters
      'echo "${x:-y}"',
      "echo $((1+2))",
      'echo "a$"',
      "cat > f <<EOF\nx\n  EOF\nEOF", // tree-sitter ends the body at an indented delimiter
      "cat > f <<EOF\nx\nEOFX\nEOF",
      "cat > f <<EOF\nx\r\nEOF\r\nls", // a carriage return ends the delimiter's line
      "cat > f <<EOF\n$HOME\nEOF", // an unquoted heredoc that expands
      "cat <<EOF | python\nprint(1)\nEOF",
      "cat > f <<EOF\nx", // no end
      "cat > f <<-EOF\n\tx\nEOF",
      "echo a > f b", // a word after a redirect
      "x 0>f",
      "ls >1",
      "echo 'a\nb' | x\nls", // a quoted newline, then a line break
      "ls &&\nls",
      'export A="b c" > f',
      "ls; {} x", // `{}` and `\;` as command words
      "ls && \\; x",
      "A=1 find . -exec x {} \\;",
      "bash -c 'ls' > f",
    ]) {
      assert.equal(parseShellFast(src), null, src);
      assert.deepEqual(parseShell(src), parseShellFull(src), src);
    }
  });

  it("agrees on every command line in the shared data, and takes most of those with redirects or heredocs", {
    skip: !HAS_SHARED && "shared data not present",
  }, async () => {
    const { trajectories } = await collect([SHARED]);
    const plain = /^[^$`()<>\\\n\r#{}!]*$/;
    let scripts = 0;
    let fast = 0;
    const differ: string[] = [];
    for (const t of trajectories as Trajectory[]) {
      for (const s of t.steps) {
        if (s.tool !== "bash" && s.tool !== "execute_bash") continue;
        const src = s.action.trim();
        if (plain.test(src)) continue;
        scripts++;
        const cmds = parseShellFast(src);
        if (!cmds) continue;
        fast++;
        if (JSON.stringify(cmds) !== JSON.stringify(parseShellFull(src))) differ.push(src);
      }
    }
    assert.ok(scripts > 1000 && fast > 0.8 * scripts, `${fast} of ${scripts} scripts taken`);
    assert.deepEqual(differ, []);
  });
});

describe("commandEffect: reading and searching", () => {
  it("cat / head / tail / nl / sed -n view files; option values are not files", () => {
    assert.deepEqual(effect("cat -n django/db/models/query.py").read, ["django/db/models/query.py"]);
    assert.deepEqual(effect("head -n 50 setup.py").read, ["setup.py"]);
    assert.deepEqual(effect("tail -n +20 -c 100 a.log").read, ["a.log"]);
    assert.deepEqual(effect("sed -n '240,260p' astropy/modeling/separable.py").read, ["astropy/modeling/separable.py"]);
    assert.deepEqual(effect("sed -n -e '1,5p' a.py b.py").read, ["a.py", "b.py"]);
    assert.deepEqual(effect("sed -ne '1,5p' a.py").read, ["a.py"]);
    assert.deepEqual(effect("cat a.py").kinds, ["view"]);
  });

  it("grep into named files reads them; a pattern, a recursive directory or a glob does not", () => {
    assert.deepEqual(effect('grep -n "def __eq__" django/db/models/fields/__init__.py').read, [
      "django/db/models/fields/__init__.py",
    ]);
    assert.deepEqual(effect('grep -rn "_golden_sect" ./pvlib --include="*.py"').read, []);
    assert.deepEqual(effect('grep -A 3 -B 2 "x" a.py').read, ["a.py"]);
    assert.deepEqual(effect('grep -e "x" -e "y" a.py b.py').read, ["a.py", "b.py"]);
    assert.deepEqual(effect('grep -nC 5 "def get_formsets" django/contrib/admin/options.py').read, [
      "django/contrib/admin/options.py",
    ]);
    assert.deepEqual(effect('rg "foo" src/').read, []);
    assert.deepEqual(effect("cat setup.py | grep version").read, ["setup.py"]);
    assert.deepEqual(effect('find . -name "*.py"').kinds, ["search"]);
  });

  it("ls / pwd / echo / which / test are navigation", () => {
    for (const src of ["ls -la", "pwd", "echo hi", "which python", "[ -f x ]", "tree -L 2"])
      assert.deepEqual(effect(src).kinds, ["navigate"], src);
  });
});

describe("commandEffect: editing, creating, deleting", () => {
  it("redirecting output into a file writes it", () => {
    assert.deepEqual(effect("echo 'x = 1' > config.py"), {
      kinds: ["edit"],
      read: [],
      written: ["config.py"],
      deleted: [],
    });
    assert.deepEqual(effect("cat a.py b.py > c.py").written, ["c.py"]);
    assert.deepEqual(effect("git diff > patch.txt").written, ["patch.txt"]);
    assert.deepEqual(effect("python x.py > /dev/null 2>&1").written, []);
  });

  it("`cat > f <<EOF` is an edit of f that remembers the text written", () => {
    const [c] = parseShell("cat > reproduce.py <<'EOF'\nprint('bug')\nEOF");
    const e = commandEffect(c);
    assert.deepEqual(
      [e.kinds, e.written, e.content],
      [["edit"], ["reproduce.py"], { path: "reproduce.py", text: "print('bug')\n" }],
    );
  });

  it("sed -i / perl -pi edit in place; plain sed only reads", () => {
    assert.deepEqual(effect("sed -i 's/a/b/' x.py y.py"), {
      kinds: ["edit"],
      read: [],
      written: ["x.py", "y.py"],
      deleted: [],
    });
    assert.deepEqual(effect("sed -i.bak -e 's/a/b/' -e 's/c/d/' x.py").written, ["x.py"]);
    assert.deepEqual(effect("sed -i '/def minversion/i \\\\\\nx' astropy/utils/introspection.py").written, [
      "astropy/utils/introspection.py",
    ]);
    assert.deepEqual(effect("perl -pi -e 's/foo/bar/' lib/a.pl").written, ["lib/a.pl"]);
    assert.deepEqual(effect("sed 's/a/b/' x.py").kinds, ["view"]);
  });

  it("tee, touch, cp, mv, patch", () => {
    assert.deepEqual(effect("tee -a out.log").written, ["out.log"]);
    assert.deepEqual(effect("touch new_module.py"), {
      kinds: ["create"],
      read: [],
      written: ["new_module.py"],
      deleted: [],
    });
    assert.deepEqual(effect("cp pvlib/tools.py pvlib/tools.py.backup"), {
      kinds: ["edit"],
      read: ["pvlib/tools.py"],
      written: ["pvlib/tools.py.backup"],
      deleted: [],
    });
    assert.deepEqual(effect("mv a.py b.py"), { kinds: ["edit"], read: [], written: ["b.py"], deleted: ["a.py"] });
    assert.deepEqual(effect("patch -p1 < fix.diff"), { kinds: ["edit"], read: ["fix.diff"], written: [], deleted: [] });
  });

  it("rm deletes; rm -rf of system folders, the checkout or .git is destructive", () => {
    assert.deepEqual(effect("rm reproduce.py test_fix.py"), {
      kinds: ["delete"],
      read: [],
      written: [],
      deleted: ["reproduce.py", "test_fix.py"],
    });
    assert.equal(effect("rm -rf build/").destructive, undefined);
    assert.equal(effect("rm -f test.db").destructive, undefined);
    for (const src of ["rm -rf /", "rm -rf .", "rm -rf /usr/lib/python3", "rm -rf .git", "sudo rm -rf /etc/apt"])
      assert.ok(effect(src).destructive, src);
    assert.deepEqual(effect('find . -name "*.pyc" -delete').kinds, ["search", "delete"]);
  });
});

describe("commandEffect: python", () => {
  it("`python script.py` runs the script and reads it", () => {
    assert.deepEqual(effect("python reproduce.py"), {
      kinds: ["run"],
      read: ["reproduce.py"],
      written: [],
      deleted: [],
      script: "reproduce.py",
    });
    assert.equal(effect("python3 -W ignore -u reproduce_issue.py arg").script, "reproduce_issue.py");
    assert.equal(effect("timeout 60 python reproduce.py").script, "reproduce.py");
  });

  it("`python -c` and heredocs are runs; writing source files makes them edits too", () => {
    assert.deepEqual(effect(`python -c "from x import y; print(y())"`), {
      kinds: ["run"],
      read: [],
      written: [],
      deleted: [],
      script: "-c",
    });
    const fix = effect(
      `python - <<'EOF'\nfrom pathlib import Path\npath = Path("pagerlite/paginator.py")\nsrc = path.read_text()\npath.write_text(src.replace("a", "b"))\nEOF`,
    );
    assert.deepEqual([fix.kinds, fix.written], [["edit"], ["pagerlite/paginator.py"]]);
    const fixAndCheck = effect(
      `python3 -c "\nwith open('a.py') as f: s = f.read()\nopen('a.py', 'w').write(s)\nprint('done')"`,
    );
    assert.deepEqual([fixAndCheck.kinds, fixAndCheck.written, fixAndCheck.script], [["edit", "run"], ["a.py"], "-c"]);
    // writing only data (a QDP table) is part of a run
    assert.deepEqual(effect(`python -c "open('t.qdp', 'w').write('x')"`).kinds, ["run"]);
  });

  it("inline programs that run tests themselves are test runs", () => {
    const e = effect(
      `python -c "import unittest; suite = unittest.TestLoader().loadTestsFromName('t'); unittest.TextTestRunner().run(suite)"`,
    );
    assert.deepEqual([e.kinds, e.test], [["run", "test"], { framework: "unittest", targets: [] }]);
  });

  it("setup.py: install/develop change the environment, build_ext only builds", () => {
    assert.deepEqual(effect("python setup.py develop").kinds, ["install"]);
    assert.deepEqual(effect("python setup.py build_ext --inplace"), {
      kinds: ["run"],
      read: [],
      written: [],
      deleted: [],
    });
  });

  it('pythonFiles follows string literals and simple `name = "path"` bindings', () => {
    assert.deepEqual(
      pythonFiles(
        `path = "django/contrib/auth/backends.py"\nwith open(path, "r") as f:\n    s = f.read()\nwith open(path, "w") as f:\n    f.write(s)`,
      ),
      {
        read: [],
        written: ["django/contrib/auth/backends.py"],
        deleted: [],
      },
    );
    assert.deepEqual(
      pythonFiles(
        `with open("a.py") as f: pass\nopen("b.txt", mode="w")\nos.remove("c.py")\nshutil.copy("d.py", "e.py")\np = Path("q.py")\np.open("w")`,
      ),
      {
        read: ["a.py", "d.py"],
        written: ["b.txt", "q.py", "e.py"],
        deleted: ["c.py"],
      },
    );
    assert.deepEqual(pythonFiles(`f = open(f"{name}.py", "w")`), { read: [], written: [], deleted: [] });
  });
});

describe("commandEffect: tests", () => {
  const cases: [string, string, string[]][] = [
    ["pytest -x tests/test_a.py::TestA::test_b", "pytest", ["tests/test_a.py::TestA::test_b"]],
    [
      "python -m pytest -k 'datetime or date' -p no:cacheprovider tests/test_fields.py",
      "pytest",
      ["tests/test_fields.py"],
    ],
    [
      "python3 -m pytest -c /dev/null -W ignore --tb=short astropy/units/tests/test_quantity.py",
      "pytest",
      ["astropy/units/tests/test_quantity.py"],
    ],
    ["py.test testing/python/fixtures.py", "pytest", ["testing/python/fixtures.py"]],
    ["python -m unittest tests.test_a -v", "unittest", ["tests.test_a"]],
    ["python -m unittest discover -s tests -p 'test_*.py'", "unittest", ["tests"]],
    ["python tests/runtests.py --settings=test_sqlite --parallel 1 -v 2 admin_views", "django", ["admin_views"]],
    ["./tests/runtests.py aggregation.test_distinct_case", "django", ["aggregation.test_distinct_case"]],
    ["python3 ./tests/runtests.py auth_tests.test_validators", "django", ["auth_tests.test_validators"]],
    ["python manage.py test polls", "django", ["polls"]],
    ["python -m django test utils_tests --settings=x", "django", ["utils_tests"]],
    ["bin/test sympy/sets/tests/test_contains.py", "sympy", ["sympy/sets/tests/test_contains.py"]],
    ["./bin/test -k test_x sympy/core", "sympy", ["sympy/core"]],
    ["python bin/test sympy/printing/tests/test_ccode.py", "sympy", ["sympy/printing/tests/test_ccode.py"]],
    ["mvn test", "maven", []],
    [
      "mvn -q test -Dtest=com.fasterxml.jackson.databind.node.CustomJsonNodeTest",
      "maven",
      ["com.fasterxml.jackson.databind.node.CustomJsonNodeTest"],
    ],
    ["./mvnw -pl core test", "maven", []],
    [
      "./gradlew test --tests com.fasterxml.jackson.databind.node.CustomJsonNodeTest",
      "gradle",
      ["com.fasterxml.jackson.databind.node.CustomJsonNodeTest"],
    ],
    ["tox -e py39", "tox", []],
    ["go test ./pkg/... -run TestParse", "go", ["./pkg/...", "TestParse"]],
    ["cargo test parser", "cargo", ["parser"]],
    ["npm test", "npm", []],
    ["npx jest src/a.test.ts", "jest", ["src/a.test.ts"]],
    ["uv run pytest tests", "pytest", ["tests"]],
    ["make test", "make", []],
    ["python tests/test_regression.py", "script", ["tests/test_regression.py"]],
  ];
  for (const [src, framework, targets] of cases) {
    it(src, () => {
      const e = effect(src);
      assert.ok(e.kinds.includes("test"), `kinds ${e.kinds}`);
      assert.deepEqual(e.test, { framework, targets });
    });
  }

  it("other build commands are runs, not tests", () => {
    assert.deepEqual(effect("mvn compile").kinds, ["run"]);
    assert.deepEqual(effect("./gradlew build -x test").kinds, ["run"]);
    assert.equal(
      effect('mvn compile exec:java -Dexec.mainClass="ReproduceIssue"').script,
      "mvn compile exec:java -Dexec.mainClass=ReproduceIssue",
    );
    assert.deepEqual(effect("python reproduce_test_issue.py").kinds, ["run"]);
  });
});

describe("commandEffect: running programs", () => {
  it("runs a script by path, with the shell, or a compiler on a source file", () => {
    assert.deepEqual(effect("./run_test.sh"), {
      kinds: ["run"],
      read: ["./run_test.sh"],
      written: [],
      deleted: [],
      script: "./run_test.sh",
    });
    assert.deepEqual(effect("bash run.sh").read, ["run.sh"]);
    assert.deepEqual(effect("javac Repro.java && java Repro").read, ["Repro.java"]);
    assert.deepEqual(effect("sqlfluff fix test.sql --dialect ansi").kinds, ["run"]);
    assert.deepEqual(effect("sphinx-build -b html docs docs/_build").kinds, ["run"]);
  });

  it("unknown commands are other", () => {
    assert.deepEqual(effect("ifconfig").kinds, ["other"]);
    assert.deepEqual(effect("DISCUSSION").kinds, ["other"]);
  });
});

describe("commandEffect: git", () => {
  it("diff / status / log / show / add / commit are git", () => {
    for (const src of [
      "git diff",
      "git diff HEAD -- a.py",
      "git status --short",
      "git log --oneline -5",
      "git add -A",
      "git commit -m x",
      "git -C /testbed status",
      "git stash list",
      "git branch -a",
    ]) {
      assert.deepEqual(effect(src).kinds, ["git"], src);
      assert.equal(effect(src).destructive, undefined, src);
    }
    assert.deepEqual(effect("git show HEAD:src/a.py").read, ["src/a.py"]);
  });

  it("discarding changes is a destructive revert: checkout of files, restore, reset --hard, clean -f, stash", () => {
    for (const src of [
      "git checkout -- a.py",
      "git checkout .",
      "git checkout astropy/units/quantity.py",
      "git checkout HEAD~1 -- src/marshmallow/fields.py",
      "git checkout ./django/contrib/admin/helpers.py",
      "git restore a.py",
      "git reset --hard HEAD",
      "git clean -fd",
      "git stash",
      "git stash push -m x",
    ]) {
      const e = effect(src);
      assert.deepEqual(e.kinds, ["revert"], src);
      assert.ok(e.destructive, src);
    }
    assert.deepEqual(
      [effect("git reset HEAD~1").kinds, effect("git reset HEAD~1").destructive],
      [["revert"], undefined],
    );
  });

  it("switching branches and unstaging are not reverts", () => {
    assert.deepEqual(effect("git checkout -b fix").kinds, ["git"]);
    assert.deepEqual(effect("git checkout main").kinds, ["git"]);
    assert.deepEqual(effect("git restore --staged a.py").kinds, ["git"]);
    assert.deepEqual(effect("git stash pop").kinds, ["git"]);
  });

  it("apply / rm / mv / grep", () => {
    assert.deepEqual(effect("git apply fix.patch"), { kinds: ["edit"], read: ["fix.patch"], written: [], deleted: [] });
    assert.deepEqual(effect("git rm old.py").deleted, ["old.py"]);
    assert.deepEqual(effect("git mv a.py b.py"), { kinds: ["edit"], read: [], written: ["b.py"], deleted: ["a.py"] });
    assert.deepEqual(effect("git grep -n foo").kinds, ["search"]);
  });
});

describe("commandEffect: environment, installs, navigation, submission", () => {
  it("package installs", () => {
    for (const src of [
      "pip install -e .",
      "pip3 install pytest -q",
      "python -m pip install numpy",
      "apt-get install -y maven",
      "sudo apt-get update",
      "conda install scipy",
      "npm install",
      "uv pip install x",
      "dpkg -i default-jdk",
      "sudo snap install maven",
    ]) {
      const e = effect(src);
      assert.deepEqual(e.kinds, ["install"], src);
      assert.ok(e.env, src);
    }
    assert.deepEqual(effect("pip list").kinds, ["navigate"]);
    assert.deepEqual(effect("pip show django").kinds, ["navigate"]);
  });

  it("export / source / chmod / unset change the environment", () => {
    assert.deepEqual(effect("export PYTHONPATH=/testbed"), {
      kinds: ["env"],
      read: [],
      written: [],
      deleted: [],
      env: "export PYTHONPATH=/testbed",
    });
    assert.deepEqual(effect("source venv/bin/activate").kinds, ["env"]);
    assert.deepEqual(effect("chmod +x run.sh && ./run.sh").kinds, ["env", "run"]);
  });

  it("cd reports where it goes; home, `-` and expansions cannot be known", () => {
    assert.equal(effect("cd /testbed/src").cd, "/testbed/src");
    assert.equal(effect("cd ..").cd, "..");
    for (const src of ["cd", "cd -", "cd ~/x", 'cd "$(dirname "$0")"', "cd $HOME"])
      assert.equal(effect(src).cd, "", src);
  });

  it("mini-swe-agent's submission command", () => {
    assert.deepEqual(effect("echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached").kinds, [
      "submit",
      "git",
    ]);
    assert.deepEqual(effect("echo MINI_SWE_AGENT_FINAL_OUTPUT").kinds, ["submit"]);
  });

  it("positional skips options and the values of options that take one", () => {
    assert.deepEqual(positional(["-n", "5", "-v", "a", "--", "-b"], new Set(["-n"])), ["a", "-b"]);
    assert.deepEqual(positional(["-", "x"]), ["-", "x"]);
  });
});
