/**
 * Merging near-duplicate proposals: two proposals are one criterion when they have the same
 * polarity and their questions share most of their content words (Jaccard similarity of the word
 * sets, stop words and inflections set aside, at least `threshold`). A merged candidate keeps its
 * most supported wording, how many pairs proposed it and how many of those the labels agree with.
 */
import type { Proposal } from "./propose.js";

const STOP = new Set(
  "a an the and or of to in on for by with from at as is are was were be been does do did has have had that this these those it its any all every before after during their his her whether".split(
    " ",
  ),
);

/** Content words of a question: lower case, stop words removed, a crude stem (plural, -ing, -ed). */
export function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!w || STOP.has(w)) continue;
    out.add(w.replace(/(ing|ed|es|s)$/, "") || w);
  }
  return out;
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / (a.size + b.size - both);
}

export interface Candidate {
  id: string;
  title: string;
  question: string;
  kind: Proposal["kind"];
  polarity: Proposal["polarity"];
  /** pairs that proposed it */
  support: number;
  /** of those, pairs where the attempt it favours is the one that resolved the task */
  agreeing: number;
  /** every wording proposed for it */
  wordings: string[];
}

/** A proposal as made for one pair, with whether the attempt it favours resolved the task (computed from the labels). */
export interface Proposed {
  proposal: Proposal;
  pair: number;
  agrees: boolean;
}

/** Slug of a title, unique among `taken`. */
export function slug(title: string, taken: Set<string>): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "criterion";
  let id = /^[a-z0-9]/.test(base) ? base : `c-${base}`;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/** Merge proposals into candidates, most supported first. */
export function merge(items: Proposed[], threshold = 0.5): Candidate[] {
  const groups: { words: Set<string>; members: Proposed[] }[] = [];
  for (const it of items) {
    const w = words(it.proposal.question);
    const g = groups.find(
      (x) => x.members[0].proposal.polarity === it.proposal.polarity && similarity(x.words, w) >= threshold,
    );
    if (g) {
      g.members.push(it);
      for (const x of w) g.words.add(x);
    } else groups.push({ words: w, members: [it] });
  }
  const taken = new Set<string>();
  return groups
    .map((g) => {
      const pairs = new Map<number, Proposed>();
      for (const m of g.members) if (!pairs.has(m.pair)) pairs.set(m.pair, m);
      // the wording proposed most often (first on a tie)
      const counts = new Map<string, number>();
      for (const m of g.members) counts.set(m.proposal.question, (counts.get(m.proposal.question) ?? 0) + 1);
      const question = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      const rep = g.members.find((m) => m.proposal.question === question)!.proposal;
      const hard = g.members.filter((m) => m.proposal.kind === "hard_rule").length;
      return {
        rep,
        support: pairs.size,
        agreeing: [...pairs.values()].filter((m) => m.agrees).length,
        kind: (hard * 2 > g.members.length ? "hard_rule" : "principle") as Proposal["kind"],
        wordings: [...counts.keys()],
      };
    })
    .sort((a, b) => b.support - a.support || b.agreeing - a.agreeing)
    .map((g) => ({
      id: slug(g.rep.title, taken),
      title: g.rep.title.trim(),
      question: g.rep.question.trim(),
      kind: g.kind,
      polarity: g.rep.polarity,
      support: g.support,
      agreeing: g.agreeing,
      wordings: g.wordings,
    }));
}
