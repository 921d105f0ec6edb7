import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';

/** Reconnect quickly at first, then every second at most, and never give up. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.max(0, attempt - 1), 1000);
}

/** How long a connection may wait for any byte while commands are pending before it is torn down. */
export function stalledSocketTimeout(options: ResolvedRedisOptions): number {
  return options.commandTimeoutMs * REDIS_DEFAULTS.stalledSocketTimeouts;
}
