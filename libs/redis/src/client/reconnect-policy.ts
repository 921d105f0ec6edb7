import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';

/**
 * Reconnect quickly at first, then every second at most, and never give up: 50 ms doubling to 1 s,
 * each delay drawn between half and all of that ("equal jitter"), so that many clients losing one
 * node do not all come back in the same millisecond.
 *
 * @param attempt one-based, as ioredis counts
 * @param random a draw in [0, 1); injectable for tests
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(50 * 2 ** Math.max(0, attempt - 1), 1000);
  return Math.ceil(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long a connection may wait for any byte while commands are pending before it is torn down. */
export function stalledSocketTimeout(options: ResolvedRedisOptions): number {
  return options.commandTimeoutMs * REDIS_DEFAULTS.stalledSocketTimeouts;
}
