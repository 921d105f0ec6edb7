import { Logger } from '@nestjs/common';
import { REDIS_DEFAULTS } from '../../redis.constants';
import type { RedisClient } from '../redis-client';
import type { RedisConnections } from '../redis-connections';
import type { PubSubLink, PubSubListener } from './pubsub-link';
import { SubscriberConnection } from './subscriber-connection';

/**
 * One subscriber connection to the primary (standalone, Sentinel), created with the first channel
 * and moved on failover like the write client; `PUBLISH` reaches it.
 */
export class SingleConnectionPubSubLink implements PubSubLink {
  private readonly logger = new Logger('RedisPubSub');
  private subscriber?: SubscriberConnection;
  private pingTimer?: NodeJS.Timeout;

  constructor(
    private readonly connections: RedisConnections,
    private readonly listener: PubSubListener,
  ) {}

  add(wire: string): void {
    this.connection().add(wire);
  }

  remove(wire: string): void {
    this.subscriber?.remove(wire);
  }

  receiving(): boolean {
    return this.connection().ready;
  }

  publish(client: RedisClient, wire: string, payload: string): Promise<number> {
    return client.publish(wire, payload);
  }

  /** The subscriber client belongs to `RedisConnections`, which closes it at shutdown. */
  close(): void {
    clearInterval(this.pingTimer);
  }

  private connection(): SubscriberConnection {
    if (this.subscriber) return this.subscriber;
    const client = this.connections.primaryClient('subscriber', { autoResubscribe: false });
    this.subscriber = new SubscriberConnection(
      client,
      'subscribe',
      this.listener,
      this.logger,
      this.connections.redactor,
    );
    const subscriber = this.subscriber;
    this.pingTimer = setInterval(() => void subscriber.check(), REDIS_DEFAULTS.pubsubPingIntervalMs);
    this.pingTimer.unref();
    return subscriber;
  }
}
