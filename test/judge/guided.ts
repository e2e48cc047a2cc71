/**
 * What a guided-decoding server (vLLM structured outputs, SGLang, llama.cpp grammars, OpenAI strict
 * mode) can return: any instance of the JSON schema it was sent, and nothing else. `instanceOf`
 * builds one under a policy (leave out what the schema does not require, repeat array items where
 * the schema allows it); `validate` checks an instance against the schema. Only the keywords
 * rubricate sends are understood; any other keyword is an error, so a test notices a schema this
 * server cannot honour exactly.
 */

export type JsonSchema = {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
};

const KNOWN = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "enum",
]);

export interface GuidedPolicy {
  /** properties the schema does not require: left out (a decoder may stop the object early) or written */
  optional?: "omit" | "include";
  /** array length: the fewest items allowed, two distinct items, or the same item three times (when allowed) */
  arrays?: "min" | "two" | "repeat";
  /** which enum value to write at `path` (default: the first) */
  pick?: (path: string[], options: unknown[]) => unknown;
  /** the string written at `path` */
  text?: (path: string[]) => string;
  /** the integer written as item `i` of an array (or alone, i = 0) at `path` */
  int?: (path: string[], i: number) => number;
}

function check(schema: JsonSchema, path: string[]): void {
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`guided server: unsupported schema keyword '${k}' at ${path.join(".") || "$"}`);
}

/** One instance of `schema` under `policy`, properties in the schema's order (as grammar-based decoders write them). */
export function instanceOf(schema: JsonSchema, policy: GuidedPolicy = {}, path: string[] = [], index = 0): unknown {
  check(schema, path);
  if (schema.enum) return (policy.pick ?? ((_, o) => o[0]))(path, schema.enum);
  switch (schema.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (!required.has(k) && (policy.optional ?? "include") === "omit") continue;
        out[k] = instanceOf(s, policy, [...path, k]);
      }
      return out;
    }
    case "array": {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
      const how = policy.arrays ?? "two";
      const n = Math.min(max, how === "min" ? min : how === "repeat" ? Math.max(min, 3) : Math.max(min, 2));
      const items = schema.items ?? {};
      if (how === "repeat") {
        const one = instanceOf(items, policy, [...path, "0"], 0);
        return Array.from({ length: n }, () => structuredClone(one));
      }
      return Array.from({ length: n }, (_, i) => instanceOf(items, policy, [...path, String(i)], i));
    }
    case "string":
      return (policy.text ?? ((p) => `text at ${p.join(".")}`))(path);
    case "integer":
      return (policy.int ?? ((_, i) => i))(path, index);
    case "number":
      return 0.5;
    case "boolean":
      return true;
    default:
      throw new Error(`guided server: schema without a type at ${path.join(".") || "$"}`);
  }
}

/** The ways `value` breaks `schema` (empty when it is an instance). */
export function validate(schema: JsonSchema, value: unknown, path = "$"): string[] {
  check(schema, path.split("."));
  if (schema.enum) return schema.enum.some((e) => e === value) ? [] : [`${path}: not one of ${schema.enum.join(", ")}`];
  switch (schema.type) {
    case "object": {
      if (!value || typeof value !== "object" || Array.isArray(value)) return [`${path}: not an object`];
      const o = value as Record<string, unknown>;
      const errs = (schema.required ?? []).filter((k) => !(k in o)).map((k) => `${path}: missing ${k}`);
      for (const [k, v] of Object.entries(o)) {
        const s = schema.properties?.[k];
        if (s) errs.push(...validate(s, v, `${path}.${k}`));
        else if (schema.additionalProperties === false) errs.push(`${path}: unexpected ${k}`);
      }
      return errs;
    }
    case "array": {
      if (!Array.isArray(value)) return [`${path}: not an array`];
      const errs: string[] = [];
      if (value.length < (schema.minItems ?? 0)) errs.push(`${path}: fewer than ${schema.minItems} items`);
      if (value.length > (schema.maxItems ?? Number.POSITIVE_INFINITY))
        errs.push(`${path}: more than ${schema.maxItems} items`);
      value.forEach((v, i) => errs.push(...validate(schema.items ?? {}, v, `${path}.${i}`)));
      return errs;
    }
    case "string":
      return typeof value === "string" ? [] : [`${path}: not a string`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case "number":
      return typeof value === "number" ? [] : [`${path}: not a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: not a boolean`];
    default:
      return [];
  }
}
