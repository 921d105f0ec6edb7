import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule } from '@sentinel-kit/redis';
import { RedisStatusPageModule, type StatusFrame, type StatusSample } from '@sentinel-kit/redis/status-page';
import { CapturedLogger, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { SseClient } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standaloneOptions } from './redis-test-app';

const TOKEN = 'a-status-page-token-for-tests';

/**
 * `RedisStatusPageModule` as another app would import it: at a path of its own, with a token and a
 * faster interval, on a standalone redis-server that is stopped and started again under it.
 */
describe('RedisStatusPageModule', () => {
  let redis: { server: RedisServerProcess; dispose: () => Promise<void> };
  let app: INestApplication;
  const logs = new CapturedLogger();
  const url = (path: string) =>
    `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}${path}`;
  const feed = () => SseClient.open(url('/ops/redis/stream'), { Authorization: `Bearer ${TOKEN}` });
  const framesOf = (client: SseClient) =>
    client.events.filter((e) => e.event === 'status').map((e) => e.data as StatusFrame);

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisModule.forRoot(standaloneOptions(redis.server.port, { commandTimeoutMs: 300 })),
        RedisStatusPageModule.forRoot({ token: TOKEN, intervalMs: 200, chartPoints: 5, path: 'ops/redis' }),
      ],
    })
      .setLogger(logs)
      .compile();
    app = moduleRef.createNestApplication({ logger: logs });
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await redis?.dispose();
  });

  it('serves the page at its path, and its feed only with the token', async () => {
    const page = await fetch(url('/ops/redis'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Redis status</title>');
    expect((await fetch(url('/status'))).status).toBe(404);
    const refused = await fetch(url('/ops/redis/stream'), { headers: { Authorization: 'Bearer not-the-token' } });
    expect(refused.status).toBe(401);
    expect(logs.lines.filter((line) => line.includes('event=api.token-refused'))).toHaveLength(1);
    expect(logs.lines.join('\n')).not.toContain('not-the-token');
  });

  it('draws the calls of each interval, keeps the last points for a new page, and shows the standalone primary', async () => {
    const cache = app.get(RedisCacheService);
    const client = await feed();
    try {
      // Traffic until the chart has taken more points than it keeps, one of them with calls.
      await waitFor(
        async () => {
          await Promise.all(Array.from({ length: 50 }, (_, i) => cache.set(`chart-${i}`, String(i))));
          const points = client.events.filter((e) => e.event === 'sample').map((e) => e.data as StatusSample);
          return (points.length > 5 && points.some((p) => p.callsPerSecond > 0 && p.p99Ms > 0)) || undefined;
        },
        { description: 'a chart point with calls' },
      );
      const [frame] = framesOf(client);
      expect(frame.view).toMatchObject({
        mode: 'standalone',
        primary: { host: '127.0.0.1', port: redis.server.port, role: 'master' },
        sentinels: [],
        quorum: null,
        cluster: null,
      });
      expect(frame.circuit.state).toBe('connected');
    } finally {
      client.close();
    }
    const later = await feed();
    try {
      await later.waitFor('the points kept so far', (events) => events.length > 0);
      expect(later.events[0].event).toBe('samples');
      const kept = later.events[0].data as StatusSample[];
      expect(kept).toHaveLength(5);
      expect(kept.map((p) => p.at)).toEqual([...kept.map((p) => p.at)].sort());
    } finally {
      later.close();
    }
  });

  it('shows the circuit degraded while Redis is gone, and connected again since it came back', async () => {
    const client = await feed();
    try {
      await redis.server.kill();
      const cache = app.get(RedisCacheService);
      await waitFor(
        async () => {
          await cache.set('probe', '1').catch(() => undefined);
          return framesOf(client).some((f) => f.circuit.state === 'degraded' && f.view.primary === null);
        },
        { description: 'a frame with the circuit degraded and no primary' },
      );
      const degraded = framesOf(client).find((f) => f.circuit.state === 'degraded')!;
      await redis.server.start();
      await waitFor(() => framesOf(client).at(-1)!.circuit.state === 'connected', {
        description: 'a frame with the circuit connected again',
      });
      const recovered = framesOf(client).at(-1)!.circuit;
      expect(Date.parse(recovered.since)).toBeGreaterThan(Date.parse(degraded.circuit.since));
    } finally {
      client.close();
    }
  });

  it('ends open feeds when the application shuts down', async () => {
    const client = await feed();
    await client.waitFor('a first frame', (events) => events.some((e) => e.event === 'status'));
    const closing = app.close();
    await waitFor(() => client.ended, { description: 'the feed to end' });
    await closing;
    app = undefined as never;
  });
});
