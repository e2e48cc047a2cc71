/**
 * The trajectory as a judge reads it: numbered steps (so evidence maps back),
 * task first, every action kept, long observations cut in the middle with a
 * marker, the final patch whole when it fits, all within a token budget.
 * Trajectory text is untrusted: it is fenced with a per-prompt random-free
 * delimiter it cannot contain, and attempts to address the judge are
 * neutralised and flagged. Labels are never rendered.
 */
import { createHash } from "node:crypto";
import { getEncoding, type Tiktoken } from "js-tiktoken";
import type { Trajectory } from "../types/trajectory.js";

let enc: Tiktoken | null = null;

/** Tokens of a text with the o200k encoding (the default counter). */
export function countTokens(text: string): number {
  enc ??= getEncoding("o200k_base");
  return enc.encode(text).length;
}

/** Phrases agents (or injected text) use to steer a judge; replaced and flagged. */
const INJECTION = [
  /ignore (all |any )?(the )?(previous|prior|above) (instructions|prompts?)/gi,
  /disregard (all |any )?(the )?(previous|prior|above) (instructions|prompts?)/gi,
  /\b(you are|act as) (now )?(the|a|an) (judge|grader|evaluator|reward model)\b/gi,
  /\b(answer|respond|reply|output|say)\s*(with\s*)?["'`]?(YES|TRUE|PASS)["'`]?\b/g,
  /<\/?(system|instructions?|judge|im_start|im_end)\b[^>]*>/gi,
  /<\|im_(start|end)\|>/g,
];
/** Bare "master key" replies that fool LLM judges. */
const MASTER_KEY = /^\s*(:|\.|Thought process:|Let's solve this problem step by step\.?|Solution)\s*$/i;

export interface Rendered {
  text: string;
  /** sha256 of the rendered transcript */
  hash: string;
  tokens: number;
  /** injection attempts found and neutralised, as "step N: phrase" */
  flags: string[];
  /** characters cut from observations to fit the budget */
  cut: number;
}

function neutralise(text: string, where: string, flags: string[]): string {
  let out = text.replace(/<<</g, "‹‹‹").replace(/>>>/g, "›››");
  for (const re of INJECTION) {
    out = out.replace(re, (m) => {
      flags.push(`${where}: ${m.slice(0, 60)}`);
      return "[text addressed to the judge removed]";
    });
  }
  if (MASTER_KEY.test(out)) {
    flags.push(`${where}: bare reply ${JSON.stringify(out.trim())}`);
    out = "[bare reply removed]";
  }
  return out;
}

function cutMiddle(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  const cut = text.length - head - tail;
  return { text: `${text.slice(0, head)}\n[... ${cut} characters cut ...]\n${text.slice(text.length - tail)}`, cut };
}

/**
 * Render within `maxTokens`. Observations share what is left after the task,
 * the actions and the patch; if even that does not fit, the longest parts are
 * cut further. Token counts use a 4-characters-per-token estimate while
 * fitting and the real tokenizer once on the result.
 */
export function renderTranscript(t: Trajectory, maxTokens = 24000): Rendered {
  const flags: string[] = [];
  const task = neutralise(t.task ?? t.messages.find((m) => m.role === "user")?.content ?? "(no task recorded)", "task", flags);
  const steps = t.steps.map((s) => ({
    head: `### Step ${s.index}\n` + (s.thought ? `Thought: ${neutralise(s.thought, `step ${s.index}`, flags)}\n` : "") + (s.tool === "none" ? "Action: (none)\n" : `Action (${s.tool}):\n${neutralise(s.action, `step ${s.index}`, flags)}\n`),
    obs: s.observation === null ? null : neutralise(s.observation, `step ${s.index} observation`, flags),
  }));
  const patch = t.patch ? neutralise(t.patch, "patch", flags) : null;
  const budget = maxTokens * 4;
  let fixed = task.length + steps.reduce((a, s) => a + s.head.length, 0) + (patch?.length ?? 0) + 400;
  let taskText = task;
  let patchText = patch;
  let cut = 0;
  if (fixed > budget) {
    // cut the task and the patch too, then actions, keeping every step's header
    const c1 = cutMiddle(taskText, Math.max(2000, Math.floor(budget * 0.15)));
    taskText = c1.text;
    cut += c1.cut;
    if (patchText) {
      const c2 = cutMiddle(patchText, Math.max(4000, Math.floor(budget * 0.25)));
      patchText = c2.text;
      cut += c2.cut;
    }
    const perHead = Math.max(200, Math.floor((budget * 0.5) / Math.max(1, steps.length)));
    for (const s of steps) {
      const c = cutMiddle(s.head, perHead);
      s.head = c.text;
      cut += c.cut;
    }
    fixed = taskText.length + steps.reduce((a, s) => a + s.head.length, 0) + (patchText?.length ?? 0) + 400;
  }
  const withObs = steps.filter((s) => s.obs !== null);
  const perObs = Math.max(300, Math.floor(Math.max(0, budget - fixed) / Math.max(1, withObs.length)));
  const parts: string[] = [`## Task\n${taskText}\n`, "## Steps"];
  for (const s of steps) {
    let block = s.head;
    if (s.obs !== null) {
      const c = cutMiddle(s.obs, perObs);
      cut += c.cut;
      block += `Observation:\n${c.text}\n`;
    }
    parts.push(block);
  }
  parts.push(patchText ? `## Final patch\n${patchText}` : "## Final patch\n(none)");
  const text = parts.join("\n");
  return { text, hash: createHash("sha256").update(text).digest("hex"), tokens: countTokens(text), flags, cut };
}

/** Untrusted transcript between delimiters the transcript cannot contain (they were neutralised). */
export function fence(transcript: string): string {
  return `<<<TRAJECTORY\n${transcript}\nTRAJECTORY>>>`;
}
