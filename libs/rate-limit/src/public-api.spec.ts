import { join } from 'node:path';
import { exportedNames } from '@sentinel-kit/test-support';

/**
 * Every name `@sentinel-kit/rate-limit` exports, values and types. Widening the public API is a decision: make
 * it here, in the same change.
 */
const PUBLIC_API = [
  'BucketState',
  'GcraState',
  'LimitParameters',
  'MemoryDecision',
  'RATE_LIMIT_ALGORITHMS',
  'RATE_LIMIT_DEFAULTS',
  'RATE_LIMIT_ENV_VARIABLES',
  'RateLimit',
  'RateLimitAlgorithm',
  'RateLimitAlgorithmName',
  'RateLimitDecision',
  'RateLimitGuard',
  'RateLimitKey',
  'RateLimitModule',
  'RateLimitModuleOptions',
  'RateLimitResult',
  'RateLimitRule',
  'RateLimitSpec',
  'RateLimiterService',
  'RateLimiterUnavailableError',
  'RateLimiterUnavailableFilter',
  'RedisFailurePolicy',
  'ResolvedRateLimitOptions',
  'SkipRateLimit',
  'SlidingWindowState',
  'clientAddressKey',
  'gcra',
  'parseDuration',
  'parseRateSpec',
  'resolveRateLimitEnv',
  'resolveRateLimitOptions',
  'setRateLimitHeaders',
  'slidingWindow',
  'tokenBucket',
];

/** The subpath entries, each for the apps that have the optional peer it needs. */
const SUBPATH_API = {
  config: ['rateLimitEnvConfig'],
  throttler: ['RedisThrottlerStorage'],
};

describe('@sentinel-kit/rate-limit', () => {
  it('exports exactly its public API', () => {
    expect(exportedNames(join(__dirname, 'index.ts'))).toEqual(PUBLIC_API);
  });

  it.each(Object.entries(SUBPATH_API))('exports exactly its API from @sentinel-kit/rate-limit/%s', (subpath, names) => {
    expect(exportedNames(join(__dirname, `${subpath}-entry.ts`))).toEqual(names);
  });
});
