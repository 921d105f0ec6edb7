import type { LoggerService } from '@nestjs/common';
import { logEvent } from '../../common/log-event';
import type { SecretRedactor } from '../../errors/secret-redactor';
import type { RedisClient } from '../redis-client';
import type { PubSubListener } from './pubsub-link';

/** `SUBSCRIBE` (classic, every node hears every `PUBLISH`) or `SSUBSCRIBE` (a shard's channels). */
export type SubscribeCommand = 'subscribe' | 'ssubscribe';

/**
 * One subscriber connection and the channels it receives: it subscribes to them whenever it is
 * ready (after every reconnect; ioredis' own resubscription is off), reports them lost when it
 * closes, and tears itself down when a `PING` goes unanswered (a connection that died silently).
 * With `ssubscribe`, a node that does not know the command (Redis before 7.0) is asked with
 * `SUBSCRIBE` instead.
 */
export class SubscriberConnection {
  private readonly wires = new Set<string>();
  private command: SubscribeCommand;

  constructor(
    readonly client: RedisClient,
    command: SubscribeCommand,
    private readonly listener: PubSubListener,
    private readonly logger: LoggerService,
    private readonly redactor: SecretRedactor,
  ) {
    this.command = command;
    client.on('message', (wire: string, payload: string) => listener.message(wire, payload));
    client.on('smessage', (wire: string, payload: string) => listener.message(wire, payload));
    client.on('ready', () => void this.subscribe([...this.wires]));
    client.on('close', () => {
      if (this.wires.size > 0) listener.lost([...this.wires]);
    });
  }

  /** The channels it receives. */
  get channels(): ReadonlySet<string> {
    return this.wires;
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  add(wire: string): void {
    this.wires.add(wire);
    if (this.ready) void this.subscribe([wire]);
  }

  remove(wire: string): void {
    if (!this.wires.delete(wire) || !this.ready) return;
    const unsubscribe = this.command === 'ssubscribe' ? this.client.sunsubscribe(wire) : this.client.unsubscribe(wire);
    unsubscribe.catch(() => undefined);
  }

  /** `PING`s the connection while it has channels; a failed one reconnects it. Never throws. */
  async check(): Promise<void> {
    if (!this.ready || this.wires.size === 0) return;
    try {
      await this.client.ping();
    } catch {
      this.client.disconnect(true);
    }
  }

  private async subscribe(wires: string[]): Promise<void> {
    if (wires.length === 0) return;
    try {
      await (this.command === 'ssubscribe' ? this.client.ssubscribe(...wires) : this.client.subscribe(...wires));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.command === 'ssubscribe' && /^ERR unknown command/i.test(message)) {
        this.command = 'subscribe';
        return this.subscribe(wires);
      }
      this.logger.error(
        logEvent(
          'pubsub.subscribe-failed',
          { channels: wires.length },
          `${this.command.toUpperCase()} failed: ${this.redactor.redact(message)}`,
        ),
      );
      // Not subscribed: a reconnect (or the next PING check) tries again.
      this.client.disconnect(true);
      return;
    }
    const current = wires.filter((wire) => this.wires.has(wire));
    if (current.length > 0) this.listener.subscribed(current);
  }
}
