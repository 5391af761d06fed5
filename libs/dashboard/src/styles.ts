/** The dashboard's stylesheet, shipped inside its one script file. */
export const STYLES = `
:root { --bg:#f6f7f9; --fg:#1d2430; --muted:#6b7585; --line:#d8dde5; --card:#fff; --ok:#1f8a4c; --warn:#c47a00; --bad:#c62828; --accent:#2f5bd3; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--fg); }
header.top { display:flex; align-items:center; gap:20px; padding:10px 20px; background:#1d2430; color:#fff; }
header.top h1 { font-size:16px; margin:0; }
header.top nav { display:flex; gap:4px; flex:1; }
header.top nav a { color:#c9d3e3; text-decoration:none; padding:6px 10px; border-radius:4px; }
header.top nav a.current { background:#38445a; color:#fff; }
.connection { font-size:12px; padding:2px 8px; border-radius:10px; }
.connection.ok { background:var(--ok); } .connection.warn { background:var(--warn); }
.sign-out { background:transparent; color:#c9d3e3; border:1px solid #4a566c; }
main { padding:16px 20px; }
h2 { margin:0 0 8px; font-size:20px; } h3 { margin:16px 0 8px; font-size:15px; }
.muted { color:var(--muted); } .warn { color:var(--warn); } .bad { color:var(--bad); }
button { font:inherit; padding:5px 12px; border:1px solid var(--line); border-radius:4px; background:#fff; cursor:pointer; }
button:disabled { opacity:.5; cursor:default; }
.cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(420px, 1fr)); gap:12px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:12px 14px; }
.card h3 { margin:0 0 4px; } .card a { color:var(--accent); text-decoration:none; }
table { border-collapse:collapse; background:var(--card); }
th, td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:left; white-space:nowrap; }
table.counts td { text-align:right; font-variant-numeric:tabular-nums; }
table.services td { font-variant-numeric:tabular-nums; }
.cluster-picker { display:flex; gap:6px; margin-bottom:8px; }
.cluster-picker a { padding:3px 10px; border:1px solid var(--line); border-radius:12px; text-decoration:none; color:var(--fg); background:#fff; }
.cluster-picker a.current { background:var(--accent); color:#fff; border-color:var(--accent); }
.instances { display:flex; flex-wrap:wrap; gap:12px; align-items:flex-start; }
.instance { background:var(--card); border:2px solid #9fb0c8; border-radius:6px; padding:8px; }
.instance.draining { border:2px dashed var(--warn); background:#fff8ec; }
.instance.disconnected { border:2px solid var(--bad); background:#fdeeee; }
.instance header { display:flex; gap:6px; align-items:center; margin-bottom:6px; flex-wrap:wrap; }
.badge { font-size:11px; font-weight:bold; padding:1px 6px; border-radius:3px; color:#fff; }
.badge.draining { background:var(--warn); } .badge.disconnected, .badge.inactive { background:var(--bad); }
.bar { position:relative; height:16px; background:#e9edf3; border-radius:3px; margin:3px 0; overflow:hidden; font-size:11px; }
.bar-fill { position:absolute; left:0; top:0; bottom:0; background:#8fb3f0; }
.bar-fill.full { background:#f0a08f; }
.bar-label { position:relative; z-index:1; padding-left:4px; }
.chips, .lane { display:flex; flex-wrap:wrap; gap:4px; margin-top:6px; }
.lane { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:8px; min-height:40px; }
.task { font-size:11px; padding:2px 6px; border-radius:3px; border:1px solid #b8c4d6; background:#eef3fb; }
.task.s-running { background:#e2f4e8; border-color:#8cc9a3; }
.task.s-pending, .task.s-provisioning, .task.s-activating { background:#fff4dc; border-color:#e6c171; }
.task.s-stopping, .task.s-deactivating, .task.s-deprovisioning { background:#fde7e3; border-color:#e49c8f; }
.more { font-size:11px; color:var(--muted); align-self:center; }
form.filters { display:flex; flex-wrap:wrap; gap:8px; align-items:flex-end; margin-bottom:8px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
form.filters input, form.filters select { font:inherit; padding:4px 6px; border:1px solid var(--line); border-radius:4px; min-width:120px; }
.pager { display:flex; gap:8px; align-items:center; margin-bottom:8px; }
.table-wrap { overflow:auto; max-height:70vh; }
table.tasks th { cursor:pointer; position:sticky; top:0; background:#eef1f5; }
table.tasks th.sorted.asc::after { content:" ▲"; } table.tasks th.sorted.desc::after { content:" ▼"; }
table.tasks tbody tr { cursor:pointer; } table.tasks tbody tr:hover { background:#f0f4fb; }
dialog.task-details { width:min(900px, 92vw); max-height:86vh; border:1px solid var(--line); border-radius:8px; padding:0; }
dialog.task-details header { display:flex; justify-content:space-between; align-items:center; padding:10px 14px; border-bottom:1px solid var(--line); }
dialog.task-details header h3 { margin:0; }
.details-body { padding:10px 14px; overflow:auto; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:0 0 8px; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; word-break:break-all; }
.stop-reason { background:#fdeeee; border-left:4px solid var(--bad); padding:6px 10px; }
pre.record { background:#f3f5f8; padding:8px; font-size:12px; max-height:45vh; overflow:auto; }
ol.feed { list-style:none; padding:0; margin:0; font-family:ui-monospace, Menlo, monospace; font-size:12px; }
ol.feed li { display:grid; grid-template-columns:80px 70px 70px 110px 300px 1fr 160px; gap:8px; padding:3px 6px; border-bottom:1px solid var(--line); background:var(--card); }
ol.feed li.deleted { background:#f4f4f4; color:var(--muted); text-decoration:line-through; }
ol.feed li.s-stopped .status { color:var(--bad); } ol.feed li.s-running .status { color:var(--ok); }
ol.feed .id { overflow:hidden; text-overflow:ellipsis; }
details.run { background:var(--card); border:1px solid var(--line); border-radius:6px; margin-bottom:6px; padding:6px 10px; }
details.run summary { display:flex; gap:14px; cursor:pointer; flex-wrap:wrap; }
details.run .state { font-weight:bold; min-width:80px; }
details.run.s-completed .state { color:var(--ok); } details.run.s-failed .state { color:var(--bad); } details.run.s-running .state, details.run.s-queued .state { color:var(--warn); }
table.drift-report { margin-top:6px; }
form.login { max-width:380px; margin:80px auto; background:var(--card); border:1px solid var(--line); border-radius:8px; padding:20px; display:flex; flex-direction:column; gap:8px; }
form.login input { font:inherit; padding:6px 8px; border:1px solid var(--line); border-radius:4px; }
`;
