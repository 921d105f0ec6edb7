export { RateLimiterUnavailableError } from './errors/rate-limiter-unavailable.error';
export { takeTokens, type BucketDecision, type BucketState, type TokenBucketPolicy } from './policies/token-bucket';
export { RATE_LIMIT_DEFAULTS } from './rate-limit.constants';
export { RateLimitModule } from './rate-limit.module';
export type {
  RateLimitModuleOptions,
  RedisFailurePolicy,
  ResolvedRateLimitOptions,
} from './rate-limit-options.interface';
export { RateLimiterService, type RateLimit, type RateLimitResult } from './rate-limiter.service';
export { resolveRateLimitOptions } from './resolve-rate-limit-options';
