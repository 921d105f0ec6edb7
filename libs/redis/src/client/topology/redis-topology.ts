import type Redis from 'ioredis';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { PubSubLink, PubSubListener } from '../pubsub/pubsub-link';
import type { SwitchoverResult, SwitchoverTarget } from './planned-switchover';
import type {
  ClusterDescription,
  GroupDescription,
  NodeAnswer,
  QuorumCheck,
  ReplicationView,
  TopologyObserver,
} from './topology-views';

/**
 * The one seam between the module and the shape of the Redis deployment: every question whose
 * answer depends on the mode (standalone or Sentinel; cluster next) is asked here, and nowhere
 * else reads the mode or touches a sentinel connection. Health, metrics, the failover tracker, the
 * executor and the switchover service use only this. Inject it as `RedisTopology`.
 *
 * A standalone topology answers "no sentinels, no failover": no sentinel answers, a null quorum, a
 * hold of 0 ms, and a switchover refused with `not-sentinel`.
 */
export abstract class RedisTopology {
  /** The mode, for output only (`/health`, `/health/redis`, logs); never branch on it. */
  abstract readonly mode: 'standalone' | 'sentinel' | 'cluster';
  /** The name of the group the primary belongs to (the Sentinel master name); empty when none. */
  abstract readonly groupName: string;
  /** Whether a failover can replace the primary, so that settings which lose writes in one matter. */
  abstract readonly failsOver: boolean;
  /** How long a call that cannot reach the primary may wait for a failover to bring one back; 0 when none comes. */
  abstract readonly failoverHoldMs: number;

  /** Whether a failover could name a new primary now (a sentinel answers). */
  abstract failoverPossible(): boolean;

  /** The primary's address as last known (configured, or named by the sentinels); null before it is known. */
  abstract knownPrimary(): RedisNodeAddress | null;

  /** The Sentinel group as configured, for status output; null when there is none. */
  abstract describe(): GroupDescription | null;

  /** The cluster as last seen (shards, state), for status output; null outside Cluster mode. */
  describeCluster(): ClusterDescription | null {
    return null;
  }

  /**
   * Whether the primary takes writes now (in Cluster mode: the cluster is whole and the shard of
   * `key` takes writes), proven by a `SET` of `key` that expires after `ttlMs`. Bounded by the
   * command timeout; never throws. The circuit breaker's recovery probe.
   */
  abstract takesWrites(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Starts watching the group: reports its events and the primary it names to `observer`, and
   * keeps every client that belongs on the primary there. Checks at once that the group and our
   * permissions are sound.
   * @throws RedisPermissionError when a node refuses a command the module depends on (`NOPERM`);
   *   every connection is closed first.
   */
  abstract watch(observer: TopologyObserver): Promise<void>;

  /** Stops watching. */
  abstract unwatch(): void;

  /**
   * One connection to each primary: the write client (standalone, Sentinel), or the cluster
   * client's connection to every shard's primary, for commands about a node's whole data set
   * (`SCAN`) rather than keys.
   */
  abstract primaryNodes(): Redis[];

  /**
   * The positions of `keys` grouped so that one multi-key command (`MGET`, `DEL`) may take each
   * group: one group, or, in Cluster mode, one per hash slot.
   */
  abstract keyGroups(keys: readonly string[]): number[][];

  /**
   * The subscriber connections and publish command of pub/sub in this mode (see `PubSubLink`),
   * reporting to `listener`. Call it once; close the link at shutdown.
   */
  abstract pubSubLink(listener: PubSubListener): PubSubLink;

  /** Moves every client that belongs on the primary to `primary` when it is elsewhere. */
  abstract followPrimary(primary: RedisNodeAddress): Promise<void>;

  /** One bounded diagnostic command on the primary (see `askNode`); never throws. */
  abstract askPrimary(command: string, ...args: string[]): Promise<unknown>;

  /** One bounded diagnostic command on every sentinel, in parallel; never throws. Empty without sentinels. */
  abstract askSentinels(command: string, ...args: string[]): Promise<NodeAnswer[]>;

  /** The primary and its replicas with their lag, each question bounded; never throws. */
  abstract replication(): Promise<ReplicationView>;

  /** Whether the sentinels can authorise a failover (`SENTINEL CKQUORUM`); null without sentinels. */
  abstract quorum(): Promise<QuorumCheck | null>;

  /**
   * A planned change of primary that loses no acknowledged write (see `plannedSwitchover`; in
   * Cluster mode, of one shard: `shardSwitchover`).
   * @throws SwitchoverRefusedError when it cannot run (`not-sentinel` in standalone mode; a shard
   *   named outside Cluster mode, or none in it) or a check fails.
   */
  abstract switchover(target?: SwitchoverTarget): Promise<SwitchoverResult>;
}
