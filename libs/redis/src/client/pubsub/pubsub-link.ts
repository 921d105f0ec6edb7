import type { RedisClient } from '../redis-client';

/** What the pub/sub service hears from the subscriber connections of a {@link PubSubLink}. */
export interface PubSubListener {
  /** A message arrived on channel `wire`. */
  message(wire: string, payload: string): void;
  /** These channels stopped receiving: their connection closed, or did not answer a `PING`. */
  lost(wires: readonly string[]): void;
  /** These channels are subscribed on Redis (again). */
  subscribed(wires: readonly string[]): void;
}

/**
 * The subscriber connections of one application instance and the publish command that reaches
 * them: one connection to the primary that subscribes with `SUBSCRIBE` and publishes with
 * `PUBLISH` (standalone, Sentinel), or one connection per shard primary that subscribes with
 * `SSUBSCRIBE` and publishes with `SPUBLISH` (Cluster mode). Made by `RedisTopology.pubSubLink`.
 */
export interface PubSubLink {
  /** Starts receiving `wire`: subscribes at once when its connection is ready, else when it is. */
  add(wire: string): void;
  /** Stops receiving `wire`. */
  remove(wire: string): void;
  /** Whether the connection `wire` is (or would be) received on is ready now. */
  receiving(wire: string): boolean;
  /**
   * Sends `payload` on `wire` through `client` (the executor's write client), so that every
   * instance subscribed to it receives it.
   * @returns how many subscribers Redis counted (on the publishing node, in Cluster mode).
   */
  publish(client: RedisClient, wire: string, payload: string): Promise<number>;
  /** Closes the connections it opened. */
  close(): void;
}
