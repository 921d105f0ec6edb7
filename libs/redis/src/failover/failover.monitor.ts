import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { RedisTopology } from '../client/topology/redis-topology';
import type { RedisNodeAddress } from '../options/redis-module-options.interface';
import type { SentinelEventChannel } from './failover.interfaces';
import { FailoverTracker } from './failover.tracker';
import { RedisTracing } from '../tracing/redis-tracing';

/**
 * Feeds what the topology sees into the failover tracker, and moves the clients (and traces the
 * failover) when the tracker counts a change of primary: at startup it starts the topology's watch (which checks the group
 * and our permissions), and stops it at shutdown. In standalone mode the watch reports nothing.
 */
@Injectable()
export class FailoverMonitor implements OnModuleInit, OnApplicationShutdown {
  private failoverSubscription?: Subscription;

  constructor(
    private readonly topology: RedisTopology,
    private readonly tracker: FailoverTracker,
    private readonly tracing: RedisTracing,
  ) {}

  /** @throws RedisPermissionError when the group refuses a command the module depends on. */
  async onModuleInit(): Promise<void> {
    this.failoverSubscription = this.tracker.failovers$.subscribe((failover) => {
      void this.topology.followPrimary(failover.to);
      this.tracing.failoverCounted(failover);
    });
    await this.topology.watch({
      sentinelEvent: (channel: string, message: string, reportedBy: RedisNodeAddress) =>
        this.tracker.handleEvent(channel as SentinelEventChannel, message, reportedBy),
      // A change reaches the failover subscription above, which moves the clients.
      primaryNamed: (primary: RedisNodeAddress) => this.tracker.observeMaster(primary),
      shardTrouble: (shard: string) => this.tracker.observeShardTrouble(shard),
      shardPrimaryNamed: (shard: string, primary: RedisNodeAddress) => this.tracker.observeShardPrimary(shard, primary),
    });
  }

  onApplicationShutdown(): void {
    this.topology.unwatch();
    this.failoverSubscription?.unsubscribe();
    this.tracker.close();
  }
}
