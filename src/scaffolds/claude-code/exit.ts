/**
 * How a Claude Code session ended. The log records no exit status: a session is a conversation
 * the user can pick up at any time. What it does record is its last event, and that says how
 * the last turn ended: the agent answered and handed back, an API error stopped it, the user
 * interrupted it, or the log stops in the middle of a turn (the client was killed, or the file
 * was copied while the session ran).
 *
 * The status strings start with the words rubricate's exit families look for (`finished`,
 * `error`, `context_limit`, `cost_limit`), so `exitFamily` sorts them without knowing Claude Code.
 */
import type { ExitReason } from "../../types/action.js";

/** The main agent's last event in the log (sub-agents' events do not count). */
export type SessionEnd =
  /** an assistant reply; `calls` = its tool calls, `unanswered` = how many got no result */
  | { kind: "assistant"; calls: number; unanswered: number }
  /** a synthetic assistant line for a failed API call (`isApiErrorMessage`) */
  | { kind: "api_error"; text: string }
  /** tool results with no reply after them */
  | { kind: "tool_result" }
  /** the user's `[Request interrupted by user]` note, or a rejected call the agent stopped at */
  | { kind: "interrupted" }
  /** a user message with no reply */
  | { kind: "user" }
  /** no conversation at all */
  | { kind: "none" };

/** Why an API error ended the run, from its text. */
export function apiErrorReason(text: string): ExitReason {
  if (/prompt is too long|context (?:length|window)|maximum context|too many tokens/i.test(text))
    return "context_limit";
  if (/usage limit|credit balance|spend(?:ing)? limit|budget|quota/i.test(text)) return "cost_limit";
  return "error";
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

/** The exit status for a session's last event, or null when there is nothing to say. */
export function exitStatus(end: SessionEnd): string | null {
  switch (end.kind) {
    case "assistant":
      if (end.calls === 0) return "finished: end of turn";
      return end.unanswered > 0
        ? "incomplete: the log ends during a tool call"
        : "incomplete: the log ends after a tool call";
    case "api_error": {
      const reason = apiErrorReason(end.text);
      return `${reason === "error" ? "error" : reason}: ${oneLine(end.text)}`;
    }
    case "tool_result":
      return "incomplete: the log ends after a tool result";
    case "interrupted":
      return "interrupted by user";
    case "user":
      return "incomplete: the log ends with an unanswered user message";
    case "none":
      return null;
  }
}
