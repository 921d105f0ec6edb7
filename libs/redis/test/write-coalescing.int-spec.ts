import { REDIS_WRITE_CLIENT } from '@sentinel-kit/redis';
import { startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type Redis from 'ioredis';
import { standaloneOptions, startRedisModule, type RedisTestApp } from './redis-test-app';

/** The socket's writes to the kernel: one per uncorked `write`, one per flush of what a cork held. */
function countSocketWrites(client: Redis): { readonly count: number; restore(): void } {
  const socket = client.stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const original = { _write: socket._write, _writev: socket._writev };
  let count = 0;
  for (const method of ['_write', '_writev'] as const) {
    socket[method] = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return original[method].apply(this, args);
    };
  }
  return {
    get count() {
      return count;
    },
    restore: () => Object.assign(socket, original),
  };
}

describe('writes coalesced while replies are awaited, over a real redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let running: RedisTestApp;
  let client: Redis;

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
    running = await startRedisModule(standaloneOptions(server.port));
    client = running.app.get<Redis>(REDIS_WRITE_CLIENT);
    await running.cache.set('k', 'v');
  });
  afterAll(async () => {
    await running?.app.close();
    await dispose?.();
  });

  it('writes a command sent on an idle connection at once, as ioredis does', async () => {
    const writes = countSocketWrites(client);
    try {
      const answer = running.cache.get('k');
      expect(writes.count).toBe(1); // before this turn ends
      expect(await answer).toBe('v');
    } finally {
      writes.restore();
    }
  });

  it('sends the commands of one turn behind a pending one with one write, each answered in order', async () => {
    const writes = countSocketWrites(client);
    try {
      const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((key, i) => running.cache.set(key, String(i))));
      expect(writes.count).toBeLessThanOrEqual(3);
      expect(await Promise.all(keys.map((key) => running.cache.get(key)))).toEqual(keys.map((_, i) => String(i)));
      expect(writes.count).toBeLessThanOrEqual(6);
    } finally {
      writes.restore();
    }
  });
});
