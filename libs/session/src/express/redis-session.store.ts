import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  REDIS_RESOLVED_OPTIONS,
  RedisConnections,
  RedisExecutor,
  type ResolvedRedisOptions,
} from '@sentinel-kit/redis';
import { Store, type SessionData } from 'express-session';
import type { ResolvedSessionOptions } from '../options/session-options.interface';
import { SESSION_DEFAULTS, SESSION_RESOLVED_OPTIONS } from '../session.constants';
import { DurableWriter } from '../store/durable-writer';

const SET_WITH_EXPIRY = `redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2]) return 1`;
const EXPIRE_AT = `return redis.call('PEXPIREAT', KEYS[1], ARGV[1])`;
const DELETE = `return redis.call('DEL', KEYS[1])`;
/** Keys fetched per SCAN step by `all`, `length` and `clear`. */
const SCAN_COUNT = 500;

type Callback<T = void> = (error?: unknown, result?: T) => void;

/**
 * An `express-session` store on the same high-availability Redis layer as `SessionService`:
 * `set` and `destroy` are durable (acknowledged after a replica confirmed them in `replicated`
 * mode), reads come from the primary, and the in-memory fallback answers while Redis is
 * unreachable. With the fallback off the store emits `disconnect` when Redis is lost and `connect`
 * when it is back, so express-session's own bypass applies.
 *
 * @example
 * app.use(session({ store: app.get(RedisSessionStore), secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
 */
@Injectable()
export class RedisSessionStore extends Store implements OnModuleInit {
  /** `<REDIS_KEY_PREFIX>express-session:`. */
  private readonly keyPrefix: string;

  constructor(
    @Inject(SESSION_RESOLVED_OPTIONS) private readonly options: ResolvedSessionOptions,
    @Inject(REDIS_RESOLVED_OPTIONS) private readonly redisOptions: ResolvedRedisOptions,
    private readonly writer: DurableWriter,
    private readonly executor: RedisExecutor,
    private readonly connections: RedisConnections,
  ) {
    super();
    this.keyPrefix = `${redisOptions.keyPrefix}${SESSION_DEFAULTS.expressSessionKeyPrefix}`;
  }

  onModuleInit(): void {
    if (this.redisOptions.fallback.enabled) return;
    this.connections.write.on('ready', () => this.emit('connect'));
    this.connections.write.on('reconnecting', () => this.emit('disconnect'));
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    settle(
      this.executor.write({
        name: 'express-session.get',
        redis: (client) => client.get(this.key(sid)),
        memory: (store) => store.get(this.key(sid)),
      }),
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
        memory: (store) => {
          store.set(this.key(sid), text, (expiresAt - Date.now()) / 1000);
          return 1;
        },
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
        memory: (store) => Number(store.expire(this.key(sid), (expiresAt - Date.now()) / 1000)),
      }),
      () => undefined,
      callback,
    );
  }

  override destroy(sid: string, callback?: Callback): void {
    settle(
      this.writer.run({
        name: 'express-session.destroy',
        script: DELETE,
        keys: [this.key(sid)],
        args: [],
        durable: true,
        memory: (store) => store.del([this.key(sid)]),
      }),
      () => undefined,
      callback,
    );
  }

  override all(callback: Callback<SessionData[] | { [sid: string]: SessionData } | null>): void {
    settle(this.scanSessions(), (sessions) => Object.fromEntries(sessions), callback);
  }

  override length(callback: Callback<number>): void {
    settle(this.scanKeys(), (keys) => keys.length, callback);
  }

  override clear(callback?: Callback): void {
    const removeAll = async (): Promise<void> => {
      const keys = await this.scanKeys();
      for (let i = 0; i < keys.length; i += SCAN_COUNT) {
        const batch = keys.slice(i, i + SCAN_COUNT).map((sid) => this.key(sid));
        await this.executor.write({ name: 'express-session.clear', redis: (client) => client.del(...batch) });
      }
    };
    settle(removeAll(), () => undefined, callback);
  }

  private key(sid: string): string {
    return this.keyPrefix + sid;
  }

  /** The cookie's expiry, or now + the session TTL for a browser-session cookie. */
  private expiresAt(session: SessionData): number {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : NaN;
    return Number.isFinite(expires) ? expires : Date.now() + this.options.ttlSeconds * 1000;
  }

  /** Session ids of every stored session (SCAN on the primary; needs Redis). */
  private async scanKeys(): Promise<string[]> {
    const { keyPrefix } = this;
    return this.executor.write({
      name: 'express-session.scan',
      redis: async (client) => {
        const sids: string[] = [];
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(keyPrefix)}*`, 'COUNT', SCAN_COUNT);
          cursor = next;
          sids.push(...keys.map((k) => k.slice(keyPrefix.length)));
        } while (cursor !== '0');
        return sids;
      },
    });
  }

  private async scanSessions(): Promise<[string, SessionData][]> {
    const sids = await this.scanKeys();
    const entries: [string, SessionData][] = [];
    for (let i = 0; i < sids.length; i += SCAN_COUNT) {
      const batch = sids.slice(i, i + SCAN_COUNT);
      const texts = await this.executor.write({
        name: 'express-session.all',
        redis: (client) => client.mget(...batch.map((sid) => this.key(sid))),
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
