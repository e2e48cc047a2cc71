/**
 * mini-swe-agent `.traj.json`: `mini-swe-agent-1` (fenced bash blocks in the
 * assistant text, observations as user messages) and `mini-swe-agent-1.1`
 * (native tool calls, `role: "tool"` observations, a final `role: "exit"`).
 */
import { basename } from "node:path";
import type { Message } from "../../types/trajectory.js";
import {
  arrayField,
  asArray,
  asObject,
  contentText,
  fencedCommands,
  MINI_LANGS,
  makeTrajectory,
  normaliseToolCall,
  numberField,
  objectField,
  required,
  runFromPath,
  stringField,
  syntheticCall,
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
    const info = asObject(required(root, "info", file, "info"), file, "info");
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
      const msg: Message = { role, content: contentText(m.content, file, `messages[${i}].content`) };
      if (role === "assistant") {
        const calls = arrayField(m.tool_calls, file, `messages[${i}].tool_calls`);
        if (calls.length) {
          msg.tool_calls = calls.map((c, k) =>
            normaliseToolCall(c, `call_${i}_${k}`, file, `messages[${i}].tool_calls[${k}]`),
          );
        } else {
          const cmds = fencedCommands(msg.content, MINI_LANGS);
          if (cmds.length)
            msg.tool_calls = cmds.map((command, k) => syntheticCall(`call_${i}_${k}`, "bash", { command }));
        }
        const reasoning = stringField(m.reasoning_content, file, `messages[${i}].reasoning_content`);
        if (reasoning) msg.reasoning_content = reasoning;
      }
      if (role === "tool") {
        const id = stringField(m.tool_call_id, file, `messages[${i}].tool_call_id`);
        if (id !== null) msg.tool_call_id = id;
      }
      messages.push(msg);
    });
    const instance = stringField(root.instance_id, file, "instance_id") ?? instanceFromPath(file);
    const firstUser = messages.find((m) => m.role === "user");
    const stats = objectField(info.model_stats, file, "info.model_stats");
    const config = objectField(info.config, file, "info.config");
    const model = stringField(
      objectField(config.model, file, "info.config.model").model_name,
      file,
      "info.config.model.model_name",
    );
    const version = stringField(info.mini_version, file, "info.mini_version");
    return makeTrajectory({
      hash: ctx.hash,
      instance_id: instance,
      source: {
        format: "mini-swe-agent",
        variant,
        file,
        scaffold: `mini-swe-agent${version !== null ? " " + version : ""}`,
        model,
        run: runFromPath(file, instance),
      },
      task: firstUser ? (PR.exec(firstUser.content)?.[1] ?? firstUser.content) : null,
      messages,
      patch: stringField(required(info, "submission", file, "info.submission"), file, "info.submission"),
      exit_status: stringField(required(info, "exit_status", file, "info.exit_status"), file, "info.exit_status"),
      stats: {
        cost: numberField(stats.instance_cost, file, "info.model_stats.instance_cost"),
        api_calls: numberField(stats.api_calls, file, "info.model_stats.api_calls"),
      },
    });
  },
};

function instanceFromPath(file: string): string | null {
  const b = basename(file).replace(/\.traj(\.json)?$|\.json$/, "");
  return b || null;
}
