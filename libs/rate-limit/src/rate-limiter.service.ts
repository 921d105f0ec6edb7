import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  RedisExecutor,
  RedisKeyspace,
  RedisModuleError,
  isAvailabilityFailure,
  type KeyNamespace,
} from '@sentinel-kit/redis';
import { MemoryStore } from '@sentinel-kit/redis/internal';
import { RateLimiterUnavailableError } from './errors/rate-limiter-unavailable.error';
import { RATE_LIMIT_ALGORITHMS } from './policies/algorithms';
import type { LimitParameters, RateLimitAlgorithm, RateLimitAlgorithmName } from './policies/rate-limit-algorithm';
import { RATE_LIMIT_DEFAULTS, RATE_LIMIT_RESOLVED_OPTIONS } from './rate-limit.constants';
import { RateLimitMetrics, type DecisionSource } from './rate-limit.metrics';
import type { ResolvedRateLimitOptions } from './options/rate-limit-options.interface';
import { RULE_NAME_PATTERN } from './options/rate-limit-rule.schema';

/** What the scripts (and their in-memory twins) answer: `[remaining, resetMs]` when allowed, `[remaining, resetMs, retryAfterMs]` when refused. */
type ScriptReply = [number, number, number?];

/** A limit: `points` per `durationMs`, with bursts up to `burst` (default `points`). */
export interface RateLimitSpec {
  /** Names the limit in keys and headers, e.g. `api` or `login`. */
  name: string;
  points: number;
  durationMs: number;
  /** Bucket size (`token-bucket` and `gcra` only). @default points */
  burst?: number;
  /** @default 'token-bucket' */
  algorithm?: RateLimitAlgorithmName;
}

/** The answer for one request. */
export interface RateLimitResult {
  allowed: boolean;
  /** The largest allowance: `burst`, or `points` for `sliding-window`. */
  limit: number;
  remaining: number;
  /** Until the bucket is full again. */
  resetMs: number;
  /** Until the request would be allowed (0 when allowed). */
  retryAfterMs: number;
  /** Who answered: Redis (shared by every pod), this process's memory, or nobody (fail open). */
  source: DecisionSource;
}

/**
 * Distributed rate limiting evaluated atomically in Redis in one round trip, on the Redis server's
 * clock, with a token bucket (default), GCRA or a sliding-window counter. Calls never queue for replay after a reconnect, so a request is never
 * counted twice. While Redis cannot answer, the configured policy decides: a per-process bucket
 * (`memory`, the default), let through (`open`) or refuse (`closed`).
 *
 * @example
 * const result = await limiter.consume({ name: 'api', points: 100, durationMs: 60_000 }, `ip:${ip}`);
 * if (!result.allowed) throw new HttpException('Too Many Requests', 429);
 */
@Injectable()
export class RateLimiterService {
  /**
   * Per-process buckets for the `memory` policy, in a store of their own (bounded by
   * `memoryMaxKeys`), so that other data answered from memory cannot evict them.
   */
  private readonly buckets: MemoryStore;
  /** `<REDIS_KEY_PREFIX>rate-limit:…`. */
  private readonly limits: KeyNamespace;

  constructor(
    @Inject(RATE_LIMIT_RESOLVED_OPTIONS) private readonly options: ResolvedRateLimitOptions,
    keyspace: RedisKeyspace,
    private readonly executor: RedisExecutor,
    private readonly metrics: RateLimitMetrics,
  ) {
    this.buckets = new MemoryStore(options.memoryMaxKeys);
    this.limits = keyspace.namespace(RATE_LIMIT_DEFAULTS.keyNamespace);
  }

  /**
   * Takes `cost` points for `key` under `limit`.
   * @throws RangeError for a malformed limit or cost.
   * @throws RateLimiterUnavailableError when Redis cannot answer and the policy is `closed`.
   */
  async consume(limit: RateLimitSpec, key: string, cost = 1): Promise<RateLimitResult> {
    const algorithmName = limit.algorithm ?? 'token-bucket';
    if (!Object.hasOwn(RATE_LIMIT_ALGORITHMS, algorithmName))
      throw new RangeError(`algorithm must be token-bucket, gcra or sliding-window, got "${algorithmName}"`);
    const algorithm = RATE_LIMIT_ALGORITHMS[algorithmName];
    const parameters = validate(limit);
    const capacity = algorithm.capacity(parameters);
    if (!Number.isInteger(cost) || cost < 1 || cost > capacity) {
      throw new RangeError(`cost must be an integer from 1 to ${capacity}, got ${cost}`);
    }
    const redisKey = this.redisKey(algorithm, limit.name, key);
    try {
      const { value: reply, source } = await this.executor.write<ScriptReply>({
        name: 'rate-limit.consume',
        redis: (client) =>
          algorithm.script.run(client, [redisKey], algorithm.scriptArguments(parameters, cost)) as Promise<ScriptReply>,
        memory: this.whenRedisCannotAnswer(algorithm, parameters, redisKey, cost),
        // A decision, not a claim about what Redis holds: the policy applies after a timeout too.
        memoryAfterUnknown: true,
      });
      const allowed = reply.length === 2;
      const [remaining, resetMs, retryAfterMs = 0] = reply;
      const decidedBy = source === 'redis' ? 'redis' : this.options.onRedisFailure === 'open' ? 'none' : 'memory';
      this.metrics.decided(allowed ? 'allowed' : 'rejected', decidedBy);
      return { allowed, limit: capacity, remaining, resetMs, retryAfterMs, source: decidedBy };
    } catch (error) {
      if (error instanceof RedisModuleError && isAvailabilityFailure(error)) {
        throw new RateLimiterUnavailableError(`rate limiter: Redis cannot answer (${error.code}); refusing`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * The answer while Redis cannot give one, in the script's reply shape: a per-process bucket
   * (`memory`), or allowed (`open`); none for `closed`, which refuses.
   */
  private whenRedisCannotAnswer(
    algorithm: RateLimitAlgorithm<unknown>,
    parameters: LimitParameters,
    redisKey: string,
    cost: number,
  ): (() => ScriptReply) | undefined {
    switch (this.options.onRedisFailure) {
      case 'open':
        return () => [algorithm.capacity(parameters), 0];
      case 'closed':
        return undefined;
      case 'memory':
        return () => {
          const text = this.buckets.get(redisKey);
          const decision = algorithm.evaluate(
            parameters,
            text === null ? null : (JSON.parse(text) as unknown),
            cost,
            Date.now(),
          );
          this.buckets.set(redisKey, JSON.stringify(decision.state), decision.ttlMs / 1000);
          const { allowed, remaining, resetMs, retryAfterMs } = decision;
          return allowed ? [remaining, resetMs] : [remaining, resetMs, retryAfterMs];
        };
    }
  }

  /** `<REDIS_KEY_PREFIX>rate-limit:<algorithm tag>:<name>:<key>`, the key part hashed when long. */
  private redisKey(algorithm: RateLimitAlgorithm<unknown>, name: string, key: string): string {
    const part =
      key.length > RATE_LIMIT_DEFAULTS.maxKeyLength ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
    return this.limits.key(`${algorithm.keyTag}:${name}:${part}`);
  }
}

function validate(limit: RateLimitSpec): LimitParameters {
  const { name, points, durationMs } = limit;
  if (!RULE_NAME_PATTERN.test(name))
    throw new RangeError(`limit name must be 1-64 letters, digits, "_", "." or "-", got "${name}"`);
  if (!Number.isInteger(points) || points < 1) throw new RangeError(`points must be a positive integer, got ${points}`);
  if (!Number.isInteger(durationMs) || durationMs < 1)
    throw new RangeError(`durationMs must be a positive integer, got ${durationMs}`);
  if (limit.burst !== undefined && limit.algorithm === 'sliding-window')
    throw new RangeError('burst applies to token-bucket and gcra, not to sliding-window');
  const burst = limit.burst ?? points;
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
  return { points, durationMs, burst };
}
