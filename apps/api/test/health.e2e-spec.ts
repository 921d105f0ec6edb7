import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi } from './start-api';

/** The parts of the Terminus response these tests read. */
interface HealthBody {
  status: string;
  details: { redis: { status: string; degraded: boolean; message: string; sentinel?: unknown } };
}

/** `GET /health` (or `/health/<probe>`) on the app's real HTTP server. */
async function getHealth(app: INestApplication, path = '/health'): Promise<{ status: number; body: HealthBody }> {
  const response = await request(app.getHttpServer() as Server).get(path);
  return { status: response.status, body: response.body as HealthBody };
}

describe('GET /health', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('standalone', () => {
    let server: RedisServerProcess;
    let dispose: () => Promise<void>;
    const password = 'health-check-secret-5';

    beforeAll(async () => {
      ({ server, dispose } = await startStandaloneRedis({ password }));
    });
    afterAll(async () => dispose?.());

    const env = (extra: Record<string, string> = {}) => ({
      REDIS_HOST: server.host,
      REDIS_PORT: String(server.port),
      REDIS_PASSWORD: password,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      ...extra,
    });

    it('is 200 and up while Redis answers, without the password', async () => {
      app = await startApi(env());
      const response = await getHealth(app);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        details: {
          redis: {
            status: 'up',
            connected: true,
            degraded: false,
            mode: 'standalone',
            message: 'Redis is healthy (standalone mode)',
            metrics: { hits: 0, misses: 0, hitRate: 0, sets: 0, deletes: 0, errors: 0 },
          },
        },
      });
      expect(response.body.details.redis.sentinel).toBeUndefined();
      expect(JSON.stringify(response.body)).not.toContain(password);
    });

    it('is 200 and degraded while Redis is gone, and up again once it is back', async () => {
      app = await startApi(env());
      await server.kill();
      try {
        const down = await getHealth(app);
        expect(down.status).toBe(200);
        expect(down.body.status).toBe('degraded'); // Terminus' own degraded: still 200
        expect(down.body.details.redis).toMatchObject({ status: 'degraded', connected: false, degraded: true });
        expect(down.body.details.redis.message).toContain('serving from the in-memory fallback');
      } finally {
        await server.start();
      }
      const api = app;
      await waitFor(
        async () => {
          const res = await getHealth(api);
          return res.status === 200 && !res.body.details.redis.degraded;
        },
        { description: 'health to report Redis back', timeoutMs: 10_000 },
      );
    });

    it('reports degraded as down with REDIS_HEALTH_STRICT, while liveness stays 200', async () => {
      app = await startApi(env({ REDIS_HEALTH_STRICT: 'true' }));
      expect((await getHealth(app, '/health/ready')).status).toBe(200);
      await server.kill();
      try {
        for (const path of ['/health', '/health/ready']) {
          const response = await getHealth(app, path);
          expect(response.status).toBe(503);
          expect(response.body.details.redis).toMatchObject({ status: 'down', degraded: true });
          expect(response.body.details.redis.message).toContain('reported down because health is strict');
        }
        const live = await getHealth(app, '/health/live');
        expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
      } finally {
        await server.start();
      }
    });

    it('checks the heap against HEALTH_HEAP_MAX_MB', async () => {
      app = await startApi(env());
      const fine = await getHealth(app, '/health/ready');
      expect(fine.body).toMatchObject({ status: 'ok', details: { memory_heap: { status: 'up' } } });
      await app.close();
      app = await startApi(env({ HEALTH_HEAP_MAX_MB: '16' })); // below any Node.js heap
      const over = await getHealth(app, '/health');
      expect(over.status).toBe(503);
      expect(over.body).toMatchObject({ status: 'error', details: { memory_heap: { status: 'down' } } });
    });

    it('is 503 and down while Redis is gone and the fallback is disabled', async () => {
      app = await startApi(env({ REDIS_FALLBACK_ENABLED: 'false' }));
      await server.kill();
      try {
        const response = await getHealth(app);
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({
          status: 'error',
          details: { redis: { status: 'down', connected: false, degraded: true } },
        });
        expect(response.body.details.redis.message).toContain('fallback is disabled');
      } finally {
        await server.start();
      }
    });
  });

  describe('sentinel', () => {
    let topology: SentinelTopology;
    beforeAll(async () => {
      topology = await SentinelTopology.start({ downAfterMs: 2000 });
    });
    afterAll(async () => topology?.stop());

    it('is 200 with the Sentinel details', async () => {
      app = await startApi({ REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: topology.sentinelList });
      const primary = await topology.primary();
      const response = await getHealth(app);
      expect(response.status).toBe(200);
      expect(response.body.details.redis).toMatchObject({
        status: 'up',
        connected: true,
        degraded: false,
        mode: 'sentinel',
        message: 'Redis is healthy (sentinel mode)',
        sentinel: {
          enabled: true,
          masterName: 'mymaster',
          sentinels: topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
          currentMaster: { host: primary.host, port: primary.port },
          failoverCount: 0,
          lastFailover: null,
        },
      });
    });

    it('goes up -> failover seen -> up on the new primary, with the count at 1, answering 200 throughout', async () => {
      app = await startApi({ REDIS_SENTINEL_ENABLED: 'true', REDIS_SENTINELS: topology.sentinelList });
      const api = app;
      const old = await topology.primary();
      await old.kill();
      const statuses = new Set<number>();
      type SentinelDetails = { currentMaster: { port: number }; failoverCount: number; lastFailover: unknown };
      const after = await waitFor(
        async () => {
          const response = await getHealth(api);
          statuses.add(response.status);
          const sentinel = response.body.details.redis.sentinel as SentinelDetails;
          const back = sentinel.failoverCount === 1 && !response.body.details.redis.degraded;
          return back ? { response, sentinel } : false;
        },
        { description: 'health to show the failover and be healthy again', timeoutMs: 20_000, intervalMs: 100 },
      );
      const promoted = await topology.primary();
      expect(after.sentinel.currentMaster.port).toBe(promoted.port);
      expect(after.sentinel.currentMaster.port).not.toBe(old.port);
      expect(after.sentinel.lastFailover).not.toBeNull();
      expect(after.response.body.details.redis).toMatchObject({ status: 'up', connected: true });
      expect([...statuses]).toEqual([200]);
    });
  });

  describe('every Redis process hung', () => {
    let topology: SentinelTopology;
    beforeAll(async () => {
      topology = await SentinelTopology.start({ downAfterMs: 2000 });
    });
    afterAll(async () => topology?.stop());

    it('answers every probe within a second while every Redis process is SIGSTOPped', async () => {
      app = await startApi({
        REDIS_SENTINEL_ENABLED: 'true',
        REDIS_SENTINELS: topology.sentinelList,
        REDIS_COMMAND_TIMEOUT_MS: '2000', // the probe is bounded below 1 s whatever the command timeout
      });
      expect((await getHealth(app)).status).toBe(200);
      const everything = [...topology.sentinels, ...topology.dataNodes];
      everything.forEach((process) => process.pause());
      try {
        for (const path of ['/health/live', '/health/ready', '/health']) {
          const started = performance.now();
          const response = await getHealth(app, path);
          const ms = performance.now() - started;
          reportMeasure(`GET ${path} with every Redis process SIGSTOPped`, ms);
          expect([path, ms < 1000]).toEqual([path, true]);
          if (path === '/health/live') expect(response.status).toBe(200);
          else
            expect(response.body.details.redis).toMatchObject({ status: 'degraded', connected: false, degraded: true });
        }
      } finally {
        everything.forEach((process) => process.resume());
      }
    });
  });

  describe('configuration', () => {
    it('refuses to start with fewer than three sentinels, naming the variable and hiding secrets', async () => {
      const failure = await startApi({
        REDIS_SENTINEL_ENABLED: 'true',
        REDIS_SENTINELS: '127.0.0.1:1,127.0.0.1:2',
        REDIS_PASSWORD: 'never-shown-1',
      }).catch((error: unknown) => error as Error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain(
        'REDIS_SENTINELS: Sentinel mode needs at least 3 distinct sentinel addresses, got 2 (127.0.0.1:1, 127.0.0.1:2)',
      );
      expect((failure as Error).message).not.toContain('never-shown-1');
    });
  });
});
