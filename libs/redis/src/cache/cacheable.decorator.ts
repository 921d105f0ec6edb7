import { Inject } from '@nestjs/common';
import { replaceMethod } from '../common/replace-method';
import { RedisCachedLoader, type CachedLoadOptions } from './cached-loader';
import { RedisCacheService } from './redis-cache.service';

/** A value, or a function of the method's arguments that gives it. */
type FromArgs<A extends unknown[], T> = T | ((...args: A) => T);

/** What `@Cacheable` caches a method's result under, and how. */
export interface CacheableOptions<A extends unknown[]> extends Omit<CachedLoadOptions, 'tags'> {
  /** The cache key. */
  key: FromArgs<A, string>;
  /** Tags that `@CacheEvict({ tags })` invalidates the result by. */
  tags?: FromArgs<A, string[]>;
}

/** What `@CacheEvict` removes once the method succeeded. */
export interface CacheEvictOptions<A extends unknown[]> {
  /** A key to delete. */
  key?: FromArgs<A, string>;
  /** Tags whose values to invalidate (every value cached with one of them). */
  tags?: FromArgs<A, string[]>;
}

/** Where the decorators have Nest inject the services into the instance. */
const LOADER = Symbol('RedisCachedLoader');
const CACHE = Symbol('RedisCacheService');

/**
 * Caches the method's result (JSON) under `key` (see `RedisCachedLoader`): one call per key across
 * every instance on a miss, the others waiting for its result; stale values served while one call
 * refreshes them (`staleWhileRevalidateMs`) or when the refresh fails (`staleIfErrorMs`);
 * invalidation by `tags`. A class Nest instantiates, on the global `RedisModule`.
 *
 * @example
 * @Cacheable({ key: (id: string) => `product:${id}`, ttlMs: 60_000, tags: (id: string) => [`product:${id}`],
 *   staleWhileRevalidateMs: 300_000, staleIfErrorMs: 3_600_000 })
 * findProduct(id: string): Promise<Product> { … }
 */
export function Cacheable<A extends unknown[]>(options: CacheableOptions<A>): MethodDecorator {
  const inject = Inject(RedisCachedLoader);
  return (target, property, descriptor: PropertyDescriptor) => {
    inject(target, LOADER);
    const method = descriptor.value as (...args: A) => Promise<unknown>;
    replaceMethod(descriptor, function (this: Record<symbol, RedisCachedLoader>, ...args: A) {
      const loader = needs(this[LOADER], '@Cacheable', property);
      return loader.load(evaluate(options.key, args), () => method.apply(this, args), {
        ...options,
        tags: options.tags === undefined ? undefined : evaluate(options.tags, args),
      });
    });
  };
}

/** Once the method succeeded, deletes `key` and invalidates `tags` (see `@Cacheable`). */
export function CacheEvict<A extends unknown[]>(options: CacheEvictOptions<A>): MethodDecorator {
  const injectLoader = Inject(RedisCachedLoader);
  const injectCache = Inject(RedisCacheService);
  return (target, property, descriptor: PropertyDescriptor) => {
    injectLoader(target, LOADER);
    injectCache(target, CACHE);
    const method = descriptor.value as (...args: A) => Promise<unknown>;
    replaceMethod(descriptor, async function (this: Record<symbol, never>, ...args: A) {
      const result = await method.apply(this, args);
      if (options.key !== undefined) {
        await needs<RedisCacheService>(this[CACHE], '@CacheEvict', property).del(evaluate(options.key, args));
      }
      if (options.tags !== undefined) {
        await needs<RedisCachedLoader>(this[LOADER], '@CacheEvict', property).evictTags(evaluate(options.tags, args));
      }
      return result;
    });
  };
}

function evaluate<A extends unknown[], T>(value: FromArgs<A, T>, args: A): T {
  return typeof value === 'function' ? (value as (...args: A) => T)(...args) : value;
}

function needs<T>(service: T | undefined, decorator: string, property: string | symbol): T {
  if (!service) throw new Error(`${decorator} on ${String(property)}: the class must be a provider Nest instantiates`);
  return service;
}
