import { Injectable } from '@nestjs/common';
import { RedisExecutor } from '../fallback/redis-executor';
import { RedisMetrics } from './redis-metrics';

/**
 * Cache operations on Redis that survive its failures: reads from a replica when enabled, writes to
 * the primary, and the in-memory fallback while Redis is unreachable. Keys get the configured
 * prefix. TTLs are in seconds, as in Redis.
 *
 * @example
 * const profile = await cache.wrap(`profile:${id}`, 60, () => this.profiles.load(id));
 */
@Injectable()
export class RedisCacheService {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly executor: RedisExecutor,
    private readonly metrics: RedisMetrics,
  ) {}

  /** The value, or null when absent. Counts a hit or a miss. */
  async get(key: string): Promise<string | null> {
    const value = await this.executor.read({
      name: 'get',
      redis: (client) => client.get(key),
      memory: (store) => store.get(key),
    });
    this.countRead(value !== null);
    return value;
  }

  /** Values of several keys, null for the absent ones. */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.executor.read({
      name: 'mget',
      redis: (client) => client.mget(...keys),
      memory: (store) => keys.map((key) => store.get(key)),
    });
    for (const value of values) this.countRead(value !== null);
    return values;
  }

  /** @param ttlSeconds expiry in whole seconds; none when omitted. */
  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    assertTtl(ttlSeconds);
    await this.executor.write({
      name: 'set',
      idempotent: true,
      redis: async (client) => {
        await (ttlSeconds === undefined ? client.set(key, value) : client.set(key, value, 'EX', ttlSeconds));
      },
      memory: (store) => store.set(key, value, ttlSeconds),
    });
    this.metrics.sets += 1;
  }

  /** @returns how many of the keys existed. */
  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const removed = await this.executor.write({
      name: 'del',
      idempotent: true,
      redis: (client) => client.del(...keys),
      memory: (store) => store.del(keys),
    });
    this.metrics.deletes += 1;
    return removed;
  }

  async exists(key: string): Promise<boolean> {
    return this.executor.read({
      name: 'exists',
      redis: async (client) => (await client.exists(key)) === 1,
      memory: (store) => store.exists(key),
    });
  }

  /** Seconds left: -2 when the key is missing, -1 when it has no expiry. */
  async ttl(key: string): Promise<number> {
    return this.executor.read({ name: 'ttl', redis: (client) => client.ttl(key), memory: (store) => store.ttl(key) });
  }

  /**
   * Adds `by` (default 1) to an integer value and returns the result.
   * @throws RedisCommandRejectedError when the value is not an integer.
   */
  async incr(key: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`incr: "by" must be a safe integer, got ${by}`);
    return this.executor.write({
      name: 'incr',
      redis: (client) => client.incrby(key, by),
      memory: (store) => store.incr(key, by),
    });
  }

  /** @returns whether the key existed. */
  async expire(key: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    return this.executor.write({
      name: 'expire',
      idempotent: true,
      redis: async (client) => (await client.expire(key, ttlSeconds)) === 1,
      memory: (store) => store.expire(key, ttlSeconds),
    });
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
    if (hit) this.metrics.hits += 1;
    else this.metrics.misses += 1;
  }
}

function assertTtl(ttlSeconds: number | undefined): void {
  if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
  }
}
