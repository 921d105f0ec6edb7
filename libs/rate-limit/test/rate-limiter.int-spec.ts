import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisModule, type RedisModuleOptions } from '@sentinel-kit/redis';
import {
  RATE_LIMIT_ALGORITHMS,
  RateLimitModule,
  RateLimiterService,
  RateLimiterUnavailableError,
  type RateLimitSpec,
  type RateLimitModuleOptions,
} from '@sentinel-kit/rate-limit';
import {
  CapturedLogger,
  sendCommand,
  startStandaloneRedis,
  waitFor,
  type RedisServerProcess,
} from '@sentinel-kit/testing';
import { timed } from '@sentinel-kit/test-support';
import { setTimeout as sleep } from 'node:timers/promises';

const ALGORITHMS = Object.keys(RATE_LIMIT_ALGORITHMS) as (keyof typeof RATE_LIMIT_ALGORITHMS)[];

describe('RateLimiterService on a standalone redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  const apps: INestApplicationContext[] = [];

  /** One app instance ("pod") with its own connections. */
  const pod = async (options: RateLimitModuleOptions = {}, redis: Partial<RedisModuleOptions> = {}) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisModule.forRoot({ host: server.host, port: server.port, commandTimeoutMs: 300, ...redis }),
        RateLimitModule.forRoot(options),
      ],
    })
      .setLogger(new CapturedLogger())
      .compile();
    const app = await moduleRef.init();
    apps.push(app);
    return app.get(RateLimiterService);
  };

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    if (!server.running) await server.start();
    await sendCommand(server.endpoint, 'FLUSHDB');
  });
  afterAll(async () => dispose?.());

  it.each(ALGORITHMS)('%s: allows exactly `points` across two pods under concurrent load', async (algorithm) => {
    const [a, b] = [await pod(), await pod()];
    const limit: RateLimitSpec = { name: 'api', points: 50, durationMs: 600_000, algorithm };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).consume(limit, 'client-1')),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    expect(results.every((r) => r.source === 'redis')).toBe(true);
    const denied = results.find((r) => !r.allowed)!;
    expect(denied).toMatchObject({ limit: 50, remaining: 0 });
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(algorithm === 'sliding-window' ? 1_200_000 : 12_000);
    expect((await a.consume(limit, 'client-2')).allowed).toBe(true);
  });

  it.each(ALGORITHMS)('%s: decides in Redis exactly as its in-memory twin', async (algorithm) => {
    const limiter = await pod();
    const limit: RateLimitSpec = { name: 'twin', points: 9, durationMs: 3_600_000, burst: 6, algorithm };
    if (algorithm === 'sliding-window') delete limit.burst;
    const parameters = { points: 9, durationMs: 3_600_000, burst: limit.burst ?? 9 };
    const twin = RATE_LIMIT_ALGORITHMS[algorithm];
    let state: unknown = null;
    for (const cost of [1, 2, 3, 1, 1, 2, 1, 1]) {
      const fromRedis = await limiter.consume(limit, 'k', cost);
      const fromMemory = twin.evaluate(parameters, state, cost, Date.now());
      state = fromMemory.state;
      expect([cost, fromRedis.allowed, fromRedis.remaining]).toEqual([cost, fromMemory.allowed, fromMemory.remaining]);
    }
  });

  it.each(['token-bucket', 'gcra'] as const)(
    '%s: refills over time, honours burst and cost, and rejects impossible costs',
    async (algorithm) => {
      const limiter = await pod();
      const limit: RateLimitSpec = { name: 'refill', points: 10, durationMs: 1000, burst: 3, algorithm };
      for (let i = 0; i < 3; i += 1) expect((await limiter.consume(limit, 'k')).allowed).toBe(true);
      const denied = await limiter.consume(limit, 'k');
      expect(denied).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
      expect(denied.retryAfterMs).toBeGreaterThan(0);
      expect(denied.retryAfterMs).toBeLessThanOrEqual(100);
      await sleep(denied.retryAfterMs + 20);
      expect((await limiter.consume(limit, 'k')).allowed).toBe(true);

      await sleep(400); // refilled to the burst of 3
      expect(await limiter.consume(limit, 'k', 3)).toMatchObject({ allowed: true, remaining: 0 });
      await expect(limiter.consume(limit, 'k', 4)).rejects.toThrow(RangeError);
      await expect(limiter.consume({ ...limit, name: 'bad name' }, 'k')).rejects.toThrow(RangeError);
    },
  );

  it('sliding-window: allows `points` per window and lets the previous window slide out', async () => {
    const limiter = await pod();
    const limit: RateLimitSpec = { name: 'window', points: 4, durationMs: 400, algorithm: 'sliding-window' };
    await waitFor(() => Date.now() % 400 < 50, {
      description: 'the start of a window',
      timeoutMs: 1000,
      intervalMs: 5,
    });
    expect(await limiter.consume(limit, 'k', 4)).toMatchObject({ allowed: true, limit: 4, remaining: 0 });
    const denied = await limiter.consume(limit, 'k');
    expect(denied.allowed).toBe(false);
    // Full current window: the request fits a quarter of the way into the next window.
    expect(denied.retryAfterMs).toBeGreaterThan(400);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(500);
    await sleep(denied.retryAfterMs + 20);
    expect((await limiter.consume(limit, 'k')).allowed).toBe(true);
    await expect(limiter.consume({ ...limit, burst: 8 }, 'k')).rejects.toThrow(
      'burst applies to token-bucket and gcra',
    );
    await expect(limiter.consume({ ...limit, algorithm: 'leaky' as never }, 'k')).rejects.toThrow(
      'algorithm must be token-bucket, gcra or sliding-window, got "leaky"',
    );
  });

  it('keeps working after the script cache is flushed (NOSCRIPT) and hashes long keys', async () => {
    const limiter = await pod();
    const limit: RateLimitSpec = { name: 'scripts', points: 5, durationMs: 60_000 };
    expect((await limiter.consume(limit, 'k')).remaining).toBe(4);
    await sendCommand(server.endpoint, 'SCRIPT', ['FLUSH']);
    expect((await limiter.consume(limit, 'k')).remaining).toBe(3);
    await limiter.consume(limit, 'x'.repeat(500));
    await limiter.consume({ ...limit, algorithm: 'gcra' }, 'k');
    const keys = (await sendCommand(server.endpoint, 'KEYS', ['app:rate-limit:*:scripts:*'])) as string[];
    expect(keys.sort()).toEqual([
      'app:rate-limit:gcra:scripts:k',
      'app:rate-limit:tb:scripts:k',
      expect.stringMatching(/^app:rate-limit:tb:scripts:sha256:[0-9a-f]{64}$/),
    ]);
  });

  it.each(ALGORITHMS)(
    '%s: limits per process from memory while Redis is gone (default), then returns to Redis',
    async (algorithm) => {
      const limiter = await pod({}, { circuit: { probeIntervalMs: 100 } });
      const limit: RateLimitSpec = { name: 'fallback', points: 3, durationMs: 600_000, algorithm };
      await server.kill();
      const results = [];
      for (let i = 0; i < 5; i += 1) results.push(await limiter.consume(limit, 'k'));
      expect(results.map((r) => [r.allowed, r.source])).toEqual([
        [true, 'memory'],
        [true, 'memory'],
        [true, 'memory'],
        [false, 'memory'],
        [false, 'memory'],
      ]);
      await server.start();
      await waitFor(async () => (await limiter.consume(limit, 'other')).source === 'redis', {
        description: 'Redis-backed limiting to resume',
        timeoutMs: 10_000,
      });
    },
  );

  it('lets requests through (open) or refuses them (closed) when so configured, within the timeout', async () => {
    const open = await pod({ onRedisFailure: 'open' });
    const closed = await pod({ onRedisFailure: 'closed' });
    const limit: RateLimitSpec = { name: 'policy', points: 1, durationMs: 600_000 };
    await server.kill();
    for (let i = 0; i < 3; i += 1)
      expect(await open.consume(limit, 'k')).toMatchObject({ allowed: true, source: 'none' });
    const refused = await timed(() => closed.consume(limit, 'k'));
    expect(refused.error).toBeInstanceOf(RateLimiterUnavailableError);
    expect(refused.ms).toBeLessThan(300 + 700);
  });

  it('refuses an invalid policy at startup', async () => {
    await expect(pod({ onRedisFailure: 'maybe' as never })).rejects.toThrow(
      'onRedisFailure: expected memory, open or closed, got "maybe"',
    );
  });
});
