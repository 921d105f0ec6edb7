import type Redis from 'ioredis';
import { askNode } from '../ask-node';
import type { PubSubLink, PubSubListener } from '../pubsub/pubsub-link';
import { SingleConnectionPubSubLink } from '../pubsub/single-connection-pubsub-link';
import type { RedisConnections } from '../redis-connections';
import { RedisTopology } from './redis-topology';
import { oneGroup } from './slot-groups';

/**
 * What the standalone and Sentinel topologies share: one primary at a time, reached by the write
 * client, a single connection (see `createRedisClients`) that holds every key.
 */
export abstract class SinglePrimaryTopology extends RedisTopology {
  constructor(
    protected readonly connections: RedisConnections,
    protected readonly probeTimeoutMs: number,
  ) {
    super();
  }

  primaryNodes(): Redis[] {
    return [this.connections.write as Redis];
  }

  keyGroups(keys: readonly string[]): number[][] {
    return oneGroup(keys);
  }

  /** The primary answers `ROLE` as master and the `SET` succeeds. */
  async takesWrites(key: string, ttlMs: number): Promise<boolean> {
    const client = this.connections.write;
    try {
      const [role] = (await client.call('ROLE')) as [string];
      if (role !== 'master') return false;
      await client.set(key, '1', 'PX', ttlMs);
      return true;
    } catch {
      return false;
    }
  }

  /** One subscriber connection to the primary; `PUBLISH` reaches it. */
  pubSubLink(listener: PubSubListener): PubSubLink {
    return new SingleConnectionPubSubLink(this.connections, listener);
  }

  askPrimary(command: string, ...args: string[]): Promise<unknown> {
    return askNode(this.connections.write, this.probeTimeoutMs, command, ...args);
  }
}
