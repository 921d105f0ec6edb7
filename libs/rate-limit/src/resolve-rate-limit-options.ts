import { RedisConfigError, formatConfigIssues } from '@sentinel-kit/redis';
import { z } from 'zod';
import { RATE_LIMIT_DEFAULTS } from './rate-limit.constants';
import type { RateLimitModuleOptions, ResolvedRateLimitOptions } from './rate-limit-options.interface';

const schema = z.strictObject({
  onRedisFailure: z.enum(['memory', 'open', 'closed'], 'expected memory, open or closed').optional(),
  memoryMaxKeys: z
    .int('expected an integer')
    .min(1, 'expected an integer from 1 to 10000000')
    .max(10_000_000, 'expected an integer from 1 to 10000000')
    .optional(),
});

/**
 * Validates rate-limit options, applies defaults and freezes them.
 * @throws RedisConfigError (subject `rate-limit`) listing every problem.
 */
export function resolveRateLimitOptions(options: RateLimitModuleOptions): ResolvedRateLimitOptions {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues), 'rate-limit');
  return Object.freeze({
    onRedisFailure: parsed.data.onRedisFailure ?? RATE_LIMIT_DEFAULTS.onRedisFailure,
    memoryMaxKeys: parsed.data.memoryMaxKeys ?? RATE_LIMIT_DEFAULTS.memoryMaxKeys,
  });
}
