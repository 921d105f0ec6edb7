import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi } from './start-api';

/** One sample line of the Prometheus text format: `name{labels} value`. */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|[+-]Inf)$/;

/** Parses the exposition text strictly: every line a comment or a sample; returns `name{labels}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

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
