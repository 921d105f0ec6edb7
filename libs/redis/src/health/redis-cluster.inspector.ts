import { Inject, Injectable } from '@nestjs/common';
import { RedisMetrics } from '../metrics/redis-metrics';
import { RedisConnections } from '../client/redis-connections';
import { ReplicaReadGate } from '../client/replica-read.gate';
import type { SentinelConnection } from '../client/sentinel-client.factory';
import { connectedReplicas, pairsToRecord, parseInfo } from '../common/redis-replies';
import { FailoverTracker } from '../failover/failover.tracker';
import { FallbackStores } from '../fallback/fallback-stores';
import { RedisExecutor } from '../executor/redis-executor';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { askNode } from '../common/ask-node';
import type { PrimaryView, RedisClusterView, ReplicaView, SentinelView } from './redis-cluster.view';
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
  private readonly timeoutMs: number;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly connections: RedisConnections,
    private readonly tracker: FailoverTracker,
    private readonly executor: RedisExecutor,
    private readonly memory: FallbackStores,
    private readonly metrics: RedisMetrics,
    private readonly advisor: RedisConfigAdvisor,
    private readonly readGate: ReplicaReadGate,
  ) {
    this.timeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  }

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
    const sentinelMode = this.options.mode === 'sentinel';
    const [info, sentinels, sentinelReplicas, quorum, warnings] = await Promise.all([
      askNode(this.connections.write, this.timeoutMs, 'INFO', 'replication'),
      Promise.all(this.connections.sentinels.map((sentinel) => this.pingSentinel(sentinel))),
      sentinelMode ? this.askSentinels('REPLICAS') : Promise.resolve(null),
      sentinelMode ? this.checkQuorum() : Promise.resolve(null),
      this.advisor.advise(),
    ]);
    const replication = typeof info === 'string' ? parseInfo(info) : null;
    const snapshot = this.tracker.snapshot();
    return {
      mode: this.options.mode,
      collectedAt: new Date().toISOString(),
      primary: replication ? this.primaryView(replication) : null,
      replicas: mergeReplicas(replication, sentinelReplicas),
      reads: this.readGate.status(),
      sentinels,
      quorum,
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

  private primaryView(replication: Record<string, string>): PrimaryView {
    const address =
      this.options.mode === 'standalone'
        ? this.options.node
        : (this.tracker.snapshot().currentMaster ?? { host: '', port: 0 });
    return {
      host: address.host,
      port: address.port,
      role: replication.role ?? 'unknown',
      connectedReplicas: Number(replication.connected_slaves ?? 0),
      replicationOffset: Number(replication.master_repl_offset ?? 0),
    };
  }

  private async pingSentinel({ address, commands }: SentinelConnection): Promise<SentinelView> {
    const started = performance.now();
    const answer = await askNode(commands, this.timeoutMs, 'PING');
    const reachable = answer === 'PONG';
    return {
      host: address.host,
      port: address.port,
      reachable,
      latencyMs: reachable ? Math.round((performance.now() - started) * 1000) / 1000 : null,
    };
  }

  /** `SENTINEL <subcommand> <master>` from the first sentinel that answers. */
  private async askSentinels(subcommand: string): Promise<unknown> {
    const answers = await Promise.all(
      this.connections.sentinels.map((s) =>
        askNode(s.commands, this.timeoutMs, 'SENTINEL', subcommand, this.masterName()),
      ),
    );
    return answers.find((answer) => answer !== null && !(answer instanceof Error)) ?? null;
  }

  private async checkQuorum(): Promise<{ ok: boolean; message: string }> {
    const answers = await Promise.all(
      this.connections.sentinels.map((s) =>
        askNode(s.commands, this.timeoutMs, 'SENTINEL', 'CKQUORUM', this.masterName()),
      ),
    );
    const ok = answers.find((answer) => typeof answer === 'string');
    if (ok) return { ok: true, message: String(ok) };
    const refusal = answers.find((answer): answer is Error => answer instanceof Error);
    return { ok: false, message: refusal?.message ?? 'no sentinel answered' };
  }

  private masterName(): string {
    return this.options.mode === 'sentinel' ? this.options.sentinel.masterName : '';
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

/** Replicas as sentinels list them (Sentinel mode) or as the primary lists them, with the primary's lag figures. */
function mergeReplicas(replication: Record<string, string> | null, fromSentinel: unknown): ReplicaView[] {
  const primaryOffset = Number(replication?.master_repl_offset ?? 0);
  const connected = new Map(
    connectedReplicas(replication ?? {}).map((r) => [
      `${r.host}:${r.port}`,
      { lag: r.lagSeconds, offset: r.offset, online: r.online },
    ]),
  );
  const listed = Array.isArray(fromSentinel)
    ? (fromSentinel as string[][]).map((flat) => {
        const fields = pairsToRecord(flat);
        const flags = (fields.flags ?? '').split(',');
        return {
          host: fields.ip,
          port: Number(fields.port),
          up:
            fields['master-link-status'] === 'ok' &&
            !flags.some((f) => ['s_down', 'o_down', 'disconnected'].includes(f)),
          priority: fields['slave-priority'] === undefined ? null : Number(fields['slave-priority']),
        };
      })
    : [...connected.keys()].map((key) => {
        const [host, port] = key.split(':');
        return { host, port: Number(port), up: true, priority: null };
      });
  return listed.map(({ host, port, up, priority }) => {
    const seen = connected.get(`${host}:${port}`);
    return {
      host,
      port,
      role: 'replica',
      linkStatus: up && seen?.online !== false ? 'up' : 'down',
      lagSeconds: seen ? seen.lag : null,
      offsetLagBytes: seen ? Math.max(0, primaryOffset - seen.offset) : null,
      priority,
    };
  });
}
