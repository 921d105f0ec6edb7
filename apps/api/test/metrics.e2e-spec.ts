import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse } from 'yaml';
import {
  declaredNames,
  labelsOf,
  metricNamesIn,
  parseMetrics,
  render,
  seriesOf,
  type AlertRule,
} from './prometheus-text';
import { startApi } from './start-api';

const DEPLOY = join(__dirname, '..', '..', '..', 'deploy');
const ALERT_RULES = join(DEPLOY, 'prometheus', 'alerts.yml');
const DASHBOARD = join(DEPLOY, 'grafana', 'sentinel-kit-redis.json');

/**
 * How each alert of deploy/prometheus/alerts.yml is proven: the metric it watches (its series are
 * taken from a scrape of the running app, labels and all; `labels` only sets the values a rule
 * selects on), and promtool input values, one a minute, that must fire it at `at` and that must not.
 */
interface AlertCase {
  alert: string;
  metric: string;
  labels?: Record<string, string>;
  fires: string;
  quiet: string;
  at: string;
  /** The series' value at `at`, where an annotation shows it. */
  value?: number;
}

const ALERT_CASES: AlertCase[] = [
  { alert: 'RedisFailoverHappened', metric: 'redis_failovers_total', fires: '0x5 1x20', quiet: '0x25', at: '8m' },
  {
    alert: 'RedisSentinelQuorumLost',
    metric: 'redis_sentinel_quorum_ok',
    fires: '1x5 0x20',
    quiet: '1x5 0 1x19',
    at: '8m',
  },
  { alert: 'RedisDegradedTooLong', metric: 'redis_fallback_active', fires: '0x5 1x20', quiet: '0x5 1 0x19', at: '9m' },
  {
    alert: 'RedisReplicaLagging',
    metric: 'redis_replication_lag_seconds',
    fires: '0x5 30x20',
    quiet: '0x5 9x20',
    at: '8m',
    value: 30,
  },
  {
    alert: 'RedisFallbackInUse',
    metric: 'redis_fallback_operations_total',
    fires: '0x5 4+4x20',
    quiet: '0x25',
    at: '8m',
  },
  {
    alert: 'RateLimitFailingOpen',
    metric: 'rate_limit_decisions_total',
    labels: { store: 'none' },
    fires: '0x5 4+4x20',
    quiet: '0x25',
    at: '8m',
  },
];

/** The labels Prometheus adds to every series it scrapes from a target. */
const TARGET_LABELS = { instance: 'api-1:3000', job: 'sentinel-kit-api' };

describe('GET /metrics', () => {
  let topology: SentinelTopology;
  let app: INestApplication;
  const http = () => request(app.getHttpServer() as Server);

  const scrape = async (): Promise<Map<string, number>> => {
    const response = await http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parseMetrics(response.text);
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    app = await startApi({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinelList,
      DEMO_RATE_LIMIT: '2/60s',
    });
  });
  afterAll(async () => {
    await app?.close();
    await topology?.stop();
  });

  it('exposes process, Redis, rate-limit and session metrics in the Prometheus text format', async () => {
    for (let i = 0; i < 3; i += 1) await http().get('/demo/limited');
    await http().post('/sessions').send({ userId: 'metrics' }).expect(201);
    const metrics = await scrape();
    expect(metrics.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Two demo requests and the login are allowed; the third demo request is not.
    expect(metrics.get('rate_limit_decisions_total{result="allowed",store="redis"}')).toBe(3);
    expect(metrics.get('rate_limit_decisions_total{result="rejected",store="redis"}')).toBe(1);
    expect(metrics.get('sessions_created_total{storage="redis"}')).toBe(1);
    expect(
      metrics.get('redis_command_duration_seconds_count{command_class="write",role="primary"}'),
    ).toBeGreaterThanOrEqual(4);
    expect(metrics.get('redis_fallback_active')).toBe(0);
    expect(metrics.get('redis_failovers_total')).toBe(0);
    expect(metrics.get('redis_connected_replicas')).toBe(2);
    for (const sentinel of topology.sentinels)
      expect(metrics.get(`redis_sentinel_reachable{sentinel="${sentinel.host}:${sentinel.port}"}`)).toBe(1);
    const lags = [...metrics.keys()].filter((key) => key.startsWith('redis_replication_lag_seconds{'));
    expect(lags).toHaveLength(2);
  });

  it('reports the Sentinel quorum, and proves every alert rule with promtool on the series it exports', async () => {
    const metrics = await scrape();
    expect(metrics.get('redis_sentinel_quorum_ok')).toBe(1);

    const text = readFileSync(ALERT_RULES, 'utf8');
    const rules = (parse(text) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((group) => group.rules);
    expect(rules.map(({ alert }) => alert).sort()).toEqual(ALERT_CASES.map(({ alert }) => alert).sort());
    // Every metric a rule names is one this app exports.
    const exported = new Set([...metrics.keys()].map((series) => series.replace(/\{.*$/, '')));
    const named = [...text.matchAll(/expr: .*?\b((?:redis|rate_limit|sessions|events)_[a-z_]+)/g)].map(
      ([, name]) => name,
    );
    expect(named.length).toBeGreaterThanOrEqual(rules.length);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);

    const tests = ALERT_CASES.flatMap(({ alert, metric, labels = {}, fires, quiet, at, value }) => {
      const scraped = [...metrics.keys()].find((series) => series === metric || series.startsWith(`${metric}{`));
      if (!scraped) throw new Error(`${metric} is not in the scrape`);
      const seriesLabels = { ...labelsOf(scraped), ...labels, ...TARGET_LABELS };
      const series = seriesOf(metric, seriesLabels);
      const rule = rules.find((candidate) => candidate.alert === alert)!;
      const firing = {
        exp_labels: { ...seriesLabels, ...rule.labels },
        exp_annotations: Object.fromEntries(
          Object.entries(rule.annotations).map(([key, template]) => [key, render(template, seriesLabels, value)]),
        ),
      };
      return [
        {
          interval: '1m',
          input_series: [{ series, values: fires }],
          alert_rule_test: [{ eval_time: at, alertname: alert, exp_alerts: [firing] }],
        },
        {
          interval: '1m',
          input_series: [{ series, values: quiet }],
          alert_rule_test: [{ eval_time: at, alertname: alert, exp_alerts: [] }],
        },
      ];
    });
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-kit-promtool-'));
    try {
      // JSON is YAML: promtool reads it as its test file.
      const file = join(dir, 'alerts.test.yml');
      writeFileSync(file, JSON.stringify({ rule_files: [ALERT_RULES], evaluation_interval: '1m', tests }, null, 2));
      const { stdout } = await promisify(execFile)('promtool', ['test', 'rules', file]);
      expect(stdout).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names only metrics this app exports in the Grafana dashboard, every panel with a query', async () => {
    const exported = declaredNames((await http().get('/metrics').expect(200)).text);
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    expect(dashboard.panels.filter((panel) => !panel.targets?.length).map((panel) => panel.title)).toEqual([]);
    const named = dashboard.panels.flatMap((panel) => panel.targets!.flatMap((target) => metricNamesIn(target.expr)));
    expect(new Set(named).size).toBeGreaterThanOrEqual(15);
    expect(named.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('counts a real failover exactly as the status service does', async () => {
    const old = await topology.primary();
    await old.kill();
    await waitFor(
      async () => {
        const health = (await http().get('/health')).body as {
          details: { redis: { sentinel: { failoverCount: number } } };
        };
        return health.details.redis.sentinel.failoverCount === 1;
      },
      { description: 'the failover to be seen', timeoutMs: 20_000 },
    );
    const metrics = await scrape();
    expect(metrics.get('redis_failovers_total')).toBe(1);
    expect(metrics.get('redis_failover_duration_seconds_count')).toBe(1);
    expect(metrics.get('redis_failover_duration_seconds_sum')).toBeGreaterThan(0);
    expect(metrics.get('redis_failover_duration_seconds_sum')).toBeLessThan(20);
  });
});
