import type { LoggerService } from '@nestjs/common';
import { logEvent } from '@sentinel-kit/redis';
import { SESSION_DEFAULTS } from '../session.constants';

/** A sign-out that Redis has not been told of yet. */
interface PendingSignOut {
  /** After this (epoch ms), what it signs out has expired anyway, and it is dropped. */
  readonly until: number;
  /** Tells Redis; resolves once Redis applied it. */
  readonly replay: () => Promise<unknown>;
}

/** A sign-out of every session of a user created up to a moment. */
interface PendingUserSignOut extends PendingSignOut {
  readonly createdUpTo: number;
}

/** What a sign-out hides: a session id, and (when known) the session's user and creation time. */
export interface SignedOutProbe {
  id: string;
  userId?: string;
  createdAt?: number;
}

/**
 * Sign-outs this instance accepted while Redis could not be told (tombstones; memory fallback
 * only): honoured here at once (the sessions they name read as absent), and replayed to Redis every
 * `retryMs` until Redis applied them, so that a signed-out session never comes back when Redis
 * does. Bounded: when `max` are pending, a new one is refused and the caller must fail instead.
 */
export class PendingSignOuts {
  private readonly sessions = new Map<string, PendingSignOut>();
  private readonly users = new Map<string, PendingUserSignOut>();
  private timer?: NodeJS.Timeout;
  private replaying = false;

  private readonly max: number;
  private readonly retryMs: number;
  private readonly clock: { now(): number };

  /**
   * @param options.max sign-outs kept pending at most. @default SESSION_DEFAULTS.maxPendingSignOuts
   * @param options.retryMs pause between two replays. @default SESSION_DEFAULTS.signOutReplayIntervalMs
   * @param options.clock time source in epoch ms (tests pass a fake one).
   */
  constructor(
    private readonly logger: LoggerService,
    options: { max?: number; retryMs?: number; clock?: { now(): number } } = {},
  ) {
    this.max = options.max ?? SESSION_DEFAULTS.maxPendingSignOuts;
    this.retryMs = options.retryMs ?? SESSION_DEFAULTS.signOutReplayIntervalMs;
    this.clock = options.clock ?? Date;
  }

  /** Sign-outs waiting for Redis. */
  get size(): number {
    return this.sessions.size + this.users.size;
  }

  /** Whether a pending sign-out covers this session. */
  hides(session: SignedOutProbe): boolean {
    if (this.size === 0) return false;
    const now = this.clock.now();
    if (live(this.sessions.get(session.id), now)) return true;
    if (session.userId === undefined || session.createdAt === undefined) return false;
    const user = this.users.get(session.userId);
    return live(user, now) && session.createdAt <= user.createdUpTo;
  }

  /**
   * Signs session `id` out here until `until`, and schedules `replay`.
   * @returns false when too many sign-outs are pending (nothing recorded).
   */
  signOutSession(id: string, until: number, replay: () => Promise<unknown>): boolean {
    return this.add(this.sessions, id, { until, replay });
  }

  /**
   * Signs out every session of `userId` created up to `createdUpTo`, here until `until`, and
   * schedules `replay`.
   * @returns false when too many sign-outs are pending (nothing recorded).
   */
  signOutUser(userId: string, createdUpTo: number, until: number, replay: () => Promise<unknown>): boolean {
    const earlier = this.users.get(userId);
    return this.add(this.users, userId, {
      createdUpTo: Math.max(createdUpTo, earlier?.createdUpTo ?? 0),
      until: Math.max(until, earlier?.until ?? 0),
      replay,
    });
  }

  /** Tells Redis of every pending sign-out once; those applied (or expired) are forgotten. */
  async replay(): Promise<void> {
    if (this.replaying) return;
    this.replaying = true;
    try {
      for (const entries of [this.sessions, this.users] as Map<string, PendingSignOut>[]) {
        for (const [key, entry] of [...entries]) {
          if (entry.until <= this.clock.now()) {
            entries.delete(key);
            continue;
          }
          try {
            await entry.replay();
            // A newer sign-out of the same key may have replaced this one meanwhile: keep that one.
            if (entries.get(key) === entry) entries.delete(key);
          } catch {
            // Redis still cannot take it: the next round tries again.
          }
        }
      }
    } finally {
      this.replaying = false;
      if (this.size === 0 && this.timer) {
        this.close();
        this.logger.log(logEvent('session.sign-outs-replayed', {}, 'every pending sign-out is applied in Redis'));
      }
    }
  }

  /** Stops the replay timer (at application shutdown). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private add<T extends PendingSignOut>(entries: Map<string, T>, key: string, entry: T): boolean {
    if (!entries.has(key) && this.size >= this.max) return false;
    entries.set(key, entry);
    if (!this.timer) {
      this.logger.warn(
        logEvent(
          'session.sign-outs-pending',
          {},
          'a sign-out could not reach Redis: honoured by this instance, replayed to Redis until it applies',
        ),
      );
      this.timer = setInterval(() => void this.replay(), this.retryMs);
      this.timer.unref();
    }
    return true;
  }
}

function live<T extends PendingSignOut>(entry: T | undefined, now: number): entry is T {
  return entry !== undefined && entry.until > now;
}
