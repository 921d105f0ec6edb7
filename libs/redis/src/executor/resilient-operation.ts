import type { RedisClient } from '../client/redis-client';
import type { RedisModuleError } from '../errors/redis-module.error';
import type { FallbackNamespace } from '../fallback/fallback-stores';
import type { MemoryStore } from '../fallback/memory-store';

/** Which store answered: Redis (shared by every instance), or this instance's memory (degraded, not shared). */
export type AnswerSource = 'redis' | 'memory';

/** A value, and the store that answered it. */
export interface Answer<T> {
  readonly value: T;
  readonly source: AnswerSource;
}

/** A Redis call, and what this instance may answer instead when Redis cannot. */
export interface ResilientOperation<T> {
  /** Name for errors and logs, e.g. `get`. Never include values. */
  name: string;
  /** The call against a client. Keys go as given: build them with `RedisKeyspace`. */
  redis: (client: RedisClient) => Promise<T>;
  /**
   * The answer this instance's memory gives while Redis cannot answer (it is given the failure). Omit
   * it where the degradation contract allows no memory answer (sessions in Sentinel mode, security
   * checks): the call then waits out a failover or fails with a typed error. Throw `failure` from it
   * when memory cannot know (a session that may exist in Redis is not "absent").
   *
   * For a write whose outcome is unknown (sent, no answer), it is not used unless
   * {@link memoryAfterUnknown} is set: the write may have been applied in Redis.
   */
  memory?: (store: MemoryStore, failure: RedisModuleError) => T;
  /** The part of the in-memory fallback {@link memory} works on. @default 'cache' */
  memoryNamespace?: FallbackNamespace;
  /**
   * Let {@link memory} answer a write whose outcome is unknown too. Only for answers that claim
   * nothing about what Redis holds, such as a rate-limit decision. @default false
   */
  memoryAfterUnknown?: boolean;
  /** A connection to the primary to run on instead of the write client (see `RedisConnections.primaryClient`). */
  primary?: RedisClient;
  /**
   * Running it twice has the effect of running it once (`SET` of a given value, `DEL`, a
   * compare-and-set that accepts its own result): a write whose outcome is unknown (sent,
   * connection lost) may then be sent again while it is held through a failover.
   */
  idempotent?: boolean;
}
