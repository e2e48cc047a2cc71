/**
 * JSON for label files, read leniently: some published runs carry trailing
 * commas (`["a", "b",]`, `{"resolved": [...],}`) or a byte-order mark. Those
 * are blanked out (each replaced by one space, so every offset, line and column
 * stays that of the file) and the text is parsed again; anything else that is
 * not JSON is still an error naming the file, line and column.
 */
import { parseJson } from "../io/read.js";

/** Parse label JSON, tolerating trailing commas and a BOM; throws IngestError (file, line) when unreadable. */
export function parseLabelJson(text: string, file: string, baseLine?: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // fall through: retry without trailing commas, and report errors against the original positions
  }
  return parseJson(blankTrailingCommas(text), file, baseLine);
}

/**
 * The text with a leading BOM and every comma that is followed (after white
 * space only) by `]` or `}` replaced by a space. Commas inside strings are kept.
 */
export function blankTrailingCommas(text: string): string {
  const blank: number[] = text.charCodeAt(0) === 0xfeff ? [0] : [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === ",") {
      let j = i + 1;
      while (j < text.length && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
      if (text[j] === "]" || text[j] === "}") blank.push(i);
    }
  }
  if (!blank.length) return text;
  let out = "";
  let from = 0;
  for (const i of blank) {
    out += text.slice(from, i) + " ";
    from = i + 1;
  }
  return out + text.slice(from);
}
