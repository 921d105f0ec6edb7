import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule } from '@sentinel-kit/redis';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import type { BenchSuite, ThroughputComparison } from '../scenario';

/** Distinct keys the operations cycle through, all present before the gets. */
const KEYS = 10_000;
const VALUE = 'x'.repeat(100);
/** The prefix `RedisCacheService` puts before every key by default (`REDIS_KEY_PREFIX`). */
const KEY_PREFIX = 'app:';

/**
 * `RedisCacheService.get`/`set` against raw ioredis `GET`/`SET` on the same redis-server and the
 * same keys on the wire (ours adds the default key prefix itself, so raw ioredis is handed the full
 * key), at concurrency 1 and 50; also against ioredis with our command timeout, to tell the cost of
 * the service from the cost of that option.
 */
export async function cacheSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ host: endpoint.host, port: endpoint.port })],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const cache = app.get(RedisCacheService);
  const raw = new Redis({ host: endpoint.host, port: endpoint.port });
  const alike = new Redis({ host: endpoint.host, port: endpoint.port, commandTimeout: 500 });
  const key = (i: number) => `bench:${i % KEYS}`;
  const wireKey = (i: number) => `${KEY_PREFIX}bench:${i % KEYS}`;
  for (let i = 0; i < KEYS; i += 1) await cache.set(key(i), VALUE);

  const comparisons: ThroughputComparison[] = [];
  for (const concurrency of [1, 50]) {
    comparisons.push(
      {
        name: `cache get, concurrency ${concurrency}`,
        concurrency,
        ours: { name: 'sentinel-kit RedisCacheService.get', operation: (i) => cache.get(key(i)) },
        peers: [
          { name: 'ioredis get', operation: (i) => raw.get(wireKey(i)) },
          { name: 'ioredis get, client options alike', operation: (i) => alike.get(wireKey(i)) },
        ],
      },
      {
        name: `cache set, concurrency ${concurrency}`,
        concurrency,
        ours: { name: 'sentinel-kit RedisCacheService.set', operation: (i) => cache.set(key(i), VALUE) },
        peers: [
          { name: 'ioredis set', operation: (i) => raw.set(wireKey(i), VALUE) },
          { name: 'ioredis set, client options alike', operation: (i) => alike.set(wireKey(i), VALUE) },
        ],
      },
    );
  }
  return {
    comparisons,
    close: async () => {
      await app.close();
      raw.disconnect();
      alike.disconnect();
    },
  };
}
