export { RateLimiterUnavailableError } from './errors/rate-limiter-unavailable.error';
export { takeTokens, type BucketDecision, type BucketState, type TokenBucketPolicy } from './policies/token-bucket';
export { parseDuration, parseRateSpec } from './duration';
export { RATE_LIMIT_DEFAULTS } from './rate-limit.constants';
export { RateLimit, SkipRateLimit, type RateLimitKey, type RateLimitRule } from './rate-limit.decorator';
export { RateLimitGuard } from './rate-limit.guard';
export { setRateLimitHeaders } from './rate-limit-headers';
export { RateLimitModule } from './rate-limit.module';
export type {
  RateLimitModuleOptions,
  RedisFailurePolicy,
  ResolvedRateLimitOptions,
} from './rate-limit-options.interface';
export { RateLimiterService, type RateLimitSpec, type RateLimitResult } from './rate-limiter.service';
export { resolveRateLimitOptions } from './resolve-rate-limit-options';
