import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfirmedScripts } from '../client/confirmed-scripts';
import { RedisConnections } from '../client/redis-connections';
import type { RedisClient } from '../client/redis-client';
import { RedisScript } from '../client/redis-script';
import { logEvent } from '../common/log-event';
import { RedisLockBusyError } from '../errors/redis-lock-busy.error';
import { RedisLockNotReplicatedError } from '../errors/redis-lock-not-replicated.error';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisKeyspace, type KeyNamespace } from '../keyspace/redis-keyspace';
import { LOCK_RESOLVED_OPTIONS, LOCK_TTL_RANGE, type ResolvedLockOptions } from './lock-options';
import { EXTEND_LUA, GRANT_LUA, RELEASE_LUA } from './lock-scripts';
import { RedisLock, type LockStore } from './redis-lock';

/** How long and how to ask for a lock. */
export interface AcquireOptions {
  /** The lock expires this long after the grant unless extended. @default the module's `defaultTtlMs` (30 s) */
  ttlMs?: number;
  /** How long to keep asking while someone else holds it; 0: ask once. @default 0 */
  waitMs?: number;
  /** Extend the lock every third of its time to live until it is released. @default false */
  autoRenew?: boolean;
}

/** A lock name: 1 to 200 characters, without braces (they would change its Redis Cluster slot). */
const LOCK_NAME = /^[^{}]{1,200}$/;
/** Pauses between two asks while waiting: from 20 ms, doubling, to 500 ms at most, with jitter. */
const FIRST_PAUSE_MS = 20;
const LONGEST_PAUSE_MS = 500;

const grant = new RedisScript(GRANT_LUA);
const extension = new RedisScript(EXTEND_LUA);
const release = new RedisScript(RELEASE_LUA);

/**
 * Distributed locks with fencing tokens, on the primary (never answered from memory: a lock is
 * shared state). A grant is returned only once `replicas` replicas confirmed it (`WAIT`), so that a
 * failover cannot lose it and hand the lock out again with a lower or equal fence; releases and
 * extensions are checked against the holder in Lua.
 *
 * @example
 * await locks.withLock(`invoice:${id}`, async (lock) => {
 *   await storage.write(invoice, { fence: lock.fence }); // storage refuses fences lower than it has seen
 * });
 */
@Injectable()
export class RedisLockService {
  private readonly logger = new Logger('RedisLock');
  private readonly scripts: ConfirmedScripts;
  private readonly keys: KeyNamespace;
  private readonly held = new AsyncLocalStorage<ReadonlyMap<string, RedisLock>>();
  /**
   * Tokens: a random prefix of this instance and a counter. A token must only be unique (it tells
   * holders apart; it grants nothing), and this costs no random bytes per grant.
   */
  private readonly tokenPrefix = randomBytes(12).toString('base64url');
  private tokens = 0;
  /** What the locks it grants call back. */
  private readonly store: LockStore = {
    extend: (lock, ttlMs) => this.extend(lock, ttlMs),
    release: (lock) => this.release(lock),
    renewalFailed: (lock, error) => this.logger.warn(lockLine('redis.lock-renewal-failed', lock, error)),
  };

  constructor(
    @Inject(LOCK_RESOLVED_OPTIONS) private readonly options: ResolvedLockOptions,
    private readonly executor: RedisExecutor,
    connections: RedisConnections,
    keyspace: RedisKeyspace,
  ) {
    this.scripts = new ConfirmedScripts(connections, 'locks', options.replicas, options.replicationTimeoutMs);
    this.keys = keyspace.namespace('lock:');
  }

  /**
   * Takes the lock `name`, waiting up to `waitMs` while someone else holds it.
   * @throws RedisLockBusyError when it stayed held; RedisLockNotReplicatedError when the grant was
   *   not confirmed by enough replicas (it is released again); RangeError for a bad name or time; and
   *   the executor's typed errors (RedisUnavailableError, RedisOutcomeUnknownError).
   */
  async acquire(name: string, options: AcquireOptions = {}): Promise<RedisLock> {
    const ttlMs = options.ttlMs ?? this.options.defaultTtlMs;
    const waitMs = options.waitMs ?? 0;
    checkRequest(name, ttlMs, waitMs);
    const token = `${this.tokenPrefix}${(this.tokens += 1).toString(36)}`;
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const sentAt = Date.now();
      const fence = await this.grant(name, token, ttlMs);
      if (fence > 0) return new RedisLock(name, token, fence, ttlMs, sentAt, this.store, options.autoRenew ?? false);
      const left = deadline - Date.now();
      if (left <= 0) throw new RedisLockBusyError(name, waitMs);
      const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt);
      await sleep(Math.min(left, pause / 2 + Math.random() * (pause / 2)));
    }
  }

  /** Like {@link acquire}, but answers null instead of throwing `RedisLockBusyError`. */
  async tryAcquire(name: string, options: AcquireOptions = {}): Promise<RedisLock | null> {
    try {
      return await this.acquire(name, options);
    } catch (error) {
      if (error instanceof RedisLockBusyError) return null;
      throw error;
    }
  }

  /**
   * Runs `work` while holding `name` (renewed automatically), then releases it, whatever `work`
   * did. Inside `work`, {@link heldLock} finds the lock. Stop when `lock.signal` aborts: the lock
   * is lost.
   */
  async withLock<T>(name: string, work: (lock: RedisLock) => Promise<T>, options: AcquireOptions = {}): Promise<T> {
    const lock = await this.acquire(name, { autoRenew: true, ...options });
    const held = new Map(this.held.getStore() ?? []);
    held.set(name, lock);
    try {
      return await this.held.run(held, () => work(lock));
    } finally {
      await lock
        .release()
        .catch((error: unknown) => this.logger.warn(lockLine('redis.lock-release-failed', lock, error)));
    }
  }

  /** The lock `name` that the current call holds through {@link withLock} (or `@WithLock`), if any. */
  heldLock(name: string): RedisLock | undefined {
    return this.held.getStore()?.get(name);
  }

  private async extend(lock: RedisLock, ttlMs: number): Promise<boolean> {
    checkRequest(lock.name, ttlMs, 0);
    const answer = await this.executor.write({
      name: 'lock.extend',
      primary: this.scripts.client,
      idempotent: true,
      redis: (client) =>
        this.durably(client, lock.name, extension, [this.keys.inSlot(lock.name, '')], [lock.value, ttlMs]),
    });
    return answer.value > 0;
  }

  private async release(lock: RedisLock): Promise<boolean> {
    // Not idempotent: sent again after a lost answer, it would say "not held" of a lock it released.
    const answer = await this.executor.write({
      name: 'lock.release',
      primary: this.scripts.client,
      redis: async (client) => Number(await release.run(client, [this.keys.inSlot(lock.name, '')], [lock.value])),
    });
    return answer.value > 0;
  }

  /** The new fence, the one this token already has, or 0 while someone else holds the lock. */
  private async grant(name: string, token: string, ttlMs: number): Promise<number> {
    const keys = [this.keys.inSlot(name, ''), this.keys.inSlot(name, ':fence')];
    const answer = await this.executor.write({
      name: 'lock.acquire',
      primary: this.scripts.client,
      // Sent again after a lost answer, the same token gets the same fence back.
      idempotent: true,
      redis: async (client) => {
        try {
          return await this.durably(client, name, grant, keys, [token, ttlMs]);
        } catch (error) {
          // Granted on the primary only: give it back (its expiry would, later) and say why.
          if (error instanceof RedisLockNotReplicatedError) {
            await release.run(client, [keys[0]], [`${error.fence}:${token}`]).catch(() => undefined);
          }
          throw error;
        }
      },
    });
    return answer.value;
  }

  /** Runs `script`; a positive result (it wrote) must be confirmed by the replicas. */
  private async durably(
    client: RedisClient,
    name: string,
    script: RedisScript,
    keys: string[],
    args: (string | number)[],
  ): Promise<number> {
    const { reply, unconfirmed } = await this.scripts.run(client, script, keys, args, (r) => Number(r) > 0);
    const result = Number(reply);
    if (unconfirmed !== null) throw new RedisLockNotReplicatedError(name, unconfirmed, this.options.replicas, result);
    return result;
  }
}

function checkRequest(name: string, ttlMs: number, waitMs: number): void {
  if (!LOCK_NAME.test(name)) throw new RangeError(`a lock name has 1 to 200 characters and no braces, got "${name}"`);
  if (!Number.isInteger(ttlMs) || ttlMs < LOCK_TTL_RANGE.min || ttlMs > LOCK_TTL_RANGE.max) {
    throw new RangeError(`ttlMs must be an integer from ${LOCK_TTL_RANGE.min} to ${LOCK_TTL_RANGE.max}, got ${ttlMs}`);
  }
  if (!Number.isInteger(waitMs) || waitMs < 0) throw new RangeError(`waitMs must be an integer from 0, got ${waitMs}`);
}

function lockLine(event: string, lock: RedisLock, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return logEvent(event, { lock: lock.name, fence: lock.fence, reason }, `lock "${lock.name}": ${reason}`);
}
