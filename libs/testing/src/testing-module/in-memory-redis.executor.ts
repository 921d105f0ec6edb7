import { Injectable } from '@nestjs/common';
import { RedisUnavailableError, type Answer, type ResilientOperation } from '@sentinel-kit/redis';
import { FallbackStores } from '@sentinel-kit/redis/internal';

/** Entries (and bytes) each in-memory store of the stand-in holds at most, as the module's own default bound. */
const MAX_ENTRIES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * The `RedisExecutor` of {@link RedisTestingModule}: there is no Redis, and every operation gets the
 * answer its `memory` part gives, the one a degraded instance serves, from stores that live as long
 * as the testing module. An operation without one (a session write, a rate-limit script, your own
 * command without a memory answer) fails with `RedisUnavailableError`, as it would with Redis gone.
 * Answers say `source: 'memory'`.
 */
@Injectable()
export class InMemoryRedisExecutor {
  private readonly stores = new FallbackStores(MAX_ENTRIES, MAX_BYTES);

  /** Always true: nothing here is shared with another instance. */
  readonly degraded = true;

  /** A write: its memory answer, or `RedisUnavailableError` when it has none. */
  write<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    return this.answer(operation);
  }

  /** A read that must see every write: answered as {@link write} is. */
  readPrimary<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    return this.answer(operation);
  }

  /** A read: answered as {@link write} is. */
  read<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    return this.answer(operation);
  }

  /** Whether Redis answers a `PING`: never, here. */
  ping(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** @throws RedisUnavailableError: a scan needs Redis. */
  scanKeys(): Promise<string[]> {
    return Promise.reject(new RedisUnavailableError('scanKeys needs Redis; RedisTestingModule has none'));
  }

  /** Forgets every entry, for a test that wants a fresh store without a new module. */
  clear(): void {
    this.stores.clear();
  }

  private answer<T>(operation: ResilientOperation<T>): Promise<Answer<T>> {
    const failure = new RedisUnavailableError(`${operation.name} needs Redis; RedisTestingModule has none`);
    const { memory } = operation;
    if (!memory) return Promise.reject(failure);
    // A memory answer may throw `failure` (it cannot know): a rejection, as from Redis.
    return new Promise((resolve) =>
      resolve({ value: memory(this.stores.of(operation.memoryNamespace ?? 'cache'), failure), source: 'memory' }),
    );
  }
}
