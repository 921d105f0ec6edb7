import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule } from '@sentinel-kit/redis';
import { RateLimitModule, RateLimiterService, type RateLimitSpec } from '@sentinel-kit/rate-limit';
import type { ClusterTopology } from '@sentinel-kit/testing';
import { Cluster } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { BenchSuite } from '../scenario';
import { cacheComparisons } from './cache.bench';

/** Distinct rate-limited clients, spread over every shard. */
const KEYS = 10_000;
/** A limit no contender reaches, so every call does the full work of an allowed request. */
const POINTS = 1_000_000_000;
const DURATION_S = 60;

/**
 * Cluster mode: `RedisCacheService.get`/`set` and `RateLimiterService.consume` (10 000 keys) on a
 * 3-shard cluster, against a raw ioredis `Cluster` client (default options, and with our command
 * timeout) and `rate-limiter-flexible` on one, at concurrency 1 and 50. The same keys go on the
 * wire.
 */
export async function clusterSuite(cluster: ClusterTopology): Promise<BenchSuite> {
  const nodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ cluster: { nodes } }), RateLimitModule.forRoot({})],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const cache = app.get(RedisCacheService);
  const limiter = app.get(RateLimiterService);
  const limit: RateLimitSpec = { name: 'bench', points: POINTS, durationMs: DURATION_S * 1000 };
  const raw = new Cluster(nodes);
  const alike = new Cluster(nodes, { redisOptions: { commandTimeout: 500 } });
  const flexibleClient = new Cluster(nodes);
  const flexible = new RateLimiterRedis({
    storeClient: flexibleClient,
    points: POINTS,
    duration: DURATION_S,
    keyPrefix: 'app:rate-limit:fx:bench',
  });
  const comparisons = await cacheComparisons(
    'cluster cache',
    cache,
    { name: 'ioredis Cluster', client: raw },
    { name: 'ioredis Cluster, client options alike', client: alike },
  );
  for (const concurrency of [1, 50]) {
    comparisons.push({
      name: `cluster rate limit, 10000 keys, concurrency ${concurrency}`,
      concurrency,
      ours: { name: 'sentinel-kit consume', operation: (i) => limiter.consume(limit, `client-${i % KEYS}`) },
      peers: [
        {
          name: 'rate-limiter-flexible on ioredis Cluster',
          operation: (i) => flexible.consume(`client-${i % KEYS}`),
        },
      ],
    });
  }
  return {
    comparisons,
    close: async () => {
      await app.close();
      raw.disconnect();
      alike.disconnect();
      flexibleClient.disconnect();
    },
  };
}
