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

/** What the module knows about Redis right now. Contains no secrets. */
export interface RedisStatus {
  mode: 'standalone' | 'sentinel';
  /** The write client has a ready connection. */
  connected: boolean;
  /** Calls are served from memory (or refused, without fallback) because Redis is unreachable. */
  degraded: boolean;
  fallbackEnabled: boolean;
  metrics: RedisMetricsSnapshot;
  /** Present in Sentinel mode. */
  sentinel?: SentinelStatus;
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
    const group = this.topology.describe();
    if (group) {
      const snapshot = this.tracker.snapshot();
      status.sentinel = {
        enabled: true,
        masterName: group.masterName,
        sentinels: group.sentinels,
        currentMaster: snapshot.currentMaster,
        failoverCount: snapshot.failoverCount,
        lastFailover: snapshot.lastFailover?.at.toISOString() ?? null,
        history: snapshot.history.map((record) => ({ ...record, at: record.at.toISOString() })),
      };
    }
    return status;
  }
}
