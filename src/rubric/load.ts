/**
 * Loading rubrics: YAML parsed with positions, validated against the schema
 * and against the check registry (names and parameters), every problem
 * reported with file, line and column before any work starts.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHECKS } from "../checks/index.js";
import { closest } from "../io/suggest.js";
import { locate, type Located, type Problem } from "../io/yamlzod.js";
import { RubricSchema, type Rubric } from "./schema.js";

export class RubricError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}:${p.col}: ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n"));
    this.name = "RubricError";
  }
}

/** Folder of the rubrics that ship with the package. */
export const BUILTIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "rubrics");

export function builtinRubricIds(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((n) => n.endsWith(".yaml"))
    .map((n) => n.replace(/\.yaml$/, ""))
    .sort();
}

/** Load a rubric by built-in id or file path. */
export function loadRubric(idOrPath: string): Rubric {
  const builtin = join(BUILTIN_DIR, `${idOrPath}.yaml`);
  if (!idOrPath.includes("/") && !idOrPath.endsWith(".yaml") && !idOrPath.endsWith(".yml")) {
    if (!existsSync(builtin)) {
      throw new RubricError(idOrPath, [
        {
          line: 0,
          col: 0,
          path: "",
          message: `no built-in rubric '${idOrPath}' (built-in: ${builtinRubricIds().join(", ")}); give a path to a .yaml file for your own`,
        },
      ]);
    }
    return parseRubric(readFileSync(builtin, "utf8"), `builtin:${idOrPath}`);
  }
  if (!existsSync(idOrPath)) throw new RubricError(idOrPath, [{ line: 0, col: 0, path: "", message: "no such file" }]);
  return parseRubric(readFileSync(idOrPath, "utf8"), idOrPath);
}

/** Parse and validate rubric YAML text; `file` names it in errors, which list every problem at once. */
export function parseRubric(text: string, file: string): Rubric {
  const located = locate(text);
  if (Array.isArray(located)) throw new RubricError(file, located);
  const r = RubricSchema.safeParse(located.raw);
  const problems: Problem[] = r.success ? [] : located.problems(r.error.issues, RubricSchema);
  const criteria = located.value(["criteria"]);
  const params = new Map<number, Record<string, unknown>>();
  if (Array.isArray(criteria)) {
    const seen = new Map<string, number>();
    criteria.forEach((c: unknown, i) => {
      if (!c || typeof c !== "object" || Array.isArray(c)) return;
      const p = criterionProblems(c as Record<string, unknown>, i, seen, located);
      problems.push(...p.problems);
      if (p.params) params.set(i, p.params);
    });
  }
  if (problems.length || !r.success) {
    problems.sort((a, b) => a.line - b.line || a.col - b.col);
    throw new RubricError(file, problems);
  }
  const rubric = r.data;
  for (const [i, p] of params) rubric.criteria[i].params = p;
  return { ...rubric, hash: rubricHash(rubric), origin: file };
}

/** What the schema cannot see: duplicate ids, check names and each check's parameters. */
function criterionProblems(
  c: Record<string, unknown>,
  i: number,
  seen: Map<string, number>,
  located: Located,
): { problems: Problem[]; params?: Record<string, unknown> } {
  const problems: Problem[] = [];
  const at = (field: string, message: string) => {
    const { line, col } = located.at(["criteria", i, field]);
    problems.push({ line, col, path: located.pathText(["criteria", i, field]), message });
  };
  if (typeof c.id === "string") {
    if (seen.has(c.id)) at("id", `duplicate criterion id '${c.id}' (first at criteria[${seen.get(c.id)}])`);
    else seen.set(c.id, i);
  }
  if (c.kind !== "check") {
    if (c.check !== undefined && typeof c.kind === "string")
      at("check", `'check' is only for kind: check (this criterion is kind: ${c.kind})`);
    if (c.params !== undefined && c.kind === "outcome") at("params", "an outcome criterion takes no params");
    return { problems };
  }
  if (c.check === undefined) {
    at("kind", "a 'check' criterion needs a 'check' field naming the check");
    return { problems };
  }
  if (typeof c.check !== "string") return { problems }; // the schema reports its type
  const known = [...CHECKS.keys()].sort();
  const def = CHECKS.get(c.check);
  if (!def) {
    const near = closest(c.check, known);
    at(
      "check",
      near.length
        ? `unknown check '${c.check}'; did you mean ${near.map((n) => `'${n}'`).join(" or ")}? (all checks: rubricate rubric show swe-default)`
        : `unknown check '${c.check}'; known checks: ${known.join(", ")}`,
    );
    return { problems };
  }
  if (c.params !== undefined && (typeof c.params !== "object" || c.params === null || Array.isArray(c.params)))
    return { problems }; // the schema reports its type
  const p = def.params.safeParse(c.params ?? {});
  if (!p.success) {
    problems.push(...located.problems(p.error.issues, def.params, ["criteria", i, "params"]));
    return { problems };
  }
  return { problems, params: p.data as Record<string, unknown> };
}

/** sha256 of the rubric's canonical JSON (sorted keys), first 16 hex digits. */
export function rubricHash(rubric: object): string {
  return createHash("sha256").update(canonicalJson(rubric)).digest("hex").slice(0, 16);
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined && k !== "hash" && k !== "origin")
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
