import { RedisModuleError } from './redis-module.error';

/**
 * A lock grant or extension was applied on the primary but fewer replicas than required confirmed it
 * in time, so a failover now could lose it and hand the lock out again. A grant is released again
 * before this is thrown (as far as Redis answers); retry later.
 */
export class RedisLockNotReplicatedError extends RedisModuleError {
  readonly code = 'REDIS_LOCK_NOT_REPLICATED';

  constructor(
    readonly lockName: string,
    readonly acknowledged: number,
    readonly required: number,
    /** The fence of the grant (or of the extended grant) that was not confirmed. */
    readonly fence: number,
  ) {
    super(`lock "${lockName}": ${acknowledged} of ${required} replica(s) confirmed in time`);
  }
}
