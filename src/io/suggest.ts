/** "Did you mean": the known names closest to a misspelt one, by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[t.length];
}

/** All candidates, closest to `word` first (ties in the given order). */
export function byCloseness(word: string, candidates: readonly string[]): string[] {
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(word, c) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.c);
}

/**
 * The candidates close enough to be what was meant (at most a third of the
 * longer name's letters differ, or one name contains the other), closest first.
 */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const near = (c: string) => {
    const w = word.toLowerCase();
    const k = c.toLowerCase();
    if (w.length >= 3 && (k.includes(w) || w.includes(k))) return true;
    const head = (x: string) => x.split(/[-_.\s/]/)[0];
    if (head(w).length >= 4 && head(w) === head(k)) return true; // same first word: reproduces_before_fix ~ reproduces_first
    return editDistance(word, c) <= Math.max(1, Math.floor(Math.max(word.length, c.length) / 3));
  };
  return byCloseness(word, candidates).filter(near).slice(0, max);
}

/** `; did you mean 'x'?` (or `'x' or 'y'`), or "" when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = closest(word, candidates);
  if (!near.length) return "";
  return `; did you mean ${near.map((n) => `'${n}'`).join(" or ")}?`;
}
