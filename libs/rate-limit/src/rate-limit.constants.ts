/** Injection token of the frozen {@link ResolvedRateLimitOptions}. */
export const RATE_LIMIT_RESOLVED_OPTIONS = Symbol('RATE_LIMIT_RESOLVED_OPTIONS');

/** Defaults for every rate-limit option, in one place. */
export const RATE_LIMIT_DEFAULTS = Object.freeze({
  /** What happens while Redis cannot answer. */
  onRedisFailure: 'memory' as const,
  /** Buckets kept by the in-memory fallback (least recently used go first). */
  memoryMaxKeys: 100_000,
  /** IPv6 clients share the bucket of their network of this many bits. */
  ipv6PrefixBits: 64,
  /** Key namespace under the Redis key prefix. */
  keyNamespace: 'rate-limit:',
  /** Keys longer than this are replaced by their SHA-256. */
  maxKeyLength: 200,
});
