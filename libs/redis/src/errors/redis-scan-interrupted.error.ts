import { RedisModuleError } from './redis-module.error';

/**
 * A multi-page `SCAN` could not finish on one node: the connection to the primary changed between
 * pages (a failover, a reconnect) every time it was started over. Nothing partial was returned; try
 * again once the group is stable.
 */
export class RedisScanInterruptedError extends RedisModuleError {
  readonly code = 'REDIS_SCAN_INTERRUPTED';
}
