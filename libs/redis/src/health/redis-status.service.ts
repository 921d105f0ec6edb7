import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { RedisMetricsSnapshot } from '../metrics/redis-metrics';
import { RedisConnections } from '../client/redis-connections';
import { RedisTopology } from '../client/topology/redis-topology';
import type { FailoverRecord, SentinelEvent } from '../failover/failover.interfaces';
import { FailoverTracker } from '../failover/failover.tracker';
import { RedisExecutor } from '../executor/redis-executor';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** A failover as reported outside the process: times as ISO strings. */
export interface FailoverReport {
  at: string;
  from: RedisNodeAddress | null;
  to: RedisNodeAddress;
  durationMs: number | null;
  source: FailoverRecord['source'];
  shard: string | null;
}

/** Sentinel part of {@link RedisStatus}. */
export interface SentinelStatus {
  enabled: true;
  masterName: string;
  sentinels: RedisNodeAddress[];
  currentMaster: RedisNodeAddress | null;
  failoverCount: number;
  /** ISO time of the last failover, or null. */
  lastFailover: string | null;
  /** Recent failovers, oldest first. */
  history: FailoverReport[];
}

/** One shard of {@link ClusterStatus}. */
export interface ClusterShardStatus {
  /** Null while the shard has no primary that is not failed. */
  primary: RedisNodeAddress | null;
  replicas: RedisNodeAddress[];
  /** Inclusive `[first, last]` slot ranges. */
  slots: [number, number][];
}

/** Cluster part of {@link RedisStatus}. */
export interface ClusterStatus {
  enabled: true;
  /** The configured seed nodes. */
  nodes: RedisNodeAddress[];
  /** `cluster_state` as last seen: `ok`, `fail`, or `unknown` before the cluster answered. */
  state: 'ok' | 'fail' | 'unknown';
  shards: ClusterShardStatus[];
  /** Failovers of any shard's primary since start. */
  failoverCount: number;
  /** ISO time of the last failover, or null. */
  lastFailover: string | null;
  /** Recent failovers (each naming its shard), oldest first. */
  history: FailoverReport[];
}

/** What the module knows about Redis right now. Contains no secrets. */
export interface RedisStatus {
  mode: 'standalone' | 'sentinel' | 'cluster';
  /** The write client has a ready connection. */
  connected: boolean;
  /** Calls are served from memory (or refused, without fallback) because Redis is unreachable. */
  degraded: boolean;
  fallbackEnabled: boolean;
  metrics: RedisMetricsSnapshot;
  /** Present in Sentinel mode. */
  sentinel?: SentinelStatus;
  /** Present in Cluster mode. */
  cluster?: ClusterStatus;
}

/**
 * Read-only view of connection, degradation, metrics and failover state, and the failover events
 * app code can subscribe to.
 *
 * @example
 * status.failovers$.subscribe((f) => audit.record('redis-failover', f));
 */
@Injectable()
export class RedisStatusService {
  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly topology: RedisTopology,
    private readonly connections: RedisConnections,
    private readonly executor: RedisExecutor,
    private readonly tracker: FailoverTracker,
  ) {}

  /** One record per change of primary (Sentinel mode; never emits in standalone mode). */
  get failovers$(): Observable<FailoverRecord> {
    return this.tracker.failovers$;
  }

  /** De-duplicated sentinel events (`+sdown`, `+odown`, `+switch-master`, `+tilt`, …). */
  get sentinelEvents$(): Observable<SentinelEvent> {
    return this.tracker.events$;
  }

  getStatus(): RedisStatus {
    const status: RedisStatus = {
      mode: this.topology.mode,
      connected: this.connections.write.status === 'ready',
      degraded: this.executor.degraded,
      fallbackEnabled: this.options.fallback.enabled,
      metrics: this.executor.metrics.snapshot(),
    };
    const snapshot = this.tracker.snapshot();
    const failovers = {
      failoverCount: snapshot.failoverCount,
      lastFailover: snapshot.lastFailover?.at.toISOString() ?? null,
      history: snapshot.history.map((record) => ({ ...record, at: record.at.toISOString() })),
    };
    const group = this.topology.describe();
    if (group) {
      status.sentinel = {
        enabled: true,
        masterName: group.masterName,
        sentinels: group.sentinels,
        currentMaster: snapshot.currentMaster,
        ...failovers,
      };
    }
    const cluster = this.topology.describeCluster();
    if (cluster) {
      const address = ({ host, port }: RedisNodeAddress): RedisNodeAddress => ({ host, port });
      status.cluster = {
        enabled: true,
        nodes: cluster.nodes,
        state: cluster.state,
        shards: cluster.shards.map((shard) => ({
          primary: shard.primary && address(shard.primary),
          replicas: shard.replicas.map(address),
          slots: shard.slots,
        })),
        ...failovers,
      };
    }
    return status;
  }
}
