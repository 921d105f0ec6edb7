/**
 * While Redis cannot answer: `memory` limits with a per-process bucket (approximate: each pod limits
 * alone), `open` lets requests through, `closed` refuses them (`RateLimiterUnavailableError`).
 */
export type RedisFailurePolicy = 'memory' | 'open' | 'closed';

/** What `RateLimitModule.forRoot` takes. */
export interface RateLimitModuleOptions {
  /** @default 'memory' */
  onRedisFailure?: RedisFailurePolicy;
  /** Buckets kept by the in-memory fallback. @default 100000 */
  memoryMaxKeys?: number;
}

/** Validated, frozen options. */
export interface ResolvedRateLimitOptions {
  readonly onRedisFailure: RedisFailurePolicy;
  readonly memoryMaxKeys: number;
}
