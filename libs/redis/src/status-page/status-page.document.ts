import { createHash } from 'node:crypto';
import { STATUS_PAGE_SCRIPT } from './status-page.script';
import { STATUS_PAGE_STYLE } from './status-page.style';

/**
 * The status page: one HTML document with its style and script inline and no data of its own (the
 * data comes over the live feed). Its Content-Security-Policy allows exactly that style and script
 * (by their SHA-256), connections to this origin only, no framing and no form posts.
 */
export class StatusPageDocument {
  readonly html = page(STATUS_PAGE_STYLE, STATUS_PAGE_SCRIPT);
  readonly headers: Readonly<Record<string, string>> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src '${sha256(STATUS_PAGE_SCRIPT)}'`,
      `style-src '${sha256(STATUS_PAGE_STYLE)}'`,
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function page(style: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Redis status</title>
<style>${style}</style>
</head>
<body>
<header>
  <h1>Redis <span id="mode" class="muted">…</span></h1>
  <span id="circuit" class="badge">…</span>
  <span id="circuit-since" class="muted"></span>
  <span id="feed" class="badge waiting">connecting</span>
  <span id="updated" class="muted"></span>
</header>
<section id="token-card" hidden>
  <h2>Token</h2>
  <p id="token-message"></p>
  <form id="token-form" autocomplete="off">
    <input id="token" type="password" aria-label="status token" placeholder="HEALTH_DETAILS_TOKEN">
    <button type="submit">Show status</button>
  </form>
</section>
<div class="grid">
  <section id="primary-card">
    <h2>Primary</h2>
    <div id="primary-address" class="big">…</div>
    <p id="primary-detail" class="muted"></p>
    <p id="reads"></p>
    <p id="fallback" class="muted"></p>
  </section>
  <section id="failovers-card">
    <h2>Failovers</h2>
    <div><span id="failover-count" class="big">…</span> <span class="muted">since this instance started</span></div>
    <p id="failover-last" class="muted"></p>
    <ol id="failover-timeline" class="timeline"></ol>
  </section>
  <section id="chart-card">
    <h2>Redis calls</h2>
    <svg id="chart" class="chart" viewBox="0 0 600 160" preserveAspectRatio="none" role="img" aria-label="latency p50 and p99, and errors per second"></svg>
    <p class="legend"><span id="chart-legend-p50" class="p50"></span><span id="chart-legend-p99" class="p99"></span><span id="chart-legend-errors" class="errors"></span><span id="chart-legend-calls" class="muted"></span></p>
    <p id="chart-scale" class="muted"></p>
  </section>
  <section id="replicas-card">
    <h2>Replicas</h2>
    <table><thead><tr><th>address</th><th>link</th><th>lag</th><th>behind</th><th>priority</th></tr></thead><tbody id="replicas"></tbody></table>
  </section>
  <section id="sentinels-card" class="wide" hidden>
    <h2>Sentinels</h2>
    <table><thead><tr><th>address</th><th>state</th><th>latency</th><th>names as primary</th></tr></thead><tbody id="sentinels"></tbody></table>
    <p id="quorum"></p>
  </section>
  <section id="cluster-card" class="wide" hidden>
    <h2>Cluster shards</h2>
    <p id="cluster-state"></p>
    <table><thead><tr><th>slots</th><th>primary</th><th>replicas</th></tr></thead><tbody id="shards"></tbody></table>
  </section>
  <section id="warnings-card">
    <h2>Configuration warnings</h2>
    <p id="warnings-none" class="muted">none</p>
    <ul id="warnings" class="warnings"></ul>
  </section>
</div>
<script>${script}</script>
</body>
</html>
`;
}
