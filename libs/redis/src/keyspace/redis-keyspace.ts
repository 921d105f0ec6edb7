import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** The keys of one namespace (e.g. `session:`) under the application's prefix. */
export interface KeyNamespace {
  /** `<REDIS_KEY_PREFIX><namespace>`: for `SCAN` patterns. */
  readonly prefix: string;
  /** The stored name of `id` in this namespace. */
  key(id: string): string;
  /**
   * The stored name of `id` in the cluster slot that `tag` names (`<prefix>{<tag>}<id>`): every key
   * built with the same tag, in any namespace, lives in one slot, so one script may touch them all
   * in Cluster mode. `inSlot(tag, '')` is the prefix of such keys, for scripts that build them.
   */
  inSlot(tag: string, id: string): string;
}

/** How many characters {@link RedisKeyspace.slotTag} returns. */
export const SLOT_TAG_LENGTH = 2;

/**
 * The only place that applies `REDIS_KEY_PREFIX` and chooses hash tags: every key and channel the
 * toolkit's services use is built here (a string concatenation, as cheap as before).
 *
 * Keys that one command or script uses together must share a Redis Cluster slot. They are built
 * with `inSlot` and one tag: the name that groups them (a throttler's key), or the short
 * {@link slotTag} of their owner, when ids must carry it (a session id, which names its user's
 * slot). The same keys are used in every mode, so a deployment can move to a cluster as it is.
 *
 * @example
 * const sessions = keyspace.namespace('session:');
 * sessions.key(id); // 'app:session:<id>'
 * sessions.inSlot(keyspace.slotTag(userId), id); // 'app:session:{Qx}<id>'
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
    return { prefix, key: (id) => prefix + id, inSlot: (tag, id) => `${prefix}{${tag}}${id}` };
  }

  /**
   * A short tag (two URL-safe characters, 4096 values) for everything `owner` (a user id) has in
   * Redis: keys built with it share a slot. It is derived from the owner alone, so it says no more
   * about them than which slot their keys are in.
   */
  slotTag(owner: string): string {
    return createHash('sha256').update(owner).digest('base64url').slice(0, SLOT_TAG_LENGTH);
  }
}
