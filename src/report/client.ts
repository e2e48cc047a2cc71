/// <reference lib="dom" />
/**
 * The report page's script. `viewer` is written into the HTML as source text (`viewer.toString()`),
 * so it must stay self-contained: no imports, nothing from this module's scope. It reads the
 * index from #report-index, renders the trajectory table (sort, filter, full-text search), opens
 * one trajectory with the verdicts on its steps, and shows best-of-N groups; bodies are inflated
 * from the gzip chunks (#chunk-N) only when needed. Agent text is only ever set as textContent.
 */

export interface IndexRow {
  /** trajectory id */
  id: string;
  /** task (instance id, or the trajectory id when unknown) */
  task: string;
  /** scaffold: index into `scaffolds` */
  sc: number;
  /** 1 resolved, 0 unresolved, null unlabelled */
  o: 1 | 0 | null;
  s: number | null;
  p: number | null;
  /** criteria that fired (value >= 0.5): indices into `criteria` */
  f: number[];
  /** steps */
  n: number;
  /** vetoed */
  v: boolean;
  /** error record */
  e: boolean;
  /** where the body is: chunk, line */
  b: [number, number];
}

export interface ReportIndex {
  title: string;
  criteria: { id: string; kind: string; polarity: string; weight: number; severity: string }[];
  scaffolds: string[];
  rows: IndexRow[];
  /** whether trajectories (steps) were given */
  steps: boolean;
  /** the side folder holding the chunks as scripts (relative to the page), or null: embedded */
  side: string | null;
}

export function viewer(): void {
  type Row = IndexRow;
  type Verdict = {
    c: number;
    status: string;
    value: number | null;
    goodness: number | null;
    evidence: number[];
    explanation: string;
    by: string;
    reason?: string;
    agreement?: number;
    spread?: number;
    votes?: { by: string; value: number | null }[];
  };
  type Step = { i: number; tool: string; thought: string; action: string; obs: string | null };
  type Body = {
    verdicts: Verdict[];
    steps: Step[] | null;
    task?: string | null;
    patch?: string | null;
    exit?: string | null;
    cut?: number;
    meta: {
      file: string;
      format: string;
      variant: string;
      model: string | null;
      run: string | null;
      origin: string | null;
      vetoed_by: string[];
      p_by?: string;
      error?: string;
    };
  };
  type Child = Node | string | null | undefined | false;

  const data = JSON.parse(document.getElementById("report-index")!.textContent!) as ReportIndex;
  const rows = data.rows;
  const crits = data.criteria;
  const byId = new Map(rows.map((r) => [r.id, r]));
  document.documentElement.classList.add("js");

  function h(tag: string, attrs: Record<string, string | boolean | ((e: Event) => void)> | null, ...kids: Child[]) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs ?? {})) {
      if (typeof v === "function") e.addEventListener(k, v);
      else if (v === true) e.setAttribute(k, "");
      else if (v !== false) e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined && k !== false) e.append(k);
    return e;
  }
  const fmt = (x: number | null) => (x === null ? "–" : x.toFixed(3));
  const outcome = (o: 1 | 0 | null) => (o === 1 ? "resolved" : o === 0 ? "unresolved" : "no label");
  const sign = (i: number) => (crits[i].polarity === "encourage" ? "+" : "−");
  const enc = encodeURIComponent;

  /** a chip for a criterion that fired: green when the behaviour is encouraged, red when discouraged */
  function chip(i: number) {
    return h(
      "span",
      { class: `chip ${crits[i].polarity}`, title: `${crits[i].kind} criterion fired` },
      `${sign(i)} ${crits[i].id}`,
    );
  }

  // ---- the store: gzip chunks inflated on demand --------------------------------------------
  const parsed = new Promise<void>((res) => {
    if (document.readyState !== "loading") res();
    else document.addEventListener("DOMContentLoaded", () => res());
  });
  const chunks = new Map<number, Promise<string[]>>();
  // side folder: each chunk-<k>.js calls rubricateChunk(k, base64); a script element loads from file://, fetch would not
  const waiting = new Map<number, (b64: string) => void>();
  if (data.side)
    (window as unknown as { rubricateChunk: (k: number, b64: string) => void }).rubricateChunk = (k, b64) => {
      waiting.get(k)?.(b64);
      waiting.delete(k);
    };
  function chunkBase64(k: number): Promise<string> {
    if (!data.side) return parsed.then(() => document.getElementById(`chunk-${k}`)!.textContent!.trim());
    const src = `${data.side}/chunk-${k}.js`;
    return new Promise((res, rej) => {
      waiting.set(k, res);
      const s = document.createElement("script");
      s.src = src.split("/").map(encodeURIComponent).join("/");
      s.onload = () => s.remove();
      s.onerror = () => {
        waiting.delete(k);
        s.remove();
        rej(new Error(`cannot load ${src}: the folder ${data.side} must stay next to this report`));
      };
      document.head.append(s);
    });
  }
  async function inflate(k: number): Promise<string[]> {
    const b64 = await chunkBase64(k);
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return (await new Response(stream).text()).split("\n");
  }
  function chunk(k: number): Promise<string[]> {
    let p = chunks.get(k);
    if (!p) {
      p = inflate(k);
      chunks.set(k, p);
      p.catch(() => chunks.delete(k));
      // keep memory bounded: forget the oldest chunks beyond 64
      if (chunks.size > 64) chunks.delete(chunks.keys().next().value!);
    }
    return p;
  }
  async function body(r: Row): Promise<Body> {
    const lines = await chunk(r.b[0]);
    return JSON.parse(lines[r.b[1]]) as Body;
  }

  // ---- full-text search over thoughts, actions, observations and the patch ---------------------
  const searchText = new Map<string, string>();
  let searchChars = 0;
  const SEARCH_CACHE = 200_000_000;
  function textOf(b: Body): string {
    const parts: string[] = [];
    for (const s of b.steps ?? []) parts.push(s.thought, s.action, s.obs ?? "");
    parts.push(b.patch ?? "", b.task ?? "");
    for (const v of b.verdicts) parts.push(v.explanation);
    return parts.join("\n").toLowerCase();
  }
  async function search(q: string, onProgress: (done: number, total: number) => void): Promise<Set<string>> {
    const hits = new Set<string>();
    const byChunk = new Map<number, Row[]>();
    for (const r of rows) {
      const list = byChunk.get(r.b[0]) ?? [];
      list.push(r);
      byChunk.set(r.b[0], list);
    }
    let done = 0;
    for (const [k, list] of byChunk) {
      let lines: string[] | null = null;
      for (const r of list) {
        let t = searchText.get(r.id);
        if (t === undefined) {
          lines ??= await chunk(k);
          t = textOf(JSON.parse(lines[r.b[1]]) as Body);
          if (searchChars + t.length < SEARCH_CACHE) {
            searchText.set(r.id, t);
            searchChars += t.length;
          }
        }
        if (t.includes(q)) hits.add(r.id);
      }
      onProgress(++done, byChunk.size);
    }
    return hits;
  }

  // ---- the trajectory table -----------------------------------------------------------------
  const state = {
    q: "",
    outcome: "",
    scaffold: "",
    crit: "",
    /** which number the range filters: "s" the behaviour score, "p" p(resolved) */
    range: "s",
    min: "",
    max: "",
    sort: "task",
    desc: false,
    page: 0,
    hits: null as Set<string> | null,
  };
  const PAGE = 100;
  const listView = document.getElementById("view-trajectories")!;
  const status = h("span", { class: "status", id: "list-status" });
  const tableHost = h("div", { id: "list-table" });
  const pager = h("div", { class: "pager" });
  let searchToken = 0;

  function select(
    id: string,
    label: string,
    options: [string, string][],
    key: "outcome" | "scaffold" | "crit" | "range",
  ) {
    const s = h("select", { id, "aria-label": label }, ...options.map(([v, t]) => h("option", { value: v }, t)));
    s.addEventListener("change", () => {
      state[key] = (s as HTMLSelectElement).value;
      state.page = 0;
      renderList();
    });
    return h("label", null, `${label} `, s);
  }
  function rangeInput(id: string, label: string, key: "min" | "max") {
    const i = h("input", {
      id,
      type: "number",
      min: "0",
      max: "1",
      step: "0.05",
      placeholder: key,
      "aria-label": label,
    });
    i.addEventListener("input", () => {
      state[key] = (i as HTMLInputElement).value;
      state.page = 0;
      renderList();
    });
    return i;
  }
  const searchBox = h("input", {
    id: "search",
    type: "search",
    placeholder: "search thoughts, actions, observations…",
    "aria-label": "full-text search",
  }) as HTMLInputElement;
  let debounce = 0;
  searchBox.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = window.setTimeout(async () => {
      const q = searchBox.value.trim().toLowerCase();
      const token = ++searchToken;
      state.q = q;
      state.page = 0;
      if (!q) {
        state.hits = null;
        renderList();
        return;
      }
      status.textContent = "searching…";
      let hits: Set<string>;
      try {
        hits = await search(q, (d, t) => {
          if (token === searchToken) status.textContent = `searching… ${d}/${t} chunks`;
        });
      } catch (e) {
        if (token === searchToken) status.textContent = `search failed: ${(e as Error).message}`;
        return;
      }
      if (token !== searchToken) return;
      state.hits = hits;
      renderList();
    }, 250);
  });
  listView.append(
    h(
      "div",
      { class: "filters" },
      searchBox,
      select(
        "f-outcome",
        "outcome",
        [
          ["", "all"],
          ["1", "resolved"],
          ["0", "unresolved"],
          ["null", "no label"],
        ],
        "outcome",
      ),
      select(
        "f-scaffold",
        "scaffold",
        [["", "all"], ...data.scaffolds.map((s, i): [string, string] => [String(i), s])],
        "scaffold",
      ),
      select(
        "f-crit",
        "criterion fired",
        [["", "any"], ...crits.map((c, i): [string, string] => [String(i), `${sign(i)} ${c.id}`])],
        "crit",
      ),
      h(
        "span",
        null,
        select(
          "f-range",
          "range of",
          [
            ["s", "behaviour score"],
            ["p", "p(resolved)"],
          ],
          "range",
        ),
        " ",
        rangeInput("f-min", "minimum", "min"),
        " – ",
        rangeInput("f-max", "maximum", "max"),
      ),
      status,
    ),
    tableHost,
    pager,
  );

  const columns: [string, string][] = [
    ["task", "task"],
    ["scaffold", "scaffold"],
    ["outcome", "outcome"],
    ["p", "p(resolved)"],
    ["score", "behaviour score"],
    ["steps", "steps"],
    ["fired", "criteria fired"],
  ];
  const sortKey = (r: Row, k: string): string | number => {
    switch (k) {
      case "task":
        return r.task;
      case "scaffold":
        return data.scaffolds[r.sc];
      case "outcome":
        return r.o === null ? -1 : r.o;
      case "score":
        return r.s ?? -1;
      case "p":
        return r.p ?? -1;
      case "steps":
        return r.n;
      default:
        return r.f.length;
    }
  };
  function filtered(): Row[] {
    const min = state.min === "" ? null : Number(state.min);
    const max = state.max === "" ? null : Number(state.max);
    const crit = state.crit === "" ? null : Number(state.crit);
    const k = state.range === "p" ? "p" : "s";
    const out = rows.filter(
      (r) =>
        (state.outcome === "" || String(r.o) === state.outcome) &&
        (state.scaffold === "" || String(r.sc) === state.scaffold) &&
        (crit === null || r.f.includes(crit)) &&
        (min === null || (r[k] !== null && r[k]! >= min)) &&
        (max === null || (r[k] !== null && r[k]! <= max)) &&
        (state.hits === null || state.hits.has(r.id)),
    );
    const dir = state.desc ? -1 : 1;
    out.sort((a, b) => {
      const x = sortKey(a, state.sort);
      const y = sortKey(b, state.sort);
      return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * dir;
    });
    return out;
  }
  function renderList() {
    const list = filtered();
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const shown = list.slice(state.page * PAGE, (state.page + 1) * PAGE);
    status.textContent = `${list.length} of ${rows.length} trajectories${state.q ? ` matching “${state.q}”` : ""}`;
    const head = h(
      "tr",
      null,
      ...columns.map(([k, t]) =>
        h(
          "th",
          {
            "data-sort": k,
            class: state.sort === k ? (state.desc ? "sorted desc" : "sorted asc") : "",
            title: "sort",
            click: () => {
              if (state.sort === k) state.desc = !state.desc;
              else {
                state.sort = k;
                state.desc = k === "score" || k === "p" || k === "fired";
              }
              renderList();
            },
          },
          t,
        ),
      ),
    );
    const body = h(
      "tbody",
      null,
      ...shown.map((r) =>
        h(
          "tr",
          { "data-id": r.id, class: "row", click: () => (location.hash = `#t/${enc(r.id)}`) },
          h("td", null, h("a", { href: `#t/${enc(r.id)}` }, r.task)),
          h("td", null, data.scaffolds[r.sc]),
          h("td", { class: `o${r.o}` }, outcome(r.o)),
          h("td", { class: "num" }, fmt(r.p)),
          h(
            "td",
            { class: "num" },
            fmt(r.s),
            r.v ? h("span", { class: "veto", title: "vetoed by a critical criterion" }, " veto") : null,
          ),
          h("td", { class: "num" }, String(r.n)),
          h("td", { class: "chips" }, ...r.f.map(chip)),
        ),
      ),
    );
    tableHost.replaceChildren(h("table", { class: "list" }, h("thead", null, head), body));
    pager.replaceChildren(
      h("button", { disabled: state.page === 0, click: () => (state.page--, renderList()) }, "‹ previous"),
      ` page ${state.page + 1} of ${pages} `,
      h("button", { disabled: state.page >= pages - 1, click: () => (state.page++, renderList()) }, "next ›"),
    );
  }

  // ---- one trajectory: verdicts on its steps ---------------------------------------------------
  const one = document.getElementById("view-trajectory")!;
  const LONG = 1200;
  function textBlock(cls: string, label: string, s: string, open = false) {
    if (!s) return null;
    if (s.length <= LONG && s.split("\n").length <= 24)
      return h("div", { class: cls }, h("span", { class: "lbl" }, label), h("pre", null, s));
    const first = s.split("\n").find((l) => l.trim()) ?? "";
    return h(
      "details",
      { class: `${cls} long`, open },
      h(
        "summary",
        null,
        h("span", { class: "lbl" }, label),
        ` ${first.slice(0, 120)} `,
        h("span", { class: "size" }, `(${s.length.toLocaleString()} characters)`),
      ),
      h("pre", null, s),
    );
  }
  function flash(el: Element) {
    el.scrollIntoView({ block: "center" });
    el.classList.remove("flash");
    void (el as HTMLElement).offsetWidth;
    el.classList.add("flash");
  }
  function verdictLabel(v: Verdict): [string, string] {
    if (v.status === "not_applicable") return ["n/a", "na"];
    if (v.status === "unscored") return [`unscored: ${v.reason ?? "?"}`, "unscored"];
    const fired = (v.value ?? 0) >= 0.5;
    const good = (v.goodness ?? 0) >= 0.5;
    return [fired ? "fired" : "not fired", good ? "good" : "bad"];
  }
  /** problems first, then undecided, then the rest in rubric order (the sort is stable) */
  const rank = (v: Verdict) => {
    const cls = verdictLabel(v)[1];
    return cls === "bad" ? 0 : cls === "unscored" ? 1 : cls === "good" ? 2 : 3;
  };
  async function renderOne(id: string) {
    const r = byId.get(id);
    if (!r) {
      one.replaceChildren(h("p", { class: "warn" }, `No trajectory ${id} in this report.`));
      return;
    }
    one.replaceChildren(h("p", null, "loading…"));
    let b: Body;
    try {
      b = await body(r);
    } catch (e) {
      one.replaceChildren(
        h("a", { href: "#trajectories", class: "back" }, "‹ all trajectories"),
        h("p", { class: "warn", id: "load-error" }, `Cannot show ${r.id}: ${(e as Error).message}`),
      );
      return;
    }
    const cites = new Map<number, Verdict[]>();
    for (const v of b.verdicts) for (const i of v.evidence) cites.set(i, [...(cites.get(i) ?? []), v]);
    const m = b.meta;
    const header = h(
      "div",
      { class: "thead" },
      h("a", { href: "#trajectories", class: "back" }, "‹ all trajectories"),
      h("h2", null, r.task, " ", h("span", { class: `badge o${r.o}` }, outcome(r.o))),
      h(
        "dl",
        null,
        h("dt", null, "trajectory"),
        h("dd", null, r.id),
        h("dt", null, "source"),
        h("dd", null, `${m.file} (${m.format} ${m.variant})`),
        h("dt", null, "scaffold"),
        h(
          "dd",
          null,
          [data.scaffolds[r.sc], m.model ? `model ${m.model}` : "", m.run ? `run ${m.run}` : ""]
            .filter(Boolean)
            .join(", "),
        ),
        h("dt", null, "p(resolved)"),
        h("dd", null, fmt(r.p), m.p_by ? ` (by ${m.p_by})` : ""),
        h("dt", null, "behaviour score"),
        h("dd", null, fmt(r.s), m.vetoed_by.length ? ` (vetoed by ${m.vetoed_by.join(", ")})` : ""),
        h("dt", null, "label"),
        h("dd", null, r.o === null ? "none" : `${outcome(r.o)} (from ${m.origin})`),
        h("dt", null, "exit status"),
        h("dd", null, b.exit ?? "–"),
        m.error ? h("dt", null, "error") : null,
        m.error ? h("dd", { class: "warn" }, m.error) : null,
      ),
      rows.filter((x) => x.task === r.task).length > 1
        ? h(
            "a",
            { href: `#task/${enc(r.task)}` },
            `all ${rows.filter((x) => x.task === r.task).length} attempts at this task ›`,
          )
        : null,
      b.cut
        ? h(
            "p",
            { class: "note" },
            `${b.cut} long texts of this trajectory were cut in the middle to fit the report's size budget.`,
          )
        : null,
    );
    const verdicts = h(
      "div",
      { class: "verdicts", id: "verdicts" },
      h("h3", null, "Verdicts"),
      ...[...b.verdicts]
        .sort((x, y) => rank(x) - rank(y))
        .map((v) => {
          const c = crits[v.c];
          const [text, cls] = verdictLabel(v);
          return h(
            "div",
            { class: `verdict ${cls}`, id: `v-${c.id}`, "data-criterion": c.id, "data-evidence": v.evidence.join(",") },
            h(
              "div",
              { class: "vhead" },
              h("span", { class: "vname" }, `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`),
              h("span", { class: `vstat ${cls}` }, text),
              v.value !== null && v.value > 0 && v.value < 1
                ? h("span", { class: "vval" }, `p = ${v.value.toFixed(3)}`)
                : null,
            ),
            h("div", { class: "vmeta" }, `${c.kind} · ${c.severity} · weight ${c.weight} · by ${v.by}`),
            h("p", { class: "vexpl" }, v.explanation),
            v.votes?.length
              ? h(
                  "div",
                  { class: "vmeta" },
                  `votes: ${v.votes.map((x) => `${x.by} ${x.value === null ? "–" : x.value.toFixed(2)}`).join(", ")}`,
                  v.agreement !== undefined ? ` · agreement ${v.agreement.toFixed(2)}` : "",
                  v.spread !== undefined ? ` · spread ${v.spread.toFixed(2)}` : "",
                )
              : null,
            v.evidence.length
              ? h(
                  "div",
                  { class: "evidence" },
                  "evidence: ",
                  ...v.evidence.map((i) =>
                    h(
                      "a",
                      {
                        href: `#t/${enc(r.id)}`,
                        class: "ev",
                        "data-step": String(i),
                        click: (e: Event) => {
                          e.preventDefault();
                          const s = document.getElementById(`step-${i}`);
                          if (s) flash(s);
                        },
                      },
                      `step ${i}`,
                    ),
                  ),
                )
              : null,
          );
        }),
    );
    const steps = h("div", { class: "steps", id: "steps" }, h("h3", null, "Steps"));
    if (b.task) steps.append(textBlock("task", "task", b.task)!);
    if (!b.steps)
      steps.append(
        h(
          "p",
          { class: "note" },
          "The steps are not in this report: build it with --trajectories <the scored inputs> to see them.",
        ),
      );
    for (const s of b.steps ?? []) {
      const vs = cites.get(s.i) ?? [];
      const bad = vs.some((v) => (v.goodness ?? 1) < 0.5);
      const el = h(
        "div",
        {
          class: `step${vs.length ? ` evidence ${bad ? "bad" : "good"}` : ""}`,
          id: `step-${s.i}`,
          "data-step": String(s.i),
          "data-cited-by": vs.map((v) => crits[v.c].id).join(" "),
        },
        h(
          "div",
          { class: "shead" },
          h("span", { class: "sidx" }, `step ${s.i}`),
          h("span", { class: "tool" }, s.tool),
          ...vs.map((v) => {
            const c = crits[v.c];
            return h(
              "a",
              {
                class: `cite ${(v.goodness ?? 1) < 0.5 ? "bad" : "good"}`,
                href: `#t/${enc(r.id)}`,
                click: (e: Event) => {
                  e.preventDefault();
                  const t = document.getElementById(`v-${c.id}`);
                  if (t) flash(t);
                },
              },
              `${c.polarity === "encourage" ? "+" : "−"} ${c.id}`,
            );
          }),
        ),
        textBlock("thought", "thought", s.thought),
        textBlock("action", "action", s.action),
        s.obs === null ? null : textBlock("obs", "observation", s.obs),
      );
      steps.append(el);
    }
    if (b.patch) steps.append(textBlock("patch", "final patch", b.patch)!);
    one.replaceChildren(header, h("div", { class: "split" }, verdicts, steps));
  }

  // ---- best-of-N groups: the attempts at one task side by side --------------------------------
  const tasksView = document.getElementById("view-tasks")!;
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(r.task, [...(groups.get(r.task) ?? []), r]);
  const multi = [...groups].filter(([, g]) => g.length > 1).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const pickOf = (g: Row[], k: "s" | "p"): Row | null => {
    let best: Row | null = null;
    for (const r of g) {
      const x = r[k];
      if (x === null) continue;
      if (!best || x > best[k]! || (x === best[k] && r.id < best.id)) best = r;
    }
    return best;
  };
  // the pick that orders the cards and the hit/miss filter: p(resolved) when the records have it
  // (the reward eval and select use by default), else the behaviour score
  const main: "p" | "s" = rows.some((r) => r.p !== null) ? "p" : "s";
  const taskState = { show: "", page: 0 };
  const TASKS_PAGE = 20;
  function card(r: Row, g: Row[]) {
    const ps = pickOf(g, "s");
    const pp = pickOf(g, "p");
    return h(
      "a",
      { class: `card o${r.o}`, href: `#t/${enc(r.id)}`, "data-id": r.id },
      h(
        "div",
        { class: "picks" },
        pp === r ? h("span", { class: "pick p", "data-pick": "p" }, "★ pick by p(resolved)") : null,
        ps === r ? h("span", { class: "pick", "data-pick": "score" }, "★ pick by behaviour score") : null,
      ),
      h("div", { class: `badge o${r.o}` }, outcome(r.o)),
      h("div", null, `p(resolved) ${fmt(r.p)} · behaviour ${fmt(r.s)}`),
      h("div", { class: "small" }, `${data.scaffolds[r.sc]} · ${r.n} steps`),
      h("div", { class: "chips" }, ...r.f.map(chip)),
    );
  }
  function renderTasks(only?: string) {
    let list = only ? multi.filter(([t]) => t === only) : multi;
    if (only && !list.length && groups.has(only)) list = [[only, groups.get(only)!]];
    if (!only && taskState.show) {
      list = list.filter(([, g]) => {
        const any = g.some((r) => r.o === 1);
        const pick = pickOf(g, main);
        if (taskState.show === "hit") return pick?.o === 1;
        if (taskState.show === "miss") return any && pick?.o !== 1;
        return !any;
      });
    }
    const pages = Math.max(1, Math.ceil(list.length / TASKS_PAGE));
    taskState.page = Math.min(taskState.page, pages - 1);
    const shown = only ? list : list.slice(taskState.page * TASKS_PAGE, (taskState.page + 1) * TASKS_PAGE);
    const filter = h(
      "select",
      { id: "f-tasks", "aria-label": "tasks to show" },
      ...[
        ["", "all tasks with several attempts"],
        ["hit", `the pick by ${main === "p" ? "p(resolved)" : "behaviour score"} resolved it`],
        ["miss", "the pick failed, another attempt resolved it"],
        ["none", "no attempt resolved it"],
      ].map(([v, t]) => h("option", { value: v, selected: v === taskState.show }, t)),
    );
    filter.addEventListener("change", () => {
      taskState.show = (filter as HTMLSelectElement).value;
      taskState.page = 0;
      renderTasks();
    });
    const pagerEl = only
      ? null
      : h(
          "div",
          { class: "pager" },
          h("button", { disabled: taskState.page === 0, click: () => (taskState.page--, renderTasks()) }, "‹ previous"),
          ` page ${taskState.page + 1} of ${pages} `,
          h(
            "button",
            { disabled: taskState.page >= pages - 1, click: () => (taskState.page++, renderTasks()) },
            "next ›",
          ),
        );
    tasksView.replaceChildren(
      h("h2", null, "Best-of-N groups"),
      h(
        "p",
        { class: "note" },
        `The attempts at each task side by side, highest ${main === "p" ? "p(resolved)" : "behaviour score"} first; ★ marks the attempt each number would pick (ties go to the smaller trajectory id, as in the best-of-N plot).`,
      ),
      only
        ? h("a", { href: "#tasks", class: "back" }, "‹ all best-of-N groups")
        : h("div", { class: "filters" }, filter, h("span", { class: "status" }, `${list.length} tasks`)),
      ...shown.map(([t, g]) =>
        h(
          "section",
          { class: "group", "data-task": t },
          h(
            "h3",
            null,
            h("a", { href: `#task/${enc(t)}` }, t),
            ` — ${g.length} attempts, ${g.filter((r) => r.o === 1).length} resolved`,
          ),
          h(
            "div",
            { class: "cards" },
            ...[...g]
              .sort((a, b) => (b[main] ?? -1) - (a[main] ?? -1) || (a.id < b.id ? -1 : 1))
              .map((r) => card(r, g)),
          ),
        ),
      ),
    );
    if (pagerEl) tasksView.append(pagerEl);
    if (!multi.length && !only)
      tasksView.append(h("p", { class: "note" }, "No task has more than one attempt in these records."));
  }

  // ---- routing ---------------------------------------------------------------------------------
  const views = ["summary", "plots", "trajectories", "trajectory", "tasks"];
  let listDrawn = false;
  let shownView = "";
  const scrolled = new Map<string, number>();
  async function route() {
    if (shownView) scrolled.set(shownView, window.scrollY);
    const hash = decodeURIComponent(location.hash.slice(1));
    let view = hash.split("/")[0] || "summary";
    if (view === "t") view = "trajectory";
    if (view === "task") view = "tasks";
    if (!views.includes(view)) view = "summary";
    for (const v of views) document.getElementById(`view-${v}`)!.hidden = v !== view;
    document
      .querySelectorAll("nav a")
      .forEach((a) =>
        a.classList.toggle("active", a.getAttribute("data-view") === (view === "trajectory" ? "trajectories" : view)),
      );
    if (view === "trajectories" && !listDrawn) {
      renderList();
      listDrawn = true;
    }
    if (view === "trajectory") {
      await renderOne(hash.slice(2));
      window.scrollTo(0, 0);
    }
    if (view === "tasks") renderTasks(hash.startsWith("task/") ? hash.slice(5) : undefined);
    // a view comes back where it was left (the list after a trajectory), not where the last one was
    if (view !== shownView && view !== "trajectory") window.scrollTo(0, scrolled.get(view) ?? 0);
    shownView = view;
    document.body.setAttribute("data-view", view);
  }
  window.addEventListener("hashchange", () => void route());
  void route().then(() =>
    parsed.then(() => {
      document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
      document.body.setAttribute("data-ready", "1");
    }),
  );
}
