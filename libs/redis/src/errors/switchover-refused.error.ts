import { RedisModuleError } from './redis-module.error';

/**
 * Why a planned switchover was refused or could not complete:
 * - `not-sentinel`: standalone mode, where there is nothing to switch to;
 * - `not-cluster`: a shard was named outside Cluster mode;
 * - `shard-required`: Cluster mode, and no shard was named;
 * - `unknown-shard`: no shard with a primary serves the slots named;
 * - `in-progress`: another switchover (of any instance) holds the lock;
 * - `cooldown`: one completed less than the cooldown ago;
 * - `unexpected-primary`: the primary is not the one the caller expected;
 * - `no-primary`: no sentinel majority names a primary;
 * - `no-quorum`: `SENTINEL CKQUORUM` fails on every sentinel;
 * - `no-replica-in-sync`: no replica is online and caught up;
 * - `replica-behind`: no replica caught up with the paused primary in time;
 * - `failover-refused`: the sentinel refused `SENTINEL FAILOVER` (e.g. a failover already running),
 *   or the replica refused `CLUSTER FAILOVER`;
 * - `not-switched`: the sentinels (the cluster) did not name a new primary in time.
 */
export type SwitchoverRefusalReason =
  | 'not-sentinel'
  | 'not-cluster'
  | 'shard-required'
  | 'unknown-shard'
  | 'in-progress'
  | 'cooldown'
  | 'unexpected-primary'
  | 'no-primary'
  | 'no-quorum'
  | 'no-replica-in-sync'
  | 'replica-behind'
  | 'failover-refused'
  | 'not-switched';

/**
 * A planned switchover was refused before anything changed, or could not complete; `reason` says
 * which (the message adds details for logs, which may quote a sentinel's reply).
 */
export class SwitchoverRefusedError extends RedisModuleError {
  readonly code = 'REDIS_SWITCHOVER_REFUSED';

  /** @param retryAfterMs for `in-progress` and `cooldown`: when to try again. */
  constructor(
    readonly reason: SwitchoverRefusalReason,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
