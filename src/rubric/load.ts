/**
 * Loading rubrics: YAML parsed with positions, validated against the schema
 * and against the check registry (names and parameters), every problem
 * reported with file, line and column before any work starts.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from "yaml";
import { CHECKS } from "../checks/index.js";
import { RubricSchema, type Rubric } from "./schema.js";

export class RubricError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; col: number; path: string; message: string }[],
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

/** Parse and validate rubric YAML text; `file` names it in errors. */
export function parseRubric(text: string, file: string): Rubric {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    throw new RubricError(
      file,
      doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { line: pos.line, col: pos.col, path: "", message: `YAML: ${e.message.split("\n")[0]}` };
      }),
    );
  }
  const raw = doc.toJS();
  const where = (path: (string | number)[], key?: string) => position(doc, lc, path, key);
  const r = RubricSchema.safeParse(raw);
  if (!r.success) {
    throw new RubricError(
      file,
      r.error.issues.map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== "symbol");
        const key = i.code === "unrecognized_keys" ? i.keys[0] : undefined;
        const { line, col } = where(path, key);
        return { line, col, path: pathText(path, raw), message: describeIssue(i) };
      }),
    );
  }
  const rubric = r.data;
  const problems: RubricError["problems"] = [];
  const seen = new Map<string, number>();
  rubric.criteria.forEach((c, i) => {
    const at = (field: string, message: string) => {
      const { line, col } = where(["criteria", i, field]);
      problems.push({ line, col, path: `criteria[${i}] (${c.id}).${field}`, message });
    };
    if (seen.has(c.id)) at("id", `duplicate criterion id '${c.id}' (first at criteria[${seen.get(c.id)}])`);
    else seen.set(c.id, i);
    if (c.kind === "check") {
      if (!c.check) return at("kind", "a 'check' criterion needs a 'check' field naming the check");
      const def = CHECKS.get(c.check);
      if (!def) return at("check", `unknown check '${c.check}'; known checks: ${[...CHECKS.keys()].sort().join(", ")}`);
      const p = def.params.safeParse(c.params ?? {});
      if (!p.success)
        for (const issue of p.error.issues)
          at("params", `${issue.path.join(".") || "(params)"}: ${describeIssue(issue)}`);
      else c.params = p.data as Record<string, unknown>;
    } else {
      if (c.check !== undefined) at("check", `'check' is only for kind: check (this criterion is kind: ${c.kind})`);
      if (c.params !== undefined && c.kind === "outcome") at("params", "an outcome criterion takes no params");
    }
  });
  if (problems.length) throw new RubricError(file, problems);
  return { ...rubric, hash: rubricHash(rubric), origin: file };
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

function describeIssue(i: {
  code: string;
  message: string;
  values?: unknown[];
  expected?: unknown;
  keys?: string[];
}): string {
  if (i.code === "invalid_value" && i.values)
    return `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (i.code === "unrecognized_keys" && i.keys)
    return `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k}'`).join(", ")}`;
  if (i.code === "invalid_type")
    return `expected ${String(i.expected)}${/received (\w+)/.exec(i.message) ? `, got ${/received (\w+)/.exec(i.message)![1]}` : ""}`;
  return i.message;
}

function pathText(path: (string | number)[], raw: unknown): string {
  let out = "";
  let node = raw as Record<string, unknown> | unknown[] | undefined;
  for (const p of path) {
    if (typeof p === "number") {
      const item = Array.isArray(node) ? (node[p] as Record<string, unknown> | undefined) : undefined;
      out += `[${p}]${item && typeof item === "object" && typeof item.id === "string" ? ` (${item.id})` : ""}`;
    } else out += out ? `.${p}` : p;
    node =
      node && typeof node === "object" ? ((node as Record<string | number, unknown>)[p] as typeof node) : undefined;
  }
  return out;
}

/** Line and column of the YAML node at `path` (or of `key` inside it), falling back to the nearest parent. */
function position(
  doc: Document,
  lc: LineCounter,
  path: (string | number)[],
  key?: string,
): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!node || typeof node !== "object") continue;
    if (key && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]);
    }
    const range = (node as { range?: [number, number, number] }).range;
    if (range) return lc.linePos(range[0]);
  }
  return { line: 1, col: 1 };
}
