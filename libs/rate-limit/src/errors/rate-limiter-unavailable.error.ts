import { RedisModuleError } from '@sentinel-kit/redis';

/** Redis cannot answer and the failure policy is `closed`: the request must be refused (503). */
export class RateLimiterUnavailableError extends RedisModuleError {
  readonly code = 'RATE_LIMITER_UNAVAILABLE';
}
