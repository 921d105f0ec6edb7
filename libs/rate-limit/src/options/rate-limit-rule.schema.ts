import { VALUE_IN_MESSAGE } from '@sentinel-kit/redis';
import { z } from 'zod';
import { parseDuration } from '../duration';

/** Names of limits and rules: they appear in Redis keys and headers. */
export const RULE_NAME_PATTERN = /^[\w.-]{1,64}$/;

const durationSchema = z.union([z.number(), z.string()]).superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, params: { [VALUE_IN_MESSAGE]: true } });
  }
});

/** A `RateLimitRule`, as validated for module options and `@RateLimit()` alike. */
export const rateLimitRuleSchema = z
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
    name: z.string().regex(RULE_NAME_PATTERN, 'expected 1-64 letters, digits, "_", "." or "-"').optional(),
    algorithm: z
      .enum(['token-bucket', 'gcra', 'sliding-window'], 'expected token-bucket, gcra or sliding-window')
      .optional(),
  })
  .refine((rule) => rule.algorithm !== 'sliding-window' || rule.burst === undefined, {
    path: ['burst'],
    message: 'burst applies to token-bucket and gcra, not to sliding-window',
  });
