import { RedisModuleError } from './redis-module.error';

/**
 * The command was sent but no answer came within the command timeout. It may or may not have
 * been applied: retry only what is safe to apply twice.
 */
export class RedisOutcomeUnknownError extends RedisModuleError {
  readonly code = 'REDIS_OUTCOME_UNKNOWN';
}
