/** Injection token of the frozen {@link ResolvedSessionOptions}. */
export const SESSION_RESOLVED_OPTIONS = Symbol('SESSION_RESOLVED_OPTIONS');

/** Defaults for every session option, in one place. */
export const SESSION_DEFAULTS = Object.freeze({
  /** Sliding lifetime of a session. */
  ttlSeconds: 1800,
  /** Absolute maximum lifetime, however often the session is used. */
  absoluteTtlSeconds: 86_400,
  /** Renew the expiry on every read. */
  sliding: true,
  /** Maximum size of a session's data, as JSON. */
  maxBytes: 16 * 1024,
  /** Live sessions one user may have; a new one past it evicts the one that expires first. */
  maxPerUser: 100,
  /** Replicas that must confirm a durable write. */
  replicas: 1,
  /** How long `WAIT` may wait for them; must stay below the Redis command timeout. */
  replicationTimeoutMs: 250,
  /** What an unconfirmed durable write does: fail the call, or log and succeed. */
  onUnreplicated: 'error',
  /** Random bytes in a session id (192 bits, 32 URL-safe characters). */
  idBytes: 24,
  /** Compare-and-set attempts of an update racing other writers. */
  maxUpdateAttempts: 10,
  /** Key namespaces under the Redis key prefix. */
  sessionKeyPrefix: 'session:',
  userIndexKeyPrefix: 'session-user:',
  revokedTokenKeyPrefix: 'revoked-token:',
  expressSessionKeyPrefix: 'express-session:',
  /** Keys that remember how many sessions a sign-out-everywhere removed, for a run sent again. */
  signOutResultKeyPrefix: 'session-sign-out:',
  /** How long that count is kept: longer than the longest write hold. */
  signOutResultTtlMs: 600_000,
  /** Sessions one run of a sign-out-everywhere script deletes at most, so that no run blocks Redis for long. */
  signOutBatchSize: 100,
  /** Sign-outs kept pending (memory fallback) at most; past it, a sign-out that cannot reach Redis fails. */
  maxPendingSignOuts: 10_000,
  /** How often pending sign-outs are replayed to Redis. */
  signOutReplayIntervalMs: 1000,
});
