import { Injectable } from '@nestjs/common';
import { RedisMetrics } from '../metrics/redis-metrics';
import { ReplicaReadGate } from '../client/replica-read.gate';
import { RedisTopology } from '../client/topology/redis-topology';
import type { SentinelView } from '../client/topology/topology-views';
import { FailoverTracker } from '../failover/failover.tracker';
import { FallbackStores } from '../fallback/fallback-stores';
import { RedisExecutor } from '../executor/redis-executor';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import type { RedisClusterView } from './redis-cluster.view';
import { RedisConfigAdvisor } from './redis-config.advisor';

/**
 * Collects the detailed view of the Redis group for `GET /health/redis` (with the advisor's
 * `warnings`) and the replication and sentinel gauges: every question asked in parallel, each
 * bounded (never longer than 750 ms). `inspect()` reuses a view for a second, concurrent callers
 * sharing one collection, so a burst of probes costs the cluster one round of questions; metrics
 * read `latest()`, which never waits on a collection once there is a view.
 */
@Injectable()
export class RedisClusterInspector {
  /** The latest collection started, and the latest one completed. */
  private cached?: { at: number; view: Promise<RedisClusterView> };
  private completed?: { at: number; view: Promise<RedisClusterView> };
  private lastRate = { at: Date.now(), calls: 0, opsPerSecond: 0 };

  constructor(
    private readonly topology: RedisTopology,
    private readonly tracker: FailoverTracker,
    private readonly executor: RedisExecutor,
    private readonly memory: FallbackStores,
    private readonly metrics: RedisMetrics,
    private readonly advisor: RedisConfigAdvisor,
    private readonly readGate: ReplicaReadGate,
  ) {}

  /**
   * The view, at most `maxAgeMs` old (0: a fresh one); concurrent callers share one collection.
   * Never throws: what did not answer is shown as such.
   */
  inspect(maxAgeMs: number = REDIS_DEFAULTS.clusterViewCacheMs): Promise<RedisClusterView> {
    if (!this.cached || Date.now() - this.cached.at >= maxAgeMs) this.collectNow();
    return this.cached!.view;
  }

  /**
   * The latest complete view, without waiting once there is one: when it is older than `maxAgeMs`,
   * a fresh one is collected for later callers. So metrics scrapes read a view at most `maxAgeMs`
   * plus one scrape interval old, and a scrape never waits on a fan-out to every node.
   */
  latest(maxAgeMs: number): Promise<RedisClusterView> {
    if (!this.completed) return this.inspect(maxAgeMs);
    if (Date.now() - this.cached!.at >= maxAgeMs) this.collectNow();
    return this.completed.view;
  }

  private collectNow(): void {
    const collection = { at: Date.now(), view: this.collect() };
    this.cached = collection;
    void collection.view.then(() => {
      if (!this.completed || this.completed.at < collection.at) this.completed = collection;
    });
  }

  private async collect(): Promise<RedisClusterView> {
    const [replication, sentinels, quorum, warnings] = await Promise.all([
      this.topology.replication(),
      this.topology.askSentinels('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.topology.groupName),
      this.topology.quorum(),
      this.advisor.advise(),
    ]);
    const snapshot = this.tracker.snapshot();
    return {
      mode: this.topology.mode,
      collectedAt: new Date().toISOString(),
      primary: replication.primary,
      replicas: replication.replicas,
      reads: this.readGate.status(),
      sentinels: sentinels.map(({ address, answer, latencyMs }): SentinelView => {
        const reachable = answer !== null && !(answer instanceof Error);
        return {
          host: address.host,
          port: address.port,
          reachable,
          latencyMs: reachable ? latencyMs : null,
          primary: namedPrimary(answer),
        };
      }),
      quorum,
      cluster: this.topology.describeCluster(),
      failover: {
        count: snapshot.failoverCount,
        lastFailoverAt: snapshot.lastFailover?.at.toISOString() ?? null,
        lastDurationMs: snapshot.lastFailover?.durationMs ?? null,
        history: snapshot.history,
      },
      performance: {
        readLatencyP99Ms: this.metrics.p99Ms('read'),
        writeLatencyP99Ms: this.metrics.p99Ms('write'),
        opsPerSecond: this.opsPerSecond(),
      },
      fallback: {
        active: this.executor.degraded,
        entries: this.memory.size,
        since: this.executor.degradedSince?.toISOString() ?? null,
      },
      warnings,
    };
  }

  /** Redis calls per second since the previous collection. */
  private opsPerSecond(): number {
    const now = Date.now();
    const calls = this.metrics.calls;
    if (now > this.lastRate.at) {
      const rate = ((calls - this.lastRate.calls) * 1000) / (now - this.lastRate.at);
      this.lastRate = { at: now, calls, opsPerSecond: Math.round(rate * 10) / 10 };
    }
    return this.lastRate.opsPerSecond;
  }
}

/** `SENTINEL GET-MASTER-ADDR-BY-NAME`'s `[host, port]`, or null (no answer, an error, or a nil for an unknown name). */
function namedPrimary(answer: unknown): RedisNodeAddress | null {
  if (!Array.isArray(answer) || answer.length !== 2) return null;
  const port = Number(answer[1]);
  return Number.isInteger(port) ? { host: String(answer[0]), port } : null;
}
