import { Logger } from '@nestjs/common';
import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { ResolvedSentinelOptions } from '../../options/resolved-redis-options.interface';
import { askNode } from '../ask-node';
import { dialledAddress } from '../dialled-address';
import type { RedisConnections } from '../redis-connections';
import { plannedSwitchover, type SwitchoverResult, type SwitchoverTarget } from './planned-switchover';
import { SwitchoverRefusedError } from '../../errors/switchover-refused.error';
import { SinglePrimaryTopology } from './single-primary-topology';
import { replicationView } from './replication-view';
import { SentinelWatch } from './sentinel-watch';
import { quorumFrom } from './sentinel-votes';
import type { GroupDescription, NodeAnswer, QuorumCheck, ReplicationView, TopologyObserver } from './topology-views';

/** A Sentinel-managed group: the primary is whoever a majority of the sentinels names. */
export class SentinelTopology extends SinglePrimaryTopology {
  readonly mode = 'sentinel';
  readonly failsOver = true;
  readonly groupName: string;
  readonly failoverHoldMs: number;
  private readonly watcher: SentinelWatch;

  constructor(
    private readonly options: ResolvedSentinelOptions,
    connections: RedisConnections,
    probeTimeoutMs: number,
  ) {
    super(connections, probeTimeoutMs);
    this.groupName = options.sentinel.masterName;
    this.failoverHoldMs = options.sentinel.writeHoldMs;
    this.watcher = new SentinelWatch(options, connections, new Logger('RedisModule'), probeTimeoutMs);
  }

  failoverPossible(): boolean {
    return this.connections.sentinels.some((sentinel) => sentinel.commands.status === 'ready');
  }

  knownPrimary(): RedisNodeAddress | null {
    return this.watcher.knownPrimary;
  }

  describe(): GroupDescription {
    return {
      masterName: this.groupName,
      sentinels: this.options.sentinel.sentinels.map(({ host, port }) => ({ host, port })),
    };
  }

  watch(observer: TopologyObserver): Promise<void> {
    return this.watcher.start(observer);
  }

  unwatch(): void {
    this.watcher.stop();
  }

  followPrimary(primary: RedisNodeAddress): Promise<void> {
    return this.watcher.followPrimary(primary);
  }

  askSentinels(command: string, ...args: string[]): Promise<NodeAnswer[]> {
    return Promise.all(
      this.connections.sentinels.map(async ({ address, label, commands }) => {
        const started = performance.now();
        const answer = await askNode(commands, this.probeTimeoutMs, command, ...args);
        const latencyMs = answer === null ? null : Math.round((performance.now() - started) * 1000) / 1000;
        return { address, label, answer, latencyMs };
      }),
    );
  }

  async replication(): Promise<ReplicationView> {
    const [info, listed] = await Promise.all([
      this.askPrimary('INFO', 'replication'),
      this.askSentinels('SENTINEL', 'REPLICAS', this.groupName),
    ]);
    const fromSentinel = listed.find(({ answer }) => answer !== null && !(answer instanceof Error))?.answer ?? null;
    return replicationView(info, this.knownPrimary() ?? { host: '', port: 0 }, fromSentinel);
  }

  async quorum(): Promise<QuorumCheck> {
    const answers = await this.askSentinels('SENTINEL', 'CKQUORUM', this.groupName);
    return quorumFrom(answers.map(({ answer }) => answer));
  }

  switchover({ timings, expectedPrimary, shard }: SwitchoverTarget = {}): Promise<SwitchoverResult> {
    if (shard !== undefined) {
      return Promise.reject(new SwitchoverRefusedError('not-cluster', 'a shard is named only in Cluster mode'));
    }
    return plannedSwitchover(
      {
        masterName: this.groupName,
        sentinels: this.connections.sentinels,
        probeTimeoutMs: this.probeTimeoutMs,
        openNode: (address) => this.connections.nodeClient(dialledAddress(this.options, address), 'switchover'),
      },
      timings,
      expectedPrimary,
    );
  }
}
