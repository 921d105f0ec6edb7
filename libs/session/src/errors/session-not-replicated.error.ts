import { RedisModuleError } from '@sentinel-kit/redis';

/**
 * The primary applied the write, but fewer replicas than required confirmed it in time: it may be
 * lost if the primary fails now. Not a silent success: the caller decides (retry, or tell the user).
 */
export class SessionNotReplicatedError extends RedisModuleError {
  readonly code = 'SESSION_NOT_REPLICATED';

  constructor(
    operation: string,
    readonly confirmedBy: number,
    readonly required: number,
    timeoutMs: number,
  ) {
    super(
      `${operation}: applied on the primary but confirmed by ${confirmedBy} of ${required} required replica(s) within ${timeoutMs} ms; it may be lost in a failover`,
    );
  }
}
