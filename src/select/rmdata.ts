/**
 * Which labelled trajectories make reward-model training data, following SWE-RM's recipe:
 *  1. identical patches of one task are one sample (the first by id); a patch seen with both
 *     outcomes is label noise and is dropped;
 *  2. a positive:negative ratio (SWE-RM uses about 2:1) and, optionally, a mixture over policies or
 *     scaffolds: the largest set that has exactly the asked shares and ratio without repeating a
 *     sample (without a mixture, the ratio is met within each group, so that the group, e.g. the
 *     scaffold, does not predict the label; or, with `balance: "all"`, over all groups together);
 *  3. a train/validation split by task, so no task is on both sides.
 * Which samples a downsampling keeps, and which tasks validate, follow a seeded hash: the same
 * inputs and seed give the same data.
 */
import { createHash } from "node:crypto";

export interface Sample {
  id: string;
  task: string;
  label: boolean;
  /** the policy or scaffold this sample counts toward */
  group: string;
  /** hash of the final patch (normalised); null without a patch */
  patch: string | null;
}

export interface RmOptions {
  /** positives per negative, e.g. 2 for 2:1 */
  ratio: number;
  /** target shares per group; groups not listed are left out. Without it, no mixture is imposed */
  mixture?: Map<string, number>;
  /** share of tasks in the validation split */
  validation: number;
  seed: string;
  /**
   * without a mixture: meet the ratio within each group (default; the group then carries no
   * information about the label) or over all samples together (keeps more, but a group with mostly
   * positives teaches the model that group)
   */
  balance?: "group" | "all";
}

export interface GroupRow {
  group: string;
  available: { pos: number; neg: number };
  kept: { pos: number; neg: number };
  share: number;
  train: { pos: number; neg: number };
  validation: { pos: number; neg: number };
}

export interface RmPlan {
  train: Sample[];
  validation: Sample[];
  /** samples merged into another with the same patch of the same task */
  duplicates: number;
  /** samples dropped because one patch of a task had both outcomes */
  conflicting: number;
  /** samples of groups the mixture leaves out */
  outsideMixture: number;
  /** samples dropped to meet the ratio or mixture */
  downsampled: number;
  table: GroupRow[];
}

export function hashKey(seed: string, key: string): string {
  return createHash("sha256").update(`${seed}\u0000${key}`).digest("hex");
}

/** A patch hash that ignores whitespace at line ends and `index` lines (which change with the base). */
export function patchKey(patch: string | null): string | null {
  if (!patch || !patch.trim()) return null;
  const text = patch
    .split("\n")
    .filter((l) => !l.startsWith("index "))
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();
  return createHash("sha256").update(text).digest("hex");
}

function dedupe(samples: Sample[]): { kept: Sample[]; duplicates: number; conflicting: number } {
  const byPatch = new Map<string, Sample[]>();
  const kept: Sample[] = [];
  for (const s of samples) {
    if (s.patch === null) {
      kept.push(s);
      continue;
    }
    const k = `${s.task}\u0000${s.patch}`;
    byPatch.set(k, [...(byPatch.get(k) ?? []), s]);
  }
  let duplicates = 0;
  let conflicting = 0;
  for (const same of byPatch.values()) {
    if (new Set(same.map((s) => s.label)).size > 1) {
      conflicting += same.length;
      continue;
    }
    const first = [...same].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    kept.push(first);
    duplicates += same.length - 1;
  }
  return { kept, duplicates, conflicting };
}

/** Keep `n` of `xs`, chosen by seeded hash order. */
function take(xs: Sample[], n: number, seed: string): Sample[] {
  return [...xs].sort((a, b) => (hashKey(seed, a.id) < hashKey(seed, b.id) ? -1 : 1)).slice(0, Math.max(0, n));
}

export function planRm(samples: Sample[], o: RmOptions): RmPlan {
  if (!(o.ratio > 0)) throw new Error("the positive:negative ratio must be above 0");
  const { kept, duplicates, conflicting } = dedupe(samples);
  const groups = new Map<string, Sample[]>();
  for (const s of kept) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  const r = o.ratio;
  const chosen: Sample[] = [];
  let outsideMixture = 0;
  const target = new Map<string, { pos: number; neg: number }>();
  if (o.mixture?.size) {
    const total = [...o.mixture.values()].reduce((a, b) => a + b, 0);
    let size = Infinity;
    for (const [g, share] of o.mixture) {
      const s = share / total;
      if (s <= 0) continue;
      const xs = groups.get(g) ?? [];
      const pos = xs.filter((x) => x.label).length;
      const neg = xs.length - pos;
      size = Math.min(size, (pos * (1 + r)) / (s * r), (neg * (1 + r)) / s);
    }
    if (!Number.isFinite(size)) size = 0;
    for (const [g, share] of o.mixture) {
      // whole negatives first, then the positives they allow: the ratio holds exactly
      const neg = Math.floor((size * share) / total / (1 + r) + 1e-9);
      target.set(g, { pos: Math.floor(neg * r + 1e-9), neg });
    }
    for (const [g, xs] of groups) if (!o.mixture.has(g)) outsideMixture += xs.length;
  } else {
    // no mixture asked: the ratio within each group, or over all samples together
    const sets = o.balance === "all" ? [kept] : [...groups.values()];
    for (const xs of sets) {
      const pos = xs.filter((x) => x.label);
      const neg = xs.filter((x) => !x.label);
      const keepNeg = Math.min(neg.length, Math.floor(pos.length / r + 1e-9));
      const keepPos = Math.min(pos.length, Math.floor(keepNeg * r + 1e-9));
      chosen.push(...take(pos, keepPos, o.seed), ...take(neg, keepNeg, o.seed));
    }
  }
  for (const [g, t] of target) {
    const xs = groups.get(g) ?? [];
    chosen.push(
      ...take(
        xs.filter((x) => x.label),
        t.pos,
        o.seed,
      ),
      ...take(
        xs.filter((x) => !x.label),
        t.neg,
        o.seed,
      ),
    );
  }
  const isValidation = (task: string) =>
    parseInt(hashKey(o.seed, `task:${task}`).slice(0, 8), 16) / 2 ** 32 < o.validation;
  const train = chosen.filter((s) => !isValidation(s.task));
  const validation = chosen.filter((s) => isValidation(s.task));
  const count = (xs: Sample[], g: string) => ({
    pos: xs.filter((x) => x.group === g && x.label).length,
    neg: xs.filter((x) => x.group === g && !x.label).length,
  });
  const names = [...new Set([...groups.keys(), ...(o.mixture?.keys() ?? [])])].sort();
  const table = names.map((g) => {
    const k = count(chosen, g);
    return {
      group: g,
      available: count(kept, g),
      kept: k,
      share: chosen.length ? (k.pos + k.neg) / chosen.length : 0,
      train: count(train, g),
      validation: count(validation, g),
    };
  });
  return {
    train,
    validation,
    duplicates,
    conflicting,
    outsideMixture,
    downsampled: kept.length - outsideMixture - chosen.length,
    table,
  };
}
