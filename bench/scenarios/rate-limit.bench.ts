import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Test } from '@nestjs/testing';
import { RedisModule } from '@sentinel-kit/redis';
import { RateLimitModule, RateLimiterService, type RateLimitSpec } from '@sentinel-kit/rate-limit';
import { RedisThrottlerStorage } from '@sentinel-kit/rate-limit/throttler';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { BenchSuite, ThroughputComparison } from '../scenario';

/** A limit no contender reaches, so every call does the full work of an allowed request. */
const POINTS = 1_000_000_000;
const DURATION_S = 60;
/**
 * rate-limiter-flexible's keys, as long as ours on the wire (`app:rate-limit:tb:bench:<key>`,
 * token bucket, default `REDIS_KEY_PREFIX`) without sharing them.
 */
const FLEXIBLE_KEY_PREFIX = 'app:rate-limit:fx:bench';

/**
 * Our `RateLimiterService.consume` (token bucket) against `rate-limiter-flexible`'s
 * `RateLimiterRedis.consume` and `@nest-lab/throttler-storage-redis`' `increment`, on one
 * redis-server, for one hot key and for 10 000 keys, at concurrency 1 and 50; and our
 * `RedisThrottlerStorage` against `@nest-lab/throttler-storage-redis`, both `@nestjs/throttler` storages.
 */
export async function rateLimitSuite(endpoint: RedisEndpoint): Promise<BenchSuite> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ host: endpoint.host, port: endpoint.port }), RateLimitModule.forRoot({})],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const limiter = app.get(RateLimiterService);
  const ourThrottlerStorage = app.get(RedisThrottlerStorage);
  const limit: RateLimitSpec = { name: 'bench', points: POINTS, durationMs: DURATION_S * 1000 };

  const flexibleClient = new Redis({ host: endpoint.host, port: endpoint.port });
  const flexible = new RateLimiterRedis({
    storeClient: flexibleClient,
    points: POINTS,
    duration: DURATION_S,
    keyPrefix: FLEXIBLE_KEY_PREFIX,
  });
  // The command timeout of our connections, to tell the cost of the limiter from the cost of that option.
  const alikeClient = new Redis({ host: endpoint.host, port: endpoint.port, commandTimeout: 500 });
  const flexibleAlike = new RateLimiterRedis({
    storeClient: alikeClient,
    points: POINTS,
    duration: DURATION_S,
    keyPrefix: FLEXIBLE_KEY_PREFIX,
  });
  const throttlerClient = new Redis({ host: endpoint.host, port: endpoint.port });
  const throttler = new ThrottlerStorageRedisService(throttlerClient);

  const nestLabIncrement = (i: number, keys: number) =>
    throttler.increment(`client-${i % keys}`, DURATION_S * 1000, POINTS, DURATION_S * 1000, 'default');

  const comparisons: ThroughputComparison[] = [];
  for (const keys of [1, 10_000]) {
    const keyOf = (i: number) => `client-${i % keys}`;
    for (const concurrency of [1, 50]) {
      comparisons.push({
        name: `rate limit, ${keys === 1 ? '1 key' : `${keys} keys`}, concurrency ${concurrency}`,
        concurrency,
        ours: { name: 'sentinel-kit consume', operation: (i) => limiter.consume(limit, keyOf(i)) },
        peers: [
          { name: 'rate-limiter-flexible', operation: (i) => flexible.consume(keyOf(i)) },
          { name: 'rate-limiter-flexible, client options alike', operation: (i) => flexibleAlike.consume(keyOf(i)) },
          { name: '@nest-lab/throttler-storage-redis', operation: (i) => nestLabIncrement(i, keys) },
        ],
      });
    }
  }
  for (const concurrency of [1, 50]) {
    comparisons.push({
      name: `throttler storage, 10000 keys, concurrency ${concurrency}`,
      concurrency,
      ours: {
        name: 'sentinel-kit RedisThrottlerStorage',
        operation: (i) =>
          ourThrottlerStorage.increment(
            `client-${i % 10_000}`,
            DURATION_S * 1000,
            POINTS,
            DURATION_S * 1000,
            'default',
          ),
      },
      peers: [{ name: '@nest-lab/throttler-storage-redis', operation: (i) => nestLabIncrement(i, 10_000) }],
    });
  }
  return {
    comparisons,
    close: async () => {
      await app.close();
      flexibleClient.disconnect();
      alikeClient.disconnect();
      throttlerClient.disconnect();
    },
  };
}
