import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { logEvent } from '../common/log-event';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisScript } from '../client/redis-script';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import { RedisMetrics } from '../metrics/redis-metrics';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { RedisCacheService } from './redis-cache.service';

/** How a loaded value is cached. */
export interface CachedLoadOptions {
  /** How long the value is fresh, in ms. */
  ttlMs: number;
  /** Tags that `evictTags` invalidates the value by. */
  tags?: readonly string[];
  /** After `ttlMs`, how long the stale value is still served while one caller reloads it. @default 0 */
  staleWhileRevalidateMs?: number;
  /** After `ttlMs`, how long the stale value is served when reloading it fails. @default 0 */
  staleIfErrorMs?: number;
  /** How long a caller waits for another instance's load of the same key before loading itself. @default 5000 */
  waitMs?: number;
}

/** A cached value with the moments it turns stale and expires, and the versions of its tags. */
interface Envelope {
  v: unknown;
  /** Fresh until (epoch ms). */
  f: number;
  /** Servable while revalidating until (epoch ms). */
  r: number;
  /** Servable when a reload fails until (epoch ms). */
  e: number;
  /** Its tags' versions when it was loaded. */
  t: (string | null)[];
}

/** How often a waiting caller looks for the value another instance is loading. */
const POLL_MS = 25;
/** How long one instance may hold a key's load before another may load it too. */
const LOAD_CLAIM_MS = 10_000;
/** Gives a load's claim back if this instance still holds it. */
const UNCLAIM = new RedisScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

/**
 * Cache-aside loading with the guarantees of a shared cache (see `@Cacheable`): one load per key
 * across every instance (a short claim in Redis; the others wait for its result or serve stale),
 * stale-while-revalidate and stale-if-error windows, and invalidation by tag without `SCAN` (each
 * tag has a version; a value remembers the versions it was loaded under). Through the degradation
 * contract: while Redis cannot answer, values come from and go to the in-memory fallback (when on)
 * and loads are shared within this instance only.
 */
@Injectable()
export class RedisCachedLoader {
  private readonly logger = new Logger('RedisCache');
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Tells this instance's claims from the others'. */
  private readonly token = randomBytes(12).toString('base64url');
  private readonly fallback: boolean;

  constructor(
    private readonly cache: RedisCacheService,
    private readonly executor: RedisExecutor,
    private readonly metrics: RedisMetrics,
    private readonly keyspace: RedisKeyspace,
    @Inject(REDIS_RESOLVED_OPTIONS) options: ResolvedRedisOptions,
  ) {
    this.fallback = options.fallback.enabled;
  }

  /** The cached value of `key`, or `loader`'s, cached as `options` say. */
  async load<T>(key: string, loader: () => Promise<T>, options: CachedLoadOptions): Promise<T> {
    checkOptions(options);
    const tags = options.tags ?? [];
    const [envelope, versions] = await this.read(key, tags);
    const now = Date.now();
    if (envelope && now < envelope.r) {
      this.metrics.cacheHit();
      // Stale, still servable: one caller reloads it in the background.
      if (now >= envelope.f) {
        void this.shared(key, () => this.reload(key, loader, options, versions, envelope)).catch(() => undefined);
      }
      return envelope.v as T;
    }
    this.metrics.cacheMiss();
    return this.shared<T>(key, () => this.reload(key, loader, options, versions, envelope));
  }

  /** Invalidates every value tagged with one of `tags`. */
  async evictTags(tags: readonly string[]): Promise<void> {
    for (const tag of tags) await this.cache.incr(tagKey(tag));
  }

  /** One load per key in this instance at a time; callers of a running one share it. */
  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const started = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /**
   * Loads the value if this instance wins the key's claim; otherwise waits for the winner's value,
   * serving a stale one meanwhile when there is one.
   */
  private async reload<T>(
    key: string,
    loader: () => Promise<T>,
    options: CachedLoadOptions,
    versions: (string | null)[],
    stale: Envelope | null,
  ): Promise<T> {
    if (await this.claim(key)) return this.loadAndStore(key, loader, options, versions, stale);
    if (stale && Date.now() < stale.r) return stale.v as T;
    const deadline = Date.now() + (options.waitMs ?? 5000);
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      const [envelope] = await this.read(key, options.tags ?? []);
      if (envelope && Date.now() < envelope.f) return envelope.v as T;
    }
    // The other instance took too long: load it here too.
    return this.loadAndStore(key, loader, options, versions, stale, false);
  }

  private async loadAndStore<T>(
    key: string,
    loader: () => Promise<T>,
    options: CachedLoadOptions,
    versions: (string | null)[],
    stale: Envelope | null,
    claimed = true,
  ): Promise<T> {
    try {
      if (claimed) {
        // Another instance may have stored it after our read and given its claim back before ours.
        const [current] = await this.read(key, options.tags ?? []);
        if (current && Date.now() < current.f) return current.v as T;
      }
      let value: T;
      try {
        value = await loader();
      } catch (error) {
        if (stale && Date.now() < stale.e) {
          this.logger.warn(
            logEvent('cache.stale-if-error', { key, reason: (error as Error).message }, 'served a stale value'),
          );
          return stale.v as T;
        }
        throw error;
      }
      const now = Date.now();
      const envelope: Envelope = {
        v: value,
        f: now + options.ttlMs,
        r: now + options.ttlMs + (options.staleWhileRevalidateMs ?? 0),
        e: now + options.ttlMs + (options.staleIfErrorMs ?? 0),
        t: versions,
      };
      const ttlSeconds = Math.ceil((Math.max(envelope.r, envelope.e) - now) / 1000);
      await this.cache
        .set(key, JSON.stringify(envelope), ttlSeconds)
        .catch((error: unknown) =>
          this.logger.warn(
            logEvent('cache.store-failed', { key, reason: (error as Error).message }, 'a loaded value was not cached'),
          ),
        );
      return value;
    } finally {
      if (claimed) await this.unclaim(key);
    }
  }

  /** The envelope of `key` (null when absent, or when a tag moved on) and the tags' current versions. */
  private async read(key: string, tags: readonly string[]): Promise<[Envelope | null, (string | null)[]]> {
    const stored = [key, ...tags.map(tagKey)].map((name) => this.keyspace.key(name));
    const { value } = await this.executor.read({
      name: 'cache.load',
      redis: (client) => this.executor.perKeyGroup(stored, (group) => client.mget(group)),
      memory: this.fallback ? (store) => stored.map((name) => store.get(name)) : undefined,
    });
    const [text, ...versions] = value;
    const envelope = text === null ? null : parseEnvelope(text);
    const current = envelope?.t.length === versions.length && envelope.t.every((version, i) => version === versions[i]);
    return [current ? envelope : null, versions];
  }

  /**
   * Claims the key's load across instances. While Redis cannot answer, every instance loads for
   * itself (the cache may then answer from memory anyway).
   */
  private async claim(key: string): Promise<boolean> {
    const claimKey = this.keyspace.key(`cache-load:${key}`);
    const { value } = await this.executor.write({
      name: 'cache.claim-load',
      idempotent: true,
      redis: async (client) => (await client.set(claimKey, this.token, 'PX', LOAD_CLAIM_MS, 'NX')) === 'OK',
      // Without Redis, this instance loads for itself: at worst, a load too many.
      memory: () => true,
      memoryAfterUnknown: true,
    });
    return value;
  }

  /** Gives the claim back, if this instance still holds it. */
  private async unclaim(key: string): Promise<void> {
    const claimKey = this.keyspace.key(`cache-load:${key}`);
    await this.executor
      .write({
        name: 'cache.unclaim-load',
        idempotent: true,
        redis: (client) => UNCLAIM.run(client, [claimKey], [this.token]),
      })
      .catch(() => undefined); // it expires by itself
  }
}

/** The envelope in `text`, or null when it is not one (something else wrote the key): a miss. */
function parseEnvelope(text: string): Envelope | null {
  try {
    const envelope = JSON.parse(text) as Envelope;
    return typeof envelope === 'object' && envelope !== null && Array.isArray(envelope.t) ? envelope : null;
  } catch {
    return null;
  }
}

/** The key of a tag's version. */
function tagKey(tag: string): string {
  return `cache-tag:${tag}`;
}

function checkOptions(options: CachedLoadOptions): void {
  for (const name of ['ttlMs', 'staleWhileRevalidateMs', 'staleIfErrorMs', 'waitMs'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || (name === 'ttlMs' && value < 1000))) {
      throw new RangeError(`${name} must be an integer of ms${name === 'ttlMs' ? ' from 1000' : ''}, got ${value}`);
    }
  }
}
