/**
 * How a run ended, read from an exit status no scaffold's own table knows (datasets, new
 * versions): the words limits and failures are written with.
 */
import type { RunEnding } from "../../types/action.js";

export function endingFromWords(status: string | null): RunEnding {
  if (!status) return "unknown";
  const s = status.toLowerCase();
  if (/cost|budget/.test(s)) return "cost_limit";
  if (/context|too long|token limit|contextwindow/.test(s)) return "context_limit";
  if (
    /maximum iteration|max(?:imum)? iterations?|limitsexceeded|step limit|max_steps?|steps? exceeded|iteration limit/.test(
      s,
    )
  )
    return "step_limit";
  if (/time ?out|timed out|time limit|timeoutexpired|execution_time|wall.?clock/.test(s)) return "time_limit";
  if (/format/.test(s)) return "format_error";
  if (/forfeit|reject|give up|gave up/.test(s)) return "gave_up";
  if (/^submitted|^finished|^applicable_patch|^submit$/.test(s)) return "submitted";
  if (/error|exception|early_exit|unparsed|unmatched|no_patch|empty|fail|stuck|exit_/.test(s)) return "error";
  return "unknown";
}
