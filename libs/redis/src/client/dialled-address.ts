import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';

/**
 * The address to dial for a node the sentinels announce at `announced`: its entry in `natMap`, or
 * the announced address itself. Keys are `host:port`, IPv6 without brackets, as ioredis writes them.
 */
export function dialledAddress(options: ResolvedRedisOptions, announced: RedisNodeAddress): RedisNodeAddress {
  return options.natMap[`${announced.host}:${announced.port}`] ?? announced;
}
