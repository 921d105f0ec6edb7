import { RedisModuleError } from './redis-module.error';

/** Someone else held the lock for as long as the caller would wait (`waitMs`). */
export class RedisLockBusyError extends RedisModuleError {
  readonly code = 'REDIS_LOCK_BUSY';

  constructor(
    readonly lockName: string,
    readonly waitedMs: number,
  ) {
    super(`lock "${lockName}" is held by someone else (waited ${waitedMs} ms)`);
  }
}
