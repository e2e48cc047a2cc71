/**
 * Patches as SWE-bench predictions: text `git apply` accepts. Every patch ends
 * with a newline (a source that stripped the last one leaves a corrupt hunk),
 * and a patch whose every line ends in CRLF, diff headers included, is a
 * terminal capture (git never writes CRLF headers): its line ends become LF.
 * CRLF on only some lines is file content and is kept byte for byte.
 */
export function predictionPatch(patch: string | null | undefined): string {
  if (!patch) return "";
  let p = patch;
  const lines = p.split("\n").length - 1;
  const crlf = (p.match(/\r\n/g) ?? []).length;
  if (lines > 0 && crlf === lines) p = p.replace(/\r\n/g, "\n");
  // blank lines before the first header (a capture's leading newline) are not part of the diff
  p = p.replace(/^(?:[ \t]*\r?\n)+(?=diff --git |--- |Index: )/, "");
  return p.endsWith("\n") ? p : `${p}\n`;
}

/**
 * Instance ids from a file: one per line, or JSONL / a JSON array of rows with
 * `instance_id` (a SWE-bench dataset export); blank lines and `#` comments skipped.
 */
export function parseIds(text: string, file: string): Set<string> {
  const ids = new Set<string>();
  const trimmed = text.trim();
  const fromRow = (row: unknown, where: string) => {
    const id = typeof row === "string" ? row : (row as { instance_id?: unknown } | null)?.instance_id;
    if (typeof id !== "string" || !id) throw new Error(`${where}: expected an instance id or a row with instance_id`);
    ids.add(id);
  };
  if (trimmed.startsWith("[")) {
    let rows: unknown;
    try {
      rows = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`${file}: not a JSON array: ${(e as Error).message}`);
    }
    (rows as unknown[]).forEach((r, i) => fromRow(r, `${file}: item ${i}`));
  } else
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith("#")) return;
      if (!line.startsWith("{")) return fromRow(line, `${file}:${i + 1}`);
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: not a JSON row: ${(e as Error).message}`);
      }
      fromRow(row, `${file}:${i + 1}`);
    });
  if (!ids.size) throw new Error(`${file}: no instance ids in it`);
  return ids;
}
