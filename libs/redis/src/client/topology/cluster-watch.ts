import { Logger } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import type Redis from 'ioredis';
import { logEvent } from '../../common/log-event';
import { parseInfo } from '../../common/redis-replies';
import type { ResolvedClusterOptions } from '../../options/resolved-redis-options.interface';
import { askNode } from '../ask-node';
import { parseClusterShards, type ClusterShard } from './cluster-shards';
import type { ClusterDescription, TopologyObserver } from './topology-views';

/** Slots in a Redis Cluster. */
const CLUSTER_SLOTS = 16_384;
/** How soon the slot map is asked for again after a sign of trouble, while a shard has no primary. */
const TROUBLE_CHECK_MS = 200;

/**
 * Watches a cluster's shards through the write client: asks `CLUSTER SHARDS` and `CLUSTER INFO`
 * every `topologyCheckIntervalMs`, after every slot-map refresh of ioredis (a `MOVED` reply, a
 * node lost), and every 200 ms while a shard has no primary. Reports each shard's primary and its
 * first sign of trouble (its connection failing or lost, or the cluster marking it failed) to the
 * observer.
 */
export class ClusterWatch {
  private readonly logger = new Logger('RedisModule');
  private observer?: TopologyObserver;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private latest: ClusterDescription;
  private readonly checkedListeners = new Set<() => void>();
  private readonly onRefresh = (): void => this.soon(0);
  private readonly onNodeError = (_error: unknown, key: string): void => this.nodeFailed(key);
  private readonly onNodeLost = (node: Redis): void => this.nodeFailed(`${node.options.host}:${node.options.port}`);

  constructor(
    private readonly options: ResolvedClusterOptions,
    private readonly client: Cluster,
    private readonly timeoutMs: number,
  ) {
    this.latest = {
      nodes: options.cluster.nodes.map(({ host, port }) => ({ host, port })),
      state: 'unknown',
      slotsCovered: 0,
      shards: [],
      checkedAt: null,
    };
  }

  /** The cluster as last seen. */
  get description(): ClusterDescription {
    return this.latest;
  }

  /** Calls `listener` after every look at the cluster that got an answer. */
  onChecked(listener: () => void): void {
    this.checkedListeners.add(listener);
  }

  /** Starts watching: one check now, then on every trigger. */
  async start(observer: TopologyObserver): Promise<void> {
    this.observer = observer;
    this.client.on('refresh', this.onRefresh);
    this.client.on('node error', this.onNodeError);
    this.client.on('-node', this.onNodeLost);
    await this.check();
  }

  stop(): void {
    this.observer = undefined;
    clearTimeout(this.timer);
    this.client.off('refresh', this.onRefresh);
    this.client.off('node error', this.onNodeError);
    this.client.off('-node', this.onNodeLost);
  }

  /** Asks the cluster now (one check at a time); never throws. */
  check(): Promise<void> {
    this.checking ??= this.checkNow().finally(() => {
      this.checking = undefined;
      const troubled = this.latest.state !== 'ok' || this.latest.shards.some((shard) => shard.primary === null);
      this.soon(troubled ? TROUBLE_CHECK_MS : this.options.cluster.topologyCheckIntervalMs);
    });
    return this.checking;
  }

  private soon(delayMs: number): void {
    if (!this.observer) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), delayMs);
    this.timer.unref();
  }

  private async checkNow(): Promise<void> {
    const [shardsReply, infoReply] = await Promise.all([
      askNode(this.client, this.timeoutMs, 'CLUSTER', 'SHARDS'),
      askNode(this.client, this.timeoutMs, 'CLUSTER', 'INFO'),
    ]);
    if (!Array.isArray(shardsReply) || typeof infoReply !== 'string') return;
    const shards = parseClusterShards(shardsReply, this.options.tls !== null);
    const state = parseInfo(infoReply).cluster_state === 'ok' ? 'ok' : 'fail';
    if (state !== this.latest.state && this.latest.state !== 'unknown') {
      this.logger.warn(logEvent('redis.cluster-state', { state }, `cluster state is now ${state}`));
    }
    this.latest = {
      ...this.latest,
      state,
      slotsCovered: covered(shards),
      shards,
      checkedAt: new Date().toISOString(),
    };
    for (const shard of shards) {
      if (shard.primary === null || shard.primary.health !== 'online') this.observer?.shardTrouble(shard.id);
      if (shard.primary !== null) {
        this.observer?.shardPrimaryNamed(shard.id, { host: shard.primary.host, port: shard.primary.port });
      }
    }
    for (const listener of this.checkedListeners) listener();
  }

  /** A node connection failed: when it is a shard's primary, that shard is in trouble. */
  private nodeFailed(key: string): void {
    const shard = this.latest.shards.find(
      ({ primary }) => primary !== null && `${primary.host}:${primary.port}` === this.announcedKey(key),
    );
    if (shard) this.observer?.shardTrouble(shard.id);
    this.soon(0);
  }

  /** The announced `host:port` of the node ioredis dialled as `key` (through `natMap`). */
  private announcedKey(key: string): string {
    const announced = Object.entries(this.options.natMap).find(
      ([, dialled]) => `${dialled.host}:${dialled.port}` === key,
    );
    return announced?.[0] ?? key;
  }
}

/** How many slots the shards with a primary serve. */
function covered(shards: readonly ClusterShard[]): number {
  let slots = 0;
  for (const shard of shards) {
    if (shard.primary === null) continue;
    for (const [from, to] of shard.slots) slots += to - from + 1;
  }
  return Math.min(slots, CLUSTER_SLOTS);
}
