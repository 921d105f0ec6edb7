import { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import type { ResolvedClusterOptions } from '../../options/resolved-redis-options.interface';
import { askNode } from '../ask-node';
import type { PubSubLink, PubSubListener } from '../pubsub/pubsub-link';
import { ShardedPubSubLink } from '../pubsub/sharded-pubsub-link';
import type { RedisConnections } from '../redis-connections';
import { ClusterWatch } from './cluster-watch';
import type { SwitchoverResult, SwitchoverTarget } from './planned-switchover';
import { shardSwitchover } from './shard-switchover';
import { dialledAddress } from '../dialled-address';
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
    private readonly options: ResolvedClusterOptions,
    private readonly connections: RedisConnections,
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

  /**
   * ioredis follows the new primary on the first `MOVED` a command gets; every cluster client
   * learns the new slot map at once instead, so that what it does not redirect (a pipeline, or a
   * session write and its `WAIT` sent to the slot's node itself, see `ReplicatedScripts`) goes to
   * the new primary the next time it is sent.
   */
  followPrimary(): Promise<void> {
    for (const client of this.connections.allClients()) {
      if (client instanceof Cluster) client.refreshSlotsCache();
    }
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

  /** Sharded pub/sub: a subscriber connection per shard primary, following the shards as the watch sees them. */
  pubSubLink(listener: PubSubListener): PubSubLink {
    const link = new ShardedPubSubLink(this.options, this.connections, () => this.watcher.description, listener);
    this.watcher.onChecked(() => link.rebalance());
    return link;
  }

  /** A planned change of one shard's primary (see `shardSwitchover`). */
  switchover({ timings, expectedPrimary, shard }: SwitchoverTarget = {}): Promise<SwitchoverResult> {
    if (shard === undefined) {
      return Promise.reject(
        new SwitchoverRefusedError('shard-required', 'name the shard to switch over, by its slot ranges (e.g. 0-5460)'),
      );
    }
    return shardSwitchover(
      {
        shards: async () => {
          await this.watcher.check();
          return this.watcher.description.shards;
        },
        openNode: (address) => this.connections.nodeClient(dialledAddress(this.options, address), 'switchover'),
      },
      shard,
      timings,
      expectedPrimary,
    );
  }
}
