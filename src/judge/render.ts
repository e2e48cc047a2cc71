/**
 * The trajectory as a judge reads it: numbered steps (so evidence maps back),
 * task first, every action kept, long observations cut in the middle with a
 * marker, the final patch whole when it fits, all within a token budget.
 * Trajectory text is untrusted: it is fenced with a delimiter it cannot
 * contain, and every piece of it (task, thoughts, tool names, actions,
 * observations, patch) is neutralised the same way, attempts to address the
 * judge flagged (`analyze/injection.ts`). Labels are never rendered.
 */
import { createHash } from "node:crypto";
import type { Trajectory } from "../types/trajectory.js";
import { FENCE_CLOSE, FENCE_OPEN, neutralise, taskText } from "../analyze/injection.js";
import { defaultCounter, type TokenCounter } from "./tokens.js";

/** Tokens of a text with the default counter (exact o200k_base). */
export function countTokens(text: string): number {
  return defaultCounter().count(text);
}

export interface Rendered {
  text: string;
  /** sha256 of the rendered transcript */
  hash: string;
  /** tokens of `text`: exact for `counter`, or an upper bound when `exact` is false */
  tokens: number;
  /**
   * false when the text was not counted because a cheap upper bound (`TokenCounter.atMost`, its
   * UTF-8 bytes for tiktoken) already fits the budget: `tokens` is then that bound
   */
  exact: boolean;
  /** the counter that gave `tokens` (TokenCounter.name) */
  counter: string;
  /** injection attempts found and neutralised, as "step N: phrase" */
  flags: string[];
  /** characters cut from observations to fit the budget */
  cut: number;
}

function cutMiddle(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  const cut = text.length - head - tail;
  return { text: `${text.slice(0, head)}\n[... ${cut} characters cut ...]\n${text.slice(text.length - tail)}`, cut };
}

/**
 * Render within `maxTokens` as `counter` counts them. Observations share what
 * is left after the task, the actions and the patch; if even that does not
 * fit, the longest parts are cut further. The layout is fitted with a
 * 4-characters-per-token estimate, then counted; text that tokenises more
 * densely (CJK, hex, unusual scripts) is cut further and recounted until it
 * fits. Only when that cannot be done (not even every step's header fits)
 * does `tokens` exceed `maxTokens`.
 */
export function renderTranscript(t: Trajectory, maxTokens = 24000, counter: TokenCounter = defaultCounter()): Rendered {
  const flags: string[] = [];
  // every piece of agent-written text goes through the same neutralisation (see analyze/injection.ts)
  const task = neutralise(taskText(t), "task", flags);
  const steps = t.steps.map((s) => {
    const at = `step ${s.index}`;
    return {
      head:
        `### Step ${s.index}\n` +
        (s.thought ? `Thought: ${neutralise(s.thought, `${at} thought`, flags)}\n` : "") +
        (s.tool === "none"
          ? "Action: (none)\n"
          : `Action (${oneLine(neutralise(s.tool, `${at} tool name`, flags))}):\n${neutralise(s.action, `${at} action`, flags)}\n`),
      obs: s.observation === null ? null : neutralise(s.observation, `${at} observation`, flags),
    };
  });
  const patch = t.patch ? neutralise(t.patch, "patch", flags) : null;
  let budget = maxTokens * 4; // characters
  let last = -1;
  for (let round = 0; ; round++) {
    const r = layout(task, steps, patch, budget, budget / (maxTokens * 4));
    // counted exactly only when the cheap bound does not already show that it fits
    const bound = counter.atMost?.(r.text);
    const exact = bound === undefined || bound > maxTokens;
    const tokens = exact ? counter.count(r.text) : bound;
    // stop when it fits, or when cutting further changes nothing
    if (tokens <= maxTokens || round === 12 || r.text.length === last)
      return {
        text: r.text,
        hash: createHash("sha256").update(r.text).digest("hex"),
        tokens,
        exact,
        counter: counter.name,
        flags,
        cut: r.cut,
      };
    last = r.text.length;
    budget = Math.min(budget, r.text.length) * Math.min(0.9, (0.95 * maxTokens) / tokens);
  }
}

/**
 * The largest length cap such that observations cut to it fit in `room`:
 * short observations stay whole and the room they leave goes to the long ones.
 */
export function shareCap(lengths: number[], room: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = room;
  for (let i = 0; i < sorted.length; i++) {
    const even = left / (sorted.length - i);
    if (sorted[i] > even) return Math.floor(even);
    left -= sorted[i];
  }
  return Number.MAX_SAFE_INTEGER;
}

/** The transcript cut to about `budget` characters; `scale` shrinks the minimum sizes of parts too. */
function layout(
  task: string,
  steps: { head: string; obs: string | null }[],
  patch: string | null,
  budget: number,
  scale: number,
): { text: string; cut: number } {
  const floor = (n: number) => Math.ceil(n * scale);
  let fixed = task.length + steps.reduce((a, s) => a + s.head.length, 0) + (patch?.length ?? 0) + 400;
  let taskText = task;
  let patchText = patch;
  let heads = steps.map((s) => s.head);
  let cut = 0;
  if (fixed > budget) {
    // cut the task and the patch too, then actions, keeping every step's header
    const c1 = cutMiddle(taskText, Math.max(floor(2000), Math.floor(budget * 0.15)));
    taskText = c1.text;
    cut += c1.cut;
    if (patchText) {
      const c2 = cutMiddle(patchText, Math.max(floor(4000), Math.floor(budget * 0.25)));
      patchText = c2.text;
      cut += c2.cut;
    }
    const perHead = Math.max(floor(200), Math.floor((budget * 0.5) / Math.max(1, steps.length)));
    heads = heads.map((h) => {
      const c = cutMiddle(h, perHead);
      cut += c.cut;
      return c.text;
    });
    fixed = taskText.length + heads.reduce((a, h) => a + h.length, 0) + (patchText?.length ?? 0) + 400;
  }
  const perObs = Math.max(
    floor(300),
    shareCap(
      steps.flatMap((s) => (s.obs === null ? [] : [s.obs.length])),
      Math.max(0, budget - fixed),
    ),
  );
  const parts: string[] = [`## Task\n${taskText}\n`, "## Steps"];
  steps.forEach((s, i) => {
    let block = heads[i];
    if (s.obs !== null) {
      const c = cutMiddle(s.obs, perObs);
      cut += c.cut;
      block += `Observation:\n${c.text}\n`;
    }
    parts.push(block);
  });
  parts.push(patchText ? `## Final patch\n${patchText}` : "## Final patch\n(none)");
  return { text: parts.join("\n"), cut };
}

/** A tool name on one line, at most 200 characters (a name is a word; a long one is text smuggled in). */
function oneLine(name: string): string {
  const flat = name.replace(/[\r\n\t]+/g, " ");
  return flat.length > 200 ? `${flat.slice(0, 200)} [... ${flat.length - 200} characters cut]` : flat;
}

/** Untrusted transcript between delimiters the transcript cannot contain (they were neutralised). */
export function fence(transcript: string): string {
  return `${FENCE_OPEN}\n${transcript}\n${FENCE_CLOSE}`;
}
