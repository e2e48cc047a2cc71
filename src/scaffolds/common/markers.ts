/** Finding a scaffold's messages in an observation, and the messages several scaffolds share. */
import type { Marker, Markers } from "../types.js";

/** Observations longer than this are read at their head and tail only (half each). */
export const MAX_SCAN = 40_000;

/** The part of an observation that is read: all of it, or its head and tail when it is long. */
export function scanned(text: string): string {
  return text.length > MAX_SCAN ? text.slice(0, MAX_SCAN / 2) + "\n" + text.slice(-MAX_SCAN / 2) : text;
}

/**
 * Whether one of `markers` occurs wholly within the first or last 2,000 characters of `t` (the
 * scaffolds put their own messages first or last) and its pattern, if any, matches those ends.
 */
export function marked(t: string, markers: readonly Marker[]): boolean {
  let ends: string | null = null;
  for (const [lit, re] of markers) {
    const at = t.indexOf(lit);
    if (at < 0) continue;
    const inEnds = t.length <= 4000 || at + lit.length <= 2000 || t.lastIndexOf(lit) >= t.length - 2000;
    if (!inEnds) continue;
    if (!re) return true;
    ends ??= t.length > 4000 ? t.slice(0, 2000) + "\n" + t.slice(-2000) : t;
    if (re.test(ends)) return true;
  }
  return false;
}

/** Messages of file editors several scaffolds share (OpenHands' and SWE-agent 1.x's `str_replace_editor`). */
export const editorMarkers: Markers = {
  edit_rejected: [["No replacement was performed"], ["did not appear verbatim in"], ["Your edit was not applied"]],
  missing_path: [["does not exist", /The path ([\w./-]+) does not exist/g]],
};
