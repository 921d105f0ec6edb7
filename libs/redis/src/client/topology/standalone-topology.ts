import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { ResolvedStandaloneOptions } from '../../options/resolved-redis-options.interface';
import type { RedisConnections } from '../redis-connections';
import type { SwitchoverResult } from './planned-switchover';
import { SinglePrimaryTopology } from './single-primary-topology';
import { replicationView } from './replication-view';
import type { NodeAnswer, ReplicationView } from './topology-views';

/** One configured node: no sentinels, no failover, nothing to watch. */
export class StandaloneTopology extends SinglePrimaryTopology {
  readonly mode = 'standalone';
  readonly groupName = '';
  readonly failsOver = false;
  readonly failoverHoldMs = 0;

  constructor(
    private readonly options: ResolvedStandaloneOptions,
    connections: RedisConnections,
    probeTimeoutMs: number,
  ) {
    super(connections, probeTimeoutMs);
  }

  failoverPossible(): boolean {
    return false;
  }

  knownPrimary(): RedisNodeAddress {
    return this.options.node;
  }

  describe(): null {
    return null;
  }

  watch(): Promise<void> {
    return Promise.resolve();
  }

  unwatch(): void {}

  followPrimary(): Promise<void> {
    return Promise.resolve();
  }

  askSentinels(): Promise<NodeAnswer[]> {
    return Promise.resolve([]);
  }

  async replication(): Promise<ReplicationView> {
    return replicationView(await this.askPrimary('INFO', 'replication'), this.options.node);
  }

  quorum(): Promise<null> {
    return Promise.resolve(null);
  }

  switchover(): Promise<SwitchoverResult> {
    return Promise.reject(new SwitchoverRefusedError('not-sentinel', 'a switchover needs Sentinel or Cluster mode'));
  }
}
