/**
 * What the task text names and what the final patch changes, in comparable
 * terms: file paths and module paths, code identifiers, the enclosing
 * definitions of the patch's hunks, and whether a changed line is only a
 * comment or whitespace.
 */

/** A file path's extension among the languages agents edit. */
const SOURCE_FILE = /\.(?:py|pyx|pyi|java|kt|scala|js|jsx|ts|tsx|go|rs|c|cc|cpp|h|hpp|rb|php|cs|swift)$/;
const PATH_CHARS = /^[\w./\\-]+$/;
/**
 * Dotted module paths at the start of a token: `django.db.models.fields`, the module of
 * `django.contrib.admin.options.ModelAdmin` (two dots at least, or one with an underscore).
 */
const MODULE = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+(?=\.[A-Z]|$)/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const identStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** Python, Java and JavaScript keywords and the commonest builtins: never evidence that two texts mean the same code. */
const COMMON = new Set(
  (
    "def class self return import from none true false null this new public private protected static final void int str " +
    "bool float list dict set tuple len print pass raise except try finally while for if else elif with as not and or in is " +
    "lambda yield assert del global nonlocal async await function const let var string boolean object args kwargs value " +
    "values name type data key keys items result get the and for this that with from are was were has have not but you can"
  ).split(" "),
);

/** Paths as the patch names them (`a/`, `b/`, leading `./` and absolute prefixes through site-packages removed). */
export function cleanPath(p: string): string {
  let s = p.replace(/\\/g, "/");
  const site = s.lastIndexOf("-packages/");
  if (site >= 0) s = s.slice(site + "-packages/".length);
  return s
    .replace(/^\.\//, "")
    .replace(/^[ab]\//, "")
    .replace(/^\/+/, "");
}

export interface TaskNames {
  /** file paths named (cleaned) */
  paths: string[];
  /** dotted module paths named, as slash paths without extension */
  modules: string[];
  /** code-like identifiers (snake_case, camelCase, PascalCase with two capitals, called or in backticks) */
  identifiers: Set<string>;
  /** the text lower-cased, for `mentions` */
  lower: string;
  /** last parts of the named paths (`card.py`) and modules (`fields`): a file matching none is not named */
  ends: Set<string>;
  /** the text shows code (a fenced or indented block) */
  code: boolean;
  /** the text shows a traceback (Python, or a Java stack) */
  traceback: boolean;
}

/** snake_case, camelCase, or PascalCase with a second capital (`IntegerField`). */
function codeLike(w: string): boolean {
  let lower = false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === 95 /* _ */) return true;
    if (c >= 65 && c <= 90) {
      if (lower) return true;
    } else lower = c >= 97 && c <= 122;
  }
  return false;
}

/** Inside code spans (fenced blocks and inline backticks), as [start, end) ranges. */
function codeRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = text.indexOf("`"); i >= 0; ) {
    const fence = text.startsWith("```", i);
    const end = fence ? text.indexOf("```", i + 3) : text.indexOf("`", i + 1);
    if (end < 0) break;
    if (!fence && text.slice(i, end).includes("\n")) {
      i = text.indexOf("`", i + 1);
      continue;
    }
    out.push([i, end]);
    i = text.indexOf("`", end + (fence ? 3 : 1));
  }
  return out;
}

/** Names of recent task texts: the attempts at one task share its text (best-of-N scores them together). */
const recent = new Map<string, TaskNames>();
const RECENT = 512;

/** Forget the task texts read so far (benchmarks measure a cold start with it). */
export function clearTaskCache(): void {
  recent.clear();
}

/**
 * Names in a task text, in one pass over its words and one over its whitespace-separated tokens
 * (patterns that try every position of a long issue text cost more than the rest of the
 * features), remembered for the next attempt at the same task. The result is shared: read it only.
 */
export function taskNames(text: string | null): TaskNames {
  if (!text)
    return {
      paths: [],
      modules: [],
      identifiers: new Set(),
      lower: "",
      ends: new Set(),
      code: false,
      traceback: false,
    };
  const known = recent.get(text);
  if (known) return known;
  if (recent.size >= RECENT) recent.clear();
  const names = readNames(text);
  recent.set(text, names);
  return names;
}

function readNames(text: string): TaskNames {
  const out: TaskNames = {
    paths: [],
    modules: [],
    identifiers: new Set(),
    lower: text.toLowerCase(),
    ends: new Set(),
    code: /```|^\s{4}\S/m.test(text),
    traceback: /Traceback \(most recent call last\)|Exception in thread|^\s+at [\w.$]+\(/m.test(text),
  };
  const paths = new Set<string>();
  const modules = new Set<string>();
  for (const raw of text.split(/[\s"'`()[\]{}<>,;:=]+/)) {
    if (!raw.includes(".")) continue; // a path has an extension, a module a dot
    // a URL's fragment (`card.py#L120`), a home folder, a sentence's full stop
    const tok = raw.replace(/#.*$/, "").replace(/^~/, "").replace(/\.+$/, "");
    if (tok.length < 3 || !PATH_CHARS.test(tok)) continue;
    if (SOURCE_FILE.test(tok)) {
      paths.add(cleanPath(tok));
      continue;
    }
    const m = MODULE.exec(tok)?.[0];
    if (m && (m.split(".").length >= 3 || m.includes("_"))) modules.add(m.replace(/\./g, "/"));
  }
  out.paths = [...paths];
  out.modules = [...modules];
  for (const q of [...out.paths, ...out.modules]) out.ends.add(q.slice(q.lastIndexOf("/") + 1));
  const code = codeRanges(text);
  let k = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    const w = m[0];
    if (w.length < 3) continue;
    const at = m.index;
    while (k < code.length && code[k][1] <= at) k++;
    const inCode = k < code.length && code[k][0] < at;
    // called or dotted (`foo(`, `foo.bar`) counts whatever its shape
    let j = at + w.length;
    while (text.charCodeAt(j) === 32) j++;
    const next = text.charCodeAt(j);
    const used =
      next === 40 /* ( */ || (j === at + w.length && next === 46 /* . */ && identStart(text.charCodeAt(j + 1)));
    if (!(inCode || used || codeLike(w))) continue;
    if (COMMON.has(w) || (w.charCodeAt(0) < 97 && COMMON.has(w.toLowerCase()))) continue;
    out.identifiers.add(w);
  }
  return out;
}

const wordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Whether the task mentions a word: as an identifier, or as a whole word in any case. */
export function mentions(names: TaskNames, word: string): boolean {
  if (names.identifiers.has(word)) return true;
  const w = word.toLowerCase();
  for (let i = names.lower.indexOf(w); i >= 0; i = names.lower.indexOf(w, i + 1)) {
    if (!wordChar(names.lower.charCodeAt(i - 1)) && !wordChar(names.lower.charCodeAt(i + w.length))) return true;
  }
  return false;
}

/** Whether the task names this file: by its path (or a path ending in it), by its module path, or by a distinctive file name. */
export function namesFile(names: TaskNames, path: string): boolean {
  if (!names.ends.size) return false;
  // quick rejection: neither the file name, nor its stem, nor (for a package's __init__) its folder is named
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  const folder = path.slice(path.lastIndexOf("/", slash - 1) + 1, Math.max(0, slash));
  if (!names.ends.has(name) && !names.ends.has(name.replace(/\.\w+$/, "")) && !names.ends.has(folder)) return false;
  const p = cleanPath(path);
  const base = p.split("/").pop() ?? p;
  const stem = p.replace(/\.\w+$/, "").replace(/\/__init__$/, "");
  for (const q of names.paths) {
    // a bare file name counts only when it is distinctive
    if (!q.includes("/")) {
      if (q === base && !/^(__init__|setup|utils?|base|core|models?|main|index|helpers?|common)\.\w+$/.test(base))
        return true;
      continue;
    }
    if (p === q || p.endsWith("/" + q) || q.endsWith("/" + p)) return true;
  }
  for (const m of names.modules)
    if (stem === m || stem.endsWith("/" + m) || (m.includes("/") && m.startsWith(stem + "/"))) return true;
  return false;
}

/** The enclosing definition names git prints after each hunk header (`@@ -1,2 +1,3 @@ def foo(self):` -> foo). */
export function hunkScopes(patch: string | null): string[] {
  if (!patch) return [];
  const out: string[] = [];
  for (const m of patch.matchAll(/^@@[^@\n]*@@[ \t]*(.*)$/gm)) {
    const ctx = m[1];
    const def =
      /\b(?:def|class|function|func|fn|interface|struct|enum)\s+([A-Za-z_][\w]*)/.exec(ctx) ??
      /([A-Za-z_][\w]*)\s*\(/.exec(ctx);
    if (def) out.push(def[1]);
  }
  return out;
}

/** Identifiers on changed lines (three letters or more, keywords and common builtins left out). */
export function changedIdentifiers(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) {
    WORD.lastIndex = 0;
    for (let m = WORD.exec(l); m; m = WORD.exec(l)) {
      const w = m[0];
      if (w.length >= 3 && !out.has(w) && !COMMON.has(w.toLowerCase())) out.add(w);
    }
  }
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
    const m =
      /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/.exec(l) ??
      /^\s*(?:public|private|protected)?\s*(?:static\s+)?\w+\s+(test\w*)\s*\(/.exec(l);
    if (m) out.push(m[1]);
  }
  return out;
}
