/** How runs end: each scaffold's exit statuses, and the words read from statuses no scaffold knows. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endingOf } from "../../src/scaffolds/actions.js";
import { endingFromWords } from "../../src/scaffolds/common/ending.js";
import type { RunEnding } from "../../src/types/action.js";
import type { FormatName, Trajectory } from "../../src/types/trajectory.js";

function ending(format: FormatName, status: string | null): RunEnding {
  const t = { source: { format }, exit_status: status } as Trajectory;
  return endingOf(t);
}

describe("each scaffold's exit statuses", () => {
  const cases: [FormatName, string | null, RunEnding][] = [
    // seen in the shared data
    ["sweagent-traj", "submitted", "submitted"],
    ["sweagent-traj", "submitted (exit_cost)", "cost_limit"],
    ["sweagent-traj", "exit_cost", "cost_limit"],
    ["sweagent-traj", "early_exit", "error"],
    ["sweagent-traj", null, "unknown"],
    ["mini-swe-agent", "Submitted", "submitted"],
    ["mini-swe-agent", "LimitsExceeded", "step_limit"],
    ["moatless", "finished", "submitted"],
    ["moatless", "rejected", "gave_up"],
    ["moatless", "error: RuntimeError: The loop was aborted because the cost exceeded the limit.", "cost_limit"],
    ["moatless", "error: Max cost reached.", "cost_limit"],
    ["autocoderover", "APPLICABLE_PATCH", "submitted"],
    ["autocoderover", "RAW_PATCH_BUT_UNPARSED", "error"],
    ["autocoderover", "RAW_PATCH_BUT_UNMATCHED", "error"],
    [
      "openhands-llm-completion",
      "error: Agent reached maximum iteration in headless mode. Current iteration: 50.00, max iteration: 50.00",
      "step_limit",
    ],
    [
      "openhands-output",
      "error: RuntimeError: Agent reached maximum iteration in headless mode. Current iteration: 50, max iteration: 50",
      "step_limit",
    ],
    ["openhands-output", "submitted", "submitted"],
    ["openhands-output", "error: AgentStuckInLoopError: Agent got stuck in a loop", "error"],
    // other statuses these scaffolds write
    ["sweagent-traj", "submitted (exit_context)", "context_limit"],
    ["sweagent-traj", "exit_context", "context_limit"],
    ["sweagent-traj", "exit_format", "format_error"],
    ["sweagent-traj", "submitted (exit_format)", "format_error"],
    ["sweagent-traj", "exit_forfeit", "gave_up"],
    ["sweagent-traj", "exit_command_timeout", "time_limit"],
    ["sweagent-traj", "exit_total_execution_time", "time_limit"],
    ["sweagent-traj", "exit_error", "error"],
    ["sweagent-traj", "exit_api", "error"],
    ["mini-swe-agent", "FormatError", "format_error"],
    ["mini-swe-agent", "TimeoutExpired", "time_limit"],
    ["openhands-output", "error: ContextWindowExceededError: too long", "context_limit"],
    // a status a scaffold's table does not know is read for its words
    ["mini-swe-agent", "CostLimitExceeded", "cost_limit"],
    ["sweagent-traj", "something new", "unknown"],
  ];
  for (const [format, status, want] of cases) {
    it(`${format}: ${JSON.stringify(status)} -> ${want}`, () => assert.equal(ending(format, status), want));
  }
});

describe("exit statuses of unknown scaffolds (datasets), by their words", () => {
  const cases: [string | null, RunEnding][] = [
    ["submitted", "submitted"],
    ["submit", "submitted"],
    ["exit_cost", "cost_limit"],
    ["error: ContextWindowExceededError: too long", "context_limit"],
    ["maximum iterations reached", "step_limit"],
    ["timed out", "time_limit"],
    ["format error", "format_error"],
    ["gave up", "gave_up"],
    ["Exception: boom", "error"],
    [null, "unknown"],
    ["something new", "unknown"],
  ];
  for (const [status, want] of cases) {
    it(`${JSON.stringify(status)} -> ${want}`, () => {
      assert.equal(endingFromWords(status), want);
      assert.equal(ending("chat-jsonl", status), want);
    });
  }
});
