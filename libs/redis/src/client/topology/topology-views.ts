import type { ClusterShard } from './cluster-shards';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';

/** The primary as it describes itself (`INFO replication`). */
export interface PrimaryView {
  host: string;
  port: number;
  role: string;
  connectedReplicas: number;
  replicationOffset: number;
}

/** A replica as the sentinels and the primary see it. */
export interface ReplicaView {
  host: string;
  port: number;
  role: 'replica';
  /** `up` when the replica's link to the primary is up and no sentinel marks it down. */
  linkStatus: 'up' | 'down';
  /** Seconds since the replica last acknowledged the stream (from the primary); null when not connected. */
  lagSeconds: number | null;
  /** Bytes of the replication stream it has not acknowledged yet; null when not connected. */
  offsetLagBytes: number | null;
  /** Sentinel's `replica-priority` (0: never promoted). */
  priority: number | null;
}

/** One configured sentinel. */
export interface SentinelView {
  host: string;
  port: number;
  reachable: boolean;
  /** Round trip of its answer; null when unreachable. */
  latencyMs: number | null;
  /**
   * Its view: the primary it names (`SENTINEL GET-MASTER-ADDR-BY-NAME`), as it announces it; null
   * when it is unreachable or names none.
   */
  primary: RedisNodeAddress | null;
}

/** The primary and its replicas, as they answered; the primary is null when it did not answer in time. */
export interface ReplicationView {
  primary: PrimaryView | null;
  replicas: ReplicaView[];
}

/** `SENTINEL CKQUORUM`: whether the group can authorise a failover, and the answer (or why not). */
export interface QuorumCheck {
  ok: boolean;
  message: string;
}

/** One node's answer to a diagnostic command (see `RedisTopology.askSentinels`). */
export interface NodeAnswer {
  address: RedisNodeAddress;
  /** `host:port`, for messages. */
  label: string;
  /** The reply, the error Redis replied with (an `Error`), or null: not connected, or no answer in time. */
  answer: unknown;
  /** Round trip in ms; null without an answer. */
  latencyMs: number | null;
}

/** The group as configured, for status output; contains no secrets. */
export interface GroupDescription {
  /** The Sentinel master name. */
  masterName: string;
  sentinels: RedisNodeAddress[];
}

/** A cluster as last seen (`CLUSTER SHARDS`, `CLUSTER INFO`); contains no secrets. */
export interface ClusterDescription {
  /** The configured seed nodes. */
  nodes: RedisNodeAddress[];
  /** `cluster_state` of the node that answered: `ok`, `fail`, or `unknown` before any answer. */
  state: 'ok' | 'fail' | 'unknown';
  /** Slots served by a primary that is not failed, of 16384. */
  slotsCovered: number;
  shards: ClusterShard[];
  /** When it was last seen (ISO time); null before any answer. */
  checkedAt: string | null;
}

/**
 * What the topology reports while it watches the group (see `RedisTopology.watch`): the failover
 * tracker's inputs.
 */
export interface TopologyObserver {
  /** A message a sentinel published on one of its event channels (`+sdown`, `+switch-master`, …). */
  sentinelEvent(channel: string, message: string, reportedBy: RedisNodeAddress): void;
  /**
   * The primary the group names when asked (a majority of the sentinels that answered).
   * @returns true when this is a change of primary, which the observer handles (by calling
   *   `RedisTopology.followPrimary`); false when it is the primary already known.
   */
  primaryNamed(primary: RedisNodeAddress): boolean;
  /** Cluster mode: the first sign that shard `shard`'s primary is in trouble (unreachable, failing). */
  shardTrouble(shard: string): void;
  /**
   * Cluster mode: the primary shard `shard` has now. The first call for a shard sets its starting
   * point; a different one later is a failover of that shard.
   */
  shardPrimaryNamed(shard: string, primary: RedisNodeAddress): void;
}
