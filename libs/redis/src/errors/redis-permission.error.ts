import { RedisModuleError } from './redis-module.error';

/**
 * The configured user lacks a permission the module needs (Redis answered `NOPERM`). This is a
 * configuration problem, reported as such instead of as "unreachable".
 */
export class RedisPermissionError extends RedisModuleError {
  readonly code = 'REDIS_NOPERM';
}
