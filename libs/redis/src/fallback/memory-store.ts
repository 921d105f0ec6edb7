import { LRUCache } from 'lru-cache';
import { RedisCommandRejectedError } from '../errors/redis-command-rejected.error';

/**
 * The bounded in-memory store that serves while Redis is unreachable: least recently used entries
 * are evicted past `maxEntries` (and past `maxBytes`, when given: keys and values counted as the
 * two bytes per character JavaScript strings take), and entries expire like Redis keys. Its answers follow Redis'
 * (`ttl` returns -2 for a missing key, -1 for one without expiry), so callers need not branch.
 */
export class MemoryStore {
  private readonly cache: LRUCache<string, string>;

  /**
   * @param clock time source in milliseconds (tests pass a fake one).
   * @param maxBytes bound on the size of keys and values together; none when undefined.
   */
  constructor(maxEntries: number, clock: { now(): number } = performance, maxBytes?: number) {
    // ttlResolution 0: read the clock at each check instead of caching it for a millisecond
    // behind a timer; exact expiry (the rate limiters' twins count in milliseconds) for a clock read.
    this.cache = new LRUCache<string, string>({
      max: maxEntries,
      perf: clock,
      ttlResolution: 0,
      ...(maxBytes === undefined ? {} : { maxSize: maxBytes, sizeCalculation: entryBytes }),
    });
  }

  /** Number of live entries. */
  get size(): number {
    return this.cache.size;
  }

  get(key: string): string | null {
    return this.cache.get(key) ?? null;
  }

  /** @param ttlSeconds expiry; none when undefined. */
  set(key: string, value: string, ttlSeconds?: number): void {
    this.cache.set(key, value, { ttl: ttlSeconds === undefined ? 0 : ttlSeconds * 1000 });
  }

  /** @returns how many of `keys` existed. */
  del(keys: readonly string[]): number {
    return keys.filter((key) => this.cache.delete(key)).length;
  }

  exists(key: string): boolean {
    return this.cache.has(key);
  }

  /** Seconds left: -2 when missing, -1 when it never expires. */
  ttl(key: string): number {
    const remaining = this.pttl(key);
    return remaining < 0 ? remaining : Math.round(remaining / 1000);
  }

  /** Milliseconds left: -2 when missing, -1 when it never expires. */
  pttl(key: string): number {
    if (!this.cache.has(key)) return -2;
    const remaining = this.cache.getRemainingTTL(key);
    return Number.isFinite(remaining) ? Math.round(remaining) : -1;
  }

  /** @returns whether the key existed. */
  expire(key: string, ttlSeconds: number): boolean {
    const value = this.cache.get(key);
    if (value === undefined) return false;
    this.cache.set(key, value, { ttl: ttlSeconds * 1000 });
    return true;
  }

  /**
   * Adds `by` to an integer value, keeping its expiry; a missing key counts as 0.
   * @throws RedisCommandRejectedError when the value is not an integer, as Redis would.
   */
  incr(key: string, by: number): number {
    const current = this.cache.get(key);
    if (current !== undefined && !/^-?\d+$/.test(current)) {
      throw new RedisCommandRejectedError('incr: ERR value is not an integer or out of range', 'ERR');
    }
    const next = Number(current ?? '0') + by;
    const remaining = this.cache.getRemainingTTL(key);
    this.cache.set(key, String(next), { ttl: current !== undefined && Number.isFinite(remaining) ? remaining : 0 });
    return next;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** What an entry costs in memory, about: two bytes per character of its key and value. */
function entryBytes(value: string, key: string): number {
  return Math.max(1, (key.length + value.length) * 2);
}
