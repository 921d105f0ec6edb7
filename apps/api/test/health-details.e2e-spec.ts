import type { INestApplication } from '@nestjs/common';
import { RedisClusterInspector, type RedisClusterView } from '@sentinel-kit/redis';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { cookieOf } from './session-cookie';
import { startApi } from './start-api';

const TOKEN = 'details-token-0123456789';
const ADMIN_TOKEN = 'admin-token-0123456789';

describe('GET /health/redis on a Sentinel group', () => {
  let topology: SentinelTopology;
  let app: INestApplication;
  const http = () => request(app.getHttpServer() as Server);

  /** A fresh view: collected now, then served by the endpoint (which reuses a view for a second). */
  const view = async (): Promise<RedisClusterView> => {
    await app.get(RedisClusterInspector).inspect(0);
    const response = await http().get('/health/redis').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    return response.body as RedisClusterView;
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    app = await startApi({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinelList,
      HEALTH_DETAILS_TOKEN: TOKEN,
      ADMIN_TOKEN,
      LOGIN_RATE_LIMIT: '1000/60s',
      AUTH_RATE_LIMIT: '1000/60s',
    });
  });
  afterAll(async () => {
    await app?.close();
    await topology?.stop();
  });

  it('shows primary, replicas, sentinels, quorum, failovers, performance and fallback', async () => {
    const primary = await topology.primary();
    const replicas = await topology.replicas();
    await http().post('/sessions').send({ userId: 'details' }).expect(201);
    // A group just started may still be linking its replicas: wait for that state, not a fixed time.
    const details = await waitFor(
      async () => {
        const fresh = await view();
        return fresh.replicas.length === 2 && fresh.replicas.every((r) => r.linkStatus === 'up') ? fresh : false;
      },
      { description: 'both replicas to be linked', timeoutMs: 10_000 },
    );
    expect(details).toMatchObject({
      mode: 'sentinel',
      primary: { host: primary.host, port: primary.port, role: 'master', connectedReplicas: 2 },
      quorum: { ok: true },
      failover: { count: 0, lastFailoverAt: null, lastDurationMs: null, history: [] },
      fallback: { active: false, entries: 0, since: null },
    });
    expect(details.quorum!.message).toMatch(/^OK 3 usable Sentinels/);
    expect(details.primary!.replicationOffset).toBeGreaterThan(0);
    expect(details.replicas.map((r) => r.port).sort()).toEqual(replicas.map((r) => r.port).sort());
    for (const replica of details.replicas) {
      expect(replica).toMatchObject({ role: 'replica', linkStatus: 'up', priority: 100 });
      expect(replica.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(replica.offsetLagBytes).toBeGreaterThanOrEqual(0);
    }
    expect(details.sentinels).toHaveLength(3);
    for (const sentinel of details.sentinels) {
      expect(sentinel.reachable).toBe(true);
      expect(sentinel.latencyMs).toBeGreaterThan(0);
      // Each sentinel's own view: the primary it names.
      expect(sentinel.primary).toEqual({ host: details.primary!.host, port: details.primary!.port });
    }
    expect(details.performance.writeLatencyP99Ms).toBeGreaterThan(0);
    // The test group runs without persistence and with min-replicas-to-write 0: both are advised against.
    expect(details.warnings).toEqual([
      expect.stringMatching(/^persistence is off on the primary/),
      expect.stringMatching(/^min-replicas-to-write is 0 on the primary/),
    ]);
    expect(details.performance.opsPerSecond).toBeGreaterThanOrEqual(0);
  });

  it('gives metrics the latest view without waiting on a new collection', async () => {
    const inspector = app.get(RedisClusterInspector);
    const a = await inspector.inspect(0);
    expect(await inspector.latest(60_000)).toBe(a);
    // Older than allowed: answered as it is, while a fresh view is collected for later callers.
    expect(await inspector.latest(0)).toBe(a);
    const b = await inspector.inspect(60_000);
    expect(b).not.toBe(a);
    expect(await inspector.latest(60_000)).toBe(b);
  });

  it('requires the bearer token, and serves a burst of probes from one collection', async () => {
    await http().get('/health/redis').expect(401);
    await http().get('/health/redis').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => http().get('/health/redis').set('Authorization', `Bearer ${TOKEN}`)),
    );
    const collected = new Set(burst.map((r) => (r.body as RedisClusterView).collectedAt));
    expect(collected.size).toBe(1);
  });

  it('shows a killed replica as down while reads are still served', async () => {
    const [victim] = await topology.replicas();
    const cookie = cookieOf(await http().post('/sessions').send({ userId: 'replica-down' }).expect(201));
    await victim.kill();
    try {
      await waitFor(async () => (await view()).replicas.find((r) => r.port === victim.port)?.linkStatus === 'down', {
        description: 'the killed replica to be shown down',
        timeoutMs: 15_000,
      });
      await http().get('/sessions/current').set('Cookie', cookie).expect(200);
    } finally {
      await victim.start();
      await topology.waitUntilSettled();
    }
  });

  it('keeps quorum with one sentinel down, reports it lost with two, and the app still serves', async () => {
    const [first, second] = topology.sentinels;
    await first.kill();
    try {
      const one = await view();
      expect(one.sentinels.find((s) => s.port === first.port)).toMatchObject({
        reachable: false,
        latencyMs: null,
        primary: null,
      });
      expect(one.quorum).toMatchObject({ ok: true });
      await second.kill();
      // The last sentinel counts its peers out once they have been silent for down-after.
      const two = await waitFor(
        async () => {
          const details = await view();
          return details.quorum?.ok === false ? details : false;
        },
        { description: 'quorum to be reported lost', timeoutMs: 15_000 },
      );
      expect(two.quorum!.message).toContain('NOQUORUM');
      expect(two.sentinels.filter((s) => s.reachable)).toHaveLength(1);
      await http().get('/demo/limited').expect(200);
      await http().post('/sessions').send({ userId: 'no-quorum' }).expect(201);
    } finally {
      await first.start();
      await second.start();
      await topology.waitUntilSettled();
    }
  });

  it('switches primaries on POST /admin/redis/switchover, behind the admin token', async () => {
    await http().post('/admin/redis/switchover').expect(401);
    const old = await topology.primary();
    const response = await http()
      .post('/admin/redis/switchover')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(response.body).toMatchObject({ from: { port: old.port }, oldPrimaryDemoted: true });
    expect((await topology.primary()).port).toBe((response.body as { to: { port: number } }).to.port);
    await topology.waitUntilSettled();
  });

  it('goes through a real failover: the new primary, the count and its duration', async () => {
    const old = await topology.primary();
    await old.kill();
    const promoted = await topology.waitForNewPrimary(old.port);
    const after = await waitFor(
      async () => {
        const details = await view();
        return details.failover.count === 2 && details.primary?.port === promoted.port ? details : false;
      },
      { description: 'the failover in the detailed view', timeoutMs: 20_000 },
    );
    expect(after.primary).toMatchObject({ role: 'master', host: promoted.host });
    expect(after.failover.lastFailoverAt).not.toBeNull();
    expect(after.failover.history).toHaveLength(2); // the switchover, then this failover
  });
});
