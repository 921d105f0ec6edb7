import { RedisModuleError } from './redis-module.error';

/**
 * An idempotency key's claim was applied on the primary but not confirmed by enough replicas in
 * time: a failover now could lose it and let a retry run the request a second time. The claim is
 * released and the request is not run; retry later.
 */
export class RedisIdempotencyNotReplicatedError extends RedisModuleError {
  readonly code = 'REDIS_IDEMPOTENCY_NOT_REPLICATED';

  constructor(
    readonly acknowledged: number,
    readonly required: number,
  ) {
    super(`an idempotency key's claim: ${acknowledged} of ${required} replica(s) confirmed in time`);
  }
}
