import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis from 'ioredis';
import type { ResolvedClusterOptions } from '../../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS } from '../../redis.constants';
import { attachConnectionStateLogging } from '../connection-state.logger';
import { dialledAddress } from '../dialled-address';
import { nodeConnectionOptions } from '../node-connection-options';
import type { RedisClient } from '../redis-client';
import type { RedisConnections } from '../redis-connections';
import { reconnectDelay } from '../reconnect-policy';
import type { ClusterDescription } from '../topology/topology-views';
import type { PubSubLink, PubSubListener } from './pubsub-link';
import { SubscriberConnection } from './subscriber-connection';
import { guardSocketErrors } from '../socket-error-guard';

/**
 * Sharded pub/sub on a cluster: one subscriber connection per shard primary that has channels,
 * subscribing with `SSUBSCRIBE`; `SPUBLISH` is routed to the channel's shard. When a shard's
 * primary changes (as the cluster watch sees it), its channels move to a connection to the new
 * primary: they are reported lost when the old connection closes, and subscribed once the new one
 * has them. A channel whose shard has no primary yet waits, reported lost. On a server without
 * sharded pub/sub (before Redis 7.0), `SUBSCRIBE` and `PUBLISH` are used instead, which every node
 * hears.
 */
export class ShardedPubSubLink implements PubSubLink {
  private readonly logger = new Logger('RedisPubSub');
  /** By the dialled `host:port` of a shard primary. */
  private readonly subscribers = new Map<string, SubscriberConnection>();
  /** Each channel and the connection it is received on; null while its shard has no primary. */
  private readonly homes = new Map<string, string | null>();
  private readonly pingTimer: NodeJS.Timeout;
  private sharded = true;

  constructor(
    private readonly options: ResolvedClusterOptions,
    private readonly connections: RedisConnections,
    private readonly cluster: () => ClusterDescription,
    private readonly listener: PubSubListener,
  ) {
    this.pingTimer = setInterval(() => {
      for (const subscriber of this.subscribers.values()) void subscriber.check();
    }, REDIS_DEFAULTS.pubsubPingIntervalMs);
    this.pingTimer.unref();
  }

  add(wire: string): void {
    const home = this.primaryOf(wire);
    this.homes.set(wire, home);
    if (home === null) this.listener.lost([wire]);
    else this.subscriber(home).add(wire);
  }

  remove(wire: string): void {
    const home = this.homes.get(wire);
    this.homes.delete(wire);
    if (home) this.leave(home, wire);
  }

  receiving(wire: string): boolean {
    const home = this.homes.get(wire) ?? this.primaryOf(wire);
    return home !== null && this.subscribers.get(home)?.ready === true;
  }

  async publish(client: RedisClient, wire: string, payload: string): Promise<number> {
    if (!this.sharded) return client.publish(wire, payload);
    try {
      return Number(await client.spublish(wire, payload));
    } catch (error) {
      if (!(error instanceof Error) || !/^ERR unknown command/i.test(error.message)) throw error;
      this.sharded = false;
      return client.publish(wire, payload);
    }
  }

  /** Moves every channel whose shard has a new primary; call it after each look at the cluster. */
  rebalance(): void {
    for (const [wire, home] of this.homes) {
      const target = this.primaryOf(wire);
      if (target === home) continue;
      this.homes.set(wire, target);
      // Whatever the old connection still says, the channel is not received until the new one has it.
      this.listener.lost([wire]);
      if (home) this.leave(home, wire);
      if (target) this.subscriber(target).add(wire);
    }
  }

  close(): void {
    clearInterval(this.pingTimer);
    for (const subscriber of this.subscribers.values()) subscriber.client.disconnect();
    this.subscribers.clear();
  }

  /** The dialled `host:port` of the primary serving `wire`'s slot; null when none is known. */
  private primaryOf(wire: string): string | null {
    const slot = calculateSlot(wire);
    const shard = this.cluster().shards.find(({ slots }) => slots.some(([from, to]) => slot >= from && slot <= to));
    if (!shard?.primary) return null;
    const { host, port } = dialledAddress(this.options, shard.primary);
    return `${host}:${port}`;
  }

  private leave(home: string, wire: string): void {
    const subscriber = this.subscribers.get(home);
    if (!subscriber) return;
    subscriber.remove(wire);
    if (subscriber.channels.size > 0) return;
    this.subscribers.delete(home);
    subscriber.client.disconnect();
  }

  private subscriber(home: string): SubscriberConnection {
    let subscriber = this.subscribers.get(home);
    if (subscriber) return subscriber;
    const separator = home.lastIndexOf(':');
    const client = guardSocketErrors(
      new Redis({
        ...nodeConnectionOptions(this.options, 'subscriber'),
        host: home.slice(0, separator),
        port: Number(home.slice(separator + 1)),
        enableOfflineQueue: false,
        autoResubscribe: false,
        retryStrategy: (attempt) => reconnectDelay(attempt),
      }),
    );
    attachConnectionStateLogging(client, `subscriber ${home}`, this.logger, this.connections.redactor);
    subscriber = new SubscriberConnection(
      client,
      this.sharded ? 'ssubscribe' : 'subscribe',
      this.listener,
      this.logger,
      this.connections.redactor,
    );
    this.subscribers.set(home, subscriber);
    return subscriber;
  }
}
