import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { RedisClient } from './redis-client';
import { askNode } from './ask-node';
import { logEvent } from '../common/log-event';
import { parseInfo } from '../common/redis-replies';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { PrimaryOffsetHistory } from './primary-offset-history';
import { RedisConnections } from './redis-connections';

/** Where reads go, and why; shown by `/health/redis`. */
export interface ReplicaReadStatus {
  /** `replica`: reads go to the replica below; `primary`: to the primary. */
  from: 'replica' | 'primary';
  /** The replica the read client is connected to; null when there is none (no replica reads, or not connected). */
  replica: RedisNodeAddress | null;
  /** Its estimated lag behind the primary, in ms; null when unknown. */
  lagMs: number | null;
  /** Why reads skip that replica; null when they use it, or when reads never go to a replica. */
  skipped: string | null;
  /** When the replica was last checked (ISO time); null before the first check. */
  checkedAt: string | null;
}

/**
 * Decides whether reads may go to the read client's replica. Every 500 ms it asks the replica and
 * the primary for `INFO replication`: the replica is used only while it is a replica with its link
 * to the primary up (`master_link_status:up`) and lags by at most `replicaMaxLagMs`. Otherwise reads
 * go to the primary, so a replica cut off from its primary never serves stale data however long
 * the cut lasts. Before the first check, reads go to the primary. Nothing to decide without
 * replica reads (standalone mode, or `readFromReplicas` off).
 *
 * In Cluster mode with `scaleReads` `slave` or `all`, reads go to the read client, which picks a
 * shard's replica itself; nothing is checked (the setting accepts reads that may be stale).
 */
@Injectable()
export class ReplicaReadGate implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisModule');
  private readonly maxLagMs: number;
  private readonly timeoutMs: number;
  private readonly offsets = new PrimaryOffsetHistory(REDIS_DEFAULTS.replicaLagSamples);
  private usable: RedisClient | null = null;
  private current: ReplicaReadStatus = { from: 'primary', replica: null, lagMs: null, skipped: null, checkedAt: null };
  private timer?: NodeJS.Timeout;
  private checking = false;
  /** Cluster reads from replicas: ioredis picks them, unchecked. */
  private unchecked = false;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) options: ResolvedRedisOptions,
    private readonly connections: RedisConnections,
  ) {
    this.maxLagMs = options.mode === 'sentinel' ? options.sentinel.replicaMaxLagMs : 0;
    if (options.mode === 'cluster' && connections.read !== connections.write) {
      this.usable = connections.read;
      this.current = { from: 'replica', replica: null, lagMs: null, skipped: null, checkedAt: null };
      this.unchecked = true;
    }
    this.timeoutMs = Math.min(options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
  }

  async onModuleInit(): Promise<void> {
    if (!this.readsFromReplica || this.unchecked) return;
    await this.connections.connect();
    await this.check();
    // A read client that (re)connects, possibly to another replica, is judged at once.
    this.connections.read.on('ready', () => void this.check());
    this.timer = setInterval(() => void this.check(), REDIS_DEFAULTS.replicaCheckIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The read client when reads may go to its replica now; null: read from the primary. */
  replica(): RedisClient | null {
    return this.usable !== null && this.usable.status === 'ready' ? this.usable : null;
  }

  /** Where reads go, and why. */
  status(): ReplicaReadStatus {
    return this.replica() === null && this.current.from === 'replica'
      ? { ...this.current, from: 'primary', skipped: 'the read client is not connected' }
      : this.current;
  }

  private get readsFromReplica(): boolean {
    return this.connections.read !== this.connections.write;
  }

  /** One check of the replica's role, link and lag against the primary's offset. */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { read, write } = this.connections;
      if (read.status !== 'ready') {
        // Not a verdict on the replica: the client's own state logging tells about the connection.
        this.usable = null;
        this.current = { ...this.current, from: 'primary', lagMs: null, skipped: 'the read client is not connected' };
        return;
      }
      const [replicaReply, primaryReply] = await Promise.all([
        askNode(read, this.timeoutMs, 'INFO', 'replication'),
        askNode(write, this.timeoutMs, 'INFO', 'replication'),
      ]);
      const now = performance.now();
      if (typeof primaryReply === 'string') {
        const primary = parseInfo(primaryReply);
        if (primary.role === 'master') this.offsets.record(now, Number(primary.master_repl_offset));
      }
      const replica = typeof replicaReply === 'string' ? parseInfo(replicaReply) : null;
      const lagMs = replica ? this.offsets.lagMs(Number(replica.slave_repl_offset), now) : null;
      this.decide(read, replica, lagMs);
    } finally {
      this.checking = false;
    }
  }

  private decide(read: RedisClient, replica: Record<string, string> | null, lagMs: number | null): void {
    const skipped = whySkip(replica, lagMs, this.maxLagMs);
    const firstCheck = this.current.checkedAt === null;
    const wasSkipped = this.usable === null;
    this.usable = skipped === null ? read : null;
    this.current = {
      from: skipped === null ? 'replica' : 'primary',
      replica: remoteAddress(read),
      lagMs,
      skipped,
      checkedAt: new Date().toISOString(),
    };
    if (skipped !== null && (firstCheck || !wasSkipped)) {
      this.logger.warn(logEvent('redis.replica-skipped', { reason: skipped }, `reads go to the primary: ${skipped}`));
    } else if (skipped === null && wasSkipped && !firstCheck) {
      this.logger.log(logEvent('redis.replica-used', { lagMs }, 'reads go to the replica again'));
    }
  }
}

/** Why a replica must not serve reads, or null when it may. */
function whySkip(replica: Record<string, string> | null, lagMs: number | null, maxLagMs: number): string | null {
  if (replica === null) return 'the replica did not answer INFO replication';
  if (replica.role !== 'slave')
    return `the read client is on a ${replica.role ?? 'node of unknown role'}, not a replica`;
  if (replica.master_link_status !== 'up') return `master_link_status:${replica.master_link_status ?? 'unknown'}`;
  if (lagMs === null) return 'its lag is unknown (the primary did not answer INFO replication)';
  if (lagMs > maxLagMs) return `it lags the primary by ${lagMs} ms, more than the ${maxLagMs} ms allowed`;
  return null;
}

function remoteAddress(client: RedisClient): RedisNodeAddress | null {
  if (!('stream' in client)) return null;
  const host = client.stream?.remoteAddress?.replace(/^::ffff:/, '');
  const port = client.stream?.remotePort;
  return host && port ? { host, port } : null;
}
