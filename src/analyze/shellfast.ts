/**
 * The fast path of the bash parser: most agent commands are a list of simple commands with plain
 * words, quotes, redirects and heredocs, which are split here many times faster than tree-sitter
 * reads them. Anything else (expansions, subshells, compound statements, odd heredocs) is
 * declined (null) and goes to tree-sitter; `test/analyze/shell.test.ts` holds the cases both must
 * read alike, and fails when this path declines one of them.
 */
import type { ShellCommand, ShellParser } from "./shell.js";

/** The longest script either parser reads (a longer one is cut there). */
export const MAX_SOURCE = 200_000;

/**
 * A list of simple commands with only words, quotes and the operators `&&`,
 * `||`, `|`, `;`, `&`: no expansion, redirection, subshell, heredoc, comment
 * or compound statement. Such lines (most agent commands) are split here;
 * everything else goes to tree-sitter.
 */
const SIMPLE = /^[^$`()<>\\\n\r#{}!]*$/;
/** Words that open or continue a compound statement when in command position. */
export const RESERVED = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "select",
  "function",
  "[[",
  "]]",
  "coproc",
]);
/** Shells whose `-c` string is parsed as the commands it runs. */
export const SHELLS = new Set(["bash", "sh", "zsh", "dash"]);

/** The characters of a run that needs no care (`[\w./=:,+@%^*?~-]`), copied at once. */
const PLAIN = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%^*?~-")
  PLAIN[c.charCodeAt(0)] = 1;

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
const SCRIPT_NAMES = new Set([
  "export",
  "declare",
  "typeset",
  "local",
  "readonly",
  "unset",
  "time",
  "let",
  "eval",
  "exec",
]);

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
      } else if (
        ch === " " ||
        ch === "\t" ||
        ch === "\n" ||
        ch === ";" ||
        ch === "&" ||
        ch === "|" ||
        ch === "<" ||
        ch === ">"
      )
        return i;
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
        const m = /^<<[ \t]*(?:'([A-Za-z_]\w*)'|"([A-Za-z_]\w*)"|([A-Za-z_]\w*))(?=[ \t\n]|$)/.exec(
          text.slice(i, i + 100),
        );
        if (!m || heredoc) return null;
        if (!dropDash(i)) return null;
        heredoc = {
          delimiter: m[1] ?? m[2] ?? m[3],
          quoted: m[3] === undefined,
          at: out.length,
          after: redirects.length > 0,
        };
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
      if (
        (ch === "{" || ch === "\\") &&
        text[i + 1] === (ch === "{" ? "}" : ";") &&
        text[i - 1] === " " &&
        (i + 2 === text.length || text[i + 2] === " ") &&
        wordStart < 0 &&
        words.length &&
        !/^[A-Za-z_]\w*=/.test(text.slice(words[0].start, words[0].end))
      ) {
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

export function baseName(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}

/** Declines (null) what it cannot read exactly as tree-sitter does. */
export const fastParser: ShellParser = {
  name: "fast",
  parse: (text) => (SIMPLE.test(text) ? simpleList(text) : scriptList(text)),
};
