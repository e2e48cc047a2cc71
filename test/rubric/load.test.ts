import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHECKS } from "../../src/checks/index.js";
import { RubricError, builtinRubricIds, loadRubric, parseRubric, rubricHash } from "../../src/rubric/load.js";

const GOOD = `id: mine
version: 2
criteria:
  - id: verifies
    title: Verifies
    question: Did it verify?
    polarity: encourage
    weight: 2
    kind: check
    check: verifies_after_last_edit
  - id: loops
    title: Loops
    question: Does it loop?
    polarity: discourage
    weight: 1
    kind: check
    check: repeats_actions
    params: { consecutive: 4 }
`;

function problems(text: string): RubricError["problems"] {
  try {
    parseRubric(text, "r.yaml");
  } catch (e) {
    assert.ok(e instanceof RubricError, String(e));
    return e.problems;
  }
  assert.fail("expected a RubricError");
}

describe("rubric loading", () => {
  it("loads a valid rubric, fills defaults and check params, and hashes it", () => {
    const r = parseRubric(GOOD, "r.yaml");
    assert.equal(r.version, "2");
    assert.equal(r.criteria[0].severity, "major");
    assert.deepEqual(r.criteria[1].params, { consecutive: 4, same_result: 3, window: 10 });
    assert.equal(r.hash, rubricHash(r));
    assert.notEqual(parseRubric(GOOD.replace("weight: 2", "weight: 3"), "r.yaml").hash, r.hash);
    assert.equal(
      parseRubric(GOOD + "\n# a comment\n", "other.yaml").hash,
      r.hash,
      "the hash depends on content, not formatting or file name",
    );
  });

  it("the built-in swe-default rubric loads and uses every check", () => {
    assert.ok(builtinRubricIds().includes("swe-default"));
    const r = loadRubric("swe-default");
    const checks = new Set(r.criteria.filter((c) => c.kind === "check").map((c) => c.check));
    assert.equal(checks.size, 15);
    assert.ok(r.criteria.some((c) => c.kind === "judge"));
    assert.ok(r.criteria.every((c) => c.why && c.question.endsWith("?")));
  });

  it("reports a weight that is not a number with line and column", () => {
    const [p] = problems(GOOD.replace("weight: 2", "weight: heavy"));
    assert.equal(p.line, 8);
    assert.equal(p.col, 13);
    assert.match(p.path, /criteria\[0\] \(verifies\)\.weight/);
    assert.match(p.message, /expected number, got string/);
  });

  it("lists the allowed values of an enum", () => {
    const [p] = problems(GOOD.replace("polarity: encourage", "polarity: reward"));
    assert.equal(p.line, 7);
    assert.match(p.message, /expected one of "encourage", "discourage"/);
  });

  it("rejects unknown checks, naming the known ones", () => {
    const [p] = problems(GOOD.replace("check: repeats_actions", "check: does_magic"));
    assert.equal(p.line, 17);
    assert.match(p.message, /unknown check 'does_magic'; known checks: .*repeats_actions/);
  });

  it("rejects bad check parameters", () => {
    const [p] = problems(GOOD.replace("consecutive: 4", "consecutive: many"));
    assert.equal(p.path, "criteria[1] (loops).params.consecutive");
    assert.equal(`${p.line}:${p.col}`, "18:28");
    assert.match(p.message, /^expected number/);
    const [q] = problems(GOOD.replace("consecutive: 4", "consecutiv: 4"));
    assert.match(q.message, /unknown field 'consecutiv'/);
  });

  it("rejects duplicate criterion ids and unknown fields", () => {
    const dup = problems(GOOD.replace("id: loops", "id: verifies"));
    assert.match(dup[0].message, /duplicate criterion id 'verifies' \(first at criteria\[0\]\)/);
    assert.equal(dup[0].line, 11);
    const unk = problems(
      GOOD.replace("    kind: check\n    check: verifies", "    kind: check\n    colour: blue\n    check: verifies"),
    );
    assert.match(unk[0].message, /unknown field 'colour'/);
    assert.equal(unk[0].line, 10);
  });

  it("reports every problem in one run, each at its own line and column, with the names meant", () => {
    const text = `id: mine
version: 2
criteria:
  - id: verifies
    title: Verifies
    polarity: encourage
    weight: heavy
    kind: check
    check: verifies_after_last_edt
  - id: loops
    title: Loops
    question: Does it loop?
    polarity: discourage
    weight: 1
    kind: check
    check: repeats_actions
    params:
      consecutive: many
      windw: 4
  - id: verifies
    title: Again
    question: Again?
    polarity: encourage
    wieght: 1
    kind: check
    check: does_magic
`;
    const got = problems(text).map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    assert.deepEqual(got, [
      "4:5 criteria[0] (verifies): missing required field 'question' (string)",
      "7:13 criteria[0] (verifies).weight: expected number, got string",
      "9:12 criteria[0] (verifies).check: unknown check 'verifies_after_last_edt'; did you mean 'verifies_after_last_edit'? (all checks: rubricate rubric show swe-default)",
      "18:20 criteria[1] (loops).params.consecutive: expected number, got string",
      "19:7 criteria[1] (loops).params.windw: unknown field 'windw'; did you mean 'window'?",
      "20:5 criteria[2] (verifies): missing required field 'weight' (number)",
      "20:9 criteria[2] (verifies).id: duplicate criterion id 'verifies' (first at criteria[0])",
      "24:5 criteria[2] (verifies).wieght: unknown field 'wieght'; did you mean 'weight'?",
      "26:12 criteria[2] (verifies).check: unknown check 'does_magic'; known checks: " +
        [...CHECKS.keys()].sort().join(", "),
    ]);
  });

  it("reports YAML syntax errors with position", () => {
    const [p] = problems("id: x\ncriteria: [\n  - a: b\n");
    assert.match(p.message, /^YAML:/);
    assert.ok(p.line >= 2);
  });

  it("names a missing built-in or file", () => {
    assert.throws(() => loadRubric("nope"), /no built-in rubric 'nope' \(built-in: swe-default\)/);
    assert.throws(() => loadRubric("missing/file.yaml"), /missing\/file\.yaml:0:0: no such file/);
  });

  it("a judge criterion may not name a check", () => {
    const [p] = problems(
      GOOD.replace(
        "    kind: check\n    check: verifies_after_last_edit",
        "    kind: judge\n    check: verifies_after_last_edit",
      ),
    );
    assert.match(p.message, /'check' is only for kind: check/);
  });
});
