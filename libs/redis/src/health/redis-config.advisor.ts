import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnections } from '../client/redis-connections';
import { logEvent } from '../common/log-event';
import { pairsToRecord } from '../common/redis-replies';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { askNode } from '../common/ask-node';

/** Below this, a loaded machine sees spurious failovers (see docs/failover.md). */
const MIN_DOWN_AFTER_MS = 2000;

/**
 * Looks for settings that lose data or cause spurious failovers, and says so: persistence off on
 * the primary (a quick restart comes back empty and wipes the replicas), `min-replicas-to-write 0`
 * (a partitioned primary keeps acknowledging writes that a failover will drop), `down-after` below
 * 2000 ms, a sentinel in TILT mode, and sentinels sharing one id (`SENTINEL MYID`: one config file shared by
 * several sentinels). Logged once at startup and shown in `GET /health/redis` as `warnings`. A
 * check that cannot run (a renamed `CONFIG`, an unreachable node) is skipped, not reported.
 */
@Injectable()
export class RedisConfigAdvisor implements OnApplicationBootstrap {
  private readonly logger = new Logger('RedisModule');
  private readonly timeoutMs: number;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly connections: RedisConnections,
  ) {
    this.timeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  }

  /** Logs every warning once, without holding up startup. */
  onApplicationBootstrap(): void {
    void this.advise().then((warnings) =>
      warnings.forEach((warning) => this.logger.warn(logEvent('redis.config-warning', {}, warning))),
    );
  }

  /** Every warning that applies now; each question bounded by 750 ms, asked in parallel. */
  async advise(): Promise<string[]> {
    const sentinelMode = this.options.mode === 'sentinel';
    const [persistence, minReplicas, sentinels] = await Promise.all([
      this.checkPersistence(),
      sentinelMode ? this.checkMinReplicasToWrite() : Promise.resolve([]),
      sentinelMode ? this.checkSentinels() : Promise.resolve([]),
    ]);
    return [...persistence, ...minReplicas, ...sentinels];
  }

  private async checkPersistence(): Promise<string[]> {
    const [appendonly, save] = await Promise.all([
      this.configGet(this.connections.write, 'appendonly'),
      this.configGet(this.connections.write, 'save'),
    ]);
    if (appendonly !== 'no' || save !== '') return [];
    return [
      'persistence is off on the primary (appendonly no, save ""): if it restarts before Sentinel fails over, it comes back empty and its replicas copy the empty data set',
    ];
  }

  private async checkMinReplicasToWrite(): Promise<string[]> {
    const value = await this.configGet(this.connections.write, 'min-replicas-to-write');
    if (value !== '0') return [];
    return [
      'min-replicas-to-write is 0 on the primary: cut off from its replicas, it keeps acknowledging writes that a failover then discards',
    ];
  }

  private async checkSentinels(): Promise<string[]> {
    if (this.options.mode !== 'sentinel') return [];
    const { masterName } = this.options.sentinel;
    const answers = await Promise.all(
      this.connections.sentinels.map(async ({ label, commands }) => ({
        label,
        master: await askNode(commands, this.timeoutMs, 'SENTINEL', 'MASTER', masterName),
        info: await askNode(commands, this.timeoutMs, 'INFO'),
        myId: await askNode(commands, this.timeoutMs, 'SENTINEL', 'MYID'),
      })),
    );
    const warnings: string[] = [];
    const ids = new Map<string, string[]>();
    for (const { label, master, info, myId } of answers) {
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

  private async configGet(client: Redis, parameter: string): Promise<string | undefined> {
    const reply = await askNode(client, this.timeoutMs, 'CONFIG', 'GET', parameter);
    return Array.isArray(reply) && reply.length >= 2 ? String(reply[1]) : undefined;
  }
}
