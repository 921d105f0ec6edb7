import { RedisConfigError, formatConfigIssues, type ConfigIssueNaming } from '@sentinel-kit/redis';
import { z } from 'zod';
import { RATE_LIMIT_DEFAULTS } from '../rate-limit.constants';
import { RULE_NAME_PATTERN, rateLimitRuleSchema } from './rate-limit-rule.schema';
import type { RateLimitModuleOptions, ResolvedRateLimitOptions } from './rate-limit-options.interface';

const schema = z.strictObject({
  defaultRule: rateLimitRuleSchema.optional(),
  rules: z
    .record(
      z.string().regex(RULE_NAME_PATTERN, 'expected rule names of 1-64 letters, digits, "_", "." or "-"'),
      rateLimitRuleSchema,
    )
    .optional(),
  legacyHeaders: z.boolean('expected true or false').optional(),
  onRedisFailure: z.enum(['memory', 'open', 'closed'], 'expected memory, open or closed').optional(),
  memoryMaxKeys: z
    .int('expected an integer')
    .min(1, 'expected an integer from 1 to 10000000')
    .max(10_000_000, 'expected an integer from 1 to 10000000')
    .optional(),
  ipv6PrefixBits: z
    .int('expected an integer')
    .min(32, 'expected an integer from 32 to 128')
    .max(128, 'expected an integer from 32 to 128')
    .optional(),
});

/**
 * Validates rate-limit options, applies defaults and freezes them.
 * @param naming how problems name the options (environment variable names, for instance).
 * @throws RedisConfigError (subject `rate-limit`) listing every problem.
 */
export function resolveRateLimitOptions(
  options: RateLimitModuleOptions,
  naming: ConfigIssueNaming = {},
): ResolvedRateLimitOptions {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, naming), 'rate-limit');
  return Object.freeze({
    defaultRule: parsed.data.defaultRule,
    rules: Object.freeze({ ...parsed.data.rules }),
    legacyHeaders: parsed.data.legacyHeaders ?? true,
    onRedisFailure: parsed.data.onRedisFailure ?? RATE_LIMIT_DEFAULTS.onRedisFailure,
    memoryMaxKeys: parsed.data.memoryMaxKeys ?? RATE_LIMIT_DEFAULTS.memoryMaxKeys,
    ipv6PrefixBits: parsed.data.ipv6PrefixBits ?? RATE_LIMIT_DEFAULTS.ipv6PrefixBits,
  });
}
