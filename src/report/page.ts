/**
 * The report as one HTML document: the summary and the plots are plain HTML and SVG (they show
 * without script), the trajectory viewer is drawn by the page's script from an embedded index,
 * and the trajectory bodies follow as compressed chunks.
 */
import type { FilterReport } from "../select/filter.js";
import type { Analysis } from "./analysis.js";
import type { Chart } from "./charts.js";
import { viewer, type ReportIndex } from "./client.js";
import type { RubricCount, RubricRef } from "./collect.js";
import { CSS } from "./style.js";

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** JSON that is safe inside a <script> element. */
export const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

const f3 = (x: number | null) => (x === null ? "–" : x.toFixed(3));
const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(0)}%`);
const n = (x: number) => x.toLocaleString("en-US");

function table(rows: string[][], numeric: number[] = []): string {
  const [head, ...body] = rows;
  const cell = (tag: string, s: string, i: number) =>
    `<${tag}${numeric.includes(i) ? ' class="num"' : ""}>${esc(s)}</${tag}>`;
  return `<table><thead><tr>${head.map((s, i) => cell("th", s, i)).join("")}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((s, i) => cell("td", s, i)).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export interface PageNotes {
  /** problems to show at the top of the summary */
  warnings: string[];
  /** facts about how the report was built */
  facts: string[];
}

/** Who decided the criteria: checks in one row (their names listed), judges and outcome models one row each. */
function decidersRows(a: Analysis): string[][] {
  const checks = a.deciders.filter((d) => d.kind === "check");
  const rows = a.deciders.filter((d) => d.kind !== "check").map((d) => [d.kind, d.by, n(d.decisions)]);
  if (checks.length)
    rows.unshift([
      "check",
      `${checks.length} programmatic checks: ${checks.map((d) => d.by.replace(/^check:/, "")).join(", ")}`,
      n(checks.reduce((s, d) => s + d.decisions, 0)),
    ]);
  return rows;
}

export function summaryHtml(a: Analysis, rubric: RubricRef, rubrics: RubricCount[], notes: PageNotes): string {
  const stat = (value: string, label: string, id: string) =>
    `<div class="stat" id="stat-${id}"><b>${esc(value)}</b>${label
      .split("\n")
      .map((l) => `<span>${esc(l)}</span>`)
      .join("")}</div>`;
  const out: string[] = [];
  out.push(`<h2>Summary</h2>`);
  for (const w of notes.warnings) out.push(`<div class="banner">${esc(w)}</div>`);
  out.push(
    `<div class="cards-row">${[
      stat(n(a.records), "score records", "records"),
      stat(n(a.tasks), "tasks", "tasks"),
      stat(n(a.resolved), "resolved", "resolved"),
      stat(n(a.labelled - a.resolved), "unresolved", "unresolved"),
      stat(n(a.records - a.labelled), "without a label", "unlabelled"),
      stat(n(a.errors), "error records", "errors"),
      stat(n(a.vetoed), "vetoed", "vetoed"),
      stat(`${f3(a.meanP.resolved)} / ${f3(a.meanP.unresolved)}`, "mean p(resolved)\nresolved / unresolved", "p"),
      stat(
        `${f3(a.meanScore.resolved)} / ${f3(a.meanScore.unresolved)}`,
        "mean behaviour score\nresolved / unresolved",
        "score",
      ),
    ].join("")}</div>`,
  );
  out.push(
    `<p class="note">Two numbers per trajectory: <b>p(resolved)</b>, a calibrated probability that the attempt resolved its task (the reward eval, select and train use by default), and the <b>behaviour score</b>, the rubric's weighted verdicts on behaviour (checks and judge criteria).</p>`,
  );
  out.push(`<div class="panels">`);
  out.push(
    `<div class="panel" id="rubric"><h3>Rubric</h3>${table([
      ["id", "version", "content hash", "records"],
      ...rubrics.map((r) => [
        r.id,
        r.version,
        r.hash,
        `${n(r.records)}${r.hash === rubric.hash && r.version === rubric.version && r.id === rubric.id ? "" : " (left out)"}`,
      ]),
    ])}</div>`,
  );
  const prov = [
    `<p>rubricate ${esc(a.rubricate.join(", ") || "–")}</p>`,
    a.judges.length
      ? table(
          [
            ["judge (model, mode, sampling, instructions hash)", "records"],
            ...a.judges.map((j) => [j.text, n(j.records)]),
          ],
          [1],
        )
      : `<p class="note">No judge: judge criteria, if the rubric has any, are unscored (reason no_judge).</p>`,
    table([["kind", "decided by", "decisions"], ...decidersRows(a)], [2]),
    a.pDeciders.length
      ? table([["p(resolved) decided by", "records"], ...a.pDeciders.map((d) => [d.by, n(d.records)])], [1])
      : `<p class="note">No record has a p(resolved) (the rubric has no outcome criterion and no outcome model was asked).</p>`,
  ];
  if (a.usage)
    prov.push(
      `<p>judge usage: ${n(a.usage.requests)} requests, ${n(a.usage.promptTokens)} prompt and ${n(a.usage.completionTokens)} completion tokens, ${n(a.usage.cacheHits)} cache hits${a.usage.cost === null ? "" : `, $${a.usage.cost.toFixed(2)}`}</p>`,
    );
  out.push(`<div class="panel" id="provenance"><h3>Judge and model provenance</h3>${prov.join("")}</div>`);
  out.push(
    `<div class="panel" id="scaffolds"><h3>Scaffolds</h3>${table(
      [
        ["scaffold", "records", "resolved", "unresolved", "no label"],
        ...a.scaffolds.map((s) => [s.name, n(s.records), n(s.resolved), n(s.unresolved), n(s.unlabelled)]),
      ],
      [1, 2, 3, 4],
    )}</div>`,
  );
  out.push(
    `<div class="panel" id="criteria"><h3>Criteria</h3>${table(
      [
        ["criterion", "kind", "decided", "fired", "not applicable", "unscored"],
        ...a.criteria.map((c) => [
          `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`,
          c.kind,
          n(c.decided),
          `${n(c.fired)} (${pct(c.decided ? c.fired / c.decided : null)})`,
          n(c.na),
          n(c.unscored),
        ]),
      ],
      [2, 3, 4, 5],
    )}</div>`,
  );
  out.push(
    `<div class="panel" id="unscored"><h3>Unscored criteria by reason</h3>${
      a.unscored.length
        ? table(
            [
              ["reason", "verdicts", "criteria"],
              ...a.unscored.map((u) => [
                u.reason,
                n(u.count),
                u.criteria.map((c) => `${c.id} (${n(c.count)})`).join(", "),
              ]),
            ],
            [1],
          )
        : `<p>Every criterion was decided or not applicable.</p>`
    }</div>`,
  );
  out.push(`</div>`);
  if (notes.facts.length)
    out.push(
      `<div class="panel" id="facts"><h3>This report</h3><ul>${notes.facts.map((f) => `<li>${esc(f)}</li>`).join("")}</ul></div>`,
    );
  return out.join("\n");
}

export function plotsHtml(a: Analysis, cs: Chart[], filter: FilterReport | null): string {
  const out: string[] = [`<h2>Plots</h2>`];
  if (a.noOutcome) out.push(`<div class="banner" id="no-outcome">No outcome plots: ${esc(a.noOutcome)}.</div>`);
  else if (a.labelled < a.records)
    out.push(
      `<p class="note">The plots use the ${n(a.labelled)} labelled records; ${n(a.records - a.labelled)} without a label are left out of them.</p>`,
    );
  if (cs.length)
    out.push(
      `<div class="plots">${cs
        .map(
          (c) =>
            `<figure id="plot-${c.id}" data-plot="${c.id}"><h3>${esc(c.title)}</h3>${c.svg}<figcaption>${esc(c.caption)}</figcaption><details><summary>numbers</summary>${table(c.table)}</details></figure>`,
        )
        .join("\n")}</div>`,
    );
  if (filter) {
    const reasons = Object.entries(filter.reasons).sort((x, y) => y[1] - x[1]);
    out.push(
      `<div class="panel" id="filter"><h3>Filter: before and after</h3><p>policy ${esc(filter.policy)}${
        filter.policy === "terminal" ? "" : `, threshold ${filter.threshold}`
      }: kept ${n(filter.kept)} of ${n(filter.total)}, dropped ${n(filter.dropped)}; tasks covered ${n(filter.tasks.after)} of ${n(filter.tasks.before)}</p>${table(
        [
          ["criterion", "fired: before", "after"],
          ...filter.criteria.map((c) => [
            `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`,
            pct(c.before),
            pct(c.after),
          ]),
        ],
        [1, 2],
      )}${reasons.length ? `<h3>Dropped, by reason</h3>${table([["reason", "trajectories"], ...reasons.map(([k, v]) => [k, n(v)])], [1])}` : ""}</div>`,
    );
  }
  return out.join("\n");
}

export interface PageParts {
  title: string;
  subtitle: string;
  summary: string;
  plots: string;
  index: ReportIndex;
}

/** The page up to the store; the chunks and `pageEnd` follow. */
export function pageStart(p: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rubricate">
<title>${esc(p.title)}</title>
<style>${CSS}</style>
</head>
<body data-view="summary">
<header><h1>${esc(p.title)}</h1><span class="sub">${esc(p.subtitle)}</span>
<nav><a href="#summary" data-view="summary">Summary</a><a href="#plots" data-view="plots">Plots</a><a href="#trajectories" data-view="trajectories">Trajectories</a><a href="#tasks" data-view="tasks">Best-of-N groups</a></nav></header>
<main>
<section class="view" id="view-summary">${p.summary}</section>
<section class="view" id="view-plots" hidden>${p.plots}</section>
<section class="view" id="view-trajectories" hidden><h2>Trajectories</h2><noscript><p>The trajectory viewer needs JavaScript.</p></noscript></section>
<section class="view" id="view-trajectory" hidden></section>
<section class="view" id="view-tasks" hidden></section>
</main>
<script type="application/json" id="report-index">${scriptJson(p.index)}</script>
<script>(${viewer.toString()})();</script>
`;
}

export const chunkHtml = (k: number, b64: string): string =>
  `<script type="application/octet-stream" id="chunk-${k}">${b64}</script>\n`;

/** A chunk in the side folder: a script that hands its base64 to the page (base64 needs no escaping). */
export const chunkScript = (k: number, b64: string): string => `rubricateChunk(${k},"${b64}");\n`;

export const PAGE_END = "</body>\n</html>\n";
