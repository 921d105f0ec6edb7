export { RateLimiterUnavailableError } from './errors/rate-limiter-unavailable.error';
export { RateLimiterUnavailableFilter } from './errors/rate-limiter-unavailable.filter';
export { RATE_LIMIT_ALGORITHMS } from './policies/algorithms';
export { gcra, type GcraState } from './policies/gcra';
export type {
  LimitParameters,
  MemoryDecision,
  RateLimitAlgorithm,
  RateLimitAlgorithmName,
  RateLimitDecision,
} from './policies/rate-limit-algorithm';
export { slidingWindow, type SlidingWindowState } from './policies/sliding-window';
export { tokenBucket, type BucketState } from './policies/token-bucket';
export { clientAddressKey } from './client-address';
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
} from './options/rate-limit-options.interface';
export { RateLimiterService, type RateLimitSpec, type RateLimitResult } from './rate-limiter.service';
export { RATE_LIMIT_ENV_VARIABLES, resolveRateLimitEnv } from './options/rate-limit-env';
export { resolveRateLimitOptions } from './options/resolve-rate-limit-options';
