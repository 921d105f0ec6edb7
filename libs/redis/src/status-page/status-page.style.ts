/** The status page's style sheet, inlined into the page (and allowed by its hash in the page's CSP). */
export const STATUS_PAGE_STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781;
  --line: #d0d7de; --card: #ffffff; --page: #f6f8fa; --p50: #0969da; --p99: #8250df; }
@media (prefers-color-scheme: dark) { :root { --card: #161b22; --page: #0d1117; --line: #30363d; --muted: #8b949e; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.25rem 2rem; background: var(--page);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1rem; margin-bottom: 1rem; }
h1 { font-size: 1.25rem; margin: 0; }
h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .5rem; }
.badge { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; font-weight: 600; color: #fff; background: var(--muted); }
.badge.connected, .badge.live { background: var(--ok); }
.badge.degraded, .badge.offline { background: var(--bad); }
.badge.waiting { background: var(--warn); }
.muted { color: var(--muted); }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); }
section { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .9rem 1rem; overflow-x: auto; }
section[hidden] { display: none; }
@media (min-width: 60rem) { section.wide { grid-column: span 2; } }
.big { font: 600 1.6rem/1.2 ui-monospace, SFMono-Regular, Menlo, monospace; }
.mono, td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: .75rem; }
th, td { padding: .25rem .75rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline li { padding: .35rem 0; border-bottom: 1px solid var(--line); }
ul.warnings { margin: 0; padding-left: 1.1rem; } ul.warnings li { color: var(--warn); margin-bottom: .25rem; }
form { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
input[type=password] { font: inherit; padding: .3rem .5rem; min-width: 18rem; }
button { font: inherit; padding: .3rem .8rem; cursor: pointer; }
svg.chart { width: 100%; height: 160px; display: block; }
svg.chart .axis { stroke: var(--line); stroke-width: 1; }
svg.chart .p50 { fill: none; stroke: var(--p50); stroke-width: 2; }
svg.chart .p99 { fill: none; stroke: var(--p99); stroke-width: 2; }
svg.chart .errors { fill: var(--bad); opacity: .55; }
.legend span { margin-right: 1rem; } .legend .p50 { color: var(--p50); } .legend .p99 { color: var(--p99); }
.legend .errors { color: var(--bad); }
`;
