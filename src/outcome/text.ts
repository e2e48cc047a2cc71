/**
 * What the task text names and what the final patch changes, in comparable
 * terms: file paths and module paths, code identifiers, the enclosing
 * definitions of the patch's hunks, and whether a changed line is only a
 * comment or whitespace.
 */

/** File paths in a text: `a/b/c.py`, `c.py`, `./x/y.java`, traceback paths `File "/usr/lib/.../site-packages/x/y.py"`. */
const PATH = /(?:[\w.-]+\/)*[\w-][\w.-]*\.(?:py|pyx|pyi|java|kt|scala|js|jsx|ts|tsx|go|rs|c|cc|cpp|h|hpp|rb|php|cs|swift)\b/g;
/** Dotted module paths: `django.db.models.fields`, `astropy.io.fits` (two dots at least, or one with an underscore). */
const MODULE = /\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*){1,}\b/g;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Python, Java and JavaScript keywords and the commonest builtins: never evidence that two texts mean the same code. */
const COMMON = new Set(
  ("def class self return import from none true false null this new public private protected static final void int str " +
    "bool float list dict set tuple len print pass raise except try finally while for if else elif with as not and or in is " +
    "lambda yield assert del global nonlocal async await function const let var string boolean object args kwargs value " +
    "values name type data key keys items result get the and for this that with from are was were has have not but you can").split(" "),
);

/** Paths as the patch names them (`a/`, `b/`, leading `./` and absolute prefixes through site-packages removed). */
export function cleanPath(p: string): string {
  let s = p.replace(/\\/g, "/");
  const site = s.lastIndexOf("-packages/");
  if (site >= 0) s = s.slice(site + "-packages/".length);
  return s.replace(/^\.\//, "").replace(/^[ab]\//, "").replace(/^\/+/, "");
}

export interface TaskNames {
  /** file paths named (cleaned) */
  paths: string[];
  /** dotted module paths named, as slash paths without extension */
  modules: string[];
  /** code-like identifiers (snake_case, camelCase, PascalCase with two capitals, called or in backticks) */
  identifiers: Set<string>;
  /** every word of three letters or more, lower-cased */
  words: Set<string>;
}

function codeLike(w: string): boolean {
  return w.includes("_") || /[a-z][A-Z]/.test(w) || /^[A-Z][a-z0-9]+[A-Z]/.test(w);
}

export function taskNames(text: string | null): TaskNames {
  const out: TaskNames = { paths: [], modules: [], identifiers: new Set(), words: new Set() };
  if (!text) return out;
  out.paths = [...new Set((text.match(PATH) ?? []).map(cleanPath))];
  out.modules = [...new Set((text.match(MODULE) ?? []).filter((m) => m.split(".").length >= 3 || m.includes("_")).map((m) => m.replace(/\./g, "/")))];
  // identifiers in code spans (fenced blocks, inline backticks) count whatever their shape
  const code = [...text.matchAll(/```[\s\S]*?```|`[^`\n]+`/g)].map((m) => m[0]).join("\n");
  for (const w of code.match(WORD) ?? []) if (w.length >= 3 && !COMMON.has(w.toLowerCase())) out.identifiers.add(w);
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?=\s*\(|\.[A-Za-z_])/g)) if (m[1].length >= 3 && !COMMON.has(m[1].toLowerCase())) out.identifiers.add(m[1]);
  for (const w of text.match(WORD) ?? []) {
    if (w.length < 3) continue;
    out.words.add(w.toLowerCase());
    if (codeLike(w) && !COMMON.has(w.toLowerCase())) out.identifiers.add(w);
  }
  return out;
}

/** Whether the task names this file: by its path (or a path ending in it), by its module path, or by a distinctive file name. */
export function namesFile(names: TaskNames, path: string): boolean {
  const p = cleanPath(path);
  const base = p.split("/").pop() ?? p;
  const stem = p.replace(/\.\w+$/, "").replace(/\/__init__$/, "");
  for (const q of names.paths) {
    // a bare file name counts only when it is distinctive
    if (!q.includes("/")) {
      if (q === base && !/^(__init__|setup|utils?|base|core|models?|main|index|helpers?|common)\.\w+$/.test(base)) return true;
      continue;
    }
    if (p === q || p.endsWith("/" + q) || q.endsWith("/" + p)) return true;
  }
  for (const m of names.modules) if (stem === m || stem.endsWith("/" + m) || (m.includes("/") && m.startsWith(stem + "/"))) return true;
  return false;
}

/** The enclosing definition names git prints after each hunk header (`@@ -1,2 +1,3 @@ def foo(self):` -> foo). */
export function hunkScopes(patch: string | null): string[] {
  if (!patch) return [];
  const out: string[] = [];
  for (const m of patch.matchAll(/^@@[^@\n]*@@[ \t]*(.*)$/gm)) {
    const ctx = m[1];
    const def = /\b(?:def|class|function|func|fn|interface|struct|enum)\s+([A-Za-z_][\w]*)/.exec(ctx) ?? /([A-Za-z_][\w]*)\s*\(/.exec(ctx);
    if (def) out.push(def[1]);
  }
  return out;
}

/** Identifiers on changed lines (three letters or more, keywords and common builtins left out). */
export function changedIdentifiers(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const w of l.match(WORD) ?? []) if (w.length >= 3 && !COMMON.has(w.toLowerCase())) out.add(w);
  return out;
}

/** A changed line that changes no code: blank, or a comment (`#`, `//`, `/*`, `*`, or a docstring quote line). */
export function trivialLine(line: string): boolean {
  const s = line.trim();
  return s === "" || /^(#|\/\/|\/\*|\*|"""|''')/.test(s);
}

/** Definitions a patch adds on its added lines (`def test_x`, `class X`, `void testX(`). */
export function addedDefinitions(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const m = /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/.exec(l) ?? /^\s*(?:public|private|protected)?\s*(?:static\s+)?\w+\s+(test\w*)\s*\(/.exec(l);
    if (m) out.push(m[1]);
  }
  return out;
}
