/**
 * Bash command lines parsed with tree-sitter-bash (WebAssembly build): each
 * simple command with its words unquoted, its file redirects, an attached
 * heredoc body and leading variable assignments, in source order. Handles
 * pipelines, `&&`/`||` lists, subshells, command substitution and heredocs.
 */
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

export interface ShellCommand {
  /** command name without leading path (`/usr/bin/python3` -> `python3`) */
  name: string;
  /** the words after the name, unquoted */
  args: string[];
  /** file redirects: operator (`>`, `>>`, `<`) and target */
  redirects: { op: string; target: string }[];
  /** body of a heredoc fed to this command, if any */
  heredoc?: string;
  /** the command's source text */
  text: string;
}

let parser: Parser | null = null;

/** Load the bash grammar once; call before `parseShell`. */
export async function initShell(): Promise<void> {
  if (parser) return;
  await Parser.init();
  const require = createRequire(import.meta.url);
  const wasm = require.resolve("tree-sitter-bash/tree-sitter-bash.wasm");
  const lang = await Language.load(wasm);
  const p = new Parser();
  p.setLanguage(lang);
  parser = p;
}

export function shellReady(): boolean {
  return parser !== null;
}

const MAX_SOURCE = 200_000;

/**
 * A list of simple commands with only words, quotes and the operators `&&`,
 * `||`, `|`, `;`, `&`: no expansion, redirection, subshell, heredoc or comment.
 * Such lines (most agent commands) are split here; everything else goes to
 * tree-sitter.
 */
const SIMPLE = /^[^$`()<>\\\n\r#{}!]*$/;

function simpleList(text: string): ShellCommand[] | null {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  let start = 0;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = (end: number) => {
    endWord();
    while (words.length && /^[A-Za-z_]\w*=/.test(words[0])) words.shift();
    if (words.length) out.push({ name: words[0].split("/").pop() ?? "", args: words.slice(1), redirects: [], text: text.slice(start, end).trim() });
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
      word += ch;
      inWord = true;
    }
  }
  endCommand(text.length);
  return out;
}

const cache = new Map<string, ShellCommand[]>();
const CACHE_MAX = 4096;

/** Simple commands of a bash source text, in order. `initShell()` must have completed. */
export function parseShell(source: string): ShellCommand[] {
  const text = source.trim();
  if (SIMPLE.test(text)) {
    const cmds = simpleList(text);
    if (cmds) return cmds;
  }
  const hit = cache.get(text);
  if (hit) return hit;
  const cmds = parseWithTreeSitter(text);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, cmds);
  return cmds;
}

function parseWithTreeSitter(source: string): ShellCommand[] {
  if (!parser) throw new Error("parseShell called before initShell()");
  const tree = parser.parse(source.length > MAX_SOURCE ? source.slice(0, MAX_SOURCE) : source);
  if (!tree) return [];
  const out: ShellCommand[] = [];
  try {
    visit(tree.rootNode, out);
  } finally {
    tree.delete();
  }
  return out;
}

function visit(node: Node, out: ShellCommand[]): void {
  if (node.type === "redirected_statement") {
    const body = node.childForFieldName("body") ?? node.namedChildren.find((c) => c !== null && c.type !== "file_redirect" && c.type !== "heredoc_redirect") ?? null;
    const before = out.length;
    if (body) visit(body, out);
    // the redirect belongs to the last command of the body (`cd x && python - <<EOF`)
    const target = out.length > before ? out[out.length - 1] : undefined;
    for (const r of node.namedChildren) {
      if (!r || (body && r.id === body.id)) continue;
      if (target) attachRedirect(target, r);
      for (const c of r.namedChildren) if (c && c.type !== "heredoc_body") visit(c, out);
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
    out.push(command(node));
    for (const c of node.namedChildren) if (c && c.type !== "command_name" && c.namedChildCount > 0) visit(c, out);
    return;
  }
  for (const c of node.namedChildren) if (c) visit(c, out);
}


function command(node: Node): ShellCommand {
  let name = "";
  const args: string[] = [];
  const redirects: { op: string; target: string }[] = [];
  let sawName = false;
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === "variable_assignment" && !sawName) continue;
    if (c.type === "command_name") {
      name = unquote(c).split("/").pop() ?? "";
      sawName = true;
    } else if (c.type === "file_redirect") {
      const r = redirect(c);
      if (r) redirects.push(r);
    } else if (c.type !== "comment") args.push(unquote(c));
  }
  return { name, args, redirects, text: node.text };
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
