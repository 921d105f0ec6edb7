import { Inject, Injectable } from '@nestjs/common';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** The keys of one namespace (e.g. `session:`) under the application's prefix. */
export interface KeyNamespace {
  /** `<REDIS_KEY_PREFIX><namespace>`: for scripts that build keys from ids, and for `SCAN` patterns. */
  readonly prefix: string;
  /** The stored name of `id` in this namespace. */
  key(id: string): string;
}

/**
 * The only place that applies `REDIS_KEY_PREFIX`: every key and channel the toolkit's services use
 * is built here (a string concatenation, as cheap as before). Cluster mode will add hash tags here.
 *
 * @example
 * const sessions = keyspace.namespace('session:');
 * sessions.key(id); // 'app:session:<id>'
 */
@Injectable()
export class RedisKeyspace {
  private readonly prefix: string;

  constructor(@Inject(REDIS_RESOLVED_OPTIONS) options: ResolvedRedisOptions) {
    this.prefix = options.keyPrefix;
  }

  /** The stored name of a key (or channel) named by the application: `<REDIS_KEY_PREFIX><name>`. */
  key(name: string): string {
    return this.prefix + name;
  }

  /** The keys under `namespace` (which ends with its separator, e.g. `session:`). */
  namespace(namespace: string): KeyNamespace {
    const prefix = this.prefix + namespace;
    return { prefix, key: (id) => prefix + id };
  }
}
