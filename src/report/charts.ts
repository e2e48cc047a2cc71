/**
 * The report's plots as Vega-Lite specs, compiled by Vega in Node and rendered to SVG at build
 * time (no script is needed to show them): ROC, reliability, best-of-N, criterion fire rates by
 * outcome, AUC per scaffold.
 */
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";
import type { Interval } from "../eval/metrics.js";
import type { Analysis, Series } from "./analysis.js";

export interface Chart {
  id: string;
  title: string;
  /** one sentence on how to read it */
  caption: string;
  svg: string;
  /** the numbers behind the plot, as a table (header row first) */
  table: string[][];
}

const COLORS: Record<string, string> = {
  "behaviour score": "#4c78a8",
  "p(resolved)": "#f58518",
  random: "#9d9d9d",
  oracle: "#54a24b",
  resolved: "#54a24b",
  unresolved: "#e45756",
};

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(3));
export const withCi = (i: Interval) =>
  i.value === null ? "–" : i.lo === null || i.hi === null ? f3(i.value) : `${f3(i.value)} [${f3(i.lo)}, ${f3(i.hi)}]`;

function scale(names: string[]) {
  return { domain: names, range: names.map((n) => COLORS[n] ?? COLORS[n.replace(/^pick: /, "")] ?? "#b279a2") };
}

/** legends below the plot, one entry a line, long labels kept whole */
const LEGEND = { labelLimit: 420, orient: "bottom", direction: "vertical" };

const CONFIG = {
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 14, anchor: "start" },
};

/** Vega and Vega-Lite, loaded on first use: they are large, and importing the library should not pay for them. */
let libs: Promise<{ vega: typeof Vega; vl: typeof VegaLite; quiet: Vega.LoggerInterface }> | undefined;
function load() {
  libs ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({
    vega,
    vl,
    // Vega-Lite's warnings (about specs we wrote) are not for the user's terminal
    quiet: vega.logger(vega.None),
  }));
  return libs;
}

/** Render a Vega-Lite spec to SVG, with its element ids prefixed so several SVGs can share a page. */
export async function toSvg(spec: Record<string, unknown>, prefix: string): Promise<string> {
  const { vega, vl, quiet } = await load();
  const compiled = vl.compile({ config: CONFIG, ...spec } as VegaLite.TopLevelSpec, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger: quiet });
  try {
    const svg = await view.toSVG();
    return svg
      .replace(/ id="([^"]+)"/g, ` id="${prefix}-$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
      .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`)
      .replace(/^<svg /, `<svg role="img" aria-label="${prefix}" `);
  } finally {
    view.finalize();
  }
}

const diagonal = {
  data: {
    values: [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
    ],
  },
  mark: { type: "line", strokeDash: [4, 4], color: "#aaa" },
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
};

function roc(series: Series[]) {
  const label = (s: Series) => `${s.label}: AUC ${withCi(s.auc)}`;
  const names = series.map(label);
  const values = series.flatMap((s) => s.roc.map((p, i) => ({ series: label(s), fpr: p.fpr, tpr: p.tpr, i })));
  return {
    width: 340,
    height: 300,
    layer: [
      diagonal,
      {
        data: { values },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x: { field: "fpr", type: "quantitative", title: "false positive rate", scale: { domain: [0, 1] } },
          y: { field: "tpr", type: "quantitative", title: "true positive rate", scale: { domain: [0, 1] } },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: { domain: names, range: series.map((s) => COLORS[s.label]) },
            legend: LEGEND,
          },
          order: { field: "i", type: "quantitative" },
        },
      },
    ],
  };
}

function calibration(series: Series[]) {
  const label = (s: Series) => `${s.label}: ECE ${withCi(s.ece)}`;
  const names = series.map(label);
  const values = series.flatMap((s) =>
    s.reliability
      .filter((b) => b.count)
      .map((b) => ({ series: label(s), confidence: b.confidence, accuracy: b.accuracy, count: b.count })),
  );
  const enc = {
    x: {
      field: "confidence",
      type: "quantitative",
      title: "mean predicted value in the bin",
      scale: { domain: [0, 1] },
    },
    y: { field: "accuracy", type: "quantitative", title: "share resolved", scale: { domain: [0, 1] } },
    color: {
      field: "series",
      type: "nominal",
      title: null,
      scale: { domain: names, range: series.map((s) => COLORS[s.label]) },
      legend: LEGEND,
    },
  };
  return {
    width: 340,
    height: 300,
    layer: [
      diagonal,
      { data: { values }, mark: { type: "line", strokeWidth: 1.5 }, encoding: enc },
      {
        data: { values },
        mark: { type: "circle", opacity: 0.85 },
        encoding: { ...enc, size: { field: "count", type: "quantitative", legend: null } },
      },
    ],
  };
}

function bestOfN(series: Series[]) {
  const first = series[0].bestOfN;
  const rows: { n: number; line: string; value: number; lo: number | null; hi: number | null }[] = [];
  for (const b of first) {
    for (const [line, i] of [
      ["random", b.random],
      ["oracle", b.oracle],
    ] as const)
      if (i.value !== null) rows.push({ n: b.n, line, value: i.value, lo: i.lo, hi: i.hi });
  }
  for (const s of series)
    for (const b of s.bestOfN)
      if (b.reward.value !== null)
        rows.push({ n: b.n, line: `pick: ${s.label}`, value: b.reward.value, lo: b.reward.lo, hi: b.reward.hi });
  const names = ["random", "oracle", ...series.map((s) => `pick: ${s.label}`)];
  const color = { field: "line", type: "nominal", title: null, scale: scale(names), legend: LEGEND };
  const x = {
    field: "n",
    type: "quantitative",
    title: "N (attempts per task)",
    axis: { tickMinStep: 1, format: "d" },
  };
  return {
    width: 340,
    height: 300,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.lo !== null" }],
        mark: { type: "area", opacity: 0.15 },
        encoding: {
          x,
          y: { field: "lo", type: "quantitative" },
          y2: { field: "hi" },
          color: { ...color, legend: null },
        },
      },
      {
        mark: { type: "line", point: true, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: "value", type: "quantitative", title: "resolve rate of the pick", scale: { domain: [0, 1] } },
          color,
        },
      },
    ],
    resolve: { legend: { color: "independent" } },
  };
}

function fireRates(series: Series[]) {
  const crit = series[0].criteria.filter((c) => c.firedResolved !== null || c.firedUnresolved !== null);
  const rows = crit.flatMap((c) => {
    const name = `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`;
    return [
      { criterion: name, outcome: "resolved", rate: c.firedResolved ?? 0 },
      { criterion: name, outcome: "unresolved", rate: c.firedUnresolved ?? 0 },
    ];
  });
  return {
    width: 300,
    height: { step: 11 },
    data: { values: rows },
    mark: "bar",
    encoding: {
      y: { field: "criterion", type: "nominal", title: null, sort: null, axis: { labelLimit: 240 } },
      yOffset: { field: "outcome", sort: ["resolved", "unresolved"] },
      x: {
        field: "rate",
        type: "quantitative",
        title: "share of decided trajectories where it fired",
        axis: { format: "%" },
      },
      color: {
        field: "outcome",
        type: "nominal",
        title: null,
        scale: scale(["resolved", "unresolved"]),
        legend: LEGEND,
      },
    },
  };
}

function perScaffold(series: Series[]) {
  const rows = series.flatMap((s) =>
    s.scaffolds
      .filter((g) => g.auc.value !== null)
      .map((g) => ({
        scaffold: `${g.name} (n=${g.n})`,
        series: s.label,
        auc: g.auc.value,
        lo: g.auc.lo ?? g.auc.value,
        hi: g.auc.hi ?? g.auc.value,
      })),
  );
  const color = {
    field: "series",
    type: "nominal",
    title: null,
    scale: scale(series.map((s) => s.label)),
    legend: LEGEND,
  };
  const y = { field: "scaffold", type: "nominal", title: null, axis: { labelLimit: 320 } };
  return {
    width: 300,
    height: { step: 30 },
    data: { values: rows },
    layer: [
      {
        data: { values: [{ x: 0.5 }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#aaa" },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      {
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          y,
          yOffset: { field: "series" },
          x: { field: "lo", type: "quantitative", title: "ROC-AUC (95% interval)", scale: { domain: [0, 1] } },
          x2: { field: "hi" },
          color,
        },
      },
      {
        mark: { type: "point", filled: true, size: 60 },
        encoding: { y, yOffset: { field: "series" }, x: { field: "auc", type: "quantitative" }, color },
      },
    ],
  };
}

/** Every plot the analysis supports (none without labels). */
export async function charts(a: Analysis): Promise<Chart[]> {
  const s = a.series;
  if (!s.length) return [];
  const out: Chart[] = [];
  const add = async (id: string, title: string, caption: string, spec: Record<string, unknown>, table: string[][]) =>
    out.push({ id, title, caption, svg: await toSvg(spec, id), table });
  await add(
    "roc",
    "ROC curve",
    "How well each number separates resolved from unresolved trajectories: the further above the diagonal, the better (AUC 0.5 is chance). 95% intervals from a bootstrap over tasks.",
    roc(s),
    [
      ["value", "n", "resolved", "ROC-AUC", "PR-AUC", "Brier"],
      ...s.map((x) => [x.label, String(x.n), String(x.positives), withCi(x.auc), f3(x.prAuc), f3(x.brier)]),
    ],
  );
  await add(
    "calibration",
    "Reliability diagram",
    "Mean predicted value against the share resolved in 10 equal-width bins (dot size: trajectories in the bin). A calibrated probability lies on the diagonal; the behaviour score is a weighted share of good behaviours, not a probability.",
    calibration(s),
    [
      ["value", "bin", "n", "mean value", "share resolved"],
      ...s.flatMap((x) =>
        x.reliability
          .filter((b) => b.count)
          .map((b) => [
            x.label,
            `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`,
            String(b.count),
            f3(b.confidence),
            f3(b.accuracy),
          ]),
      ),
    ],
  );
  if (s[0].bestOfN.length > 1)
    await add(
      "best-of-n",
      "Best-of-N",
      "Expected resolve rate of the attempt picked among N per task (exact over all subsets of N), against a random pick and an oracle that knows the outcomes. Bands: 95% bootstrap intervals over tasks.",
      bestOfN(s),
      [
        [
          "N",
          "tasks",
          "random",
          ...s.map((x) => `pick: ${x.label}`),
          "oracle",
          ...s.map((x) => `gap closed: ${x.label}`),
        ],
        ...s[0].bestOfN.map((b, i) => [
          String(b.n),
          String(b.tasks),
          withCi(b.random),
          ...s.map((x) => (x.bestOfN[i] ? withCi(x.bestOfN[i].reward) : "–")),
          withCi(b.oracle),
          ...s.map((x) => (x.bestOfN[i] ? f3(x.bestOfN[i].gapClosed) : "–")),
        ]),
      ],
    );
  await add(
    "fire-rates",
    "Criteria fired on resolved vs unresolved",
    "For each criterion (+ encouraged, − discouraged behaviour), the share of labelled trajectories where it was decided and fired. A useful criterion fires at different rates on the two outcomes.",
    fireRates(s),
    [
      ["criterion", "kind", "decided", "fired: resolved", "fired: unresolved", "ratio", "AUC"],
      ...s[0].criteria.map((c) => [
        `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`,
        c.kind,
        String(c.decided),
        c.firedResolved === null ? "–" : `${(100 * c.firedResolved).toFixed(0)}%`,
        c.firedUnresolved === null ? "–" : `${(100 * c.firedUnresolved).toFixed(0)}%`,
        c.ratio === null ? "–" : c.ratio.toFixed(2),
        f3(c.auc),
      ]),
    ],
  );
  if (s.some((x) => x.scaffolds.some((g) => g.auc.value !== null)))
    await add(
      "per-scaffold",
      "ROC-AUC per scaffold",
      "Discrimination within each scaffold's trajectories (scaffolds with only one outcome have no AUC and are left out). The dashed line is chance.",
      perScaffold(s),
      [
        ["scaffold", "value", "n", "resolved", "ROC-AUC", "ECE"],
        ...s.flatMap((x) =>
          x.scaffolds.map((g) => [g.name, x.label, String(g.n), String(g.positives), withCi(g.auc), f3(g.ece)]),
        ),
      ],
    );
  return out;
}
