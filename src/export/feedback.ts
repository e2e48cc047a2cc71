/**
 * Hindsight feedback: for one scored trajectory, the rubric criteria it failed, said to the
 * policy in the second person, with the steps that are the evidence ("you edited the source
 * without first running anything that shows the bug (steps 4–6)"). A trainer can put this text
 * back in front of the policy as guidance. Outcome criteria (a prediction, not a behaviour) and
 * criteria that were not decided give no feedback; nothing here reads the outcome label.
 */
import { readTrajectories } from "../labels/stream.js";
import { builtinRubricIds, loadRubric } from "../rubric/load.js";
import type { Rubric } from "../rubric/schema.js";
import type { CriterionResult, ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";
import { JsonlFile } from "./jsonl.js";

/** What failing each programmatic check means, to the agent that failed it. */
const CHECK_WORDS: Record<string, string> = {
  reproduces_first: "you edited the source without first running anything that shows the bug",
  verifies_after_last_edit: "you did not run the tests or your reproduction again after your last edit",
  edits_tests: "you changed existing tests or test configuration instead of only the code under test",
  weakens_tests: "you weakened tests (skipped them, deleted assertions or made them always pass)",
  empty_patch: "you ended without a patch",
  budget_exhausted: "you ran out of budget before you finished",
  repeats_actions: "you repeated the same action without learning anything new",
  failed_edit_streak: "several of your edits in a row failed",
  excessive_steps: "you took far more steps than attempts at tasks like this usually need",
  debug_artifacts: "you left debugging or scratch files in the patch",
  patch_unviewed_files: "you changed files you had not read",
  destructive_commands: "you ran commands that throw away work or state",
  env_tampering: "you changed the environment (installed packages, wrote into system folders) instead of the code",
  hallucinated_paths: "you acted on files that do not exist",
  unverified_success_claim: "you claimed success without a passing run to show it",
};

export interface Failure {
  criterion: string;
  title: string;
  severity: CriterionResult["severity"];
  /** evidence step indices (as in the score record) */
  steps: number[];
  /** the sentence said to the policy */
  guidance: string;
  /** the decider's own explanation (check output or judge rationale) */
  explanation: string;
  /** the evidence steps' actions, when the trajectory was read */
  actions?: string[];
}

export interface Feedback {
  trajectory_id: string;
  instance_id: string | null;
  score: number | null;
  failed: Failure[];
  /** all failures in one text, most severe first; empty when nothing failed */
  feedback: string;
}

/** "steps 4–6, 9" from step indices. */
export function stepSpan(steps: number[]): string {
  const s = [...new Set(steps)].sort((a, b) => a - b);
  if (!s.length) return "";
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}–${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return `${s.length > 1 ? "steps" : "step"} ${parts.join(", ")}`;
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

/** The sentence for one failed criterion: the check's meaning, else the rubric's words. */
export function guidanceFor(c: CriterionResult, rubric?: Rubric): { title: string; text: string } {
  const def = rubric?.criteria.find((x) => x.id === c.id);
  const title = def?.title ?? c.id.replace(/[-_]/g, " ");
  const check = c.by.startsWith("check:") ? c.by.slice("check:".length) : (def?.check ?? "");
  if (CHECK_WORDS[check]) return { title, text: CHECK_WORDS[check] };
  if (c.polarity === "encourage") return { title, text: `you fell short of "${lowerFirst(title)}"` };
  return { title, text: `you did what the rubric asks to avoid: ${lowerFirst(def?.question ?? title)}` };
}

const SEVERITY = { critical: 0, major: 1, minor: 2 } as const;

export function hindsight(rec: ScoreRecord, t?: Trajectory | null, rubric?: Rubric): Feedback {
  const failed = rec.criteria
    .filter((c) => c.kind !== "outcome" && c.status === "decided" && c.goodness !== null && c.goodness < 0.5)
    .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity] || b.weight - a.weight || (a.id < b.id ? -1 : 1))
    .map((c): Failure => {
      const { title, text } = guidanceFor(c, rubric);
      const span = stepSpan(c.evidence);
      const f: Failure = {
        criterion: c.id,
        title,
        severity: c.severity,
        steps: [...new Set(c.evidence)].sort((a, b) => a - b),
        guidance: span ? `${text} (${span})` : text,
        explanation: c.explanation,
      };
      if (t) {
        f.actions = f.steps.flatMap((i) => {
          const s = t.steps[i];
          if (!s) return [];
          const act = (s.action || s.tool).replace(/\s+/g, " ").trim();
          return [`step ${i}: ${act.length > 120 ? `${act.slice(0, 117)}...` : act}`];
        });
      }
      return f;
    });
  const feedback = failed.length ? `In this attempt ${failed.map((f) => f.guidance).join("; ")}.` : "";
  return { trajectory_id: rec.trajectory_id, instance_id: rec.instance_id, score: rec.score, failed, feedback };
}

export interface FeedbackOptions {
  output: string;
  /** score records by trajectory id */
  scores: Map<string, ScoreRecord>;
  /** rubric for the criteria's titles and questions (default: each record's built-in rubric) */
  rubric?: Rubric;
  /** also write trajectories that failed no criterion */
  all?: boolean;
  labels?: string[];
  autoLabels?: boolean;
  /** called after each trajectory read */
  progress?: (read: number) => void;
}

export interface FeedbackReport {
  output: string;
  written: number;
  /** scored trajectories that failed no criterion */
  clean: number;
  /** trajectories read that have no score record (with inputs) */
  unscored: number;
  /** rows by failed criterion, most frequent first */
  byCriterion: [string, number][];
  /** inputs that could not be read */
  errors: string[];
}

/**
 * Feedback rows for the scored trajectories: with inputs, one per trajectory read that has a
 * score record (its evidence steps' actions added); without, one per score record.
 */
export async function exportFeedback(inputs: string[], o: FeedbackOptions): Promise<FeedbackReport> {
  const rubrics = new Map<string, Rubric | undefined>();
  const rubricOf = (r: ScoreRecord): Rubric | undefined => {
    if (o.rubric) return o.rubric;
    if (!rubrics.has(r.rubric.id))
      rubrics.set(r.rubric.id, builtinRubricIds().includes(r.rubric.id) ? loadRubric(r.rubric.id) : undefined);
    return rubrics.get(r.rubric.id);
  };
  const report: FeedbackReport = { output: o.output, written: 0, clean: 0, unscored: 0, byCriterion: [], errors: [] };
  const counts = new Map<string, number>();
  const out = new JsonlFile(o.output);
  const emit = async (fb: Feedback) => {
    if (!fb.failed.length) {
      report.clean++;
      if (!o.all) return;
    }
    for (const f of fb.failed) counts.set(f.criterion, (counts.get(f.criterion) ?? 0) + 1);
    await out.write(fb);
    report.written++;
  };
  try {
    if (inputs.length) {
      let read = 0;
      for await (const ev of readTrajectories(inputs, { labels: o.labels, autoLabels: o.autoLabels })) {
        if (ev.type === "error") {
          report.errors.push(ev.error.describe());
          continue;
        }
        if (ev.type !== "trajectory") continue;
        o.progress?.(++read);
        const rec = o.scores.get(ev.trajectory.id);
        if (!rec) report.unscored++;
        else if (!rec.error) await emit(hindsight(rec, ev.trajectory, rubricOf(rec)));
      }
    } else {
      for (const rec of o.scores.values()) if (!rec.error) await emit(hindsight(rec, null, rubricOf(rec)));
    }
  } finally {
    await out.close();
  }
  report.byCriterion = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return report;
}
