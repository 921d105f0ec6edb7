import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Subscription } from 'rxjs';
import { RedisMetrics } from '../metrics/redis-metrics';
import { FailoverTracker } from '../failover/failover.tracker';
import { FallbackStores } from '../fallback/fallback-stores';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisClusterInspector } from './redis-cluster.inspector';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** Seconds; a Sentinel failover takes down-after plus a few seconds. */
const FAILOVER_BUCKETS = [0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60];

/**
 * Adds the state of the Redis layer to {@link RedisMetrics.registry}: failovers (count and
 * duration, as the failover tracker saw them), the fallback (active, entries), and replication,
 * sentinel reachability and quorum, and the cluster's state, coverage and shards (from the inspector's latest view, at most 10 s plus one scrape interval
 * old: a scrape never asks every node itself). Failover and fallback values are read when scraped,
 * so they always agree with `RedisStatusService`.
 */
@Injectable()
export class RedisStateMetrics implements OnModuleInit, OnApplicationShutdown {
  private subscription?: Subscription;

  constructor(
    private readonly metrics: RedisMetrics,
    private readonly tracker: FailoverTracker,
    private readonly executor: RedisExecutor,
    private readonly memory: FallbackStores,
    private readonly inspector: RedisClusterInspector,
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
  ) {}

  onModuleInit(): void {
    const { registry } = this.metrics;
    const { tracker, executor, memory, inspector } = this;
    const nodeLabel = (node: RedisNodeAddress, position: number): string =>
      this.options.metrics.nodeLabels ? formatAddress(node) : String(position);
    new Counter({
      name: 'redis_failovers_total',
      help: 'Primary changes seen since start (a +switch-master, the change found by polling, or a shard primary replaced in Cluster mode).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(tracker.snapshot().failoverCount);
      },
    });
    const duration = new Histogram({
      name: 'redis_failover_duration_seconds',
      help: 'From the first sign of trouble (+sdown, +odown, +try-failover; a shard primary unreachable or failing) to the switch.',
      buckets: FAILOVER_BUCKETS,
      registers: [registry],
    });
    this.subscription = tracker.failovers$.subscribe((failover) => {
      if (failover.durationMs !== null) duration.observe(failover.durationMs / 1000);
    });
    new Gauge({
      name: 'redis_fallback_active',
      help: '1 while calls are served from the in-memory fallback (or refused, with it off), else 0.',
      registers: [registry],
      collect() {
        this.set(executor.degraded ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_connected_replicas',
      help: 'Replicas connected to the primary, as the primary reports them (absent when it does not answer).',
      registers: [registry],
      async collect() {
        const { primary } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        if (primary) this.set(primary.connectedReplicas);
      },
    });
    new Gauge({
      name: 'redis_replication_lag_seconds',
      help: 'Seconds since each replica last acknowledged the replication stream.',
      labelNames: ['replica'] as const,
      registers: [registry],
      async collect() {
        const { replicas } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        replicas.forEach((replica, position) => {
          if (replica.lagSeconds !== null) this.set({ replica: nodeLabel(replica, position) }, replica.lagSeconds);
        });
      },
    });
    new Gauge({
      name: 'redis_sentinel_reachable',
      help: '1 when the sentinel answered a PING in time, else 0.',
      labelNames: ['sentinel'] as const,
      registers: [registry],
      async collect() {
        const { sentinels } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        sentinels.forEach((s, position) => this.set({ sentinel: nodeLabel(s, position) }, s.reachable ? 1 : 0));
      },
    });
    new Gauge({
      name: 'redis_sentinel_quorum_ok',
      help: 'Sentinel mode: 1 while SENTINEL CKQUORUM is OK (a failover can be authorised), else 0 (absent outside Sentinel mode).',
      registers: [registry],
      async collect() {
        const { quorum } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        if (quorum) this.set(quorum.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_cluster_state_ok',
      help: 'Cluster mode: 1 while cluster_state is ok, 0 when it is fail (absent outside Cluster mode, or before an answer).',
      registers: [registry],
      async collect() {
        const { cluster } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        if (cluster && cluster.state !== 'unknown') this.set(cluster.state === 'ok' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'redis_cluster_slots_covered',
      help: 'Cluster mode: slots (of 16384) served by a primary that is not failed.',
      registers: [registry],
      async collect() {
        const { cluster } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        if (cluster && cluster.state !== 'unknown') this.set(cluster.slotsCovered);
      },
    });
    new Gauge({
      name: 'redis_cluster_shard_replicas',
      help: 'Cluster mode: replicas of each shard (by its slot ranges) that are not failed.',
      labelNames: ['shard'] as const,
      registers: [registry],
      async collect() {
        const { cluster } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        for (const shard of cluster?.shards ?? []) {
          this.set({ shard: shard.id }, shard.replicas.filter((replica) => !replica.health.startsWith('fail')).length);
        }
      },
    });
    new Gauge({
      name: 'redis_cluster_replica_lag_bytes',
      help: "Cluster mode: bytes of its shard primary's replication stream each replica has not got yet.",
      labelNames: ['shard', 'replica'] as const,
      registers: [registry],
      async collect() {
        const { cluster } = await inspector.latest(REDIS_DEFAULTS.metricsViewMaxAgeMs);
        this.reset();
        let position = 0;
        for (const shard of cluster?.shards ?? []) {
          for (const replica of shard.replicas) {
            const label = nodeLabel(replica, position++);
            if (replica.offsetLagBytes !== null) this.set({ shard: shard.id, replica: label }, replica.offsetLagBytes);
          }
        }
      },
    });
    new Gauge({
      name: 'redis_fallback_entries',
      help: 'Entries held by each part of the in-memory fallback (cache, sessions).',
      labelNames: ['namespace'] as const,
      registers: [registry],
      collect() {
        for (const namespace of ['cache', 'sessions'] as const) this.set({ namespace }, memory.of(namespace).size);
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
