/**
 * While Redis cannot answer: `memory` limits with a per-process bucket (approximate: each pod limits
 * alone), `open` lets requests through, `closed` refuses them (`RateLimiterUnavailableError`).
 */
export type RedisFailurePolicy = 'memory' | 'open' | 'closed';

import type { RateLimitRule } from '../rate-limit.decorator';

/** What `RateLimitModule.forRoot` takes. */
export interface RateLimitModuleOptions {
  /** Limit for every route that `RateLimitGuard` guards and that has no `@RateLimit()` of its own. */
  defaultRule?: RateLimitRule;
  /**
   * Rules by name, for `@RateLimit('name')`: limits that come from configuration at startup. A
   * rule's `name` defaults to its key here.
   */
  rules?: Readonly<Record<string, RateLimitRule>>;
  /** Also send `X-RateLimit-Limit/-Remaining/-Reset` for older clients. @default true */
  legacyHeaders?: boolean;
  /** @default 'memory' */
  onRedisFailure?: RedisFailurePolicy;
  /** Buckets kept by the in-memory fallback. @default 100000 */
  memoryMaxKeys?: number;
  /**
   * IPv6 clients share the bucket of their network of this many bits (`ip` keys): one subscriber
   * usually holds a whole /64. 128 keys each address alone. @default 64
   */
  ipv6PrefixBits?: number;
}

/** Validated, frozen options. */
export interface ResolvedRateLimitOptions {
  readonly defaultRule?: RateLimitRule;
  readonly rules: Readonly<Record<string, RateLimitRule>>;
  readonly legacyHeaders: boolean;
  readonly onRedisFailure: RedisFailurePolicy;
  readonly memoryMaxKeys: number;
  readonly ipv6PrefixBits: number;
}
