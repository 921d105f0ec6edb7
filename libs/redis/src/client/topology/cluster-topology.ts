import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import type { ResolvedClusterOptions } from '../../options/resolved-redis-options.interface';
import { askNode } from '../ask-node';
import type { RedisConnections } from '../redis-connections';
import { ClusterWatch } from './cluster-watch';
import type { SwitchoverResult } from './planned-switchover';
import { RedisTopology } from './redis-topology';
import { groupsBySlot } from './slot-groups';
import type { ClusterDescription, NodeAnswer, ReplicationView, TopologyObserver } from './topology-views';

/**
 * A Redis Cluster: each shard's primary serves its slots, and the cluster itself promotes a
 * replica when a primary fails. ioredis routes each command to the shard of its keys and follows
 * `MOVED`; this topology watches the shards (see `ClusterWatch`) for health and failover counts.
 */
export class ClusterTopology extends RedisTopology {
  readonly mode = 'cluster';
  readonly groupName = '';
  readonly failsOver = true;
  readonly failoverHoldMs: number;
  private readonly watcher: ClusterWatch;
  private readonly client: Cluster;

  constructor(
    options: ResolvedClusterOptions,
    connections: RedisConnections,
    private readonly probeTimeoutMs: number,
  ) {
    super();
    this.failoverHoldMs = options.cluster.writeHoldMs;
    // In Cluster mode every data client is a Cluster (see createRedisClients).
    this.client = connections.write as Cluster;
    this.watcher = new ClusterWatch(options, this.client, probeTimeoutMs);
  }

  /** The cluster promotes replicas itself; a failover can come while ioredis knows the cluster. */
  failoverPossible(): boolean {
    return this.client.status === 'ready';
  }

  /** A cluster has one primary per shard: see {@link describeCluster}. */
  knownPrimary(): null {
    return null;
  }

  describe(): null {
    return null;
  }

  override describeCluster(): ClusterDescription {
    return this.watcher.description;
  }

  watch(observer: TopologyObserver): Promise<void> {
    return this.watcher.start(observer);
  }

  unwatch(): void {
    this.watcher.stop();
  }

  /** ioredis follows the new primary on the first `MOVED`; the shards are asked for at once. */
  followPrimary(): Promise<void> {
    return this.watcher.check();
  }

  /** One bounded diagnostic command on a node ioredis picks (keyless commands go to any primary). */
  askPrimary(command: string, ...args: string[]): Promise<unknown> {
    return askNode(this.client, this.probeTimeoutMs, command, ...args);
  }

  primaryNodes(): Redis[] {
    return this.client.nodes('master');
  }

  keyGroups(keys: readonly string[]): number[][] {
    return groupsBySlot(keys);
  }

  askSentinels(): Promise<NodeAnswer[]> {
    return Promise.resolve([]);
  }

  /** Each shard's primary and replicas are in {@link describeCluster}. */
  replication(): Promise<ReplicationView> {
    return Promise.resolve({ primary: null, replicas: [] });
  }

  quorum(): Promise<null> {
    return Promise.resolve(null);
  }

  /** The cluster is whole (`cluster_state:ok`) and a `SET` of `key` succeeds on its shard. */
  async takesWrites(key: string, ttlMs: number): Promise<boolean> {
    const info = await askNode(this.client, this.probeTimeoutMs, 'CLUSTER', 'INFO');
    if (typeof info !== 'string' || !/^cluster_state:ok\b/m.test(info)) return false;
    try {
      await this.client.set(key, '1', 'PX', ttlMs);
      return true;
    } catch {
      return false;
    }
  }

  switchover(): Promise<SwitchoverResult> {
    return Promise.reject(new SwitchoverRefusedError('not-sentinel', 'a switchover needs Sentinel mode'));
  }
}
