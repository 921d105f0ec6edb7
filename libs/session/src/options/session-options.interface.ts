/**
 * `replicated`: a write is acknowledged only once `replicas` replicas confirmed it (`WAIT`).
 * `primary`: acknowledged when the primary applied it (may be lost in a failover).
 */
export type SessionDurability = 'replicated' | 'primary';

/**
 * What sessions do while Redis cannot answer. `none`: calls wait out a failover, then fail
 * (`RedisUnavailableError` / `RedisOutcomeUnknownError`, a 503); nothing is answered from one
 * instance's memory. `memory`: sessions created meanwhile live in this instance only
 * (`source: 'memory'`), and sign-outs are honoured here at once and replayed to Redis when it is
 * back; sessions stored in Redis read as unavailable, never as absent.
 */
export type SessionFallback = 'memory' | 'none';

/** What `SessionModule.forRoot` takes and the `SESSION_*` environment variables produce. */
export interface SessionModuleOptions {
  /** Sliding lifetime. @default 1800 */
  ttlSeconds?: number;
  /** Absolute maximum lifetime; at least `ttlSeconds`. @default 86400 */
  absoluteTtlSeconds?: number;
  /** Renew the expiry when a session is read. @default true */
  sliding?: boolean;
  /** Maximum size of a session's data as JSON, in bytes. @default 16384 */
  maxBytes?: number;
  /**
   * Live sessions one user may have: a new session past it evicts that user's session that expires
   * first (with sliding expiry, the least recently used). @default 100
   */
  maxPerUser?: number;
  /** @default 'replicated' in Sentinel mode, 'primary' in standalone mode */
  durability?: SessionDurability;
  /** Replicas that must confirm a durable write. @default 1 */
  replicas?: number;
  /** How long to wait for them, below the Redis command timeout. @default 250 */
  replicationTimeoutMs?: number;
  /** `error`: an unconfirmed write fails with `SessionNotReplicatedError`; `warn`: it is logged and succeeds. @default 'error' */
  onUnreplicated?: 'error' | 'warn';
  /**
   * @default 'none' in Sentinel mode (other instances may exist and could not see a session kept
   * in one instance's memory); in standalone mode 'memory' when the Redis module's fallback is on
   */
  fallback?: SessionFallback;
}

/** Validated, frozen session options. */
export interface ResolvedSessionOptions {
  readonly ttlSeconds: number;
  readonly absoluteTtlSeconds: number;
  readonly sliding: boolean;
  readonly maxBytes: number;
  readonly maxPerUser: number;
  readonly durability: SessionDurability;
  readonly replicas: number;
  readonly replicationTimeoutMs: number;
  readonly onUnreplicated: 'error' | 'warn';
  readonly fallback: SessionFallback;
}
