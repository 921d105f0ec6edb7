/** A message received on a channel, from any instance (or from anyone who publishes raw text). */
export interface PubSubMessage<T = unknown> {
  kind: 'message';
  /** The channel as the application named it (without the key prefix). */
  channel: string;
  /** `<origin>:<sequence>`, unique per message; raw messages published by others get a local id. */
  id: string;
  /** The publishing instance's id, or `external` for a message not published by this toolkit. */
  origin: string;
  /** The publisher's sequence number on this channel; absent for external messages. */
  sequence?: number;
  /** When the publisher sent it; absent for external messages. */
  publishedAt?: Date;
  /** The published value, decoded from JSON (the raw text for external messages). */
  data: T;
}

/** This instance stopped receiving the channel (its subscriber connection is down or not yet up). */
export interface PubSubInterrupted {
  kind: 'interrupted';
  channel: string;
  since: Date;
}

/** Receiving again after an interruption: messages published between `since` and `until` were not received. */
export interface PubSubResumed {
  kind: 'resumed';
  channel: string;
  since: Date;
  until: Date;
}

/**
 * Messages of one publisher did not arrive in order: `count` of them, after `afterSequence`, were
 * not received (published while a subscriber was switching, or delivered only on their publisher's
 * instance while it could not reach Redis). One that is merely late is still delivered.
 */
export interface PubSubMissed {
  kind: 'missed';
  channel: string;
  origin: string;
  afterSequence: number;
  count: number;
}

/** Everything a subscription reports: messages, and every way messages could have been lost. */
export type PubSubEvent<T = unknown> = PubSubMessage<T> | PubSubInterrupted | PubSubResumed | PubSubMissed;

/**
 * Where a published message went.
 * - `cluster`: Redis accepted it; `receivers` subscriber connections (one per subscribed instance) got it.
 * - `local`: Redis could not be reached and the fallback is on: only this instance's subscribers got
 *   it (`receivers` is 1 when this instance subscribes to the channel, else 0); other instances will
 *   report it as missed when the next message of this publisher reaches them.
 */
export interface PublishReceipt {
  id: string;
  channel: string;
  reach: 'cluster' | 'local';
  receivers: number;
}
