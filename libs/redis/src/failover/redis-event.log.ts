import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RedisTopology } from '../client/topology/redis-topology';
import { logEvent } from '../common/log-event';
import { formatAddress } from '../options/sentinel-address.parser';
import { REDIS_DEFAULTS } from '../redis.constants';
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
    private readonly tracker: FailoverTracker,
    private readonly topology: RedisTopology,
  ) {}

  /** Standalone mode has no events, failovers or quorum, so nothing is ever logged there. */
  onModuleInit(): void {
    const master = this.topology.groupName;
    this.subscriptions.push(
      this.tracker.events$.subscribe((event) => this.logSentinelEvent(event)),
      this.tracker.failovers$.subscribe((failover) =>
        this.logger.warn(
          logEvent(
            'redis.switch-master',
            {
              ...(failover.shard === null ? { master } : { shard: failover.shard }),
              from: failover.from ? formatAddress(failover.from) : null,
              to: formatAddress(failover.to),
              durationMs: failover.durationMs,
              source: failover.source,
            },
            `primary of ${failover.shard === null ? `"${master}"` : `shard ${failover.shard}`} moved to ${formatAddress(failover.to)}`,
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

  /** Asks the sentinels; logs only when the answer changes. */
  private async checkQuorum(): Promise<void> {
    const quorum = await this.topology.quorum();
    if (!quorum || quorum.ok === this.quorumOk) return;
    const master = this.topology.groupName;
    const first = this.quorumOk === undefined;
    this.quorumOk = quorum.ok;
    if (!quorum.ok) {
      const reason = quorum.message;
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
