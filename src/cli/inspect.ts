/** `rubricate inspect`: what rubricate reads from one input, as a readable summary. */
import { patchStats } from "../analyze/patch.js";
import { readScores } from "../eval/read.js";
import { readTrajectories } from "../labels/stream.js";
import { renderVerdictsOnSteps } from "../report/terminal.js";
import type { ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { note } from "./output.js";

export interface InspectOptions {
  labels?: string[];
  autoLabels: boolean;
  limit: number;
  json?: boolean;
  width: number;
  /** ScoreRecord files: show the verdicts on the steps */
  scores?: string[];
  /** colour the verdicts (default: when stdout is a terminal) */
  color?: boolean;
}

/** The score records of each trajectory id in `files` (a trajectory scored with several rubrics has several). */
async function scoresById(files: string[]): Promise<{ byId: Map<string, ScoreRecord[]>; errors: number }> {
  const byId = new Map<string, ScoreRecord[]>();
  let errors = 0;
  for await (const ev of readScores(files)) {
    if (ev.type === "error") {
      if (++errors <= 20) note(`error: ${ev.error.describe()}`);
      continue;
    }
    byId.set(ev.record.trajectory_id, [...(byId.get(ev.record.trajectory_id) ?? []), ev.record]);
  }
  return { byId, errors };
}

export async function runInspect(input: string, o: InspectOptions): Promise<number> {
  let shown = 0;
  let failed = 0;
  const scores = o.scores?.length ? await scoresById(o.scores) : null;
  if (scores?.errors) failed++;
  const color = o.color ?? process.stdout.isTTY === true;
  for await (const ev of readTrajectories([input], { labels: o.labels, autoLabels: o.autoLabels })) {
    if (ev.type === "error") {
      note(`error: ${ev.error.describe()}`);
      failed++;
    } else if (ev.type === "skip") {
      note(`${ev.file}: skipped (${ev.reason})`);
    } else {
      if (shown >= o.limit) {
        shown++;
        continue;
      }
      const t = ev.trajectory;
      if (scores && !o.json) {
        const rs = scores.byId.get(t.id) ?? [];
        if (!rs.length) {
          note(`${t.source.file}: no score record for trajectory ${t.id} in ${o.scores!.join(", ")}`);
          failed++;
          process.stdout.write(render(t, o.width) + "\n");
        }
        for (const r of rs) process.stdout.write(renderVerdictsOnSteps(t, r, { width: o.width, color }) + "\n\n");
      } else process.stdout.write(o.json ? JSON.stringify(t, null, 2) + "\n" : render(t, o.width) + "\n");
      shown++;
    }
  }
  if (shown > o.limit) note(`(${shown - o.limit} more trajectories in ${input}; raise --limit to see them)`);
  if (shown === 0 && failed === 0) note(`${input}: no trajectories`);
  return failed ? 1 : 0;
}

function oneLine(s: string, width: number): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > width ? flat.slice(0, width - 1) + "…" : flat;
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

export function render(t: Trajectory, width = 100): string {
  const lines: string[] = [];
  const src = t.source;
  lines.push(`trajectory ${t.id}`);
  lines.push(`  file        ${src.file}${src.line ? `:${src.line}` : ""}`);
  lines.push(`  format      ${src.format} (${src.variant})`);
  lines.push(
    `  scaffold    ${src.scaffold}${src.model ? `, model ${src.model}` : ""}${src.run ? `, run ${src.run}` : ""}`,
  );
  lines.push(`  instance    ${t.instance_id ?? "(unknown)"}`);
  lines.push(`  exit status ${t.exit_status ?? "(none recorded)"}`);
  const st = t.stats;
  const cost = [
    st.cost !== undefined ? `$${st.cost.toFixed(4)}` : "",
    st.api_calls !== undefined ? `${st.api_calls} calls` : "",
    st.prompt_tokens !== undefined ? `${st.prompt_tokens} prompt tokens` : "",
    st.completion_tokens !== undefined ? `${st.completion_tokens} completion tokens` : "",
  ].filter(Boolean);
  if (cost.length) lines.push(`  cost        ${cost.join(", ")}`);
  lines.push(
    `  label       ${t.label ? `${t.label.resolved ? "resolved" : "unresolved"} (from ${t.label.origin})` : "none"}`,
  );
  lines.push(`  task        ${t.task ? oneLine(t.task, width) : "(none)"}`);
  lines.push(`  messages    ${t.messages.length} (${t.messages.filter((m) => m.demo).length} demonstration)`);
  lines.push("");
  lines.push(`  step  ${"tool".padEnd(18)} ${"action".padEnd(width - 40)} observation`);
  for (const s of t.steps) {
    const obs = s.observation === null ? "-" : size(Buffer.byteLength(s.observation));
    const action = s.tool === "none" ? `(no action) ${s.thought}` : s.action;
    lines.push(
      `  ${String(s.index).padStart(4)}  ${oneLine(s.tool, 18).padEnd(18)} ${oneLine(action, width - 40).padEnd(width - 40)} ${obs}`,
    );
  }
  lines.push("");
  const p = patchStats(t.patch);
  if (!t.patch) lines.push("  patch       none");
  else {
    lines.push(`  patch       ${p.files.length} files, ${p.hunks} hunks, +${p.added} -${p.deleted}`);
    for (const f of p.files) {
      const tags = [f.isNew ? "new" : "", f.isDeleted ? "deleted" : "", f.isTest ? "test" : ""]
        .filter(Boolean)
        .join(", ");
      lines.push(`              ${f.path} +${f.added} -${f.deleted}${tags ? ` (${tags})` : ""}`);
    }
  }
  return lines.join("\n");
}
