/** The report page's stylesheet (system fonts only: nothing is fetched at view time). */
export const CSS = `
:root { --fg:#1d2330; --muted:#5d6778; --line:#dde1e8; --bg:#f6f7f9; --good:#2f7d32; --bad:#c62828; --goodbg:#e8f5e9; --badbg:#fdecea; --accent:#3b5bdb; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color:var(--fg); background:var(--bg); }
header { background:#1d2330; color:#fff; padding:10px 24px; display:flex; align-items:baseline; gap:24px; position:sticky; top:0; z-index:5; }
header h1 { font-size:17px; margin:0; font-weight:600; }
header .sub { color:#aab3c5; font-size:12px; }
nav a { color:#cfd6e4; text-decoration:none; margin-right:14px; padding:4px 2px; }
nav a.active, nav a:hover { color:#fff; border-bottom:2px solid #fff; }
main { padding:18px 24px 60px; max-width:1500px; margin:0 auto; }
html:not(.js) .view { display:block !important; }
html.js .view[hidden] { display:none; }
h2 { font-size:18px; margin:8px 0 12px; }
h3 { font-size:15px; margin:14px 0 8px; }
.cards-row { display:flex; flex-wrap:wrap; gap:10px; }
.stat { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; min-width:96px; flex:1 1 auto; }
.stat b { display:block; font-size:22px; font-weight:600; }
.stat span { color:var(--muted); font-size:12px; display:block; }
table { border-collapse:collapse; background:#fff; }
th, td { border-bottom:1px solid var(--line); padding:5px 9px; text-align:left; vertical-align:top; }
th { background:#eef0f4; font-weight:600; font-size:12.5px; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.panels { display:grid; grid-template-columns:repeat(auto-fill, minmax(560px, 1fr)); gap:0 16px; align-items:start; }
.panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:12px 0; }
.warn { color:var(--bad); }
.banner { background:#fff8e1; border:1px solid #f0d48a; border-radius:8px; padding:10px 14px; margin:12px 0; }
.note { color:var(--muted); }
code, pre { font:12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.plots { display:grid; grid-template-columns:repeat(auto-fill, minmax(460px, 1fr)); gap:16px; }
figure { margin:0; background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px; }
figure h3 { margin-top:0; }
figure svg { max-width:100%; height:auto; }
figcaption { color:var(--muted); font-size:12.5px; margin:6px 0; }
figure details table { font-size:12px; }
.filters { display:flex; flex-wrap:wrap; gap:10px 16px; align-items:center; margin:6px 0 12px; }
.filters input[type=search] { width:320px; padding:5px 8px; }
.filters input[type=number] { width:70px; }
.status { color:var(--muted); }
table.list { width:100%; }
table.list th { cursor:pointer; user-select:none; white-space:nowrap; }
table.list th.sorted.asc::after { content:" ▲"; font-size:10px; }
table.list th.sorted.desc::after { content:" ▼"; font-size:10px; }
table.list tr.row { cursor:pointer; }
table.list tr.row:hover { background:#f0f4ff; }
table.list a { color:var(--fg); text-decoration:none; font-family:ui-monospace, "DejaVu Sans Mono", monospace; font-size:12.5px; }
.o1 { color:var(--good); } .o0 { color:var(--bad); } .onull { color:var(--muted); }
.badge { display:inline-block; font-size:12px; padding:1px 8px; border-radius:10px; border:1px solid currentColor; font-weight:500; }
.chips { display:flex; flex-wrap:wrap; gap:3px; }
td.chips { display:table-cell; }
td.chips > * { display:inline-block; margin:0 3px 3px 0; }
.chip { font-size:11px; padding:0 6px; border-radius:9px; white-space:nowrap; }
.chip.encourage { background:var(--goodbg); color:var(--good); }
.chip.discourage { background:var(--badbg); color:var(--bad); }
.veto { color:var(--bad); font-size:11px; font-weight:600; }
.pager { margin:10px 0; display:flex; gap:8px; align-items:center; }
.back { display:inline-block; margin-bottom:6px; color:var(--accent); text-decoration:none; }
.thead dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 14px; margin:6px 0; }
.thead dt { color:var(--muted); } .thead dd { margin:0; word-break:break-all; }
.split { display:grid; grid-template-columns:minmax(300px, 400px) 1fr; gap:18px; align-items:start; }
.verdicts { position:sticky; top:52px; max-height:calc(100vh - 64px); overflow:auto; }
.verdict { background:#fff; border:1px solid var(--line); border-left:4px solid #bbb; border-radius:6px; padding:6px 9px; margin-bottom:6px; }
.verdict.good { border-left-color:var(--good); } .verdict.bad { border-left-color:var(--bad); } .verdict.unscored { border-left-color:#e0a800; }
.vhead { display:flex; gap:8px; align-items:baseline; flex-wrap:wrap; }
.vname { font-weight:600; font-size:13px; }
.vstat { font-size:11.5px; padding:0 6px; border-radius:8px; background:#eee; }
.vstat.good { background:var(--goodbg); color:var(--good); } .vstat.bad { background:var(--badbg); color:var(--bad); } .vstat.unscored { background:#fff3cd; color:#8a6d00; }
.vval, .vmeta { color:var(--muted); font-size:11.5px; }
.vexpl { margin:3px 0; font-size:12.5px; white-space:pre-wrap; }
.evidence { font-size:12px; color:var(--muted); }
.evidence a, .cite { font-size:11.5px; margin-right:4px; text-decoration:none; padding:0 5px; border-radius:7px; background:#e7ebf7; color:var(--accent); }
.cite.bad { background:var(--badbg); color:var(--bad); } .cite.good { background:var(--goodbg); color:var(--good); }
.step { background:#fff; border:1px solid var(--line); border-radius:6px; padding:6px 10px; margin-bottom:6px; }
.step.evidence.bad { border-left:4px solid var(--bad); background:#fffafa; }
.step.evidence.good { border-left:4px solid var(--good); background:#fbfffb; }
.shead { display:flex; gap:8px; align-items:baseline; flex-wrap:wrap; margin-bottom:3px; }
.sidx { font-weight:600; font-size:12px; color:var(--muted); min-width:52px; }
.tool { font:12px ui-monospace, "DejaVu Sans Mono", monospace; background:#eef0f4; padding:0 5px; border-radius:4px; }
.lbl { font-size:11px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; margin-right:4px; }
.step pre, .task pre, .patch pre { white-space:pre-wrap; word-break:break-word; margin:2px 0 4px; background:#f8f9fb; padding:5px 7px; border-radius:4px; max-height:none; }
.thought pre { background:none; padding:0 2px; font-family:inherit; font-size:13px; }
details.long > summary { cursor:pointer; color:var(--muted); font-size:12px; list-style-position:inside; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
details.long > summary .lbl { color:var(--fg); }
.size { color:#8a94a6; }
.flash { animation:flash 1.6s ease-out; }
@keyframes flash { 0% { box-shadow:0 0 0 3px #ffd43b; } 100% { box-shadow:0 0 0 3px transparent; } }
.group { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin-bottom:12px; }
.group h3 { margin:2px 0 8px; font-size:14px; } .group h3 a { color:var(--fg); }
.cards { display:flex; gap:10px; overflow-x:auto; padding-bottom:4px; }
.card { flex:0 0 210px; border:1px solid var(--line); border-radius:8px; padding:8px; color:var(--fg); text-decoration:none; background:#fcfcfd; display:flex; flex-direction:column; gap:4px; }
.card:hover { border-color:var(--accent); }
.card .badge { align-self:flex-start; }
.card .small { color:var(--muted); font-size:12px; }
.picks { min-height:18px; display:flex; flex-direction:column; gap:2px; }
.pick { font-size:11.5px; font-weight:600; color:#9c6500; background:#fff3cd; border-radius:6px; padding:0 6px; align-self:flex-start; }
.pick.p { color:#8a3a00; background:#ffe3cc; }
`;
