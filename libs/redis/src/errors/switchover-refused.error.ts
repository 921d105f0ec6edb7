import { RedisModuleError } from './redis-module.error';

/**
 * A planned switchover was refused before anything changed (Sentinel quorum not reached, no replica
 * in sync, not in Sentinel mode), or could not complete; the message says which.
 */
export class SwitchoverRefusedError extends RedisModuleError {
  readonly code = 'REDIS_SWITCHOVER_REFUSED';
}
