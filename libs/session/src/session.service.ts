import { Inject, Injectable } from '@nestjs/common';
import { RedisModuleError, isAvailabilityFailure, type AnswerSource } from '@sentinel-kit/redis';
import { InvalidSessionInputError } from './errors/invalid-session-input.error';
import { SessionConflictError } from './errors/session-conflict.error';
import { SessionNotFoundError } from './errors/session-not-found.error';
import { SessionTooLargeError } from './errors/session-too-large.error';
import type { ResolvedSessionOptions } from './options/session-options.interface';
import { SESSION_DEFAULTS, SESSION_RESOLVED_OPTIONS } from './session.constants';
import { SessionMetrics } from './session.metrics';
import { assertSessionId } from './session-id';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionRecord, StoredSession } from './repository/session-record';
import { SessionRepository, type SignOutEverywhereResult, type SignOutOutcome } from './repository/session.repository';

/** A session as callers see it. */
export interface Session<T extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  userId: string;
  data: T;
  createdAt: Date;
  /** When it expires unless used again (sliding), never after `absoluteExpiresAt`. */
  expiresAt: Date;
  absoluteExpiresAt: Date;
  /**
   * Which store answered (the same field as the Redis layer's `Answer`): `redis`, or `memory` when
   * Redis could not answer and the session fallback (`memory`) did: such a session lives only in
   * this instance and is not carried back to Redis.
   */
  source: AnswerSource;
}

/** A new (or rotated) session's id and expiry, and where it is stored. */
export interface SessionHandle {
  id: string;
  expiresAt: Date;
  /** See {@link Session.source}. */
  source: AnswerSource;
}

/** Per-session choices at creation. */
export interface CreateSessionOptions {
  /** Sliding lifetime of this session, at most the absolute lifetime. @default the module's `ttlSeconds` */
  ttlSeconds?: number;
}

/** Longest user id accepted. */
const MAX_USER_ID_LENGTH = 256;

/**
 * Sessions in Redis that survive a failover: every acknowledged create, update, touch, rotate
 * and destroy has reached the primary and (in `replicated` mode) at least one replica. Reads go to
 * the primary, so any app instance sees the caller's own acknowledged writes. Calls are held
 * through a failover (Sentinel mode) and sent again safely; while Redis cannot answer they fail
 * with a typed error, never with "not found" (`fallback: 'none'`, the Sentinel default), or, with
 * `fallback: 'memory'`, new sessions live in this instance's memory and sign-outs are kept pending.
 *
 * @example
 * const { id } = await sessions.create(user.id, { roles: ['admin'] });
 * const session = await sessions.get(id); // null once expired or destroyed
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    private readonly repository: SessionRepository,
    private readonly metrics: SessionMetrics,
  ) {}

  /**
   * @throws InvalidSessionInputError for an empty or overlong user id, non-object data or a bad TTL.
   * @throws SessionTooLargeError when `data` exceeds `maxBytes` as JSON.
   * @throws SessionNotReplicatedError when replicas did not confirm in time (`replicated` mode).
   */
  async create(
    userId: string,
    data: Record<string, unknown> = {},
    options: CreateSessionOptions = {},
  ): Promise<SessionHandle> {
    assertUserId(userId);
    const dataJson = this.encodedData(data);
    const ttlSeconds = options.ttlSeconds ?? this.options.ttlSeconds;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.options.absoluteTtlSeconds) {
      throw new InvalidSessionInputError(`ttlSeconds must be an integer from 1 to ${this.options.absoluteTtlSeconds}`);
    }
    const now = Date.now();
    const absoluteExpiresAt = now + this.options.absoluteTtlSeconds * 1000;
    const ttlMs = ttlSeconds * 1000;
    for (;;) {
      const record: SessionRecord = {
        id: this.repository.newId(userId),
        userId,
        data,
        createdAt: now,
        expiresAt: Math.min(now + ttlMs, absoluteExpiresAt),
        absoluteExpiresAt,
        ttlMs,
      };
      // 'exists' would take a 192-bit collision; draw again rather than overwrite.
      const saved = await this.repository.save(record, { expected: null, durable: true, now, dataJson });
      if (saved.value === 'saved') {
        this.metrics.sessionCreated(saved.source);
        return { id: record.id, expiresAt: new Date(record.expiresAt), source: saved.source };
      }
    }
  }

  /**
   * The session, or null when there is none. With sliding expiry its lifetime is renewed (a
   * renewal is not waited on by replicas, and one that fails is skipped: losing one only shortens
   * the session).
   * @throws InvalidSessionInputError for a malformed id.
   * @throws RedisUnavailableError / RedisOutcomeUnknownError while Redis cannot say (never null then).
   */
  async get(id: string): Promise<Session | null> {
    assertSessionId(id);
    const now = Date.now();
    const { value: stored, source } = await this.repository.load(id);
    if (!stored || stored.record.expiresAt <= now) return null;
    const renewed = this.renewedExpiry(stored.record, now);
    // Renew only when it gains at least a tenth of the TTL: at most ~10 writes per TTL however busy
    // the session, which keeps 90% of the sliding window. A lost race means someone else renewed it.
    if (renewed - stored.record.expiresAt >= stored.record.ttlMs / 10) {
      const record = { ...stored.record, expiresAt: renewed };
      const saved = await this.repository
        .save(record, { expected: stored.json, durable: false, now })
        .catch(skipUnavailable);
      if (saved?.value === 'saved') return toSession(record, saved.source);
    }
    return toSession(stored.record, source);
  }

  /**
   * Shallow-merges `patch` into the session's data (a `null` value removes the key) and renews it.
   * @throws SessionNotFoundError, SessionTooLargeError, SessionConflictError, SessionNotReplicatedError.
   */
  async update(id: string, patch: Record<string, unknown>): Promise<Session> {
    assertSessionId(id);
    if (!isPlainObject(patch)) throw new InvalidSessionInputError('the patch must be an object');
    return this.compareAndSet(id, (record) => {
      const data = this.patched(record.data, patch);
      return { record: { ...record, data: data.value }, dataJson: data.json };
    });
  }

  /**
   * Renews the session's lifetime (up to its absolute limit), durably.
   * @throws SessionNotFoundError, SessionNotReplicatedError.
   */
  async touch(id: string): Promise<Session> {
    assertSessionId(id);
    return this.compareAndSet(id, (record) => ({ record }));
  }

  /**
   * Moves the session to a new id (same lifetime limits), applying `patch` to its data in the same
   * atomic step (see {@link update}); the old id stops working. Call it when privileges change,
   * against session fixation.
   * @returns the session under its new id.
   * @throws SessionNotFoundError, SessionTooLargeError, SessionConflictError, SessionNotReplicatedError.
   */
  async rotate(id: string, patch: Record<string, unknown> = {}): Promise<Session> {
    assertSessionId(id);
    if (!isPlainObject(patch)) throw new InvalidSessionInputError('the patch must be an object');
    for (let attempt = 0; attempt < SESSION_DEFAULTS.maxUpdateAttempts; attempt += 1) {
      const now = Date.now();
      const stored = await this.loadLive(id, now);
      const data = this.patched(stored.record.data, patch);
      const record = {
        ...stored.record,
        id: this.repository.newId(stored.record.userId),
        data: data.value,
        expiresAt: this.renewedExpiry(stored.record, now),
      };
      const rotated = await this.repository.rotate(stored, record, now, data.json);
      if (rotated.value === 'saved') return toSession(record, rotated.source);
      await backOff(attempt);
    }
    throw new SessionConflictError('rotate: the session kept changing; try again');
  }

  /**
   * Signs the session out (logout).
   * @returns `destroyed`; `not-found` when Redis has no such live session; `pending` when Redis
   *   could not be told (`fallback: 'memory'` only): this instance honours it at once and tells
   *   Redis when it is back.
   * @throws RedisUnavailableError / RedisOutcomeUnknownError when Redis could not be told, even
   *   after holding through a failover (`fallback: 'none'`): the session may still be live.
   * @throws SessionNotReplicatedError.
   */
  destroy(id: string): Promise<SignOutOutcome> {
    assertSessionId(id);
    return this.repository.remove(id, Date.now());
  }

  /**
   * The user's live sessions, oldest first, from Redis (this instance's memory cannot know them all).
   * @throws RedisUnavailableError / RedisOutcomeUnknownError while Redis cannot answer.
   */
  async listForUser(userId: string): Promise<Session[]> {
    assertUserId(userId);
    const now = Date.now();
    const ids = await this.repository.liveIdsForUser(userId, now);
    const stored = await this.repository.loadMany(ids);
    return stored
      .filter((s): s is StoredSession => s !== null && s.record.userId === userId && s.record.expiresAt > now)
      .map((s) => toSession(s.record, 'redis'))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /**
   * Signs the user out everywhere: every session created up to now.
   * @returns `{ state: 'done', destroyed }` (how many live sessions were destroyed), or
   *   `{ state: 'pending' }` (see {@link destroy}).
   * @throws like {@link destroy}.
   */
  destroyAllForUser(userId: string): Promise<SignOutEverywhereResult> {
    assertUserId(userId);
    return this.repository.removeAllForUser(userId, Date.now());
  }

  /**
   * Reads, changes and writes back the session, retrying with a short random back-off when another
   * writer got there first. No update is ever lost silently: it is applied, or it throws.
   * @param change the changed record, and its data's JSON when it made new data.
   */
  private async compareAndSet(
    id: string,
    change: (record: SessionRecord) => { record: SessionRecord; dataJson?: string },
  ): Promise<Session> {
    for (let attempt = 0; attempt < SESSION_DEFAULTS.maxUpdateAttempts; attempt += 1) {
      const now = Date.now();
      const stored = await this.loadLive(id, now);
      const changed = change(stored.record);
      const record = { ...changed.record, expiresAt: this.renewedExpiry(stored.record, now) };
      const saved = await this.repository.save(record, {
        expected: stored.json,
        durable: true,
        now,
        dataJson: changed.dataJson,
      });
      if (saved.value === 'saved') return toSession(record, saved.source);
      await backOff(attempt);
    }
    throw new SessionConflictError('update: the session kept changing; try again');
  }

  private async loadLive(id: string, now: number): Promise<StoredSession> {
    const { value: stored } = await this.repository.load(id);
    if (!stored || stored.record.expiresAt <= now) throw new SessionNotFoundError();
    return stored;
  }

  /** The expiry after a use at `now`: slid forward when sliding, never past the absolute limit. */
  private renewedExpiry(record: SessionRecord, now: number): number {
    if (!this.options.sliding) return record.expiresAt;
    return Math.max(record.expiresAt, Math.min(now + record.ttlMs, record.absoluteExpiresAt));
  }

  /** `data` with `patch` shallow-merged in (`null` removes a key), checked like new data, and its JSON. */
  private patched(
    data: Record<string, unknown>,
    patch: Record<string, unknown>,
  ): { value: Record<string, unknown>; json: string } {
    const merged: Record<string, unknown> = { ...data };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    return { value: merged, json: this.encodedData(merged) };
  }

  /**
   * `data` as JSON, once checked to be an object of at most `maxBytes`: the stored record embeds
   * this very text, so the data is encoded once.
   */
  private encodedData(data: unknown): string {
    if (!isPlainObject(data)) throw new InvalidSessionInputError('session data must be an object');
    const json = JSON.stringify(data);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.options.maxBytes) throw new SessionTooLargeError(bytes, this.options.maxBytes);
    return json;
  }
}

/** A failed renewal (Redis could not take it) is skipped: the session is still the one read. */
function skipUnavailable(error: unknown): undefined {
  if (error instanceof RedisModuleError && isAvailabilityFailure(error)) return undefined;
  throw error;
}

/** Up to a few milliseconds, growing with the attempt, so racing writers spread out. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * 2 * (attempt + 1));
}

function toSession(record: SessionRecord, source: AnswerSource): Session {
  return {
    id: record.id,
    userId: record.userId,
    data: record.data,
    createdAt: new Date(record.createdAt),
    expiresAt: new Date(record.expiresAt),
    absoluteExpiresAt: new Date(record.absoluteExpiresAt),
    source,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function assertUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId.trim() === '' || userId.length > MAX_USER_ID_LENGTH) {
    throw new InvalidSessionInputError(`userId must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`);
  }
}
