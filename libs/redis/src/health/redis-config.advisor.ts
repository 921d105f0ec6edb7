import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { RedisTopology } from '../client/topology/redis-topology';
import { logEvent } from '../common/log-event';
import { pairsToRecord } from '../common/redis-replies';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { uncheckedTlsTargets } from '../options/unchecked-tls';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';

/** Below this, a loaded machine sees spurious failovers (see docs/failover.md). */
const MIN_DOWN_AFTER_MS = 2000;
/** Slots in a Redis Cluster. */
const CLUSTER_SLOTS = 16_384;

/**
 * Looks for settings that lose data or cause spurious failovers, and says so: persistence off on
 * the primary (a quick restart comes back empty and wipes the replicas), `min-replicas-to-write 0`
 * (a partitioned primary keeps acknowledging writes that a failover will drop), `down-after` below
 * 2000 ms, a sentinel in TILT mode, in Cluster mode a cluster that is not whole or a shard without
 * a replica, sentinels sharing one id (`SENTINEL MYID`: one config file shared by
 * several sentinels), and TLS without certificate checks (anyone on the path can pose as Redis). Logged once at startup and shown in `GET /health/redis` as `warnings`. A
 * check that cannot run (a renamed `CONFIG`, an unreachable node) is skipped, not reported.
 */
@Injectable()
export class RedisConfigAdvisor implements OnApplicationBootstrap {
  private readonly logger = new Logger('RedisModule');

  constructor(
    private readonly topology: RedisTopology,
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
  ) {}

  /** Logs every warning once, without holding up startup. */
  onApplicationBootstrap(): void {
    void this.advise().then((warnings) =>
      warnings.forEach((warning) => this.logger.warn(logEvent('redis.config-warning', {}, warning))),
    );
  }

  /** Every warning that applies now; each question bounded by 750 ms, asked in parallel. */
  async advise(): Promise<string[]> {
    const [persistence, minReplicas, sentinels] = await Promise.all([
      this.checkPersistence(),
      this.checkMinReplicasToWrite(),
      this.checkSentinels(),
    ]);
    return [...this.checkTls(), ...this.checkCluster(), ...persistence, ...minReplicas, ...sentinels];
  }

  /** Cluster mode, as last seen: the cluster not whole, slots without a primary, a shard without a replica. */
  private checkCluster(): string[] {
    const cluster = this.topology.describeCluster();
    if (!cluster || cluster.state === 'unknown') return [];
    const warnings: string[] = [];
    if (cluster.state !== 'ok') warnings.push('cluster_state is fail: the cluster refuses commands until it is whole');
    if (cluster.slotsCovered < CLUSTER_SLOTS) {
      warnings.push(
        `only ${cluster.slotsCovered} of ${CLUSTER_SLOTS} slots are served by a primary: keys in the others can be neither read nor written`,
      );
    }
    for (const shard of cluster.shards) {
      if (shard.replicas.some((replica) => !replica.health.startsWith('fail'))) continue;
      const primary = shard.primary ? ` (primary ${shard.primary.host}:${shard.primary.port})` : '';
      warnings.push(
        `shard ${shard.id}${primary} has no replica: if its primary fails, its slots stay down until it comes back`,
      );
    }
    return warnings;
  }

  private checkTls(): string[] {
    return uncheckedTlsTargets(this.options).map(
      (whose) =>
        `TLS to ${whose} does not check certificates (REJECT_UNAUTHORIZED false): anyone on the network path can pose as Redis`,
    );
  }

  private async checkPersistence(): Promise<string[]> {
    const [appendonly, save] = await Promise.all([this.configGet('appendonly'), this.configGet('save')]);
    if (appendonly !== 'no' || save !== '') return [];
    return [
      'persistence is off on the primary (appendonly no, save ""): if it restarts before a failover, it comes back empty and its replicas copy the empty data set',
    ];
  }

  /** Only where a failover can replace the primary: elsewhere, no failover discards writes. */
  private async checkMinReplicasToWrite(): Promise<string[]> {
    if (!this.topology.failsOver) return [];
    const value = await this.configGet('min-replicas-to-write');
    if (value !== '0') return [];
    return [
      'min-replicas-to-write is 0 on the primary: cut off from its replicas, it keeps acknowledging writes that a failover then discards',
    ];
  }

  /** None without sentinels. */
  private async checkSentinels(): Promise<string[]> {
    const [masters, infos, myIds] = await Promise.all([
      this.topology.askSentinels('SENTINEL', 'MASTER', this.topology.groupName),
      this.topology.askSentinels('INFO'),
      this.topology.askSentinels('SENTINEL', 'MYID'),
    ]);
    const warnings: string[] = [];
    const ids = new Map<string, string[]>();
    for (const [index, { label, answer: master }] of masters.entries()) {
      const info = infos[index].answer;
      const myId = myIds[index].answer;
      if (Array.isArray(master)) {
        const fields = pairsToRecord(master as string[]);
        const downAfter = Number(fields['down-after-milliseconds']);
        if (downAfter < MIN_DOWN_AFTER_MS) {
          warnings.push(
            `sentinel ${label}: down-after-milliseconds is ${downAfter}; below ${MIN_DOWN_AFTER_MS} a busy machine sees spurious failovers`,
          );
        }
      }
      if (typeof info === 'string' && /^sentinel_tilt:1\r?$/m.test(info)) {
        warnings.push(`sentinel ${label} is in TILT mode: it acts on nothing until its clock is steady for 30 s`);
      }
      if (typeof myId === 'string') ids.set(myId, [...(ids.get(myId) ?? []), label]);
    }
    for (const labels of ids.values()) {
      if (labels.length > 1) {
        warnings.push(
          `sentinels ${labels.join(', ')} share one sentinel id: they were started from one config file; give each sentinel its own writable copy`,
        );
      }
    }
    return warnings;
  }

  private async configGet(parameter: string): Promise<string | undefined> {
    const reply = await this.topology.askPrimary('CONFIG', 'GET', parameter);
    return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined;
  }
}
