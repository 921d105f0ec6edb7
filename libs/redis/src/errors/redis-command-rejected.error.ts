import { RedisModuleError } from './redis-module.error';

/**
 * Redis answered with an error (`READONLY`, `NOREPLICAS`, `WRONGTYPE`, …): the command was
 * definitely not applied. `redisCode` is the first word of Redis' reply.
 */
export class RedisCommandRejectedError extends RedisModuleError {
  readonly code = 'REDIS_COMMAND_REJECTED';

  constructor(
    message: string,
    readonly redisCode: string,
  ) {
    super(message);
  }
}
