import { RedisConfigError, VALUE_IN_MESSAGE, formatConfigIssues, type ConfigIssueNaming } from '@sentinel-kit/redis';
import { z } from 'zod';
import { parseDuration } from '../duration';
import { RATE_LIMIT_DEFAULTS } from '../rate-limit.constants';
import type { RateLimitModuleOptions, ResolvedRateLimitOptions } from './rate-limit-options.interface';

const durationSchema = z.union([z.number(), z.string()]).superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, params: { [VALUE_IN_MESSAGE]: true } });
  }
});

const ruleSchema = z
  .strictObject({
    points: z.int('expected an integer').min(1, 'expected a positive integer'),
    duration: durationSchema,
    burst: z.int('expected an integer').min(1, 'expected a positive integer').optional(),
    key: z
      .union(
        [z.enum(['ip', 'user']), z.custom<(request: unknown) => string>((v) => typeof v === 'function')],
        'expected ip, user or a function',
      )
      .optional(),
    name: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"')
      .optional(),
    algorithm: z
      .enum(['token-bucket', 'gcra', 'sliding-window'], 'expected token-bucket, gcra or sliding-window')
      .optional(),
  })
  .refine((rule) => rule.algorithm !== 'sliding-window' || rule.burst === undefined, {
    path: ['burst'],
    message: 'burst applies to token-bucket and gcra, not to sliding-window',
  });

const schema = z.strictObject({
  defaultRule: ruleSchema.optional(),
  legacyHeaders: z.boolean('expected true or false').optional(),
  onRedisFailure: z.enum(['memory', 'open', 'closed'], 'expected memory, open or closed').optional(),
  memoryMaxKeys: z
    .int('expected an integer')
    .min(1, 'expected an integer from 1 to 10000000')
    .max(10_000_000, 'expected an integer from 1 to 10000000')
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
    legacyHeaders: parsed.data.legacyHeaders ?? true,
    onRedisFailure: parsed.data.onRedisFailure ?? RATE_LIMIT_DEFAULTS.onRedisFailure,
    memoryMaxKeys: parsed.data.memoryMaxKeys ?? RATE_LIMIT_DEFAULTS.memoryMaxKeys,
  });
}
