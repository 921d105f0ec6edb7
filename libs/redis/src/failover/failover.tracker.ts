import { Subject, type Observable } from 'rxjs';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import { REDIS_DEFAULTS } from '../redis.constants';
import type { FailoverRecord, FailoverSnapshot, SentinelEvent, SentinelEventChannel } from './failover.interfaces';
import { REDIS_FAILOVER_CHANNEL } from '../tracing/redis-channels';

/** Events whose first sighting for the current master starts the failover clock. */
const TROUBLE = new Set<SentinelEventChannel>(['+sdown', '+odown', '+try-failover']);

/** Tracker tuning. */
export interface FailoverTrackerOptions {
  historySize?: number;
  dedupWindowMs?: number;
  /** Cluster mode: how long a shard's sign of trouble may precede the failover it is timed from. */
  troubleMemoryMs?: number;
  now?: () => number;
}

/**
 * Turns sentinel events, reported by every sentinel, into one account of the group: the current
 * master, a failover count that rises once per real switch, the last failover with its duration,
 * and a bounded history. Events are published on {@link events$}, switches on {@link failovers$}.
 *
 * @example
 * tracker.failovers$.subscribe((f) => logger.warn(`primary moved to ${f.to.host}:${f.to.port}`));
 */
export class FailoverTracker {
  private readonly eventsSubject = new Subject<SentinelEvent>();
  private readonly failoversSubject = new Subject<FailoverRecord>();
  private readonly recent = new Map<string, number>();
  private readonly history: FailoverRecord[] = [];
  private readonly historySize: number;
  private readonly dedupWindowMs: number;
  private readonly troubleMemoryMs: number;
  private readonly now: () => number;
  private currentMaster: RedisNodeAddress | null = null;
  private failoverCount = 0;
  private troubleSince: number | null = null;
  /** Cluster mode: each shard's primary, and since when it is in trouble. */
  private readonly shardPrimaries = new Map<string, RedisNodeAddress>();
  private readonly shardTroubleSince = new Map<string, number>();

  /** De-duplicated sentinel events about this master (and TILT notices). */
  readonly events$: Observable<SentinelEvent> = this.eventsSubject.asObservable();
  /** One record per change of primary. */
  readonly failovers$: Observable<FailoverRecord> = this.failoversSubject.asObservable();

  constructor(
    private readonly masterName: string,
    options: FailoverTrackerOptions = {},
  ) {
    this.historySize = options.historySize ?? REDIS_DEFAULTS.failoverHistorySize;
    this.dedupWindowMs = options.dedupWindowMs ?? REDIS_DEFAULTS.eventDedupWindowMs;
    this.troubleMemoryMs = options.troubleMemoryMs ?? REDIS_DEFAULTS.clusterTroubleMemoryMs;
    this.now = options.now ?? Date.now;
  }

  /** The current state. */
  snapshot(): FailoverSnapshot {
    return {
      currentMaster: this.currentMaster,
      failoverCount: this.failoverCount,
      lastFailover: this.history.at(-1) ?? null,
      history: [...this.history],
    };
  }

  /**
   * Feeds one message received on a sentinel channel. Messages about other masters are ignored;
   * the same text (up to a `#…` annotation) on the same channel within the de-duplication window
   * counts once.
   */
  handleEvent(type: SentinelEventChannel, message: string, reportedBy: RedisNodeAddress): void {
    if (!this.concernsOurMaster(type, message)) return;
    const now = this.now();
    // `+odown … #quorum 2/2` and `… #quorum 3/2` from two sentinels are one event: the `#` part is each sentinel's own count.
    if (this.isDuplicate(`${type} ${message.replace(/ #.*$/, '')}`, now)) return;
    if (type === '+switch-master') {
      const [, oldHost, oldPort, newHost, newPort] = message.split(' ');
      const changed = this.recordMaster({ host: newHost, port: Number(newPort) }, 'switch-master', {
        host: oldHost,
        port: Number(oldPort),
      });
      if (!changed) return;
    } else if (TROUBLE.has(type) && message.startsWith(`master ${this.masterName} `) && this.troubleSince === null) {
      this.troubleSince = now;
    }
    this.eventsSubject.next({ type, message, reportedBy, at: new Date(now) });
  }

  /**
   * Records the master the sentinels name when asked directly. The first call sets the starting
   * point; later calls count a failover when the answer differs (a `+switch-master` was missed).
   *
   * @returns whether this was a change of primary.
   */
  observeMaster(address: RedisNodeAddress): boolean {
    if (this.currentMaster === null) {
      this.currentMaster = address;
      return false;
    }
    return this.recordMaster(address, 'poll', this.currentMaster);
  }

  /** Cluster mode: the first sign of trouble with shard `shard`'s primary starts its failover clock. */
  observeShardTrouble(shard: string): void {
    if (!this.shardTroubleSince.has(shard)) this.shardTroubleSince.set(shard, this.now());
  }

  /**
   * Cluster mode: records the primary shard `shard` has now. The first call for a shard sets its
   * starting point; a different primary later counts as a failover of that shard, timed from its
   * first sign of trouble (within the last `troubleMemoryMs`).
   */
  observeShardPrimary(shard: string, primary: RedisNodeAddress): void {
    const known = this.shardPrimaries.get(shard);
    this.shardPrimaries.set(shard, primary);
    if (known === undefined || sameAddress(known, primary)) {
      // The cluster names a dead primary until it marks it failed: trouble is forgotten only once
      // it is too old to belong to the next failover.
      const since = this.shardTroubleSince.get(shard);
      if (since !== undefined && this.now() - since > this.troubleMemoryMs) this.shardTroubleSince.delete(shard);
      return;
    }
    const since = this.shardTroubleSince.get(shard);
    this.shardTroubleSince.delete(shard);
    this.record({
      at: new Date(this.now()),
      from: known,
      to: primary,
      durationMs: since === undefined ? null : this.now() - since,
      source: 'cluster',
      shard,
    });
  }

  /** Completes the observables. */
  close(): void {
    this.eventsSubject.complete();
    this.failoversSubject.complete();
  }

  private recordMaster(to: RedisNodeAddress, source: FailoverRecord['source'], from: RedisNodeAddress | null): boolean {
    if (this.currentMaster && sameAddress(this.currentMaster, to)) return false;
    const now = this.now();
    this.currentMaster = to;
    this.record({
      at: new Date(now),
      from,
      to,
      durationMs: this.troubleSince === null ? null : now - this.troubleSince,
      source,
      shard: null,
    });
    this.troubleSince = null;
    return true;
  }

  private record(failover: FailoverRecord): void {
    this.failoverCount += 1;
    this.history.push(failover);
    if (this.history.length > this.historySize) this.history.shift();
    this.failoversSubject.next(failover);
    if (REDIS_FAILOVER_CHANNEL.hasSubscribers) REDIS_FAILOVER_CHANNEL.publish(failover);
  }

  private concernsOurMaster(type: SentinelEventChannel, message: string): boolean {
    if (type === '+tilt' || type === '-tilt') return true;
    if (type === '+switch-master') return message.split(' ')[0] === this.masterName;
    // `<type> <name> <ip> <port>` for the master, `… @ <master-name> <ip> <port>` for the others.
    const words = message.split(' ');
    const at = words.indexOf('@');
    return at >= 0 ? words[at + 1] === this.masterName : words[0] === 'master' && words[1] === this.masterName;
  }

  private isDuplicate(key: string, now: number): boolean {
    for (const [seenKey, seenAt] of this.recent) {
      if (now - seenAt > this.dedupWindowMs) this.recent.delete(seenKey);
    }
    if (this.recent.has(key)) return true;
    this.recent.set(key, now);
    return false;
  }
}

function sameAddress(a: RedisNodeAddress, b: RedisNodeAddress): boolean {
  return a.host === b.host && a.port === b.port;
}
