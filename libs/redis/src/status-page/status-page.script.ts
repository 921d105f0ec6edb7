/**
 * The status page's script, inlined into the page (and allowed by its hash in the page's CSP). It
 * reads the live feed with `fetch` (so that it can send `Authorization`, which `EventSource`
 * cannot), parses the Server-Sent Events itself, and draws every frame with DOM calls and
 * `textContent` only: nothing the feed carries is ever parsed as HTML. Plain ES2020, no template
 * literals (it lives in one).
 */
export const STATUS_PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var streamUrl = new URL(location.pathname.replace(/\/?$/, '/stream'), location.href).toString();
  var token = null;
  var retryTimer = null;
  var points = [];
  var maxPoints = 120;
  var frame = null;
  var live = false;
  var lastFrameAt = 0;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function address(node) { return node ? node.host + ':' + node.port : 'none'; }
  function clock(iso) { return iso ? new Date(iso).toLocaleTimeString() : ''; }
  function ago(iso) {
    if (!iso) return '';
    var s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (s < 90) return s + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function took(ms) { return ms === null || ms === undefined ? 'duration unknown' : 'took ' + (ms / 1000).toFixed(1) + ' s'; }
  function row(cells, classes) {
    var tr = document.createElement('tr');
    cells.forEach(function (cell, i) { tr.appendChild(el('td', classes && classes[i], cell)); });
    return tr;
  }
  function fill(tbody, rows, empty, columns) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      var td = el('td', 'muted', empty);
      td.colSpan = columns;
      var tr = document.createElement('tr');
      tr.appendChild(td);
      tbody.appendChild(tr);
      return;
    }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function setFeed(state, text) {
    var badge = $('feed');
    badge.className = 'badge ' + state;
    badge.textContent = text;
  }

  function render(next) {
    frame = next;
    var view = next.view;
    $('mode').textContent = view.mode;
    var circuit = $('circuit');
    circuit.className = 'badge ' + next.circuit.state;
    circuit.textContent = next.circuit.state;
    $('circuit-since').textContent = 'since ' + clock(next.circuit.since) + ' (' + ago(next.circuit.since) + ')';
    $('updated').textContent = 'updated ' + clock(view.collectedAt);
    renderPrimary(view);
    renderReplicas(view);
    renderSentinels(view);
    renderCluster(view);
    renderFailovers(view);
    renderWarnings(view);
  }

  function renderPrimary(view) {
    // A cluster has a primary per shard: the shard table shows them.
    $('primary-card').hidden = view.cluster !== null;
    if (view.cluster !== null) return;
    var p = view.primary;
    $('primary-address').textContent = p ? address(p) : 'not answering';
    $('primary-address').className = 'big ' + (p ? '' : 'bad');
    $('primary-detail').textContent = p
      ? p.connectedReplicas + ' connected replica(s), replication offset ' + p.replicationOffset
      : 'the primary did not answer in time';
    var reads = view.reads;
    $('reads').textContent = reads.from === 'replica'
      ? 'reads go to replica ' + address(reads.replica) + (reads.lagMs === null ? '' : ' (' + reads.lagMs + ' ms behind)')
      : 'reads go to the primary' + (reads.skipped ? ': ' + reads.skipped : '');
    var fallback = view.fallback;
    $('fallback').textContent = fallback.active
      ? 'in-memory fallback serving since ' + clock(fallback.since) + ', ' + fallback.entries + ' entries'
      : 'in-memory fallback idle';
  }

  function renderReplicas(view) {
    $('replicas-card').hidden = view.cluster !== null;
    fill($('replicas'), view.replicas.map(function (r) {
      return row(
        [address(r), r.linkStatus, r.lagSeconds === null ? '-' : r.lagSeconds + ' s',
          r.offsetLagBytes === null ? '-' : r.offsetLagBytes + ' B', r.priority === null ? '-' : r.priority],
        [null, r.linkStatus === 'up' ? 'ok' : 'bad']);
    }), 'no replicas', 5);
  }

  function renderSentinels(view) {
    var watched = view.sentinels.length > 0;
    $('sentinels-card').hidden = !watched;
    if (!watched) return;
    var primary = view.primary ? address(view.primary) : null;
    fill($('sentinels'), view.sentinels.map(function (s) {
      var named = s.primary ? address(s.primary) : '-';
      return row(
        [address(s), s.reachable ? 'reachable' : 'unreachable', s.latencyMs === null ? '-' : s.latencyMs.toFixed(1) + ' ms', named],
        [null, s.reachable ? 'ok' : 'bad', null, s.primary && primary && named !== primary ? 'warn' : null]);
    }), 'no sentinels', 4);
    var quorum = $('quorum');
    quorum.textContent = view.quorum ? (view.quorum.ok ? 'quorum ok: ' : 'quorum lost: ') + view.quorum.message : 'quorum unknown';
    quorum.className = view.quorum && view.quorum.ok ? 'ok' : 'bad';
  }

  function renderCluster(view) {
    var cluster = view.cluster;
    $('cluster-card').hidden = !cluster;
    if (!cluster) return;
    $('cluster-state').textContent = 'cluster_state ' + cluster.state + ', ' + cluster.slotsCovered + ' of 16384 slots served';
    $('cluster-state').className = cluster.state === 'ok' ? 'ok' : 'bad';
    fill($('shards'), cluster.shards.map(function (shard) {
      var replicas = shard.replicas.map(function (r) {
        return address(r) + ' ' + r.health + (r.offsetLagBytes === null ? '' : ', ' + r.offsetLagBytes + ' B behind');
      }).join('; ');
      return row([shard.id, shard.primary ? address(shard.primary) : 'none', replicas || 'none'],
        [null, shard.primary ? null : 'bad', shard.replicas.length ? 'wrap' : 'wrap warn']);
    }), 'no shards seen yet', 3);
  }

  function renderFailovers(view) {
    var failover = view.failover;
    $('failover-count').textContent = String(failover.count);
    $('failover-last').textContent = failover.lastFailoverAt
      ? 'last ' + clock(failover.lastFailoverAt) + ' (' + ago(failover.lastFailoverAt) + '), ' + took(failover.lastDurationMs)
      : (view.sentinels.length === 0 && view.cluster === null
        ? 'nothing here fails over: one Redis, no sentinels'
        : 'none since this instance started');
    var list = $('failover-timeline');
    list.replaceChildren();
    failover.history.slice().reverse().forEach(function (record) {
      var item = el('li');
      item.appendChild(el('span', 'mono', clock(record.at) + '  '));
      item.appendChild(el('strong', 'mono', (record.from ? address(record.from) : 'unknown') + ' \u2192 ' + address(record.to)));
      item.appendChild(el('span', 'muted',
        '  ' + took(record.durationMs) + (record.shard ? ', shard ' + record.shard : '') + ', seen by ' + record.source));
      list.appendChild(item);
    });
  }

  function renderWarnings(view) {
    var list = $('warnings');
    list.replaceChildren();
    view.warnings.forEach(function (warning) { list.appendChild(el('li', null, warning)); });
    $('warnings-none').hidden = view.warnings.length > 0;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, String(attributes[name])); });
    return node;
  }
  function drawChart() {
    var chart = $('chart');
    var width = 600, height = 160, top = 8, bottom = 148;
    chart.replaceChildren();
    chart.appendChild(svg('line', { x1: 0, y1: bottom, x2: width, y2: bottom, class: 'axis' }));
    var latest = points[points.length - 1];
    $('chart-legend-p50').textContent = 'p50 ' + (latest ? latest.p50Ms : 0) + ' ms';
    $('chart-legend-p99').textContent = 'p99 ' + (latest ? latest.p99Ms : 0) + ' ms';
    $('chart-legend-errors').textContent = 'errors ' + (latest ? latest.errorsPerSecond : 0) + '/s';
    $('chart-legend-calls').textContent = (latest ? latest.callsPerSecond : 0) + ' calls/s';
    $('chart-scale').textContent = '';
    if (points.length < 2) return;
    var maxMs = Math.max.apply(null, points.map(function (p) { return p.p99Ms; }).concat([0.1])) * 1.15;
    var maxErrors = Math.max.apply(null, points.map(function (p) { return p.errorsPerSecond; }).concat([1]));
    var step = width / (maxPoints - 1);
    var offset = width - step * (points.length - 1);
    function y(ms) { return bottom - (ms / maxMs) * (bottom - top); }
    points.forEach(function (p, i) {
      if (p.errorsPerSecond <= 0) return;
      var h = (p.errorsPerSecond / maxErrors) * (bottom - top);
      chart.appendChild(svg('rect', { x: offset + i * step - step / 2, y: bottom - h, width: Math.max(step - 1, 1), height: h, class: 'errors' }));
    });
    ['p99Ms', 'p50Ms'].forEach(function (key) {
      var d = points.map(function (p, i) { return (i ? 'L' : 'M') + (offset + i * step).toFixed(1) + ' ' + y(p[key]).toFixed(1); }).join(' ');
      chart.appendChild(svg('path', { d: d, class: key === 'p50Ms' ? 'p50' : 'p99' }));
    });
    $('chart-scale').textContent = 'top of chart ' + maxMs.toFixed(maxMs < 10 ? 2 : 0) + ' ms';
  }
  function addPoints(more) {
    points = points.concat(more).slice(-maxPoints);
    drawChart();
  }

  function handle(block) {
    var type = 'message', data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) type = line.slice(6).trim();
      else if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
    });
    if (data.length === 0) return;
    var payload = JSON.parse(data.join('\n'));
    if (type === 'status') {
      lastFrameAt = Date.now();
      setFeed('live', 'live');
      render(payload);
    }
    else if (type === 'samples') { points = []; addPoints(payload); }
    else if (type === 'sample') addPoints([payload]);
    else if (type === 'lagged') setFeed('waiting', 'fell behind, reconnecting');
  }

  function retry(ms, state, text) {
    live = false;
    setFeed(state || 'offline', text || 'disconnected, reconnecting');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, ms);
  }

  function askForToken(message) {
    live = false;
    setFeed('waiting', 'token needed');
    $('token-card').hidden = false;
    $('token-message').textContent = message;
    $('token').focus();
  }

  async function connect() {
    var headers = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = 'Bearer ' + token;
    var response;
    try {
      response = await fetch(streamUrl, { headers: headers, cache: 'no-store' });
    } catch (error) {
      return retry(2000);
    }
    if (response.status === 401) {
      return askForToken(token ? 'That token was refused.' : 'This page needs the status token (HEALTH_DETAILS_TOKEN).');
    }
    if (response.status === 429) {
      var after = Number(response.headers.get('Retry-After')) || 5;
      return retry(after * 1000, 'waiting', 'refused for now (429), retrying in ' + after + ' s');
    }
    if (!response.ok || !response.body) return retry(2000);
    $('token-card').hidden = true;
    live = true;
    lastFrameAt = Date.now();
    setFeed('live', 'live');
    var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    var buffer = '';
    try {
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffer += chunk.value.replace(/\r\n?/g, '\n');
        var end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handle(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      // The connection dropped: reconnect below.
    }
    retry(1000);
  }

  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim() || null;
    $('token').value = '';
    setFeed('waiting', 'connecting');
    connect();
  });
  // A feed that is open but silent must not look live: frames come every second.
  setInterval(function () {
    var quiet = Math.round((Date.now() - lastFrameAt) / 1000);
    if (live && quiet >= 5) setFeed('waiting', 'no update for ' + quiet + ' s');
  }, 1000);
  setInterval(function () { if (frame) render(frame); }, 15000);
  connect();
})();
`;
