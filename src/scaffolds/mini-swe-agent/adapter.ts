/**
 * mini-swe-agent `.traj.json`: `mini-swe-agent-1` (fenced bash blocks in the
 * assistant text, observations as user messages) and `mini-swe-agent-1.1`
 * (native tool calls, `role: "tool"` observations, a final `role: "exit"`).
 */
import { basename } from "node:path";
import type { Message } from "../../types/trajectory.js";
import {
  asArray,
  asObject,
  fencedCommands,
  MINI_LANGS,
  makeTrajectory,
  normaliseToolCall,
  optNumber,
  optString,
  runFromPath,
  syntheticCall,
  textOf,
} from "../build.js";
import { IngestError, type JsonAdapter } from "../types.js";

const PR = /<pr_description>\s*(?:Consider the following PR description:\s*)?([\s\S]*?)\s*<\/pr_description>/;

export const miniSweAgentAdapter: JsonAdapter = {
  format: "mini-swe-agent",
  detect(value) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return false;
    const v = value as Record<string, unknown>;
    return typeof v.trajectory_format === "string" && v.trajectory_format.startsWith("mini-swe-agent");
  },
  read(value, ctx) {
    const file = ctx.file;
    const root = asObject(value, file, "(root)");
    const variant = String(root.trajectory_format).replace(/^mini-swe-agent-?/, "") || "1";
    const info = root.info === undefined ? {} : asObject(root.info, file, "info");
    const raw = asArray(root.messages, file, "messages");
    const messages: Message[] = [];
    raw.forEach((r, i) => {
      const m = asObject(r, file, `messages[${i}]`);
      const role = m.role;
      if (role === "exit") return; // scaffold bookkeeping: the submission, kept in `patch`
      if (role !== "system" && role !== "user" && role !== "assistant" && role !== "tool") {
        throw new IngestError(
          file,
          `expected role system|user|assistant|tool|exit, got ${JSON.stringify(role)}`,
          undefined,
          `messages[${i}].role`,
        );
      }
      const msg: Message = { role, content: textOf(m.content) };
      if (role === "assistant") {
        if (Array.isArray(m.tool_calls) && m.tool_calls.length) {
          msg.tool_calls = m.tool_calls.map((c, k) =>
            normaliseToolCall(c, `call_${i}_${k}`, file, `messages[${i}].tool_calls[${k}]`),
          );
        } else {
          const cmds = fencedCommands(msg.content, MINI_LANGS);
          if (cmds.length)
            msg.tool_calls = cmds.map((command, k) => syntheticCall(`call_${i}_${k}`, "bash", { command }));
        }
        const reasoning = optString(m.reasoning_content);
        if (reasoning) msg.reasoning_content = reasoning;
      }
      if (role === "tool" && typeof m.tool_call_id === "string") msg.tool_call_id = m.tool_call_id;
      messages.push(msg);
    });
    const instance = optString(root.instance_id) ?? instanceFromPath(file);
    const firstUser = messages.find((m) => m.role === "user");
    const stats = asObjectOr(info.model_stats);
    const config = asObjectOr(info.config);
    const model = optString(asObjectOr(config.model).model_name);
    return makeTrajectory({
      hash: ctx.hash,
      instance_id: instance,
      source: {
        format: "mini-swe-agent",
        variant,
        file,
        scaffold: `mini-swe-agent${typeof info.mini_version === "string" ? " " + info.mini_version : ""}`,
        model,
        run: runFromPath(file, instance),
      },
      task: firstUser ? (PR.exec(firstUser.content)?.[1] ?? firstUser.content) : null,
      messages,
      patch: optString(info.submission),
      exit_status: optString(info.exit_status),
      stats: { cost: optNumber(stats.instance_cost), api_calls: optNumber(stats.api_calls) },
    });
  },
};

function asObjectOr(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function instanceFromPath(file: string): string | null {
  const b = basename(file).replace(/\.traj(\.json)?$|\.json$/, "");
  return b || null;
}
