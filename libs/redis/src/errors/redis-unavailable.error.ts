import { RedisModuleError } from './redis-module.error';

/**
 * Redis could not be reached (connection down, circuit open) and the in-memory fallback is off.
 * The operation was not sent, so it was definitely not applied.
 */
export class RedisUnavailableError extends RedisModuleError {
  readonly code = 'REDIS_UNAVAILABLE';
}
