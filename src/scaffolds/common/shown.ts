/** Files whose code a search tool's result showed (AutoCodeRover `<file>` tags, Moatless `"file_path":` spans). */
export function shownFiles(obs: string): string[] {
  const out = new Set<string>();
  // `<file>([^<\n]+)</file>\s*(?:<class>|<func>|<code>)`, found from each `<file>`
  for (let k = obs.indexOf("<file>"); k >= 0; ) {
    const start = k + 6;
    let end = start;
    while (end < obs.length && obs[end] !== "<" && obs[end] !== "\n") end++;
    let next = start;
    if (end > start && obs.startsWith("</file>", end)) {
      let j = end + 7;
      while (j < obs.length && SPACE.test(obs[j])) j++;
      if (obs.startsWith("<class>", j) || obs.startsWith("<func>", j) || obs.startsWith("<code>", j)) {
        out.add(obs.slice(start, end));
        next = j + (obs[j + 1] === "c" && obs[j + 2] === "l" ? 7 : 6);
      }
    }
    k = obs.indexOf("<file>", next);
  }
  // `"file_path":\s*"([^"]+)"`, found from each `"file_path":`
  for (let k = obs.indexOf('"file_path":'); k >= 0; ) {
    let j = k + 12;
    while (j < obs.length && SPACE.test(obs[j])) j++;
    let next = k + 1;
    if (obs[j] === '"') {
      const close = obs.indexOf('"', j + 1);
      if (close > j + 1) {
        out.add(obs.slice(j + 1, close));
        next = close + 1;
      }
    }
    k = obs.indexOf('"file_path":', next);
  }
  return [...out];
}

const SPACE = /\s/;

/** The failures of the search/replace and patch editors of Moatless and AutoCodeRover, as they word them. */
export const EDIT_NOT_APPLIED = /^(?:Failed|Couldn't|Could not|No changes|The code in the replace tag|updated: false)/m;
export const EDIT_NOT_APPLIED_ANYWHERE = /did not apply|Failed to apply|could not be applied|was not applied/i;
