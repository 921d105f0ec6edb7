import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import {
  RedisExecutor,
  RedisKeyspace,
  RedisModuleError,
  isAvailabilityFailure,
  type KeyNamespace,
} from '@sentinel-kit/redis';
import { MemoryStore, RedisScript } from '@sentinel-kit/redis/internal';
import { RateLimiterUnavailableError } from '../errors/rate-limiter-unavailable.error';
import type { ResolvedRateLimitOptions } from '../options/rate-limit-options.interface';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_RESOLVED_OPTIONS } from '../rate-limit.constants';
import { RateLimitMetrics } from '../rate-limit.metrics';
import { throttleInMemory, type ThrottlerReply } from './throttler-in-memory';

/**
 * A fixed window of `ttl` with the throttler's blocking, atomically. KEYS: hits, block. ARGV: ttl
 * ms, limit, block duration ms. Returns { totalHits, timeToExpire ms, isBlocked 0/1, timeToBlockExpire ms }.
 * While blocked nothing is counted; when the block ends the window starts afresh (as in the
 * throttler's own in-memory storage).
 */
const THROTTLER_LUA = `
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blockFor = tonumber(ARGV[3])
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return { tonumber(redis.call('GET', KEYS[2])), blocked, 1, blocked }
end
if blockFor <= 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  if hits >= limit then
    local left = redis.call('PTTL', KEYS[1])
    if left < 0 then left = ttl end
    return { hits + 1, left, 1, left }
  end
end
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  left = ttl
end
if hits > limit then
  redis.call('SET', KEYS[2], hits, 'PX', blockFor)
  redis.call('DEL', KEYS[1])
  return { hits, blockFor, 1, blockFor }
end
return { hits, left, 0, 0 }
`;

const throttlerScript = new RedisScript(THROTTLER_LUA);

/** What `ThrottlerStorage.increment` resolves to (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * `@nestjs/throttler` storage on the toolkit's Redis connections: every pod shares the counts, one
 * atomic script per request, and a Redis outage follows the rate-limit failure policy instead of
 * becoming a 500 (`memory`: the same window and block counted in this process alone; `open`: let
 * through; `closed`: 503 with a JSON body).
 *
 * @example
 * ThrottlerModule.forRootAsync({
 *   inject: [RedisThrottlerStorage],
 *   useFactory: (storage: RedisThrottlerStorage) => ({ throttlers: [{ ttl: 60_000, limit: 100 }], storage }),
 * })
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  /** Per-process counts for the `memory` policy, bounded by `memoryMaxKeys`. */
  private readonly counts: MemoryStore;
  /** `<REDIS_KEY_PREFIX>rate-limit:throttler:…`. */
  private readonly throttlers: KeyNamespace;

  constructor(
    @Inject(RATE_LIMIT_RESOLVED_OPTIONS) private readonly options: ResolvedRateLimitOptions,
    keyspace: RedisKeyspace,
    private readonly executor: RedisExecutor,
    private readonly metrics: RateLimitMetrics,
  ) {
    this.throttlers = keyspace.namespace(`${RATE_LIMIT_DEFAULTS.keyNamespace}throttler:`);
    this.counts = new MemoryStore(options.memoryMaxKeys);
  }

  /**
   * Counts one hit for `key` of throttler `throttlerName` (`ttl` and `blockDuration` in ms).
   * @throws RateLimiterUnavailableError when Redis cannot answer and the policy is `closed` (answered
   *   503 by `RateLimiterUnavailableFilter`).
   */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // Both keys in one cluster slot, tagged with what they count.
    const base = this.throttlers.inSlot(`${throttlerName}:${key}`, '');
    const keys = [`${base}:hits`, `${base}:block`] as const;
    try {
      const { value: reply, source } = await this.executor.write<ThrottlerReply>({
        name: 'rate-limit.throttler',
        redis: (client) => throttlerScript.run(client, keys, [ttl, limit, blockDuration]) as Promise<ThrottlerReply>,
        memory: this.whenRedisCannotAnswer(keys, ttl, limit, blockDuration),
        // A decision, not a claim about what Redis holds: the policy applies after a timeout too.
        memoryAfterUnknown: true,
      });
      const [totalHits, expireMs, isBlocked, blockMs] = reply;
      const decidedBy = source === 'redis' ? 'redis' : this.options.onRedisFailure === 'open' ? 'none' : 'memory';
      this.metrics.decided(isBlocked === 1 ? 'rejected' : 'allowed', decidedBy);
      return {
        totalHits,
        timeToExpire: Math.ceil(expireMs / 1000),
        isBlocked: isBlocked === 1,
        timeToBlockExpire: Math.ceil(blockMs / 1000),
      };
    } catch (error) {
      if (!(error instanceof RedisModuleError) || !isAvailabilityFailure(error)) throw error;
      throw new RateLimiterUnavailableError(`throttler storage: Redis cannot answer (${error.code}); refusing`, {
        cause: error,
      });
    }
  }

  /** The answer while Redis cannot give one: counted in this process (`memory`), or let through (`open`); none for `closed`. */
  private whenRedisCannotAnswer(
    [hitsKey, blockKey]: readonly [string, string],
    ttl: number,
    limit: number,
    blockDuration: number,
  ): (() => ThrottlerReply) | undefined {
    switch (this.options.onRedisFailure) {
      case 'open':
        return () => [0, ttl, 0, 0];
      case 'closed':
        return undefined;
      case 'memory':
        return () => throttleInMemory(this.counts, hitsKey, blockKey, ttl, limit, blockDuration);
    }
  }
}
