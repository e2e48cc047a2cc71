/**
 * Real Claude Code session logs, when present: `<main checkout>/.data/formats/claude-code/`
 * (git-ignored; see SOURCES.md there), or RUBRICATE_FORMATS_DATA/claude-code.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { actionsOf, endingOf } from "../../../src/scaffolds/actions.js";
import { TrajectorySchema } from "../../../src/types/trajectory.js";
import { collect, ROOT, sharedSuite } from "../../helpers.js";

const DATA = join(process.env.RUBRICATE_FORMATS_DATA ?? resolve(ROOT, "..", "main", ".data", "formats"), "claude-code");
const PRESENT = existsSync(DATA);
if (!PRESENT) console.log(`# no real Claude Code logs at ${DATA} (see SOURCES.md in that folder); skipped`);

sharedSuite(
  "claude-code: real session logs",
  (it) => {
    it("every log in the folder reads; sub-agent and compaction logs beside a session are read with it", async () => {
      const { trajectories, errors, skipped } = await collect([DATA]);
      assert.deepEqual(
        errors.map((e) => e.describe()),
        [],
      );
      assert.ok(trajectories.length > 0);
      for (const f of skipped) assert.match(f, /[/\\]agent-[\w-]+\.jsonl$/);
      for (const t of trajectories) {
        const where = t.source.file;
        assert.doesNotThrow(() => TrajectorySchema.parse(t), where);
        assert.equal(t.source.format, "claude-code");
        assert.ok(t.source.run, `${where}: session id`);
        assert.ok(t.task, `${where}: task`);
        assert.ok(t.exit_status, `${where}: exit status`);
        assert.ok((t.stats.api_calls ?? 0) > 0, `${where}: api calls`);
        // each call is answered by a later tool message with its id, and no tool message answers nothing
        const callAt = new Map<string, number>();
        t.messages.forEach((m, i) => m.tool_calls?.forEach((c) => callAt.set(c.id, i)));
        t.messages.forEach((m, i) => {
          if (m.role === "tool")
            assert.ok(
              (callAt.get(m.tool_call_id ?? "") ?? Infinity) < i,
              `${where}: message ${i} answers no earlier call`,
            );
        });
        // the built-in tools map to canonical kinds; only web, questions, skills, background output and MCP are "other"
        const acts = actionsOf(t);
        t.steps.forEach((s, i) => {
          if (acts[i].kind === "other")
            assert.match(
              s.tool,
              /^(WebFetch|WebSearch|AskUserQuestion|Skill|TaskOutput|BashOutput|KillShell|mcp__.*)$/,
              `${where}: step ${i}`,
            );
        });
      }
    });

    it("a session that started sub-agents holds their runs, under their roles", async () => {
      const { trajectories } = await collect([DATA]);
      const withTask = trajectories.filter(
        (t) =>
          t.source.variant.indexOf("sub-agent") < 0 && t.steps.some((s) => s.tool === "Task" || s.tool === "Agent"),
      );
      const inlined = withTask.filter((t) => t.messages.some((m) => m.name));
      for (const t of inlined) {
        const acts = actionsOf(t);
        assert.ok(
          acts.some((a) => a.role && a.kind !== "none"),
          `${t.source.file}: sub-agent actions carry a role`,
        );
      }
      if (withTask.length)
        console.log(
          `# ${inlined.length} of ${withTask.length} sessions with a Task call have their sub-agent logs beside them`,
        );
    });
  },
  PRESENT,
);
