import { Inject, Injectable } from '@nestjs/common';
import {
  REDIS_RESOLVED_OPTIONS,
  RedisExecutor,
  type MemoryStore,
  type ResolvedRedisOptions,
} from '@sentinel-kit/redis';
import { SESSION_DEFAULTS } from '../session.constants';
import { DurableWriter } from './durable-writer';
import { MemorySessionIndex } from './memory-session-index';
import { decodeRecord, encodeRecord, type SessionRecord, type StoredSession } from './session-record';
import { REMOVE_SESSION, REMOVE_USER_SESSIONS, ROTATE_SESSION, SAVE_SESSION } from './session-scripts';

/** Outcome of a compare-and-set write. */
export type SaveOutcome = 'saved' | 'exists' | 'changed';

/** Where an answer came from: Redis, or this instance's in-memory fallback (degraded, not shared). */
export type SessionStorage = 'redis' | 'memory';

/** An answer and where it came from. */
export interface Served<T> {
  value: T;
  storage: SessionStorage;
}

const OUTCOMES: Record<number, SaveOutcome> = { 1: 'saved', 0: 'exists', [-1]: 'changed' };

/** Runs `call`, telling whether its memory operation (the fallback) answered. */
async function served<T>(
  call: (inMemory: <R>(memory: (store: MemoryStore) => R) => (store: MemoryStore) => R) => Promise<T>,
): Promise<Served<T>> {
  let storage: SessionStorage = 'redis';
  const value = await call((memory) => (store) => {
    storage = 'memory';
    return memory(store);
  });
  return { value, storage };
}

/**
 * Storage of session records and per-user indexes, on the primary (reads too: a replica may not
 * have the caller's own latest write) or in the in-memory fallback, with the same semantics in both.
 * Writes are compare-and-set so concurrent updates never overwrite each other silently.
 */
@Injectable()
export class SessionStore {
  /** `<REDIS_KEY_PREFIX>session:`, the prefix of every session key. */
  private readonly sessionPrefix: string;
  /** `<REDIS_KEY_PREFIX>session-user:`, the prefix of every per-user index. */
  private readonly indexPrefix: string;
  private readonly sessionKey = (id: string): string => this.sessionPrefix + id;
  private readonly indexKey = (userId: string): string => this.indexPrefix + userId;

  constructor(
    private readonly writer: DurableWriter,
    private readonly executor: RedisExecutor,
    @Inject(REDIS_RESOLVED_OPTIONS) redisOptions: ResolvedRedisOptions,
  ) {
    this.sessionPrefix = `${redisOptions.keyPrefix}${SESSION_DEFAULTS.sessionKeyPrefix}`;
    this.indexPrefix = `${redisOptions.keyPrefix}${SESSION_DEFAULTS.userIndexKeyPrefix}`;
  }

  /** The stored session, or null. */
  load(id: string): Promise<Served<StoredSession | null>> {
    return served((inMemory) =>
      this.executor.write({
        name: 'session.get',
        redis: async (client) => decodeRecord(await client.get(this.sessionKey(id))),
        memory: inMemory((store) => decodeRecord(store.get(this.sessionKey(id)))),
      }),
    );
  }

  /** Several stored sessions, null where absent. */
  async loadMany(ids: readonly string[]): Promise<Served<(StoredSession | null)[]>> {
    if (ids.length === 0) return { value: [], storage: 'redis' };
    const texts = await served((inMemory) =>
      this.executor.write({
        name: 'session.list',
        redis: (client) => client.mget(...ids.map(this.sessionKey)),
        memory: inMemory((store) => ids.map((id) => store.get(this.sessionKey(id)))),
      }),
    );
    return { value: texts.value.map(decodeRecord), storage: texts.storage };
  }

  /** Ids of a user's sessions that have not expired at `now`. */
  liveIdsForUser(userId: string, now: number): Promise<string[]> {
    return this.executor.write({
      name: 'session.list',
      redis: (client) => client.zrangebyscore(this.indexKey(userId), `(${now}`, '+inf'),
      memory: (store) => new MemorySessionIndex(store, this.indexKey(userId)).liveIds(now),
    });
  }

  /**
   * Writes `record` if the stored text is still `expected` (null: only if absent).
   * @param durable wait for replicas (false for expiry renewals).
   */
  async save(
    record: SessionRecord,
    expected: string | null,
    durable: boolean,
    now: number,
  ): Promise<Served<SaveOutcome>> {
    const json = encodeRecord(record);
    const { value, storage } = await served((inMemory) =>
      this.writer.run({
        name: expected === null ? 'session.create' : 'session.update',
        script: SAVE_SESSION,
        keys: [this.sessionKey(record.id), this.indexKey(record.userId)],
        args: [expected ?? '', json, record.id, record.expiresAt, now],
        durable,
        memory: inMemory((store) => {
          const current = store.get(this.sessionKey(record.id));
          if (expected === null ? current !== null : current !== expected) return expected === null ? 0 : -1;
          this.putSession(store, record, json, now);
          return 1;
        }),
      }),
    );
    return { value: OUTCOMES[value], storage };
  }

  /** Moves `from` (if still as read) to `to`, a new id; durable. */
  async rotate(from: StoredSession, to: SessionRecord, now: number): Promise<Served<SaveOutcome>> {
    const json = encodeRecord(to);
    const { value, storage } = await served((inMemory) =>
      this.writer.run({
        name: 'session.rotate',
        script: ROTATE_SESSION,
        keys: [this.sessionKey(from.record.id), this.sessionKey(to.id), this.indexKey(to.userId)],
        args: [from.json, json, from.record.id, to.id, to.expiresAt, now],
        durable: true,
        memory: inMemory((store) => {
          if (store.get(this.sessionKey(from.record.id)) !== from.json) return -1;
          if (store.exists(this.sessionKey(to.id))) return 0;
          store.del([this.sessionKey(from.record.id)]);
          new MemorySessionIndex(store, this.indexKey(to.userId)).remove(from.record.id, now);
          this.putSession(store, to, json, now);
          return 1;
        }),
      }),
    );
    return { value: OUTCOMES[value], storage };
  }

  /** @returns whether the session existed. Durable. */
  async remove(id: string, userId: string, now: number): Promise<boolean> {
    const removed = await this.writer.run({
      name: 'session.destroy',
      script: REMOVE_SESSION,
      keys: [this.sessionKey(id), this.indexKey(userId)],
      args: [id],
      durable: true,
      memory: (store) => {
        new MemorySessionIndex(store, this.indexKey(userId)).remove(id, now);
        return store.del([this.sessionKey(id)]);
      },
    });
    return removed === 1;
  }

  /** @returns how many live sessions were removed. Durable. */
  removeAllForUser(userId: string, now: number): Promise<number> {
    return this.writer.run({
      name: 'session.destroyAllForUser',
      script: REMOVE_USER_SESSIONS,
      keys: [this.indexKey(userId)],
      args: [this.sessionPrefix, `(${now}`],
      durable: true,
      memory: (store) => {
        const index = new MemorySessionIndex(store, this.indexKey(userId));
        const removed = store.del(index.liveIds(now).map(this.sessionKey));
        index.clear();
        return removed;
      },
    });
  }

  private putSession(store: MemoryStore, record: SessionRecord, json: string, now: number): void {
    store.set(this.sessionKey(record.id), json, (record.expiresAt - now) / 1000);
    new MemorySessionIndex(store, this.indexKey(record.userId)).put(record.id, record.expiresAt, now);
  }
}
