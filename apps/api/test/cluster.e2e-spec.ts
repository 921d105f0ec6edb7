import type { INestApplication } from '@nestjs/common';
import type { ClusterStatus, RedisClusterView } from '@sentinel-kit/redis';
import { ClusterTopology, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { launchChromium, SCREENSHOTS, textOf, watchedPage } from './headless-chromium';
import { startApi } from './start-api';

const ADMIN_TOKEN = 'admin-token-of-the-cluster-suite';
/** Concurrent clients logging in flat out through the failover. */
const WRITERS = 16;

describe('two API instances on a 6-node Redis Cluster (3 primaries, 3 replicas)', () => {
  let cluster: ClusterTopology;
  const pods: INestApplication[] = [];

  const http = (pod: INestApplication) => request(pod.getHttpServer() as Server);
  const baseUrl = (pod: INestApplication) =>
    `http://127.0.0.1:${((pod.getHttpServer() as Server).address() as AddressInfo).port}`;
  const clusterHealth = async (pod: INestApplication) => {
    const response = await http(pod).get('/health');
    const body = response.body as { details: { redis: { mode: string; cluster: ClusterStatus } } };
    return { status: response.status, redis: body.details.redis };
  };

  beforeAll(async () => {
    cluster = await ClusterTopology.start({ primaries: 3, replicasPerPrimary: 1 });
    for (let i = 0; i < 2; i += 1) {
      const pod = await startApi({
        REDIS_CLUSTER_ENABLED: 'true',
        REDIS_CLUSTER_NODES: cluster.seedList,
        REDIS_COMMAND_TIMEOUT_MS: '500',
        DEMO_RATE_LIMIT: '5/1m',
        LOGIN_RATE_LIMIT: '1000000/1m',
        TRUST_PROXY: 'loopback',
        ADMIN_TOKEN,
      });
      await pod.listen(0, '127.0.0.1');
      pods.push(pod);
    }
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.close()));
    await cluster?.stop();
  });

  it('reports mode cluster, state ok and every shard with its primary, replica and slots on /health', async () => {
    const { status, redis } = await clusterHealth(pods[0]);
    expect(status).toBe(200);
    expect(redis.mode).toBe('cluster');
    expect(redis.cluster).toMatchObject({ enabled: true, state: 'ok', failoverCount: 0, lastFailover: null });
    expect(redis.cluster.nodes).toHaveLength(6);
    const shards = (await cluster.shards()).sort((x, y) => x.slots[0][0] - y.slots[0][0]);
    expect(redis.cluster.shards).toEqual(
      shards.map((shard) => ({
        primary: { host: '127.0.0.1', port: shard.primary.port },
        replicas: shard.replicas.map(({ port }) => ({ host: '127.0.0.1', port })),
        slots: shard.slots,
      })),
    );

    const detailed = await http(pods[0]).get('/health/redis');
    const view = detailed.body as RedisClusterView;
    expect(view.mode).toBe('cluster');
    expect(view.cluster).toMatchObject({ state: 'ok', slotsCovered: 16_384 });
    expect(view.cluster?.shards.every((shard) => shard.replicas.length === 1)).toBe(true);
    // The test nodes keep no data on disk (a warning of its own); the cluster itself is sound.
    expect(view.warnings.filter((warning) => /cluster|shard|slots/.test(warning))).toEqual([]);

    const metrics = (await http(pods[0]).get('/metrics')).text;
    expect(metrics).toMatch(/^redis_cluster_state_ok 1$/m);
    expect(metrics).toMatch(/^redis_cluster_slots_covered 16384$/m);
    for (const shard of shards) {
      const id = shard.slots.map(([from, to]) => `${from}-${to}`).join(',');
      expect(metrics).toContain(`redis_cluster_shard_replicas{shard="${id}"} 1`);
    }
    expect(metrics).toMatch(/^redis_cluster_replica_lag_bytes\{shard="0-5460",replica="127\.0\.0\.1:\d+"\} \d+$/m);
  });

  it('limits across both instances: 5 per minute allows exactly 5 of 40 concurrent requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http(pods[i % 2])
          .get('/demo/limited')
          .set('X-Forwarded-For', '192.0.2.7'),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
    expect(responses.filter((response) => response.status === 429)).toHaveLength(35);
  });

  it('shares the cache: what one instance loads, the other serves', async () => {
    const loaded = await http(pods[0]).get('/demo/cache/shared-greeting');
    expect(loaded.body).toMatchObject({ source: 'loader', degraded: false });
    const served = await http(pods[1]).get('/demo/cache/shared-greeting');
    expect(served.body).toMatchObject({ source: 'cache', value: (loaded.body as { value: string }).value });
  });

  it('keeps sessions, lists them and signs out everywhere, across instances and shards', async () => {
    const logins = await Promise.all(
      Array.from({ length: 3 }, () =>
        http(pods[0])
          .post('/sessions')
          .send({ userId: 'cluster-user', data: { a: 1 } }),
      ),
    );
    expect(logins.map((login) => login.status)).toEqual([201, 201, 201]);
    const cookies = logins.map((login) => String(login.headers['set-cookie']).split(';')[0]);
    const listed = await http(pods[1]).get('/sessions').set('cookie', cookies[0]);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(3);
    const signedOut = await http(pods[1]).delete('/sessions').set('cookie', cookies[0]);
    expect([signedOut.status, signedOut.body]).toEqual([200, { destroyed: 3 }]);
    for (const cookie of cookies) {
      expect((await http(pods[0]).get('/sessions/current').set('cookie', cookie)).status).toBe(401);
    }
  });

  it('switches a shard over through POST /admin/redis/switchover, which names the shard', async () => {
    const admin = (body: object) =>
      http(pods[1]).post('/admin/redis/switchover').set('authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
    const unnamed = await admin({});
    expect([unnamed.status, unnamed.body]).toMatchObject([409, { reason: 'shard-required' }]);
    expect((await admin({ shard: 'the first one' })).status).toBe(400);

    const [shard] = (await clusterHealth(pods[0])).redis.cluster.shards;
    const id = shard.slots.map(([from, to]) => `${from}-${to}`).join(',');
    const switched = await admin({ shard: id, expectedPrimary: `127.0.0.1:${shard.primary!.port}` });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({
      shard: id,
      from: shard.primary,
      to: shard.replicas[0],
      oldPrimaryDemoted: true,
    });
    await cluster.waitUntilSettled();
  });

  it('loses no login answered 201 while a shard primary is SIGKILLed, and counts the shard failover', async () => {
    const [a, b] = pods.map(baseUrl);
    const stored: { cookie: string; n: number }[] = [];
    const other: Record<number, number> = {};
    let running = true;
    const writer = async (w: number) => {
      for (let n = 0; running; n += 1) {
        const response = await fetch(`${a}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: `cluster-storm-${w}-${n}`, data: { n } }),
        });
        const body = (await response.json()) as { storage?: string };
        if (response.status === 201 && body.storage === 'redis') {
          stored.push({ cookie: String(response.headers.get('set-cookie')).split(';')[0], n });
        } else if (response.status !== 503) other[response.status] = (other[response.status] ?? 0) + 1;
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await waitFor(() => stored.length >= WRITERS || undefined, { description: 'logins stored before the kill' });
    const countedBefore = (await clusterHealth(pods[0])).redis.cluster.failoverCount;
    const shard = await cluster.shardOf('anything');
    const killedAt = performance.now();
    await shard.primary.kill();
    await cluster.waitForFailover(shard);
    const counted = await waitFor(
      async () => {
        const { redis } = await clusterHealth(pods[0]);
        return redis.cluster.failoverCount > countedBefore ? redis.cluster : undefined;
      },
      { description: 'the shard failover counted on /health', timeoutMs: 10_000 },
    );
    const countedAfterMs = performance.now() - killedAt;
    // The whole shards keep taking logins, and the one left without a replica refuses them (503)
    // within its WAIT timeout, well before the 10 s write hold runs out.
    const storedWhenCounted = stored.length;
    await waitFor(() => stored.length >= storedWhenCounted + WRITERS || undefined, {
      description: 'logins stored after the failover',
      timeoutMs: 5000,
    });
    const resumedAfterMs = performance.now() - killedAt - countedAfterMs;
    running = false;
    await Promise.all(writers);

    const missing: number[] = [];
    for (const login of stored) {
      const response = await fetch(`${b}/sessions/current`, { headers: { cookie: login.cookie } });
      const body = (await response.json()) as { data?: { n?: number } };
      if (response.status !== 200 || body.data?.n !== login.n) missing.push(login.n);
    }
    reportMeasure('cluster shard SIGKILL: logins answered 201 from Redis', stored.length, 'logins');
    reportMeasure('cluster shard SIGKILL: 201 logins the other instance could not read', missing.length, 'logins');
    reportMeasure(
      'cluster shard failover: first sign of trouble to new primary',
      counted.history.at(-1)!.durationMs ?? NaN,
      'ms',
    );
    reportMeasure('cluster shard failover: SIGKILL to counted on /health', countedAfterMs, 'ms');
    reportMeasure(`cluster shard failover: counted to ${WRITERS} more logins stored`, resumedAfterMs, 'ms');
    expect({ other, missing }).toEqual({ other: {}, missing: [] });

    expect(counted.history.at(-1)!).toMatchObject({ source: 'cluster', from: { port: shard.primary.port } });
    expect(shard.replicas.map(({ port }) => port)).toContain(counted.history.at(-1)!.to.port);
    expect(counted.history.at(-1)!.durationMs).toBeGreaterThan(0);
    const { status, redis } = await clusterHealth(pods[0]);
    expect([status, redis.cluster.state]).toEqual([200, 'ok']);
    // The shard's old primary, its only other node, is gone.
    const detailed = (await http(pods[0]).get('/health/redis')).body as RedisClusterView;
    expect(detailed.warnings).toContain(
      `shard ${counted.history.at(-1)!.shard} (primary 127.0.0.1:${counted.history.at(-1)!.to.port}) has no replica: if its primary fails, its slots stay down until it comes back`,
    );
  });

  it('draws every shard, its primary and replicas, and the shard failovers on the status page', async () => {
    const browser = await launchChromium();
    try {
      const { page, problems } = await watchedPage(browser);
      await page.goto(`${baseUrl(pods[0])}/status`);
      const shards = (await cluster.shards()).sort((x, y) => x.slots[0][0] - y.slots[0][0]);
      const rows = shards.map((shard) => [
        shard.slots.map(([from, to]) => `${from}-${to}`).join(','),
        `127.0.0.1:${shard.primary.port}`,
      ]);
      await waitFor(
        async () => {
          const cells = await Promise.all(
            (await page.locator('#shards tr').all()).map(async (tr) =>
              (await tr.locator('td').allTextContents()).slice(0, 2),
            ),
          );
          return JSON.stringify(cells) === JSON.stringify(rows);
        },
        { description: `the shard table to show ${JSON.stringify(rows)}` },
      );
      expect(await textOf(page, '#cluster-state')).toBe('cluster_state ok, 16384 of 16384 slots served');
      expect(await page.locator('#primary-card').isHidden()).toBe(true);
      const { redis } = await clusterHealth(pods[0]);
      expect(await textOf(page, '#failover-count')).toBe(String(redis.cluster.failoverCount));
      const timeline = await page.locator('#failover-timeline li').allTextContents();
      expect(timeline).toHaveLength(redis.cluster.failoverCount);
      expect(timeline[0]).toContain(`, shard ${redis.cluster.history.at(-1)!.shard}`);
      await page.screenshot({ path: join(SCREENSHOTS, 'status-page-cluster.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
