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
import { MAX_SOURCE, RESERVED, SHELLS, baseName, fastParser } from "./shellfast.js";

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

/** A bash parser: the simple commands of a script in order, or null when it declines the script. */
export interface ShellParser {
  name: string;
  parse(text: string): ShellCommand[] | null;
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

const cache = new Map<string, ShellCommand[]>();
const CACHE_MAX = 4096;

/** Forget the parses cached so far (benchmarks measure cold parsing with it). */
export function clearShellCache(): void {
  cache.clear();
}

/** tree-sitter-bash: reads every script (the text of a script it cannot read is no command). */
export const treeSitterParser: ShellParser = {
  name: "tree-sitter",
  parse: (text) => parseWithTreeSitter(text, 0),
};

/** tree-sitter's parses of scripts seen before (agents run the same script again and again). */
const cached: ShellParser = {
  name: "tree-sitter (cached)",
  parse(text) {
    const hit = cache.get(text);
    if (hit) return hit;
    const cmds = treeSitterParser.parse(text)!;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(text, cmds);
    return cmds;
  },
};

/** The parsers tried in order: the first that does not decline reads the script. */
const PARSERS: readonly ShellParser[] = [fastParser, cached];

/** Simple commands of a bash source text, in order. */
export function parseShell(source: string): ShellCommand[] {
  const text = source.trim();
  for (const p of PARSERS) {
    const cmds = p.parse(text);
    if (cmds) return cmds;
  }
  return [];
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
  const lines = source
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
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
  constructor(
    private out: ShellCommand[],
    private depth: number,
  ) {}

  visit(node: Node): void {
    const out = this.out;
    if (node.type === "redirected_statement") {
      const body =
        node.childForFieldName("body") ?? node.namedChildren.find((c) => c !== null && !REDIRECTS.has(c.type)) ?? null;
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
          if (
            target &&
            r.type === "heredoc_redirect" &&
            target.name === "cat" &&
            !target.args.length &&
            c.type === "pipeline" &&
            out.length > before &&
            out[before].heredoc === undefined
          ) {
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
  if (node.type === "command_substitution" || node.type === "process_substitution" || REDIRECTS.has(node.type))
    return null;
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
    for (const c of r.namedChildren)
      if (c?.type === "file_redirect") {
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
  const dest =
    n.childForFieldName("destination") ??
    n.namedChildren.filter((c) => c && c.type !== "file_descriptor").pop() ??
    null;
  if (!dest) return null;
  const op = n.children.find((c) => c !== null && !c.isNamed)?.text ?? ">";
  if (dest.type === "number") return null; // 2>&1
  return { op, target: unquote(dest) };
}

/** The value of a word, string or concatenation with shell quoting removed. */
function unquote(n: Node): string {
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
