import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  RedisExecutor,
  RedisKeyspace,
  RedisModuleError,
  isAvailabilityFailure,
  type Answer,
  type KeyNamespace,
  type ResilientOperation,
} from '@sentinel-kit/redis';
import { type MemoryStore } from '@sentinel-kit/redis/internal';
import type { ResolvedSessionOptions } from '../options/session-options.interface';
import { SESSION_DEFAULTS, SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { DurableWriter, type ScriptedWrite } from './durable-writer';
import { MemorySessionIndex } from './memory-session-index';
import { PendingSignOuts } from './pending-sign-outs';
import { decodeRecord, encodeRecord, type SessionRecord, type StoredSession } from './session-record';
import { newSessionId, slotTagOf } from '../session-id';
import { REMOVE_SESSION, REMOVE_USER_SESSIONS, ROTATE_SESSION, SAVE_SESSION } from './session-scripts';

/** Outcome of a compare-and-set write. */
export type SaveOutcome = 'saved' | 'exists' | 'changed';

/**
 * What a sign-out did: `destroyed` in Redis (or, for a session that only ever lived in this
 * instance's memory, there); `not-found`: Redis has no such live session; `pending`: Redis could not
 * be told (memory fallback only): this instance honours it at once and tells Redis when it is back.
 */
export type SignOutOutcome = 'destroyed' | 'not-found' | 'pending';

/** What signing a user out everywhere did: `done` with the count of live sessions destroyed, or `pending` (see {@link SignOutOutcome}). */
export type SignOutEverywhereResult = { state: 'done'; destroyed: number } | { state: 'pending' };

const OUTCOMES: Record<number, SaveOutcome> = { 1: 'saved', 0: 'exists', [-1]: 'changed' };

/**
 * The repository of session records and per-user indexes, kept on the primary (reads too: a replica may not
 * have the caller's own latest write), following the degradation contract:
 * - writes are compare-and-set Lua scripts, idempotent, held through a failover;
 * - with `fallback: 'none'` nothing is answered from memory: while Redis cannot answer, calls fail
 *   with the executor's typed errors (a 503), never "not found";
 * - with `fallback: 'memory'`, sessions created while Redis cannot answer live in this instance's
 *   memory (`source: 'memory'`); a session that may exist in Redis is never reported absent; and a
 *   sign-out is kept as a pending sign-out, honoured here at once and replayed to Redis.
 */
@Injectable()
export class SessionRepository implements OnApplicationShutdown {
  /**
   * `<REDIS_KEY_PREFIX>session:{<tag>}<id>`: the sessions. Every key of a user (sessions, index,
   * sign-out progress) carries the user's slot tag, which the session id begins with, so that one
   * script can touch them all in Cluster mode.
   */
  private readonly sessions: KeyNamespace;
  /** `<REDIS_KEY_PREFIX>session-user:{<tag>}<userId>`: the per-user indexes. */
  private readonly indexes: KeyNamespace;
  /** `<REDIS_KEY_PREFIX>session-sign-out:{<tag>}<random>`: the progress of each sign-out-everywhere. */
  private readonly signOutProgress: KeyNamespace;
  private readonly sessionKey = (id: string): string => this.sessions.inSlot(slotTagOf(id), id);
  private readonly indexKey = (userId: string): string => this.indexes.inSlot(this.keyspace.slotTag(userId), userId);
  /** What scripts prepend to a session id of `userId` to make its key. */
  private readonly sessionKeyPrefix = (userId: string): string =>
    this.sessions.inSlot(this.keyspace.slotTag(userId), '');
  private readonly memoryFallback: boolean;
  private readonly signOuts: PendingSignOuts;

  constructor(
    private readonly writer: DurableWriter,
    private readonly executor: RedisExecutor,
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly keyspace: RedisKeyspace,
  ) {
    this.sessions = keyspace.namespace(SESSION_DEFAULTS.sessionKeyPrefix);
    this.indexes = keyspace.namespace(SESSION_DEFAULTS.userIndexKeyPrefix);
    this.signOutProgress = keyspace.namespace(SESSION_DEFAULTS.signOutResultKeyPrefix);
    this.memoryFallback = options.fallback === 'memory';
    this.signOuts = new PendingSignOuts(new Logger('SessionModule'));
  }

  onApplicationShutdown(): void {
    this.signOuts.close();
  }

  /** A new session id for `userId`: it carries the slot tag of the user's keys. */
  newId(userId: string): string {
    return newSessionId(this.keyspace.slotTag(userId));
  }

  /**
   * The stored session, or null when Redis has none (or this instance signed it out).
   * @throws the executor's typed errors while Redis cannot answer and memory does not know.
   */
  async load(id: string): Promise<Answer<StoredSession | null>> {
    const key = this.sessionKey(id);
    const answer = await this.executor.readPrimary({
      ...this.read(id),
      memoryNamespace: 'sessions',
      memory: this.inMemory((store, failure) => {
        const stored = decodeRecord(store.get(key));
        if (stored || this.signOuts.hides({ id })) return stored;
        throw failure;
      }),
    });
    const record = answer.value?.record;
    return record && this.signOuts.hides(record) ? { value: null, source: answer.source } : answer;
  }

  /** Several stored sessions (null where absent), from Redis only: memory cannot know them all. */
  async loadMany(ids: readonly string[]): Promise<(StoredSession | null)[]> {
    if (ids.length === 0) return [];
    const { value: texts } = await this.executor.readPrimary({
      name: 'session.list',
      redis: (client) => this.executor.perKeyGroup(ids.map(this.sessionKey), (group) => client.mget(group)),
    });
    return texts.map((text) => {
      const stored = decodeRecord(text);
      return stored && this.signOuts.hides(stored.record) ? null : stored;
    });
  }

  /** Ids of a user's sessions that have not expired at `now`, from Redis only: memory cannot know them all. */
  async liveIdsForUser(userId: string, now: number): Promise<string[]> {
    const { value } = await this.executor.readPrimary({
      name: 'session.list',
      redis: (client) => client.zrangebyscore(this.indexKey(userId), `(${now}`, '+inf'),
    });
    return value;
  }

  /**
   * Writes `record` if the stored text is still `expected` (null: only if absent).
   * `durable`: wait for replicas (false for expiry renewals). `dataJson`: the record's data as JSON,
   * when the caller has it.
   */
  async save(
    record: SessionRecord,
    { expected, durable, now, dataJson }: { expected: string | null; durable: boolean; now: number; dataJson?: string },
  ): Promise<Answer<SaveOutcome>> {
    const json = encodeRecord(record, dataJson);
    const { value, source } = await this.writer.run({
      name: expected === null ? 'session.create' : 'session.update',
      script: SAVE_SESSION,
      keys: [this.sessionKey(record.id), this.indexKey(record.userId)],
      args: [
        expected ?? '',
        json,
        record.id,
        record.expiresAt,
        now,
        this.options.maxPerUser,
        this.sessionKeyPrefix(record.userId),
      ],
      durable,
      memory: this.inMemory((store) => {
        const current = store.get(this.sessionKey(record.id));
        if (expected === null ? current !== null : current !== expected) return expected === null ? 0 : -1;
        this.putSession(store, record, json, now);
        if (expected === null) {
          const index = new MemorySessionIndex(store, this.indexKey(record.userId));
          store.del(index.evictBeyond(this.options.maxPerUser, record.id, now).map(this.sessionKey));
        }
        return 1;
      }),
    });
    return { value: OUTCOMES[value], source };
  }

  /** Moves `from` (if still as read) to `to`, a new id, whose data is `dataJson`; durable. */
  async rotate(from: StoredSession, to: SessionRecord, now: number, dataJson: string): Promise<Answer<SaveOutcome>> {
    const json = encodeRecord(to, dataJson);
    const { value, source } = await this.writer.run({
      name: 'session.rotate',
      script: ROTATE_SESSION,
      keys: [this.sessionKey(from.record.id), this.sessionKey(to.id), this.indexKey(to.userId)],
      args: [from.json, json, from.record.id, to.id, to.expiresAt, now],
      durable: true,
      memory: this.inMemory((store) => {
        if (store.get(this.sessionKey(from.record.id)) !== from.json) return -1;
        if (store.exists(this.sessionKey(to.id))) return 0;
        store.del([this.sessionKey(from.record.id)]);
        new MemorySessionIndex(store, this.indexKey(to.userId)).remove(from.record.id, now);
        this.putSession(store, to, json, now);
        return 1;
      }),
    });
    return { value: OUTCOMES[value], source };
  }

  /**
   * Signs session `id` out: deleted in Redis (durably), or pending (see {@link SignOutOutcome}).
   * @throws the executor's typed errors when Redis cannot be told and there is no memory fallback.
   */
  async remove(id: string, now: number): Promise<SignOutOutcome> {
    let loaded: Answer<StoredSession | null>;
    try {
      loaded = await this.load(id);
    } catch (error) {
      // Memory does not know this session: sign it out here until it would have expired anyway.
      const unavailable = error instanceof RedisModuleError && isAvailabilityFailure(error);
      const until = now + this.options.absoluteTtlSeconds * 1000;
      if (this.memoryFallback && unavailable && this.signOutLater(id, null, until)) return 'pending';
      throw error;
    }
    const stored = loaded.value;
    if (!stored) return loaded.source === 'redis' ? 'not-found' : 'pending';
    const onlyInMemory = loaded.source === 'memory';
    const { userId, absoluteExpiresAt } = stored.record;
    const { source } = await this.writer.run({
      ...this.removal(id, userId),
      memory: this.inMemory((store, failure) => {
        new MemorySessionIndex(store, this.indexKey(userId)).remove(id, now);
        store.del([this.sessionKey(id)]);
        // Also for a session only in memory, so that reading it here answers "absent", not "unknown".
        if (!this.signOutLater(id, userId, absoluteExpiresAt) && !onlyInMemory) throw failure;
        return 0;
      }),
      // A pending sign-out claims nothing about Redis: it is right whether or not the delete landed.
      memoryAfterUnknown: true,
    });
    return source === 'redis' || onlyInMemory ? 'destroyed' : 'pending';
  }

  /**
   * Signs out every session of `userId` created up to `now`: in Redis (durably, in bounded batches),
   * or pending. When Redis stops answering between two batches, the rest is kept pending.
   * @throws the executor's typed errors when Redis cannot be told and there is no memory fallback.
   */
  async removeAllForUser(userId: string, now: number): Promise<SignOutEverywhereResult> {
    const until = now + this.options.absoluteTtlSeconds * 1000;
    const removal = this.userRemoval(userId, now);
    const memory = this.inMemory((store, failure) => {
      const index = new MemorySessionIndex(store, this.indexKey(userId));
      store.del(index.liveIds(now).map(this.sessionKey));
      index.clear();
      const replay = () => this.runToCompletion(removal);
      if (!this.signOuts.signOutUser(userId, now, until, replay)) throw failure;
      return 0;
    });
    for (;;) {
      const { value, source } = await this.writer.run({ ...removal, memory, memoryAfterUnknown: true });
      if (source === 'memory') return { state: 'pending' };
      if (value >= 0) return { state: 'done', destroyed: value };
    }
  }

  /** `answer` as a memory answer when the session fallback is `memory`; none otherwise. */
  private inMemory<T>(
    answer: (store: MemoryStore, failure: RedisModuleError) => T,
  ): ((store: MemoryStore, failure: RedisModuleError) => T) | undefined {
    return this.memoryFallback ? answer : undefined;
  }

  /** Reads session `id` from Redis. */
  private read(id: string): ResilientOperation<StoredSession | null> {
    const key = this.sessionKey(id);
    return { name: 'session.get', redis: async (client) => decodeRecord(await client.get(key)) };
  }

  /** Deletes session `id` of `userId` and its index entry, durably. */
  private removal(id: string, userId: string): ScriptedWrite {
    return {
      name: 'session.destroy',
      script: REMOVE_SESSION,
      keys: [this.sessionKey(id), this.indexKey(userId)],
      args: [id],
      durable: true,
    };
  }

  /**
   * Deletes every session of `userId` created up to `createdUpTo`, durably, one batch per run: the
   * run answers -1 while sessions remain, then how many were deleted (see `REMOVE_USER_SESSIONS`).
   */
  private userRemoval(userId: string, createdUpTo: number): ScriptedWrite {
    const progress = this.signOutProgress.inSlot(this.keyspace.slotTag(userId), randomBytes(16).toString('base64url'));
    return {
      name: 'session.destroyAllForUser',
      script: REMOVE_USER_SESSIONS,
      keys: [this.indexKey(userId), progress, `${progress}:to-do`],
      args: [
        this.sessionKeyPrefix(userId),
        Date.now(),
        createdUpTo,
        SESSION_DEFAULTS.signOutResultTtlMs,
        SESSION_DEFAULTS.signOutBatchSize,
      ],
      durable: true,
    };
  }

  /** Runs a batched removal until it is done, with Redis alone. */
  private async runToCompletion(removal: ScriptedWrite): Promise<void> {
    while ((await this.writer.run(removal)).value < 0);
  }

  /**
   * Records a pending sign-out of `id` (of `userId`, when known) until `until`, replayed with Redis
   * alone (neither memory nor pending sign-outs answer the replay).
   * @returns false when none can be recorded.
   */
  private signOutLater(id: string, userId: string | null, until: number): boolean {
    return this.signOuts.signOutSession(id, until, async () => {
      const owner = userId ?? (await this.executor.readPrimary(this.read(id))).value?.record.userId;
      if (owner !== undefined) await this.writer.run(this.removal(id, owner));
    });
  }

  private putSession(store: MemoryStore, record: SessionRecord, json: string, now: number): void {
    store.set(this.sessionKey(record.id), json, (record.expiresAt - now) / 1000);
    new MemorySessionIndex(store, this.indexKey(record.userId)).put(record.id, record.expiresAt, now);
  }
}
