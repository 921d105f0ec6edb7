import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RedisExecutor, RedisKeyspace, type RedisModuleError, type KeyNamespace } from '@sentinel-kit/redis';
import { RedisConnections, type MemoryStore, RedisScript } from '@sentinel-kit/redis/internal';
import { Store, type SessionData } from 'express-session';
import type { ResolvedSessionOptions } from '../options/session-options.interface';
import { SESSION_DEFAULTS, SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { DurableWriter, type ScriptedWrite } from '../repository/durable-writer';
import { PendingSignOuts } from '../repository/pending-sign-outs';

const SET_WITH_EXPIRY = new RedisScript(`redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) return 1`);
const EXPIRE_AT = new RedisScript(`return redis.call('PEXPIREAT', KEYS[1], ARGV[1])`);
const DELETE = new RedisScript(`return redis.call('DEL', KEYS[1])`);
/** Keys fetched per SCAN step by `all`, `length` and `clear`. */
const SCAN_COUNT = 500;

type Callback<T = void> = (error?: unknown, result?: T) => void;
type MemoryAnswer<T> = ((store: MemoryStore, failure: RedisModuleError) => T) | undefined;

/**
 * An `express-session` store on the same high-availability Redis layer as `SessionService`, under
 * the same degradation contract: `set` and `destroy` are durable (acknowledged after a replica
 * confirmed them in `replicated` mode), reads come from the primary, and calls are held through a
 * failover. While Redis cannot answer, a session is never reported absent: `get` fails (and
 * express-session passes the error on) unless this instance's memory knows the answer
 * (`fallback: 'memory'`, where a `destroy` is kept pending and replayed to Redis). `all`, `length`
 * and `clear` need Redis; they never return a partial result (a scan that a failover interrupts
 * starts over). With the session fallback off, the store emits `disconnect` when Redis is lost and
 * `connect` when it is back, so express-session's own bypass applies.
 *
 * Provide it in the module that imports `SessionModule` (`providers: [RedisSessionStore]`).
 *
 * @example
 * app.use(session({ store: app.get(RedisSessionStore), secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
 */
@Injectable()
export class RedisSessionStore extends Store implements OnModuleInit, OnApplicationShutdown {
  /** `<REDIS_KEY_PREFIX>express-session:<sid>`. */
  private readonly sessions: KeyNamespace;
  private readonly memoryFallback: boolean;
  private readonly signOuts: PendingSignOuts;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    keyspace: RedisKeyspace,
    private readonly writer: DurableWriter,
    private readonly executor: RedisExecutor,
    private readonly connections: RedisConnections,
  ) {
    super();
    this.sessions = keyspace.namespace(SESSION_DEFAULTS.expressSessionKeyPrefix);
    this.memoryFallback = options.fallback === 'memory';
    this.signOuts = new PendingSignOuts(new Logger('SessionModule'));
  }

  onModuleInit(): void {
    if (this.memoryFallback) return;
    this.connections.write.on('ready', () => this.emit('connect'));
    this.connections.write.on('reconnecting', () => this.emit('disconnect'));
  }

  onApplicationShutdown(): void {
    this.signOuts.close();
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const key = this.key(sid);
    settle(
      this.signOuts.hides({ id: sid })
        ? Promise.resolve(null)
        : this.executor
            .readPrimary({
              name: 'express-session.get',
              redis: (client) => client.get(key),
              memoryNamespace: 'sessions',
              memory: this.inMemory((store, failure) => {
                const text = store.get(key);
                if (text === null) throw failure;
                return text;
              }),
            })
            .then(({ value }) => value),
      (text) => (text === null ? null : (JSON.parse(text) as SessionData)),
      callback,
    );
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    const text = JSON.stringify(session);
    const expiresAt = this.expiresAt(session);
    settle(
      this.writer.run({
        name: 'express-session.set',
        script: SET_WITH_EXPIRY,
        keys: [this.key(sid)],
        args: [text, expiresAt],
        durable: true,
        memory: this.inMemory((store) => {
          store.set(this.key(sid), text, (expiresAt - Date.now()) / 1000);
          return 1;
        }),
      }),
      () => undefined,
      callback,
    );
  }

  /** Renews the expiry (not waited on by replicas: losing a renewal only shortens the session). */
  override touch(sid: string, session: SessionData, callback?: Callback): void {
    const expiresAt = this.expiresAt(session);
    settle(
      this.writer.run({
        name: 'express-session.touch',
        script: EXPIRE_AT,
        keys: [this.key(sid)],
        args: [expiresAt],
        durable: false,
        memory: this.inMemory((store) => Number(store.expire(this.key(sid), (expiresAt - Date.now()) / 1000))),
      }),
      () => undefined,
      callback,
    );
  }

  /**
   * Deletes the session, durably. While Redis cannot be told: an error, or with the memory
   * fallback a pending sign-out, honoured here at once and replayed to Redis when it is back.
   */
  override destroy(sid: string, callback?: Callback): void {
    const until = Date.now() + this.options.absoluteTtlSeconds * 1000;
    settle(
      this.writer.run({
        ...this.removal(sid),
        memory: this.inMemory((store, failure) => {
          store.del([this.key(sid)]);
          if (!this.signOuts.signOutSession(sid, until, () => this.writer.run(this.removal(sid)))) throw failure;
          return 0;
        }),
        memoryAfterUnknown: true,
      }),
      () => undefined,
      callback,
    );
  }

  override all(callback: Callback<SessionData[] | { [sid: string]: SessionData } | null>): void {
    settle(this.scanSessions(), (sessions) => Object.fromEntries(sessions), callback);
  }

  override length(callback: Callback<number>): void {
    settle(this.scanIds(), (ids) => ids.length, callback);
  }

  override clear(callback?: Callback): void {
    const removeAll = async (): Promise<void> => {
      const keys = (await this.scanIds()).map((sid) => this.key(sid));
      for (let i = 0; i < keys.length; i += SCAN_COUNT) {
        const batch = keys.slice(i, i + SCAN_COUNT);
        await this.executor.write({
          name: 'express-session.clear',
          idempotent: true,
          redis: (c) => Promise.all(this.executor.keyGroups(batch).map((group) => c.del(group))),
        });
      }
    };
    settle(removeAll(), () => undefined, callback);
  }

  private key(sid: string): string {
    return this.sessions.key(sid);
  }

  private removal(sid: string): ScriptedWrite {
    return { name: 'express-session.destroy', script: DELETE, keys: [this.key(sid)], args: [], durable: true };
  }

  private inMemory<T>(answer: NonNullable<MemoryAnswer<T>>): MemoryAnswer<T> {
    return this.memoryFallback ? answer : undefined;
  }

  /** The cookie's expiry, or now + the session TTL for a browser-session cookie. */
  private expiresAt(session: SessionData): number {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : NaN;
    return Number.isFinite(expires) ? expires : Date.now() + this.options.ttlSeconds * 1000;
  }

  /** Ids of every stored session (SCAN on the primary; needs Redis), less those signed out here. */
  private async scanIds(): Promise<string[]> {
    const { prefix } = this.sessions;
    const keys = await this.executor.scanKeys(`${escapeGlob(prefix)}*`, SCAN_COUNT);
    return keys.map((key) => key.slice(prefix.length)).filter((sid) => !this.signOuts.hides({ id: sid }));
  }

  private async scanSessions(): Promise<[string, SessionData][]> {
    const sids = await this.scanIds();
    const entries: [string, SessionData][] = [];
    for (let i = 0; i < sids.length; i += SCAN_COUNT) {
      const batch = sids.slice(i, i + SCAN_COUNT);
      const { value: texts } = await this.executor.readPrimary({
        name: 'express-session.all',
        redis: (client) =>
          this.executor.perKeyGroup(
            batch.map((sid) => this.key(sid)),
            (group) => client.mget(group),
          ),
      });
      texts.forEach((text, j) => text !== null && entries.push([batch[j], JSON.parse(text) as SessionData]));
    }
    return entries;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Bridges a promise to express-session's callback style. */
function settle<T, R>(promise: Promise<T>, map: (value: T) => R, callback?: Callback<R>): void {
  promise.then(
    (value) => {
      let result: R;
      try {
        result = map(value);
      } catch (error) {
        callback?.(error);
        return;
      }
      callback?.(undefined, result);
    },
    (error: unknown) => callback?.(error),
  );
}
