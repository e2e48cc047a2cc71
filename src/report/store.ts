/**
 * The embedded store of trajectory bodies (task, steps, patch and the verdicts on them), loaded
 * by the page only when a trajectory is opened or searched. Bodies are JSON lines gathered into
 * chunks of about 512 KB, each gzip-compressed and base64-encoded into the HTML; the browser
 * inflates a chunk with its built-in DecompressionStream.
 *
 * A size budget keeps the report small enough to open: each body gets an equal share of what is
 * left of the budget (in characters, through the compression ratio measured so far); a body over
 * its share has its longest texts cut in the middle to a common length (never below 160
 * characters), with a marker saying how much was cut. Short reports are never cut.
 */
import { gzipSync } from "node:zlib";
import type { CriterionResult, ScoreRecord } from "../types/score.js";
import type { Trajectory } from "../types/trajectory.js";

/** A verdict as the page reads it. */
export interface BodyVerdict {
  /** index into the report's criterion list */
  c: number;
  status: CriterionResult["status"];
  value: number | null;
  goodness: number | null;
  evidence: number[];
  explanation: string;
  by: string;
  reason?: string;
  agreement?: number;
  spread?: number;
  votes?: { by: string; value: number | null }[];
}

/** Where a record came from, as the trajectory page shows it. */
export interface BodyMeta {
  file: string;
  format: string;
  variant: string;
  model: string | null;
  run: string | null;
  /** where the label was read from */
  origin: string | null;
  vetoed_by: string[];
  /** what decided p(resolved) (provenance.p_resolved) */
  p_by?: string;
  error?: string;
}

export interface Body {
  meta: BodyMeta;
  verdicts: BodyVerdict[];
  /** null: the trajectory was not among the inputs given */
  steps: { i: number; tool: string; thought: string; action: string; obs: string | null }[] | null;
  task?: string | null;
  patch?: string | null;
  exit?: string | null;
  /** texts cut to fit the size budget */
  cut?: number;
}

export const CUT_MARK = "characters cut to fit the report's size budget";
const MIN_CAP = 160;

/** Cut `s` to about `cap` characters: its head and tail kept, a marker in the middle. */
export function cutText(s: string, cap: number): string {
  if (s.length <= cap) return s;
  const head = Math.ceil(cap * 0.7);
  const tail = cap - head;
  return `${s.slice(0, head)}\n[… ${s.length - cap} ${CUT_MARK} …]\n${s.slice(s.length - tail)}`;
}

/** The largest c with Σ min(len, c) ≤ budget (every length when they fit). */
export function commonCap(lengths: number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = budget;
  for (let i = 0; i < sorted.length; i++) {
    const rest = sorted.length - i;
    if (sorted[i] * rest > left) return Math.floor(left / rest);
    left -= sorted[i];
  }
  return Number.POSITIVE_INFINITY;
}

export function verdictsOf(r: ScoreRecord, criterionIndex: Map<string, number>): BodyVerdict[] {
  return r.criteria.map((c) => ({
    c: criterionIndex.get(c.id)!,
    status: c.status,
    value: c.value,
    goodness: c.goodness,
    evidence: c.evidence,
    explanation: c.explanation,
    by: c.by,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.agreement !== undefined ? { agreement: c.agreement } : {}),
    ...(c.spread !== undefined ? { spread: c.spread } : {}),
    ...(c.votes ? { votes: c.votes } : {}),
  }));
}

/** The body of a trajectory with its texts fitted into `budget` characters. */
export function bodyOf(t: Trajectory, meta: BodyMeta, verdicts: BodyVerdict[], budget: number): Body {
  const steps = t.steps.map((s) => ({
    i: s.index,
    tool: s.tool,
    thought: s.thought,
    action: s.tool === "none" ? "" : s.action,
    obs: s.observation,
  }));
  const lengths = [t.task?.length ?? 0, t.patch?.length ?? 0];
  for (const s of steps) lengths.push(s.thought.length, s.action.length, s.obs?.length ?? 0);
  const overhead = JSON.stringify(verdicts).length + 40 * steps.length;
  const cap = Math.max(MIN_CAP, commonCap(lengths, Math.max(0, budget - overhead)));
  let cut = 0;
  const fit = (s: string | null): string | null => {
    if (s === null || s.length <= cap) return s;
    cut++;
    return cutText(s, cap);
  };
  for (const s of steps) {
    s.thought = fit(s.thought)!;
    s.action = fit(s.action)!;
    s.obs = fit(s.obs);
  }
  return {
    meta,
    verdicts,
    steps,
    task: fit(t.task),
    patch: fit(t.patch),
    exit: t.exit_status,
    ...(cut ? { cut } : {}),
  };
}

export interface StoreStats {
  bodies: number;
  chunks: number;
  rawChars: number;
  storedBytes: number;
  cutTexts: number;
  cutBodies: number;
}

/** Gathers bodies into compressed chunks within a byte budget for the encoded store. */
export class BodyStore {
  readonly chunks: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private rawDone = 0;
  private bytesDone = 0;
  private added = 0;
  private cutTexts = 0;
  private cutBodies = 0;

  constructor(
    /** bodies that will be added in all */
    private readonly expected: number,
    /** bytes the encoded store may take */
    private readonly maxBytes: number,
    private readonly chunkChars = 512 * 1024,
  ) {}

  /** Encoded bytes per raw character, measured so far (a cautious guess before the first chunk). */
  private ratio(): number {
    return this.rawDone > 0 ? Math.max(0.05, this.bytesDone / this.rawDone) : 0.3;
  }

  /** How many characters the next body may take. */
  budget(): number {
    const used = this.bytesDone + this.pendingChars * this.ratio();
    const left = Math.max(0, this.maxBytes - used);
    const rest = Math.max(1, this.expected - this.added);
    return Math.floor(left / rest / this.ratio());
  }

  /** Add a body; returns where it is kept: [chunk, position]. */
  add(body: Body): [number, number] {
    const json = JSON.stringify(body);
    if (body.cut) {
      this.cutTexts += body.cut;
      this.cutBodies++;
    }
    const at: [number, number] = [this.chunks.length, this.pending.length];
    this.pending.push(json);
    this.pendingChars += json.length;
    this.added++;
    if (this.pendingChars >= this.chunkChars) this.flush();
    return at;
  }

  flush(): void {
    if (!this.pending.length) return;
    const text = this.pending.join("\n");
    const b64 = gzipSync(Buffer.from(text, "utf8"), { level: 6 }).toString("base64");
    this.chunks.push(b64);
    this.rawDone += text.length;
    this.bytesDone += b64.length;
    this.pending = [];
    this.pendingChars = 0;
  }

  stats(): StoreStats {
    return {
      bodies: this.added,
      chunks: this.chunks.length,
      rawChars: this.rawDone,
      storedBytes: this.bytesDone,
      cutTexts: this.cutTexts,
      cutBodies: this.cutBodies,
    };
  }
}
