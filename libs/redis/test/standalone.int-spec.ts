import {
  RedisCommandRejectedError,
  RedisOutcomeUnknownError,
  RedisUnavailableError,
  type RedisModuleOptions,
} from '@sentinel-kit/redis';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { timed } from '@sentinel-kit/test-support';
import { TEST_PROTOCOL, startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 300;
/** Slack for a loaded 2-core machine on top of the command timeout. */
const SLACK_MS = 700;

describe('RedisModule against a standalone redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  const apps: RedisTestApp[] = [];

  const start = async (extra: Partial<RedisModuleOptions> = {}): Promise<RedisTestApp> => {
    const app = await startRedisModule({
      host: server.host,
      port: server.port,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      circuit: { probeIntervalMs: 100 },
      ...extra,
    });
    apps.push(app);
    return app;
  };
  const raw = (command: string, ...args: (string | number)[]) => sendCommand(server.endpoint, command, args);
  const ensureServerUp = async () => {
    if (!server.running) await server.start();
  };

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    if (server.running) server.resume();
    await ensureServerUp();
    await raw('FLUSHDB');
  });
  afterAll(async () => dispose());

  it.each([2, 3] as const)('speaks RESP%i to the node when told to (REDIS_PROTOCOL)', async (protocol) => {
    const { cache } = await start({ protocol });
    await cache.set('resp', 'v');
    const clients = String(await raw('CLIENT', 'LIST'));
    expect(clients).toMatch(new RegExp(`name=sentinel-kit:write .*resp=${protocol}`));
  });

  it(`runs this suite on RESP${TEST_PROTOCOL}`, async () => {
    const { cache } = await start();
    await cache.set('resp', 'v');
    expect(String(await raw('CLIENT', 'LIST'))).toMatch(new RegExp(`name=sentinel-kit:write .*resp=${TEST_PROTOCOL}`));
  });

  it('serves every cache operation from Redis, under the key prefix', async () => {
    const { cache, status } = await start({ keyPrefix: 'std:' });
    expect(status.getStatus()).toMatchObject({ mode: 'standalone', connected: true, degraded: false });

    await cache.set('a', '1');
    await cache.set('b', '2', 60);
    expect(await raw('GET', 'std:a')).toBe('1');
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('missing')).toBeNull();
    expect(await cache.mget(['a', 'missing', 'b'])).toEqual(['1', null, '2']);
    expect(await cache.exists('a')).toBe(true);
    expect(await cache.ttl('a')).toBe(-1);
    expect(await cache.ttl('b')).toBeGreaterThan(55);
    expect(await cache.expire('a', 30)).toBe(true);
    expect(Number(await raw('TTL', 'std:a'))).toBeGreaterThan(25);
    expect(await cache.incr('n')).toBe(1);
    expect(await cache.incr('n', 5)).toBe(6);
    await cache.setJson('j', { x: [1, 2] });
    expect(await cache.getJson('j')).toEqual({ x: [1, 2] });
    expect(await cache.del('a', 'b', 'missing')).toBe(2);
    expect(await raw('EXISTS', 'std:a')).toBe(0);
    expect(status.getStatus().metrics).toMatchObject({ hits: 4, misses: 2, sets: 3, deletes: 1, errors: 0 });
  });

  it('calls the loader of wrap() once for a storm of concurrent misses', async () => {
    const { cache } = await start();
    let calls = 0;
    const loader = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { id: 7 };
    };
    const results = await Promise.all(Array.from({ length: 25 }, () => cache.wrap('profile:7', 60, loader)));
    expect(results.every((r) => r.id === 7)).toBe(true);
    expect(calls).toBe(1);
    expect(await cache.wrap('profile:7', 60, loader)).toEqual({ id: 7 });
    expect(calls).toBe(1);
    expect(await raw('GET', 'app:profile:7')).toBe('{"id":7}');
  });

  it('reports a definite rejection distinctly from an unknown outcome', async () => {
    const { cache } = await start({ fallback: { enabled: false } });
    await cache.set('text', 'abc');
    const rejected = await timed(() => cache.incr('text'));
    expect(rejected.error).toBeInstanceOf(RedisCommandRejectedError);
    expect((rejected.error as RedisCommandRejectedError).redisCode).toBe('ERR');

    server.pause();
    const unknown = await timed(() => cache.set('during-pause', 'x'));
    expect(unknown.error).toBeInstanceOf(RedisOutcomeUnknownError);
    expect((unknown.error as RedisOutcomeUnknownError).code).toBe('REDIS_OUTCOME_UNKNOWN');
    expect(unknown.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(unknown.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS); // a deadline, never an early guess
    server.resume();
  });

  it('never stalls a caller past the command timeout while the server hangs (SIGSTOP)', async () => {
    const { cache } = await start({ fallback: { enabled: false } });
    await cache.set('k', 'v');
    server.pause();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => timed<unknown>(() => (i % 2 ? cache.get('k') : cache.set(`k${i}`, 'v')))),
    );
    for (const attempt of attempts) {
      expect(attempt.error).toBeDefined();
      expect(attempt.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    }
    server.resume();
  });

  it('serves from memory while Redis is gone, says degraded, and returns to Redis by itself', async () => {
    const { cache, status, logs } = await start();
    await cache.set('before', 'redis');
    await server.kill();

    await cache.set('during', 'memory', 60);
    expect(await cache.get('during')).toBe('memory');
    expect(await cache.incr('counter')).toBe(1);
    expect(status.getStatus().degraded).toBe(true);
    await waitFor(() => !status.getStatus().connected, { description: 'the client to notice the closed socket' });
    expect(status.getStatus().metrics.fallbackOperations).toBeGreaterThan(0);

    await server.start();
    await waitFor(() => !status.getStatus().degraded, {
      description: 'the module to leave degraded mode',
      timeoutMs: 10_000,
    });
    await cache.set('after', 'redis');
    expect(await raw('GET', 'app:after')).toBe('redis');
    // Entries written to memory during the outage stay local to it and are not carried back.
    expect(await cache.get('during')).toBeNull();
    expect(logs.lines.some((line) => line.includes('serving from the in-memory fallback'))).toBe(true);
    expect(logs.lines.some((line) => line.includes('back from the in-memory fallback'))).toBe(true);
  });

  it('with the fallback off, fails within the command timeout and queues nothing for later', async () => {
    const { cache, status } = await start({ fallback: { enabled: false } });
    await server.kill();
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => timed(() => cache.set(`queued:${i}`, 'x'))),
    );
    for (const attempt of attempts) {
      // Not sent (unavailable), or written to the socket before the client saw it die (outcome
      // unknown): either way a typed failure within the timeout, and nothing kept for later.
      expect([RedisUnavailableError, RedisOutcomeUnknownError].some((type) => attempt.error instanceof type)).toBe(
        true,
      );
      expect(attempt.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    }
    await waitFor(() => status.getStatus().degraded, { description: 'degraded mode', timeoutMs: 5000 });

    await server.start();
    await waitFor(() => !status.getStatus().degraded, { description: 'recovery', timeoutMs: 10_000 });
    await cache.set('fresh', 'x');
    // Had the calls been queued, they would have been replayed on reconnect.
    expect(await raw('KEYS', 'app:queued:*')).toEqual([]);
    // Ours, and the write probe that closed the circuit.
    expect(String(await raw('INFO', 'commandstats'))).toMatch(/cmdstat_set:calls=2,/);
  });

  it('closes every connection within a bounded time at shutdown, even against a hung server', async () => {
    const { app, cache } = await start();
    await cache.set('k', 'v');
    server.pause();
    const closing = await timed(() => app.close());
    apps.splice(
      apps.findIndex((a) => a.app === app),
      1,
    );
    expect(closing.error).toBeUndefined();
    expect(closing.ms).toBeLessThan(2000 + SLACK_MS);
    server.resume();
  });

  it('keeps passwords out of logs, errors and status', async () => {
    const password = 'correct-horse-battery-42';
    await raw('CONFIG', 'SET', 'requirepass', password);
    try {
      const wrong = await start({ password: 'wrong-staple-99', fallback: { enabled: false } });
      const failed = await timed(() => wrong.cache.set('k', 'v'));
      expect(failed.error).toBeInstanceOf(RedisUnavailableError);
      const everything = [
        ...wrong.logs.lines,
        (failed.error as Error).message,
        JSON.stringify(failed.error),
        JSON.stringify(wrong.status.getStatus()),
      ].join('\n');
      expect(everything).not.toContain('wrong-staple-99');
      expect(wrong.logs.lines.join('\n')).toMatch(/WRONGPASS|NOAUTH/);

      const right = await start({ password });
      await right.cache.set('k', 'v');
      expect(await right.cache.get('k')).toBe('v');
      expect(right.logs.lines.join('\n')).not.toContain(password);
    } finally {
      await sendCommand({ ...server.endpoint, password }, 'CONFIG', ['SET', 'requirepass', '']);
    }
  });
});
