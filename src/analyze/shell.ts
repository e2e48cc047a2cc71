/**
 * Bash command lines parsed with tree-sitter-bash (WebAssembly build): each
 * simple command with its words unquoted, its file redirects and an attached
 * heredoc body, in source order (leading variable assignments are dropped).
 * Handles pipelines, `&&`/`||` lists, subshells, compound statements, command
 * substitution, heredocs (also piped on: `cat <<EOF | python`) and the
 * command string of `bash -c` / `sh -c`.
 */
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

export interface ShellCommand {
  /** command name without leading path (`/usr/bin/python3` -> `python3`) */
  name: string;
  /** the command word as written, when it has a path (`./run.sh`, `bin/test`) */
  path?: string;
  /** the words after the name, unquoted */
  args: string[];
  /** file redirects: operator (`>`, `>>`, `<`) and target */
  redirects: { op: string; target: string }[];
  /** body of a heredoc fed to this command, if any */
  heredoc?: string;
  /** the command's source text */
  text: string;
}

/** The bash grammar, loaded when this module is first imported (so `parseShell` is ready whenever it can be called). */
async function load(): Promise<Parser> {
  await Parser.init();
  const require = createRequire(import.meta.url);
  const wasm = require.resolve("tree-sitter-bash/tree-sitter-bash.wasm");
  const lang = await Language.load(wasm);
  const p = new Parser();
  p.setLanguage(lang);
  return p;
}

const parser: Parser = await load();

const MAX_SOURCE = 200_000;

/**
 * A list of simple commands with only words, quotes and the operators `&&`,
 * `||`, `|`, `;`, `&`: no expansion, redirection, subshell, heredoc, comment
 * or compound statement. Such lines (most agent commands) are split here;
 * everything else goes to tree-sitter.
 */
const SIMPLE = /^[^$`()<>\\\n\r#{}!]*$/;
/** Words that open or continue a compound statement when in command position. */
const RESERVED = new Set(["if", "then", "elif", "else", "fi", "for", "while", "until", "do", "done", "case", "esac", "select", "function", "[[", "]]", "coproc"]);
/** Shells whose `-c` string is parsed as the commands it runs. */
const SHELLS = new Set(["bash", "sh", "zsh", "dash"]);

/** The characters of a run that needs no care (`[\w./=:,+@%^*?~-]`), copied at once. */
const PLAIN = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%^*?~-") PLAIN[c.charCodeAt(0)] = 1;

/** Where the run of plain characters from `i` ends. */
function plainEnd(text: string, i: number): number {
  let j = i;
  for (let c = text.charCodeAt(j); c < 128 && PLAIN[c] === 1; c = text.charCodeAt(++j));
  return j;
}

function simpleList(text: string): ShellCommand[] | null {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let start = 0;
  let ok = true;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (end: number) => {
    endWord();
    while (words.length && /^[A-Za-z_]\w*=/.test(words[0])) words.shift();
    if (words.length) {
      if (RESERVED.has(words[0]) || (SHELLS.has(words[0]) && words.includes("-c"))) ok = false;
      out.push(simple(words, text.slice(start, end).trim()));
    }
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const close = text.indexOf(ch, i + 1);
      if (close < 0) return null; // unbalanced: let the real parser report it
      word += text.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (ch === " " || ch === "\t") endWord();
    else if (ch === "&" || ch === "|" || ch === ";") {
      endCommand(i);
      if ((ch === "&" || ch === "|") && text[i + 1] === ch) i++;
      start = i + 1;
    } else {
      const end = plainEnd(text, i);
      if (end > i) {
        word += text.slice(i, end);
        i = end - 1;
      } else word += ch;
      inWord = true;
    }
  }
  endCommand(text.length);
  return ok ? out : null;
}

const LINE_END = new Set(["\n", "\r", "\u2028", "\u2029"]);

/**
 * The first line at or after `start` (a line start) made of blanks, `delim` and the rest of the
 * line, as `/^[ \t]*DELIM(.*)$/gm` from `start` finds it: its index, the rest (`[1]`) and where
 * the line ends. Found from each occurrence of the delimiter back to its line start: the pattern
 * tries every position of a long heredoc body.
 */
function delimiterLine(text: string, start: number, delim: string): { index: number; 1: string; end: number } | null {
  for (let k = text.indexOf(delim, start); k >= 0; k = text.indexOf(delim, k + 1)) {
    let line = k;
    while (line > start && (text[line - 1] === " " || text[line - 1] === "\t")) line--;
    if (line > start && !LINE_END.has(text[line - 1])) continue;
    let end = k + delim.length;
    while (end < text.length && !LINE_END.has(text[end])) end++;
    return { index: line, 1: text.slice(k + delim.length, end), end };
  }
  return null;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /\w/;

/** Where a variable `$NAME` or `${NAME}` starting at `i` ends, or -1 for any other expansion. */
function expansionEnd(text: string, i: number): number {
  const braced = text[i + 1] === "{";
  let j = i + (braced ? 2 : 1);
  if (!NAME_START.test(text[j] ?? "")) return -1;
  while (j < text.length && NAME_CHAR.test(text[j])) j++;
  if (!braced) return j;
  return text[j] === "}" ? j + 1 : -1;
}

/** Whether every unescaped `$` of a double-quoted text starts a plain variable. */
function onlyPlainExpansions(raw: string): boolean {
  for (let k = raw.indexOf("$"); k >= 0; k = raw.indexOf("$", k + 1)) {
    let slashes = 0;
    while (k - slashes - 1 >= 0 && raw[k - slashes - 1] === "\\") slashes++;
    if (slashes % 2 === 0 && expansionEnd(raw, k) < 0) return false;
  }
  return true;
}

/** Characters that, outside quotes, leave a script to tree-sitter: expansions, grouping, escapes, tests (`#` inside a word). */
const SCRIPT_SPECIAL = new Set(["$", "`", "(", ")", "{", "}", "!", "\\", "#", "[", "]"]);
/** Command words tree-sitter reads as more than a simple command. */
const SCRIPT_NAMES = new Set(["export", "declare", "typeset", "local", "readonly", "unset", "time", "let", "eval", "exec"]);

/**
 * Command lists over several lines with file redirects and heredocs (`cd /testbed && cat > f.py
 * <<'EOF'` ... `EOF`, then `python f.py 2>&1 | tail`), the usual agent scripts that `simpleList`
 * does not take, read as tree-sitter reads them, quirks included: a redirect is not part of the
 * command's text, a `-` right before `<<` is dropped, a heredoc body loses its leading blank lines.
 * Variables (`$NAME`, `${NAME}`) stay as written. Anything else (other expansions, subshells,
 * escapes, words after a redirect, an odd heredoc) gives
 * null and goes to tree-sitter.
 */
function scriptList(text: string): ShellCommand[] | null {
  if (text.length > MAX_SOURCE) return null;
  const out: ShellCommand[] = [];
  let words: { value: string; start: number; end: number }[] = [];
  let redirects: { op: string; target: string }[] = [];
  let redirected = false; // the command had a redirect: no more words
  let word = "";
  let wordStart = -1;
  // a heredoc opened on this line, for the command that will be out[at]; `after`: redirects came before it
  let heredoc: { delimiter: string; quoted: boolean; at: number; after: boolean } | null = null;
  // a quoted newline, and a line break: tree-sitter may then run two lines into one command
  let quotedNewline = false;
  let lineBreak = false;

  const endWord = (end: number) => {
    if (wordStart >= 0) words.push({ value: word, start: wordStart, end });
    wordStart = -1;
    word = "";
  };
  const endCommand = (): boolean => {
    if (!words.length) return !redirects.length;
    const first = words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(text.slice(w.start, w.end)));
    if (first < 0) return false;
    // (tree-sitter keeps the command word as written: `"a" b` is named `"a"`)
    const name = text.slice(words[first].start, words[first].end);
    const args = words.slice(first + 1).map((w) => w.value);
    if (RESERVED.has(name) || SCRIPT_NAMES.has(name) || (SHELLS.has(name) && args.includes("-c"))) return false;
    const cmd = simple([name, ...args], text.slice(words[0].start, words[words.length - 1].end));
    cmd.redirects = redirects;
    out.push(cmd);
    words = [];
    redirects = [];
    redirected = false;
    return true;
  };
  /** reads a word (quoted parts joined) into `word` from `i`; the index after it, or -1 */
  const readWord = (i: number): number => {
    for (; i < text.length; i++) {
      const ch = text[i];
      const c = text.charCodeAt(i);
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return -1;
        const raw = text.slice(i + 1, close);
        if (raw.includes("\n")) quotedNewline = true;
        word += raw;
        i = close;
      } else if (ch === '"') {
        let close = i + 1;
        while (close < text.length && text[close] !== '"') close += text[close] === "\\" ? 2 : 1;
        if (close >= text.length) return -1;
        const raw = text.slice(i + 1, close);
        if (raw.includes("`") || !onlyPlainExpansions(raw)) return -1;
        if (raw.includes("\n")) quotedNewline = true;
        word += raw.replace(/\\(["\\$`])/g, "$1");
        i = close;
      } else if (ch === " " || ch === "\t" || ch === "\n" || ch === ";" || ch === "&" || ch === "|" || ch === "<" || ch === ">") return i;
      else if (ch === "$") {
        // `$NAME` / `${NAME}`: kept as written, as tree-sitter gives it
        const end = expansionEnd(text, i);
        if (end < 0) return -1;
        word += text.slice(i, end);
        i = end - 1;
      } else if (SCRIPT_SPECIAL.has(ch) || c < 32 || c === 127 || (c > 127 && /\s/.test(ch))) return -1;
      else {
        const end = plainEnd(text, i);
        if (end > i) {
          word += text.slice(i, end);
          i = end - 1;
        } else word += ch;
      }
    }
    return i;
  };
  /** the target word of a file redirect whose operator ends before `i`; the index after it, or -1 */
  const redirectTarget = (i: number, op: string): number => {
    while (text[i] === " " || text[i] === "\t") i++;
    word = "";
    const next = readWord(i);
    // (a numeric target is a descriptor to tree-sitter)
    if (next <= i || (heredoc && heredoc.after) || /^[\d-]/.test(text[i])) return -1;
    redirects.push({ op, target: word });
    word = "";
    redirected = true;
    return next;
  };
  /** the body of the heredoc opened on the line before `start`; the index after its closing line, or -1 */
  const heredocBody = (start: number): number => {
    const h = heredoc!;
    // the first line that starts with the delimiter, blanks aside (tree-sitter also ends the body
    // at an indented or longer word, ` EOF` or `EOFX`: then leave it to tree-sitter)
    const m = delimiterLine(text, start, h.delimiter);
    const after = m ? m.end : 0;
    if (!m || text[m.index] !== h.delimiter[0] || !/^[ \t]*$/.test(m[1])) return -1;
    if ((m.index > start && text[m.index - 1] !== "\n") || (after < text.length && text[after] !== "\n")) return -1;
    const body = text.slice(start, m.index).replace(/^[ \t\n]+/, "");
    if (/^\s/.test(body) || (!h.quoted && /[$`\\]/.test(body)) || h.at !== out.length - 1) return -1;
    out[h.at].heredoc = body;
    heredoc = null;
    return after + 1;
  };

  /** `python - <<EOF`, `lint - 2>&1`: tree-sitter drops a `-` right before a heredoc or a numbered redirect */
  const dropDash = (at: number): boolean => {
    const last = words[words.length - 1];
    if (last.value !== "-" || redirected) return true;
    if (words.length < 2 || last.end !== last.start + 1 || !/^[ \t]+$/.test(text.slice(last.end, at))) return false;
    words.pop();
    return true;
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === " " || ch === "\t") {
      endWord(i);
      i++;
    } else if (ch === "\n") {
      lineBreak = true;
      endWord(i);
      if (!endCommand()) return null;
      i++;
      if (heredoc) i = heredocBody(i);
      if (i < 0) return null;
    } else if (ch === "&" && text[i + 1] === ">") {
      // `&>f`, `&>>f`
      if (wordStart >= 0 || !words.length) return null;
      const op = text[i + 2] === ">" ? "&>>" : "&>";
      i = redirectTarget(i + op.length, op);
      if (i < 0) return null;
    } else if (ch === ";" || ch === "&" || ch === "|") {
      endWord(i);
      if (heredoc || !words.length || !endCommand()) return null;
      const next = text[i + 1];
      if ((ch === ";" && next === ";") || (ch === "|" && next === "&")) return null;
      const double = ch !== ";" && next === ch;
      i += double ? 2 : 1;
      // `a &&` or `a |` ending a line: the list goes on on the next line
      if ((double || ch === "|") && /^[ \t]*(\n|$)/.test(text.slice(i, i + 100))) return null;
    } else if (ch === ">" || ch === "<") {
      if (wordStart >= 0 || !words.length) return null;
      if (ch === "<" && text[i + 1] === "<") {
        const m = /^<<[ \t]*(?:'([A-Za-z_]\w*)'|"([A-Za-z_]\w*)"|([A-Za-z_]\w*))(?=[ \t\n]|$)/.exec(text.slice(i, i + 100));
        if (!m || heredoc) return null;
        if (!dropDash(i)) return null;
        heredoc = { delimiter: m[1] ?? m[2] ?? m[3], quoted: m[3] === undefined, at: out.length, after: redirects.length > 0 };
        redirected = true;
        i += m[0].length;
      } else if (ch === ">" && text[i + 1] === "&") {
        // `>&2`, `2>&1`: to a descriptor, no file
        const m = /^>&\d+(?=[ \t\n;&|]|$)/.exec(text.slice(i, i + 20));
        if (!m) return null;
        redirected = true;
        i += m[0].length;
      } else {
        const op = ch === ">" && text[i + 1] === ">" ? ">>" : ch;
        const after = text[i + op.length];
        if (after === "|" || after === "&" || after === "<" || after === ">") return null;
        i = redirectTarget(i + op.length, op);
        if (i < 0) return null;
      }
    } else {
      // `2>f`, `2>&1`: a descriptor number, not a word
      const c0 = text.charCodeAt(i);
      const fd = c0 >= 48 && c0 <= 57 ? /^\d+(?=>)/.exec(text.slice(i, i + 12)) : null;
      if (fd) {
        if (fd[0][0] === "0") return null; // `0>f`: tree-sitter reads a word `0`
        if (!words.length || !dropDash(i)) return null;
        i += fd[0].length;
        continue;
      }
      if (ch === "#") {
        // a comment, to the end of the line
        if (heredoc) return null;
        const nl = text.indexOf("\n", i);
        i = nl < 0 ? text.length : nl;
        continue;
      }
      if (redirected) return null;
      // `find . -exec grep -l x {} \;`: the words `{}` and `\;` (read as `;`), alone between
      // blanks after the command word
      if ((ch === "{" || ch === "\\") && text[i + 1] === (ch === "{" ? "}" : ";") && text[i - 1] === " " && (i + 2 === text.length || text[i + 2] === " ") && wordStart < 0 && words.length && !/^[A-Za-z_]\w*=/.test(text.slice(words[0].start, words[0].end))) {
        words.push({ value: ch === "{" ? "{}" : ";", start: i, end: i + 2 });
        i += 2;
        continue;
      }
      wordStart = i;
      i = readWord(i);
      if (i < 0) return null;
    }
  }
  endWord(i);
  if (!endCommand() || heredoc || (quotedNewline && lineBreak)) return null;
  return out;
}

function simple(words: string[], text: string): ShellCommand {
  const cmd: ShellCommand = { name: baseName(words[0]), args: words.slice(1), redirects: [], text };
  if (words[0].includes("/")) cmd.path = words[0];
  return cmd;
}

function baseName(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

const cache = new Map<string, ShellCommand[]>();
const CACHE_MAX = 4096;

/** Forget the parses cached so far (benchmarks measure cold parsing with it). */
export function clearShellCache(): void {
  cache.clear();
}

/** Simple commands of a bash source text, in order. */
export function parseShell(source: string): ShellCommand[] {
  const text = source.trim();
  const fast = parseFast(text);
  if (fast) return fast;
  const hit = cache.get(text);
  if (hit) return hit;
  const cmds = parseWithTreeSitter(text, 0);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, cmds);
  return cmds;
}

function parseFast(text: string): ShellCommand[] | null {
  return SIMPLE.test(text) ? simpleList(text) : scriptList(text);
}

/** The fast paths alone: the commands, or null when the text needs tree-sitter; for tests. */
export function parseShellFast(source: string): ShellCommand[] | null {
  return parseFast(source.trim());
}

/** Parse with tree-sitter only (no fast path); for tests that compare the two. */
export function parseShellFull(source: string): ShellCommand[] {
  return parseWithTreeSitter(source.trim(), 0);
}

function parseWithTreeSitter(source: string, depth: number): ShellCommand[] {
  const tree = parser.parse(source.length > MAX_SOURCE ? source.slice(0, MAX_SOURCE) : source);
  if (!tree) return [];
  const out: ShellCommand[] = [];
  try {
    new Visitor(out, depth).visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  // tree-sitter-bash now and then runs several lines of a long script into one command
  // (seen after `... 2>&1 | grep -v "a\|b" | tail -1`); a script of independent lines is
  // then parsed line by line
  if (depth === 0 && out.some((c) => unquotedNewline(c.text))) {
    const lines = independentLines(source);
    if (lines) return lines.flatMap((l) => parseWithTreeSitter(l, 1));
  }
  return out;
}

/** Whether a command's text spans lines outside quotes (a newline no shell would join). */
function unquotedNewline(text: string): boolean {
  let q = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === q) q = "";
      else if (ch === "\\" && q === '"') i++;
    } else if (ch === "'" || ch === '"') q = ch;
    else if (ch === "\\") i++;
    else if (ch === "\n") return true;
  }
  return false;
}

/** The lines of a script when each is a complete command list on its own, else null. */
function independentLines(source: string): string[] | null {
  if (source.includes("<<") || /\\\r?\n/.test(source)) return null;
  const lines = source.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const l of lines) {
    const first = l.split(/[\s;]/, 1)[0];
    if (RESERVED.has(first) || /(\||&&|\|\||\{|\(|\\)$/.test(l)) return null;
    let q = "";
    let depth = 0;
    for (let i = 0; i < l.length; i++) {
      const ch = l[i];
      if (q) {
        if (ch === q) q = "";
        else if (ch === "\\" && q === '"') i++;
      } else if (ch === "'" || ch === '"') q = ch;
      else if (ch === "\\") i++;
      else if (ch === "(" || ch === "{") depth++;
      else if (ch === ")" || ch === "}") depth--;
    }
    if (q || depth !== 0) return null;
  }
  return lines;
}

class Visitor {
  /** the ShellCommand made for each `command` node, by node id */
  private made = new Map<number, ShellCommand>();
  constructor(private out: ShellCommand[], private depth: number) {}

  visit(node: Node): void {
    const out = this.out;
    if (node.type === "redirected_statement") {
      const body = node.childForFieldName("body") ?? node.namedChildren.find((c) => c !== null && !REDIRECTS.has(c.type)) ?? null;
      if (body) this.visit(body);
      // the redirect belongs to the last command of the body (`cd x && python - <<EOF`),
      // not to a command nested in a substitution (`echo $(git rev-parse HEAD) > f`)
      const last = body ? lastCommand(body) : null;
      const target = last ? this.made.get(last.id) : undefined;
      for (const r of node.namedChildren) {
        if (!r || (body && r.id === body.id)) continue;
        if (target) attachRedirect(target, r);
        for (const c of r.namedChildren) {
          if (!c || c.type === "heredoc_body" || c.type === "file_redirect") continue;
          const before = out.length;
          this.visit(c);
          // `cat <<EOF | python`: the heredoc reaches the command the pipe feeds
          if (target && r.type === "heredoc_redirect" && target.name === "cat" && !target.args.length && c.type === "pipeline" && out.length > before && out[before].heredoc === undefined) {
            out[before].heredoc = target.heredoc;
          }
        }
      }
      return;
    }
    if (node.type === "declaration_command" || node.type === "unset_command") {
      // `export X=1`, `declare -x`, `unset X`: environment changes
      const [head, ...rest] = node.children.filter((c): c is Node => c !== null);
      out.push({ name: head?.text ?? "", args: rest.map((c) => unquote(c)), redirects: [], text: node.text });
      return;
    }
    if (node.type === "command") {
      const cmd = command(node);
      const inner = this.shellString(cmd);
      if (inner) out.push(...inner);
      else out.push(cmd);
      this.made.set(node.id, inner ? inner[inner.length - 1] : cmd);
      for (const c of node.namedChildren) if (c && c.type !== "command_name" && c.namedChildCount > 0) this.visit(c);
      return;
    }
    for (const c of node.namedChildren) if (c) this.visit(c);
  }

  /** `bash -c "cd x && pytest"`: the commands of the string, when it is a literal. */
  private shellString(cmd: ShellCommand): ShellCommand[] | null {
    if (!SHELLS.has(cmd.name) || this.depth > 2) return null;
    const at = cmd.args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    const src = at >= 0 ? cmd.args[at + 1] : undefined;
    if (!src || /\$\(|`|^\s*\$/.test(src)) return null;
    const inner = parseWithTreeSitter(src, this.depth + 1);
    if (!inner.length) return null;
    const last = inner[inner.length - 1];
    last.redirects.push(...cmd.redirects);
    if (cmd.heredoc !== undefined && last.heredoc === undefined) last.heredoc = cmd.heredoc;
    return inner;
  }
}

const REDIRECTS = new Set(["file_redirect", "heredoc_redirect", "herestring_redirect"]);

/** The syntactically last simple command of a statement (not one inside a substitution). */
function lastCommand(node: Node): Node | null {
  if (node.type === "command") return node;
  if (node.type === "command_substitution" || node.type === "process_substitution" || REDIRECTS.has(node.type)) return null;
  // (all children in one call: `namedChild(i)` walks the children from the first, each time)
  const children = node.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i];
    if (!c) continue;
    const hit = lastCommand(c);
    if (hit) return hit;
  }
  return null;
}

function command(node: Node): ShellCommand {
  let name = "";
  let path: string | undefined;
  let herestring: string | undefined;
  const args: string[] = [];
  const redirects: { op: string; target: string }[] = [];
  let sawName = false;
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === "variable_assignment" && !sawName) continue;
    if (c.type === "command_name") {
      const word = unquote(c);
      name = baseName(word);
      if (word.includes("/")) path = word;
      sawName = true;
    } else if (c.type === "file_redirect") {
      const r = redirect(c);
      if (r) redirects.push(r);
    } else if (c.type === "herestring_redirect") herestring = unquote(c.namedChildren[c.namedChildren.length - 1] ?? c);
    else if (c.type !== "comment") args.push(unquote(c));
  }
  const cmd: ShellCommand = { name, args, redirects, text: node.text };
  if (path) cmd.path = path;
  if (herestring !== undefined) cmd.heredoc = herestring;
  return cmd;
}

function attachRedirect(cmd: ShellCommand, r: Node): void {
  if (r.type === "heredoc_redirect") {
    const body = r.namedChildren.find((c) => c?.type === "heredoc_body");
    cmd.heredoc = body ? body.text : "";
    // `cat > f <<EOF` keeps its file redirect inside the heredoc node in some layouts
    for (const c of r.namedChildren) if (c?.type === "file_redirect") {
      const fr = redirect(c);
      if (fr) cmd.redirects.push(fr);
    }
    return;
  }
  if (r.type === "file_redirect") {
    const fr = redirect(r);
    if (fr) cmd.redirects.push(fr);
  } else if (r.type === "herestring_redirect") {
    cmd.heredoc = unquote(r.namedChildren[r.namedChildren.length - 1] ?? r);
  }
}

function redirect(n: Node): { op: string; target: string } | null {
  const dest = n.childForFieldName("destination") ?? n.namedChildren.filter((c) => c && c.type !== "file_descriptor").pop() ?? null;
  if (!dest) return null;
  const op = n.children.find((c) => c !== null && !c.isNamed)?.text ?? ">";
  if (dest.type === "number") return null; // 2>&1
  return { op, target: unquote(dest) };
}

/** The value of a word, string or concatenation with shell quoting removed. */
export function unquote(n: Node): string {
  switch (n.type) {
    case "raw_string":
      return n.text.slice(1, -1);
    case "string":
      return n.text.slice(1, -1).replace(/\\(["\\$`])/g, "$1");
    case "ansi_c_string":
      return n.text.slice(2, -1);
    case "word":
      return n.text.replace(/\\(.)/g, "$1");
    case "concatenation":
      return n.namedChildren.map((c) => (c ? unquote(c) : "")).join("");
    default:
      return n.text;
  }
}
