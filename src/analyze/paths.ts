/**
 * Paths as the agent wrote them, made comparable with the repository-relative
 * paths of the final patch: sandbox roots (/testbed, /workspace/<repo>,
 * /<owner>__<repo>) and `./` are stripped.
 */
import { posix } from "node:path";

const ROOTS = [
  /^\/testbed\//,
  /^\/workspace\/[^/]+\//,
  /^\/repo\//,
  /^\/app\//,
  /^\/src\/[^/]+__[^/]+\//,
  /^\/[\w.-]+__[\w.-]+(?:__[\d.]+)?\//, // SWE-agent 0.x and OpenHands: /django__django/, /ponylang__ponyc__0.1/
  /^\/some\/path\//,
];
/** The roots as one pattern: its alternatives are tried in order, so it strips the first root that matches. */
const ROOT = new RegExp(`^(?:${ROOTS.map((re) => re.source.slice(1)).join("|")})`);

/** A relative path with no `.`/`..` segments, doubled slashes or quotes: already as wanted. */
const CLEAN_RELATIVE = /^(?!\.{1,2}(?:\/|$))[\w@+-][^"'\s]*$/;

/** A last character that trimming or unquoting would remove. */
const ENDS_ODD = /[\s"']$/;

export function repoPath(p: string, cwd: string | null = null): string {
  if (!cwd && CLEAN_RELATIVE.test(p) && !p.includes("/.") && !p.includes("//")) return p;
  let s: string;
  if (p.startsWith("/") && !p.includes("/.") && !p.includes("//") && !ENDS_ODD.test(p))
    s = p; // (already trimmed and normal)
  else {
    s = p.trim().replace(/^["']|["']$/g, "");
    if (!s) return s;
    if (!s.startsWith("/") && cwd) s = posix.join(cwd, s);
    s = posix.normalize(s);
  }
  const root = s.startsWith("/") ? ROOT.exec(s) : null;
  if (root) s = s.slice(root[0].length);
  // the checkout itself; a file directly in /workspace (OpenHands scratch scripts) stays as it is
  else if (s === "/testbed" || /^\/workspace\/(?:[^/.]+|[^/]*__[^/]*)$/.test(s)) return ".";
  return s.startsWith("./") ? s.slice(2) : s;
}

/** True when two paths name the same file (one may carry a prefix the other lacks). */
export function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length > 0 && long.endsWith("/" + short);
}

const SYSTEM_DIR = /^\/(?:usr|etc|opt|var|lib|bin|sbin|root|home|tmp|proc|sys|dev)(?:\/|$)/;

/** Whether a path lies outside the repository checkout (system, home, site-packages). */
export function outsideRepo(p: string): boolean {
  // (the folder names looked up only in absolute paths, and the package folders only where
  // "-packages" occurs: an unanchored pattern would be tried at every character of every path)
  if (p.startsWith("/") && (p === "/" || SYSTEM_DIR.test(p))) return true;
  return p.includes("-packages") && (p.includes("site-packages") || p.includes("dist-packages"));
}
