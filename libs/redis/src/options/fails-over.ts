import type { ResolvedRedisOptions } from './resolved-redis-options.interface';

/**
 * Whether a failover can replace the primary of this deployment (Sentinel, Cluster), for
 * defaults decided before the module starts (the sessions' durability). Running code asks
 * `RedisTopology.failsOver` instead.
 */
export function failsOver(options: ResolvedRedisOptions): boolean {
  return options.mode !== 'standalone';
}
