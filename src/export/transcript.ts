/**
 * A trajectory as one text for a reward model: the task, the agent's turns (its text, its calls,
 * their results) and the final patch, within a token budget. When it does not fit, the task's
 * head and the patch are kept (each within a share of the budget) and the turns are kept from the
 * end backwards: what a reward model most needs is how the attempt ended and what it changed.
 */
import type { TokenCounter } from "../judge/tokens.js";
import type { Trajectory } from "../types/trajectory.js";
import { conversation, type Turn } from "./conversation.js";

export interface TranscriptOptions {
  maxTokens: number;
  counter: TokenCounter;
  /** largest share of the budget the task may take (default 0.25) */
  taskShare?: number;
  /** largest share of the budget the patch may take (default 0.35) */
  patchShare?: number;
}

export interface Transcript {
  text: string;
  tokens: number;
  /** turns left out from the start of the run */
  omittedTurns: number;
  /** whether the task or the patch had to be cut */
  cut: boolean;
}

function block(x: Turn): string {
  if (x.role === "assistant") {
    const calls = x.calls.map((c) => {
      let args = c.arguments;
      try {
        const v = JSON.parse(c.arguments) as Record<string, unknown>;
        if (v && typeof v.command === "string" && Object.keys(v).length === 1) args = v.command;
      } catch {
        /* keep the raw text */
      }
      return `[call ${c.name}]\n${args}`;
    });
    return ["[assistant]", x.text, ...calls].filter(Boolean).join("\n");
  }
  if (x.role === "tool") return `[result ${x.name}]\n${x.text}`;
  return `[${x.role}]\n${x.text}`;
}

/** The first `max` tokens' worth of `text` (by halving), marked when cut. */
function head(text: string, max: number, counter: TokenCounter): string {
  if (counter.count(text) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 64) {
    const mid = (lo + hi) >> 1;
    if (counter.count(text.slice(0, mid)) + 8 <= max) lo = mid;
    else hi = mid;
  }
  return `${text.slice(0, lo)}\n[... cut ...]`;
}

/** The last `max` tokens' worth of `text`, marked when cut. */
function tail(text: string, max: number, counter: TokenCounter): string {
  if (counter.count(text) <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 64) {
    const mid = (lo + hi) >> 1;
    if (counter.count(text.slice(mid)) + 8 <= max) hi = mid;
    else lo = mid;
  }
  return `[... cut ...]\n${text.slice(hi)}`;
}

export function transcript(t: Trajectory, o: TranscriptOptions): Transcript {
  const c = o.counter;
  const turns = conversation(t).filter((x) => x.role !== "system");
  const firstUser = turns.findIndex((x) => x.role === "user");
  const task = t.task ?? (firstUser >= 0 ? (turns[firstUser] as { text: string }).text : "");
  // the scaffold's first message wraps the task; the task itself stands at the top instead
  const body = turns.filter((_, i) => i !== firstUser).map(block);
  const taskText = `[task]\n${head(task, Math.floor(o.maxTokens * (o.taskShare ?? 0.25)), c)}`;
  const patch = t.patch?.trim() ? t.patch : "(none)";
  const patchBody = tail(patch, Math.floor(o.maxTokens * (o.patchShare ?? 0.35)) - 8, c);
  const patchKept = `[final patch]\n${patchBody}`;
  const cut = taskText.endsWith("[... cut ...]") || patchBody !== patch;
  let room = o.maxTokens - c.count(taskText) - c.count(patchKept) - 16;
  const kept: string[] = [];
  for (let i = body.length - 1; i >= 0; i--) {
    const n = c.count(body[i]) + 1;
    if (n <= room) {
      kept.unshift(body[i]);
      room -= n;
      continue;
    }
    if (!kept.length && room > 32) kept.unshift(tail(body[i], room, c));
    break;
  }
  const omitted = body.length - kept.length;
  const parts = [taskText, ...(omitted ? [`[... ${omitted} earlier turns omitted ...]`] : []), ...kept, patchKept];
  const text = parts.join("\n\n");
  return { text, tokens: c.count(text), omittedTurns: omitted, cut };
}
