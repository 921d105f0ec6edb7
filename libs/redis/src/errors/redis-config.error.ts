import { RedisModuleError } from './redis-module.error';

/**
 * The configuration (environment or `forRoot` options) is invalid. `issues` holds one
 * `NAME: problem` line per problem, every problem at once.
 */
export class RedisConfigError extends RedisModuleError {
  readonly code = 'REDIS_CONFIG_INVALID';

  constructor(readonly issues: readonly string[]) {
    super(`Invalid Redis configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}
