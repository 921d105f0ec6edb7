import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { PubSubLink } from '../client/pubsub/pubsub-link';
import { RedisTopology } from '../client/topology/redis-topology';
import { Observable, Subject } from 'rxjs';
import { logEvent } from '../common/log-event';
import { RedisUnavailableError } from '../errors/redis-unavailable.error';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisKeyspace } from '../keyspace/redis-keyspace';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_DEFAULTS, REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { DeliveryTracker } from './delivery-tracker';
import { decodeEnvelope, encodeEnvelope } from './pubsub-envelope';
import type { PubSubEvent, PublishReceipt } from './pubsub.interfaces';

/** Channel names: printable, no spaces, short. */
const CHANNEL_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** One subscribed channel of this instance. */
interface ChannelState {
  /** As the application names it. */
  readonly name: string;
  readonly events: Subject<PubSubEvent>;
  readonly tracker: DeliveryTracker;
  /** Since when it is not subscribed on Redis; null while it is. */
  interruptedSince: Date | null;
}

/**
 * Publish/subscribe across every instance of the application, through Redis, that keeps working
 * through a failover and says when messages may have been lost instead of dropping them silently:
 * - one dedicated subscriber connection to the primary, moved on failover like the write client
 *   (in Cluster mode: one per shard primary, with sharded pub/sub, moved when its shard's primary
 *   changes); after every reconnect it subscribes again by itself;
 * - subscribers are told when they stop receiving (`interrupted`) and when they receive again
 *   (`resumed`, with the window), and when a publisher's messages arrived with a hole in their
 *   sequence numbers (`missed`, with the count);
 * - a publish that cannot reach Redis is delivered to this instance's subscribers when the fallback
 *   is on, and the receipt says so (`reach: 'local'`); with the fallback off it throws;
 * - a `PING` on the subscriber connection every few seconds finds a connection that died silently.
 *
 * Channels are named under the key prefix (`app:` + `events`), so applications sharing a Redis do
 * not hear each other. Delivery is at most once, like Redis Pub/Sub: use it for notifications, not
 * for work that must not be lost.
 *
 * @example
 * this.pubsub.subscribe<Order>('orders').subscribe((event) => {
 *   if (event.kind === 'message') this.notify(event.data);
 *   else this.logger.warn(`orders: ${event.kind}`); // interrupted, resumed or missed
 * });
 * const receipt = await this.pubsub.publish('orders', { id: 42 });
 */
@Injectable()
export class RedisPubSubService implements BeforeApplicationShutdown {
  /** This instance's id as a publisher, part of every message id. */
  readonly origin = randomUUID();
  private readonly logger = new Logger('RedisPubSub');
  private readonly channels = new Map<string, ChannelState>();
  private readonly sequences = new Map<string, number>();
  private pubSubLink?: PubSubLink;
  private externalCount = 0;
  private closed = false;

  constructor(
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly options: ResolvedRedisOptions,
    private readonly topology: RedisTopology,
    private readonly executor: RedisExecutor,
    private readonly keyspace: RedisKeyspace,
  ) {}

  /**
   * Sends `data` (any JSON value, at most `pubsubMaxMessageBytes` once encoded) to every subscriber
   * of `channel` on every instance.
   *
   * @throws RangeError for a malformed channel name or an oversized message.
   * @throws TypeError when `data` is undefined or cannot be serialised.
   * @throws RedisUnavailableError / RedisOutcomeUnknownError when Redis fails and the fallback is
   *   off (an unknown outcome may have been delivered), or after shutdown began.
   */
  async publish<T>(channel: string, data: T): Promise<PublishReceipt> {
    assertChannel(channel);
    if (this.closed) throw new RedisUnavailableError('publish: the application is shutting down');
    const sequence = (this.sequences.get(channel) ?? 0) + 1;
    const payload = encodeEnvelope({ o: this.origin, s: sequence, t: Date.now(), d: data });
    if (Buffer.byteLength(payload) > REDIS_DEFAULTS.pubsubMaxMessageBytes) {
      throw new RangeError(
        `publish: the message is ${Buffer.byteLength(payload)} bytes encoded; at most ${REDIS_DEFAULTS.pubsubMaxMessageBytes} are allowed`,
      );
    }
    this.sequences.set(channel, sequence);
    const wire = this.wireName(channel);
    const id = `${this.origin}:${sequence}`;
    const { value: receipt } = await this.executor.write<PublishReceipt>({
      name: 'publish',
      // Sent twice, it is delivered once: subscribers drop a sequence number they have seen.
      idempotent: true,
      redis: async (client) => ({
        id,
        channel,
        reach: 'cluster',
        receivers: await this.link().publish(client, wire, payload),
      }),
      memory: this.options.fallback.enabled
        ? () => ({ id, channel, reach: 'local', receivers: this.deliver(wire, payload) ? 1 : 0 })
        : undefined,
    });
    return receipt;
  }

  /**
   * Every event of `channel` from now on: messages, and `interrupted` / `resumed` / `missed` notices.
   * The first subscription of a channel subscribes this instance on Redis; the last one to leave
   * unsubscribes. Completes when the application shuts down.
   *
   * @throws RangeError (to the subscriber) for a malformed channel name.
   */
  subscribe<T = unknown>(channel: string): Observable<PubSubEvent<T>> {
    return new Observable<PubSubEvent<T>>((observer) => {
      assertChannel(channel);
      if (this.closed) {
        observer.complete();
        return undefined;
      }
      const state = this.join(channel);
      const subscription = (state.events as Subject<PubSubEvent<T>>).subscribe(observer);
      if (state.interruptedSince) observer.next({ kind: 'interrupted', channel, since: state.interruptedSince });
      return () => {
        subscription.unsubscribe();
        if (!state.events.observed) this.leave(state);
      };
    });
  }

  /** Number of channels this instance is subscribed to. */
  get channelCount(): number {
    return this.channels.size;
  }

  /**
   * Ends every subscription (so that open streams such as SSE responses close) and refuses new
   * ones and further publishing. Called at shutdown; call it earlier to end streams before the
   * HTTP server drains. Idempotent.
   */
  close(): void {
    this.closed = true;
    this.pubSubLink?.close();
    for (const state of this.channels.values()) state.events.complete();
    this.channels.clear();
  }

  beforeApplicationShutdown(): void {
    this.close();
  }

  private join(channel: string): ChannelState {
    const wire = this.wireName(channel);
    const existing = this.channels.get(wire);
    if (existing) return existing;
    const link = this.link();
    const state: ChannelState = {
      name: channel,
      events: new Subject<PubSubEvent>(),
      tracker: new DeliveryTracker(),
      // Known unreachable: say so at once. Otherwise a failed connection attempt reports it (lost).
      interruptedSince: this.executor.degraded && !link.receiving(wire) ? new Date() : null,
    };
    this.channels.set(wire, state);
    link.add(wire);
    return state;
  }

  private leave(state: ChannelState): void {
    const wire = this.wireName(state.name);
    if (this.channels.get(wire) !== state) return;
    this.channels.delete(wire);
    this.pubSubLink?.remove(wire);
  }

  /** The subscriber connections, opened with the first subscription (see `PubSubLink`). */
  private link(): PubSubLink {
    this.pubSubLink ??= this.topology.pubSubLink({
      message: (wire, payload) => this.receive(wire, payload),
      lost: (wires) => this.interrupt(wires),
      subscribed: (wires) => {
        for (const wire of wires) {
          const state = this.channels.get(wire);
          if (state) this.resume(state);
        }
      },
    });
    return this.pubSubLink;
  }

  /** Receiving again: report the window of the interruption, once. */
  private resume(state: ChannelState): void {
    if (!state.interruptedSince) return;
    const since = state.interruptedSince;
    state.interruptedSince = null;
    state.events.next({ kind: 'resumed', channel: state.name, since, until: new Date() });
  }

  /** A subscriber connection closed: its channels stop receiving until they are subscribed again. */
  private interrupt(wires: readonly string[]): void {
    if (this.closed) return;
    const since = new Date();
    let interrupted = 0;
    for (const wire of wires) {
      const state = this.channels.get(wire);
      if (!state || state.interruptedSince) continue;
      state.interruptedSince = since;
      interrupted += 1;
      state.events.next({ kind: 'interrupted', channel: state.name, since });
    }
    if (interrupted > 0) {
      this.logger.warn(
        logEvent('pubsub.interrupted', { channels: interrupted }, 'subscriber connection lost; resubscribing'),
      );
    }
  }

  /** A message from Redis: the subscription works, even if the SUBSCRIBE reply in the same read is not handled yet. */
  private receive(wire: string, payload: string): void {
    const state = this.channels.get(wire);
    if (state) this.resume(state);
    this.deliver(wire, payload);
  }

  /** Hands a message to the channel's subscribers. @returns whether this instance subscribes to the channel. */
  private deliver(wire: string, payload: string): boolean {
    const state = this.channels.get(wire);
    if (!state) return false;
    const envelope = decodeEnvelope(payload);
    if (!envelope) {
      this.externalCount += 1;
      state.events.next({
        kind: 'message',
        channel: state.name,
        id: `external:${this.externalCount}`,
        origin: 'external',
        data: payload,
      });
      return true;
    }
    const verdict = state.tracker.accept(envelope.o, envelope.s);
    if (!verdict.deliver) return true;
    if (verdict.missed)
      state.events.next({ kind: 'missed', channel: state.name, origin: envelope.o, ...verdict.missed });
    state.events.next({
      kind: 'message',
      channel: state.name,
      id: `${envelope.o}:${envelope.s}`,
      origin: envelope.o,
      sequence: envelope.s,
      publishedAt: new Date(envelope.t),
      data: envelope.d,
    });
    return true;
  }

  private wireName(channel: string): string {
    return this.keyspace.key(channel);
  }
}

function assertChannel(channel: string): void {
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new RangeError(
      `invalid channel name ${JSON.stringify(channel)}: expected 1–200 printable characters without spaces`,
    );
  }
}
