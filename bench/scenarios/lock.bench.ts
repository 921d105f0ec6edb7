import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { RedisModule, type RedisModuleOptions } from '@sentinel-kit/redis';
import { RedisLockModule, RedisLockService } from '@sentinel-kit/redis/locks';
import Redis, { type RedisOptions } from 'ioredis';
import type { BenchSuite, ThroughputComparison } from '../scenario';

/** Distinct names the operations cycle through, so that concurrent operations rarely meet. */
const NAMES = 10_000;
const TTL_MS = 30_000;
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** ioredis with the owner-checked release a hand-written lock needs, run by its SHA1. */
type HandWrittenClient = Redis & { releaseLock(key: string, token: string): Promise<number> };

/**
 * Acquire then release: our `RedisLockService` (a fence per grant, owner-checked scripts and, where
 * the deployment fails over, `WAIT` for a replica) against the least a hand-written lock does with
 * ioredis: `SET key token NX PX ttl` and an owner-checked `DEL` in Lua (by its SHA1), plus
 * `WAIT 1` for the variant that confirms its grant like ours.
 *
 * @param redis where to connect our module; `raw` the same for ioredis.
 */
export async function lockSuite(label: string, redis: RedisModuleOptions, raw: RedisOptions): Promise<BenchSuite> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot(redis), RedisLockModule.forRoot({})],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const locks = app.get(RedisLockService);
  const confirmed = redis.sentinel !== undefined || redis.cluster !== undefined;
  const client = new Redis(raw) as HandWrittenClient;
  client.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_LUA });

  const ours = async (i: number) => {
    const lock = await locks.acquire(`bench:${i % NAMES}`, { ttlMs: TTL_MS });
    await lock.release();
  };
  const handWritten = async (i: number) => {
    const key = `app:bench-lock:${i % NAMES}`;
    const token = randomBytes(18).toString('base64url');
    if (confirmed) {
      const [[, granted]] = (await client.pipeline().set(key, token, 'PX', TTL_MS, 'NX').wait(1, 250).exec())!;
      if (granted !== 'OK') throw new Error('busy');
    } else if ((await client.set(key, token, 'PX', TTL_MS, 'NX')) !== 'OK') {
      throw new Error('busy');
    }
    await client.releaseLock(key, token);
  };
  const peer = confirmed ? 'ioredis SET NX PX + WAIT 1 + Lua release' : 'ioredis SET NX PX + Lua release';
  const comparisons = [1, 50].map((concurrency): ThroughputComparison => ({
    name: `${label} acquire+release, concurrency ${concurrency}`,
    concurrency,
    ours: { name: 'sentinel-kit RedisLockService', operation: ours },
    peers: [{ name: peer, operation: handWritten }],
  }));
  return {
    comparisons,
    close: async () => {
      await app.close();
      client.disconnect();
    },
  };
}
