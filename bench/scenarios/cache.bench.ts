import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule } from '@sentinel-kit/redis';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import Redis, { type Cluster } from 'ioredis';
import type { BenchSuite, ThroughputComparison } from '../scenario';

/** Distinct keys the operations cycle through, all present before the gets. */
const KEYS = 10_000;
const VALUE = 'x'.repeat(100);
/** The prefix `RedisCacheService` puts before every key by default (`REDIS_KEY_PREFIX`). */
const KEY_PREFIX = 'app:';

/** Concurrent callers of the cache suite: the cost curve, from one caller to many. */
const COST_CURVE = [1, 10, 50, 200];

/** A raw client to compare the cache with, and how to name it. */
export interface RawClient {
  name: string;
  client: Pick<Redis | Cluster, 'get' | 'set'>;
}

/**
 * Stores the bench keys through `cache`, then compares its `get`/`set` at each of `concurrencies` with
 * `raw` (default options) and `alike` (a second client, e.g. with a command timeout), on the same keys on the wire.
 */
export async function cacheComparisons(
  label: string,
  cache: RedisCacheService,
  raw: RawClient,
  alike: RawClient,
  concurrencies: readonly number[] = [1, 50],
): Promise<ThroughputComparison[]> {
  const key = (i: number) => `bench:${i % KEYS}`;
  const wireKey = (i: number) => `${KEY_PREFIX}bench:${i % KEYS}`;
  for (let i = 0; i < KEYS; i += 1) await cache.set(key(i), VALUE);
  return concurrencies.flatMap((concurrency): ThroughputComparison[] => [
    {
      name: `${label} get, concurrency ${concurrency}`,
      concurrency,
      ours: { name: 'sentinel-kit RedisCacheService.get', operation: (i) => cache.get(key(i)) },
      peers: [
        { name: `${raw.name} get`, operation: (i) => raw.client.get(wireKey(i)) },
        { name: `${alike.name} get`, operation: (i) => alike.client.get(wireKey(i)) },
      ],
    },
    {
      name: `${label} set, concurrency ${concurrency}`,
      concurrency,
      ours: { name: 'sentinel-kit RedisCacheService.set', operation: (i) => cache.set(key(i), VALUE) },
      peers: [
        { name: `${raw.name} set`, operation: (i) => raw.client.set(wireKey(i), VALUE) },
        { name: `${alike.name} set`, operation: (i) => alike.client.set(wireKey(i), VALUE) },
      ],
    },
  ]);
}

/** A `RedisModule` on `endpoint` with default options, quiet, and its cache. */
export async function startCacheApp(
  endpoint: RedisEndpoint,
): Promise<{ app: INestApplicationContext; cache: RedisCacheService }> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ host: endpoint.host, port: endpoint.port })],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  return { app, cache: app.get(RedisCacheService) };
}

/**
 * `RedisCacheService.get`/`set` against raw ioredis `GET`/`SET` on the same redis-server and the
 * same keys on the wire (ours adds the default key prefix itself, so raw ioredis is handed the full
 * key), at 1, 10, 50 and 200 concurrent callers; also against ioredis bounding each command with
 * its `commandTimeout` (a timer per command), where ours bounds them with one sweep per connection.
 */
export async function cacheSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const { app, cache } = await startCacheApp(endpoint);
  const raw = new Redis({ host: endpoint.host, port: endpoint.port });
  const alike = new Redis({ host: endpoint.host, port: endpoint.port, commandTimeout: 500 });
  const comparisons = await cacheComparisons(
    'cache',
    cache,
    { name: 'ioredis', client: raw },
    { name: 'ioredis with commandTimeout', client: alike },
    COST_CURVE,
  );
  return {
    comparisons,
    close: async () => {
      await app.close();
      raw.disconnect();
      alike.disconnect();
    },
  };
}
