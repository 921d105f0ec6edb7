import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RedisConnections } from '../client/redis-connections';
import { logEvent } from '../common/log-event';
import { withTimeout } from '../common/with-timeout';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import type { SentinelEvent } from './failover.interfaces';
import { FailoverTracker } from './failover.tracker';

/** Sentinel events that are bad news (warn); the others say a problem is over (log). */
const WARNING_EVENTS = new Set(['+sdown', '+odown', '+try-failover', '+tilt']);

/**
 * One structured log line per state change of a Sentinel group (see `logEvent`): every sentinel
 * event once (however many sentinels report it), each primary change with `from`, `to` and its
 * duration, and Sentinel quorum lost or regained (`SENTINEL CKQUORUM`, checked periodically).
 * Connection and degradation changes are logged where they happen, in the same format.
 */
@Injectable()
export class RedisEventLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RedisModule');
  private readonly subscriptions: Subscription[] = [];
  private quorumTimer?: NodeJS.Timeout;
  /** Last quorum state seen; undefined until the first answer. */
  private quorumOk?: boolean;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly tracker: FailoverTracker,
    private readonly connections: RedisConnections,
  ) {}

  onModuleInit(): void {
    if (this.options.mode !== 'sentinel') return;
    const master = this.options.sentinel.masterName;
    this.subscriptions.push(
      this.tracker.events$.subscribe((event) => this.logSentinelEvent(event)),
      this.tracker.failovers$.subscribe((failover) =>
        this.logger.warn(
          logEvent(
            'redis.switch-master',
            {
              master,
              from: failover.from ? formatAddress(failover.from) : null,
              to: formatAddress(failover.to),
              durationMs: failover.durationMs,
              source: failover.source,
            },
            `primary of "${master}" moved to ${formatAddress(failover.to)}`,
          ),
        ),
      ),
    );
    this.quorumTimer = setInterval(() => void this.checkQuorum(), REDIS_DEFAULTS.quorumCheckIntervalMs);
    this.quorumTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.quorumTimer);
    this.subscriptions.forEach((subscription) => subscription.unsubscribe());
  }

  private logSentinelEvent(event: SentinelEvent): void {
    const line = logEvent(
      `sentinel.${event.type}`,
      { detail: event.message, reportedBy: formatAddress(event.reportedBy) },
      `Sentinel ${event.type} ${event.message}`,
    );
    if (WARNING_EVENTS.has(event.type)) this.logger.warn(line);
    else this.logger.log(line);
  }

  /** Asks every sentinel; logs only when the answer changes. */
  private async checkQuorum(): Promise<void> {
    if (this.options.mode !== 'sentinel') return;
    const master = this.options.sentinel.masterName;
    const timeoutMs = Math.min(this.options.commandTimeoutMs, REDIS_DEFAULTS.healthProbeTimeoutMs);
    const answers = await Promise.all(
      this.connections.sentinels
        .filter((s) => s.commands.status === 'ready')
        .map((s) =>
          withTimeout(s.commands.call('SENTINEL', 'CKQUORUM', master), timeoutMs).then(
            () => ({ ok: true, reason: '' }),
            (error: Error) => ({ ok: false, reason: error.message }),
          ),
        ),
    );
    const ok = answers.some((answer) => answer.ok);
    if (ok === this.quorumOk) return;
    const first = this.quorumOk === undefined;
    this.quorumOk = ok;
    if (!ok) {
      const reason = answers.find((a) => /^NOQUORUM|^ERR/.test(a.reason))?.reason ?? 'no sentinel answered';
      this.logger.warn(
        logEvent(
          'sentinel.quorum-lost',
          { master, reason },
          `Sentinel quorum for "${master}" is lost: no failover can be authorised`,
        ),
      );
    } else if (!first) {
      this.logger.log(
        logEvent('sentinel.quorum-regained', { master }, `Sentinel quorum for "${master}" is reached again`),
      );
    }
  }
}
