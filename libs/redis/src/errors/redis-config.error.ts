import { RedisModuleError } from './redis-module.error';

/**
 * The configuration (environment or `forRoot` options) is invalid. `issues` holds one
 * `NAME: problem` line per problem, every problem at once.
 */
export class RedisConfigError extends RedisModuleError {
  readonly code = 'REDIS_CONFIG_INVALID';

  /** @param subject what is configured, for the first line (`Invalid Redis configuration:`). */
  constructor(
    readonly issues: readonly string[],
    subject = 'Redis',
  ) {
    super(`Invalid ${subject} configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}
