import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { SENTINEL_EVENT_CHANNELS } from '../redis.constants';

/** A sentinel event channel the tracker listens to, e.g. `+switch-master`. */
export type SentinelEventChannel = (typeof SENTINEL_EVENT_CHANNELS)[number];

/** One sentinel event, after de-duplication across sentinels. */
export interface SentinelEvent {
  /** The channel, e.g. `+odown`. */
  readonly type: SentinelEventChannel;
  /** The event text as the sentinel published it. */
  readonly message: string;
  /** The first sentinel that reported it. */
  readonly reportedBy: RedisNodeAddress;
  /** When it was first received. */
  readonly at: Date;
}

/** One change of primary. */
export interface FailoverRecord {
  /** When the change was observed. */
  readonly at: Date;
  /** The previous primary, when known. */
  readonly from: RedisNodeAddress | null;
  /** The new primary. */
  readonly to: RedisNodeAddress;
  /**
   * From the first sign of trouble (`+sdown`, `+odown`, `+try-failover`; in Cluster mode, the
   * shard's primary unreachable or failing) to the switch; null when none was seen.
   */
  readonly durationMs: number | null;
  /**
   * How it was learnt: a `+switch-master` message, the periodic query of the sentinels, or the
   * cluster's slot map (`CLUSTER SHARDS`, asked periodically and after every `MOVED`).
   */
  readonly source: 'switch-master' | 'poll' | 'cluster';
  /** Cluster mode: the shard whose primary changed, by its slot ranges (e.g. `0-5460`); null otherwise. */
  readonly shard: string | null;
}

/** What the tracker knows now. */
export interface FailoverSnapshot {
  readonly currentMaster: RedisNodeAddress | null;
  readonly failoverCount: number;
  readonly lastFailover: FailoverRecord | null;
  /** Most recent last, bounded. */
  readonly history: readonly FailoverRecord[];
}
