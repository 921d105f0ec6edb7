import { RedisLockLostError } from '../errors/redis-lock-lost.error';

/** What a held lock asks of the service that granted it. */
export interface LockStore {
  /** @returns false when the lock is no longer held by this grant. */
  extend(lock: RedisLock, ttlMs: number): Promise<boolean>;
  /** @returns false when the lock was no longer held by this grant. */
  release(lock: RedisLock): Promise<boolean>;
  /** A renewal failed for another reason than the lock being lost (Redis unreachable, say). */
  renewalFailed(lock: RedisLock, error: unknown): void;
}

/**
 * One grant of a lock. `fence` increases strictly with each grant of the name: pass it to the
 * storage you write to, and have it refuse a write with a lower fence than one it has seen, so that
 * a holder that lost the lock without knowing (a long pause, an expiry) cannot overwrite its
 * successor's work. `signal` aborts when the lock is lost (its expiry passed without an extension,
 * or an extension found it gone) or released.
 */
export class RedisLock {
  /** Made on first use of {@link signal}: most holders never ask for it, and it is not free. */
  private controller?: AbortController;
  /** Why the lock is no longer held; undefined while it is. */
  private lostWith?: RedisLockLostError | string;
  private expiresAtMs: number;
  private expiryTimer?: NodeJS.Timeout;
  private renewalTimer?: NodeJS.Timeout;

  /**
   * @param sentAt when the grant was asked for: its expiry counts from then, so that this side
   *   never thinks it holds the lock longer than Redis does.
   */
  constructor(
    readonly name: string,
    readonly token: string,
    readonly fence: number,
    private ttlMs: number,
    sentAt: number,
    private readonly store: LockStore,
    autoRenew: boolean,
  ) {
    this.expiresAtMs = sentAt + ttlMs;
    this.armExpiry();
    if (autoRenew) {
      this.renewalTimer = setInterval(() => void this.renew(), Math.max(Math.floor(ttlMs / 3), 50));
      this.renewalTimer.unref();
    }
  }

  /** Aborted, with a `RedisLockLostError` as its reason, once the lock is no longer held. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.lostWith !== undefined) this.controller.abort(this.lostError());
    }
    return this.controller.signal;
  }

  /** The value the lock key holds while this grant has it. */
  get value(): string {
    return `${this.fence}:${this.token}`;
  }

  /** When the lock expires unless extended, as this side counts it (never later than Redis). */
  get expiresAt(): Date {
    return new Date(this.expiresAtMs);
  }

  /** Whether this grant still holds the lock, as far as this side knows. */
  get held(): boolean {
    return this.lostWith === undefined && Date.now() < this.expiresAtMs;
  }

  /**
   * Sets the lock to expire `ttlMs` from now (by default its time to live), if it is still held.
   * @throws RedisLockLostError when it is not (and then `signal` aborts); RedisLockNotReplicatedError,
   *   and the executor's typed errors, when the extension is not known to be safe.
   */
  async extend(ttlMs: number = this.ttlMs): Promise<void> {
    if (this.lostWith !== undefined) throw this.lostError();
    const sentAt = Date.now();
    if (!(await this.store.extend(this, ttlMs))) {
      this.lose('it expired before the extension, or was taken');
      throw this.lostError();
    }
    this.ttlMs = ttlMs;
    this.expiresAtMs = sentAt + ttlMs;
    this.armExpiry();
  }

  /**
   * Releases the lock if this grant still holds it; `signal` aborts.
   * @returns true when released; false when it was no longer held (expired, taken, or released).
   * @throws RedisOutcomeUnknownError when Redis did not answer: it may or may not be released (it
   *   expires by itself at its time to live).
   */
  async release(): Promise<boolean> {
    if (this.lostWith !== undefined) return false;
    this.lose('released');
    return this.store.release(this);
  }

  private async renew(): Promise<void> {
    try {
      await this.extend();
    } catch (error) {
      if (!(error instanceof RedisLockLostError)) this.store.renewalFailed(this, error);
    }
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => this.lose('its time to live ran out'), this.expiresAtMs - Date.now());
    this.expiryTimer.unref();
  }

  /** Marks the lock lost; the error (with its stack) is made only when someone will see it. */
  private lose(reason: string): void {
    clearTimeout(this.expiryTimer);
    clearInterval(this.renewalTimer);
    if (this.lostWith === undefined) this.lostWith = reason;
    if (this.controller && !this.controller.signal.aborted) this.controller.abort(this.lostError());
  }

  private lostError(): RedisLockLostError {
    if (typeof this.lostWith === 'string') this.lostWith = new RedisLockLostError(this.name, this.fence, this.lostWith);
    return this.lostWith!;
  }
}
