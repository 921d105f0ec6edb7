import { Inject, Injectable } from '@nestjs/common';
import type { MemoryStore } from '../fallback/memory-store';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { RedisMetrics } from '../metrics/redis-metrics';

/**
 * Cache operations on Redis that survive its failures: reads from a replica when enabled, writes to
 * the primary, and (with `fallback.enabled`) the in-memory fallback while Redis is unreachable: a
 * cache may answer from one instance's memory. A write whose outcome is unknown is reported as such
 * (`RedisOutcomeUnknownError`), not taken as done in memory. Keys get the configured prefix. TTLs
 * are in seconds, as in Redis.
 *
 * @example
 * const profile = await cache.wrap(`profile:${id}`, 60, () => this.profiles.load(id));
 */
@Injectable()
export class RedisCacheService {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Passes `answer` on as a memory answer when the fallback is on; none when it is off. */
  private readonly inMemory: <T>(answer: (store: MemoryStore) => T) => ((store: MemoryStore) => T) | undefined;

  constructor(
    private readonly executor: RedisExecutor,
    private readonly metrics: RedisMetrics,
    private readonly keyspace: RedisKeyspace,
    @Inject(REDIS_RESOLVED_OPTIONS) options: ResolvedRedisOptions,
  ) {
    this.inMemory = options.fallback.enabled ? (answer) => answer : () => undefined;
  }

  /** The value, or null when absent. Counts a hit or a miss. */
  async get(key: string): Promise<string | null> {
    const stored = this.keyspace.key(key);
    const { value } = await this.executor.read({
      name: 'get',
      redis: (client) => client.get(stored),
      memory: this.inMemory((store) => store.get(stored)),
    });
    this.countRead(value !== null);
    return value;
  }

  /** Values of several keys, null for the absent ones. */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const stored = keys.map((key) => this.keyspace.key(key));
    const { value: values } = await this.executor.read({
      name: 'mget',
      redis: (client) => this.executor.perKeyGroup(stored, (group) => client.mget(group)),
      memory: this.inMemory((store) => stored.map((key) => store.get(key))),
    });
    for (const value of values) this.countRead(value !== null);
    return values;
  }

  /** @param ttlSeconds expiry in whole seconds; none when omitted. */
  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    assertTtl(ttlSeconds);
    const stored = this.keyspace.key(key);
    await this.executor.write<unknown>({
      name: 'set',
      idempotent: true,
      redis: (client) =>
        ttlSeconds === undefined ? client.set(stored, value) : client.set(stored, value, 'EX', ttlSeconds),
      memory: this.inMemory((store) => store.set(stored, value, ttlSeconds)),
    });
    this.metrics.cacheSet();
  }

  /** @returns how many of the keys existed. */
  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const stored = keys.map((key) => this.keyspace.key(key));
    const { value: removed } = await this.executor.write({
      name: 'del',
      idempotent: true,
      redis: async (client) => {
        const removed = await Promise.all(this.executor.keyGroups(stored).map((group) => client.del(group)));
        return removed.reduce((sum, count) => sum + count, 0);
      },
      memory: this.inMemory((store) => store.del(stored)),
    });
    this.metrics.cacheDelete();
    return removed;
  }

  async exists(key: string): Promise<boolean> {
    const stored = this.keyspace.key(key);
    const { value } = await this.executor.read({
      name: 'exists',
      redis: async (client) => (await client.exists(stored)) === 1,
      memory: this.inMemory((store) => store.exists(stored)),
    });
    return value;
  }

  /** Seconds left: -2 when the key is missing, -1 when it has no expiry. */
  async ttl(key: string): Promise<number> {
    const stored = this.keyspace.key(key);
    const { value } = await this.executor.read({
      name: 'ttl',
      redis: (client) => client.ttl(stored),
      memory: this.inMemory((store) => store.ttl(stored)),
    });
    return value;
  }

  /**
   * Adds `by` (default 1) to an integer value and returns the result.
   * @throws RedisCommandRejectedError when the value is not an integer.
   */
  async incr(key: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`incr: "by" must be a safe integer, got ${by}`);
    const stored = this.keyspace.key(key);
    const { value } = await this.executor.write({
      name: 'incr',
      redis: (client) => client.incrby(stored, by),
      memory: this.inMemory((store) => store.incr(stored, by)),
    });
    return value;
  }

  /** @returns whether the key existed. */
  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    const stored = this.keyspace.key(key);
    const { value } = await this.executor.write({
      name: 'expire',
      idempotent: true,
      redis: async (client) => (await client.expire(stored, ttlSeconds)) === 1,
      memory: this.inMemory((store) => store.expire(stored, ttlSeconds)),
    });
    return value;
  }

  /** The parsed JSON value, or null when absent. @throws SyntaxError when the stored value is not JSON. */
  async getJson<T>(key: string): Promise<T | null> {
    const text = await this.get(key);
    return text === null ? null : (JSON.parse(text) as T);
  }

  /** Stores `value` as JSON. */
  async setJson(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    await this.set(key, JSON.stringify(value), ttlSeconds);
  }

  /**
   * Cache-aside: returns the cached value, or calls `loader`, caches its result for `ttlSeconds`
   * and returns it. Concurrent misses on one key in this instance share one `loader` call.
   * A loader that rejects caches nothing and rejects every waiting caller.
   */
  async wrap<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    assertTtl(ttlSeconds);
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const load = (async () => {
      const cached = await this.getJson<T>(key);
      if (cached !== null) return cached;
      const value = await loader();
      await this.setJson(key, value, ttlSeconds);
      return value;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, load);
    return load;
  }

  private countRead(hit: boolean): void {
    if (hit) this.metrics.cacheHit();
    else this.metrics.cacheMiss();
  }
}

function assertTtl(ttlSeconds: number | undefined): void {
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
}
