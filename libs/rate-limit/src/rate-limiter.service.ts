import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MemoryStore, RedisExecutor, RedisModuleError, RedisScript, isAvailabilityFailure } from '@sentinel-kit/redis';
import { RateLimiterUnavailableError } from './errors/rate-limiter-unavailable.error';
import { TOKEN_BUCKET_LUA, takeTokens, type BucketState, type TokenBucketPolicy } from './policies/token-bucket';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_RESOLVED_OPTIONS } from './rate-limit.constants';
import type { ResolvedRateLimitOptions } from './rate-limit-options.interface';

/** A limit: `points` per `durationMs`, with bursts up to `burst` (default `points`). */
export interface RateLimitSpec {
  /** Names the limit in keys and headers, e.g. `api` or `login`. */
  name: string;
  points: number;
  durationMs: number;
  /** Bucket size. @default points */
  burst?: number;
}

/** The answer for one request. */
export interface RateLimitResult {
  allowed: boolean;
  /** Bucket size. */
  limit: number;
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
  /** Until the request would be allowed (0 when allowed). */
  retryAfterMs: number;
  /** Who answered: Redis (shared by every pod), this process's memory, or nobody (fail open). */
  store: 'redis' | 'memory' | 'none';
}

const tokenBucket = new RedisScript(TOKEN_BUCKET_LUA);

/**
 * Distributed rate limiting with a token bucket evaluated atomically in Redis in one round trip, on
 * the Redis server's clock. Calls never queue for replay after a reconnect, so a request is never
 * counted twice. While Redis cannot answer, the configured policy decides: a per-process bucket
 * (`memory`, the default), let through (`open`) or refuse (`closed`).
 *
 * @example
 * const result = await limiter.consume({ name: 'api', points: 100, durationMs: 60_000 }, `ip:${ip}`);
 * if (!result.allowed) throw new HttpException('Too Many Requests', 429);
 */
@Injectable()
export class RateLimiterService {
  private readonly memory: MemoryStore;

  constructor(
    @Inject(RATE_LIMIT_RESOLVED_OPTIONS) private readonly options: ResolvedRateLimitOptions,
    private readonly executor: RedisExecutor,
  ) {
    this.memory = new MemoryStore(options.memoryMaxKeys);
  }

  /**
   * Takes `cost` points for `key` under `limit`.
   * @throws RangeError for a malformed limit or cost.
   * @throws RateLimiterUnavailableError when Redis cannot answer and the policy is `closed`.
   */
  async consume(limit: RateLimitSpec, key: string, cost = 1): Promise<RateLimitResult> {
    const policy = toPolicy(limit);
    if (!Number.isInteger(cost) || cost < 1 || cost > policy.capacity) {
      throw new RangeError(`cost must be an integer from 1 to ${policy.capacity}, got ${cost}`);
    }
    const bucketKey = this.bucketKey(limit.name, key);
    try {
      const reply = (await this.executor.write({
        name: 'rate-limit.consume',
        redis: (client) => tokenBucket.run(client, [bucketKey], [policy.capacity, policy.refillPerMs, cost]),
      })) as [number, number, number, number];
      const [allowed, remaining, resetMs, retryAfterMs] = reply.map(Number);
      return { allowed: allowed === 1, limit: policy.capacity, remaining, resetMs, retryAfterMs, store: 'redis' };
    } catch (error) {
      if (!(error instanceof RedisModuleError) || !isAvailabilityFailure(error)) throw error;
      return this.whenRedisFails(policy, bucketKey, cost, error);
    }
  }

  private whenRedisFails(
    policy: TokenBucketPolicy,
    bucketKey: string,
    cost: number,
    cause: RedisModuleError,
  ): RateLimitResult {
    switch (this.options.onRedisFailure) {
      case 'open':
        return {
          allowed: true,
          limit: policy.capacity,
          remaining: policy.capacity,
          resetMs: 0,
          retryAfterMs: 0,
          store: 'none',
        };
      case 'closed':
        throw new RateLimiterUnavailableError(`rate limiter: Redis cannot answer (${cause.code}); refusing`, { cause });
      case 'memory': {
        const text = this.memory.get(bucketKey);
        const decision = takeTokens(policy, text === null ? null : (JSON.parse(text) as BucketState), cost, Date.now());
        this.memory.set(bucketKey, JSON.stringify(decision.state), (decision.resetMs + 1000) / 1000);
        const { allowed, remaining, resetMs, retryAfterMs } = decision;
        return { allowed, limit: policy.capacity, remaining, resetMs, retryAfterMs, store: 'memory' };
      }
    }
  }

  /** `rate-limit:<name>:<key>`, the key part hashed when long. */
  private bucketKey(name: string, key: string): string {
    const part =
      key.length > RATE_LIMIT_DEFAULTS.maxKeyLength ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
    return `${RATE_LIMIT_DEFAULTS.keyPrefix}${name}:${part}`;
  }
}

function toPolicy(limit: RateLimitSpec): TokenBucketPolicy {
  const { name, points, durationMs } = limit;
  const burst = limit.burst ?? points;
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new RangeError(`limit name must be 1-64 letters, digits, "_", "." or "-", got "${name}"`);
  if (!Number.isInteger(points) || points < 1) throw new RangeError(`points must be a positive integer, got ${points}`);
  if (!Number.isInteger(durationMs) || durationMs < 1)
    throw new RangeError(`durationMs must be a positive integer, got ${durationMs}`);
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
  return { capacity: burst, refillPerMs: points / durationMs };
}
