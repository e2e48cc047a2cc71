/**
 * Validation problems of a YAML document, each at its own line and column:
 * zod issue paths mapped to the YAML library's node ranges, missing fields
 * placed at their parent, every unknown key at the key itself with the closest
 * known names.
 */
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./suggest.js";

export interface Problem {
  line: number;
  col: number;
  /** the field's path, e.g. `criteria[1] (loops).params.consecutive` */
  path: string;
  message: string;
}

type Path = (string | number)[];

/** A parsed document with positions. */
export class Located {
  readonly raw: unknown;
  constructor(
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {
    this.raw = doc.toJS();
  }

  /** Line and column of the node at `path` (or of the key `key` inside it), else of the nearest parent. */
  at(path: Path, key?: string): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (!node || typeof node !== "object") continue;
      if (key !== undefined && n === path.length && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        if (pair && isScalar(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]);
      }
      const range = (node as { range?: [number, number, number] }).range;
      if (range) return this.lines.linePos(range[0]);
    }
    return { line: 1, col: 1 };
  }

  /** The raw value at `path`, or undefined. */
  value(path: Path): unknown {
    let node = this.raw;
    for (const p of path) {
      if (!node || typeof node !== "object") return undefined;
      node = (node as Record<string | number, unknown>)[p];
    }
    return node;
  }

  /** `criteria[1] (loops).params.x`: indexes of items that have an `id` are followed by it. */
  pathText(path: Path): string {
    let out = "";
    for (let i = 0; i < path.length; i++) {
      const p = path[i];
      if (typeof p === "number") {
        const item = this.value(path.slice(0, i + 1)) as Record<string, unknown> | undefined;
        out += `[${p}]${item && typeof item === "object" && typeof item.id === "string" ? ` (${item.id})` : ""}`;
      } else out += out ? `.${p}` : p;
    }
    return out;
  }

  /**
   * One problem per zod issue (one per unknown key), `base` prefixed to the issue paths;
   * `schema` is what was validated (for the known keys of an object an unknown key sits in).
   */
  problems(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, base: Path = []): Problem[] {
    const out: Problem[] = [];
    for (const i of issues) {
      const rel = i.path.filter((p): p is string | number => typeof p !== "symbol");
      const path = [...base, ...rel];
      if (i.code === "unrecognized_keys") {
        const known = keysAt(schema, rel);
        for (const key of i.keys) {
          const { line, col } = this.at(path, key);
          out.push({
            line,
            col,
            path: this.pathText([...path, key]),
            message: `unknown field '${key}'${known.length ? didYouMean(key, known) || `; allowed: ${known.join(", ")}` : ""}`,
          });
        }
        continue;
      }
      if (i.code === "invalid_type" && path.length && this.value(path) === undefined) {
        // a required field that is absent: say so, at the object that lacks it
        const parent = path.slice(0, -1);
        const { line, col } = this.at(parent);
        out.push({
          line,
          col,
          path: this.pathText(parent),
          message: `missing required field '${path[path.length - 1]}' (${String(i.expected)})`,
        });
        continue;
      }
      const { line, col } = this.at(path);
      out.push({ line, col, path: this.pathText(path), message: describeIssue(i) });
    }
    return out;
  }
}

/** Parse YAML (or JSON) text with positions; syntax errors come back as problems. */
export function locate(text: string): Located | Problem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length)
    return doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { line: pos.line, col: pos.col, path: "", message: `YAML: ${e.message.split("\n")[0]}` };
    });
  return new Located(doc, lines);
}

/** What a zod issue means, in words. */
export function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === "invalid_value") return `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (i.code === "unrecognized_keys")
    return `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `'${k}'`).join(", ")}`;
  if (i.code === "invalid_type") {
    const got = /received (\w+)/.exec(i.message);
    return `expected ${String(i.expected)}${got ? `, got ${got[1]}` : ""}`;
  }
  return i.message;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The keys of the object schema at `path` inside `schema` ([] when it is not an object). */
export function keysAt(schema: z.ZodType, path: Path): string[] {
  let s: z.ZodType | undefined = schema;
  const unwrap = () => {
    for (let d = s && defOf(s); s && d; d = defOf(s)) {
      if (d.innerType) s = d.innerType;
      else if (d.type === "pipe" && d.in) s = d.in;
      else break;
    }
  };
  unwrap();
  for (const p of path) {
    if (!s) return [];
    const d = defOf(s);
    if (d.type === "object" && typeof p === "string") s = d.shape?.[p];
    else if (d.type === "array" && typeof p === "number") s = d.element;
    else if (d.type === "union") s = d.options?.find((o) => ["object", "array"].includes(defOf(o).type));
    else return [];
    unwrap();
  }
  if (!s) return [];
  const d = defOf(s);
  return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
}
