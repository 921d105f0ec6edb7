import { RedisModuleError } from './redis-module.error';

/**
 * The lock is no longer the caller's: it expired (and may have been granted to someone else, with a
 * higher fence), or was released. Work done under it must not be committed without a fence check.
 */
export class RedisLockLostError extends RedisModuleError {
  readonly code = 'REDIS_LOCK_LOST';

  constructor(
    readonly lockName: string,
    readonly fence: number,
    reason: string,
  ) {
    super(`lock "${lockName}" (fence ${fence}) is lost: ${reason}`);
  }
}
