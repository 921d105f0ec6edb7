import { RedisConfigError, formatConfigIssues, presentEnv, type ConfigIssueNaming } from '@sentinel-kit/redis';
import { envBoolean, envInteger } from '@sentinel-kit/redis/internal';
import { z } from 'zod';
import type {
  RateLimitModuleOptions,
  RedisFailurePolicy,
  ResolvedRateLimitOptions,
} from './rate-limit-options.interface';
import { resolveRateLimitOptions } from './resolve-rate-limit-options';

const rateLimitEnvSchema = z
  .object({
    RATE_LIMIT_ON_REDIS_FAILURE: z.string().trim().toLowerCase().optional(),
    RATE_LIMIT_FAIL_OPEN: envBoolean.optional(),
    RATE_LIMIT_LEGACY_HEADERS: envBoolean.optional(),
    RATE_LIMIT_MEMORY_MAX_KEYS: envInteger.optional(),
    RATE_LIMIT_IPV6_PREFIX: envInteger.optional(),
  })
  .superRefine((env, ctx) => {
    const policy = env.RATE_LIMIT_ON_REDIS_FAILURE;
    if (env.RATE_LIMIT_FAIL_OPEN && policy !== undefined && policy !== 'open') {
      ctx.addIssue({
        code: 'custom',
        path: ['RATE_LIMIT_FAIL_OPEN'],
        message: `true contradicts RATE_LIMIT_ON_REDIS_FAILURE "${policy}"; set only one of them`,
      });
    }
  });

/** Every environment variable the rate-limit module reads. */
export const RATE_LIMIT_ENV_VARIABLES: readonly string[] = Object.freeze(Object.keys(rateLimitEnvSchema.shape));

const ENV_NAMING: ConfigIssueNaming = {
  labels: {
    onRedisFailure: 'RATE_LIMIT_ON_REDIS_FAILURE',
    legacyHeaders: 'RATE_LIMIT_LEGACY_HEADERS',
    memoryMaxKeys: 'RATE_LIMIT_MEMORY_MAX_KEYS',
    ipv6PrefixBits: 'RATE_LIMIT_IPV6_PREFIX',
  },
};

/**
 * Validated, frozen rate-limit options from the `RATE_LIMIT_*` variables. `RATE_LIMIT_FAIL_OPEN=true`
 * is short for `RATE_LIMIT_ON_REDIS_FAILURE=open`; setting both to different policies is an error.
 *
 * @throws RedisConfigError naming every bad variable.
 */
export function resolveRateLimitEnv(env: Readonly<Record<string, string | undefined>>): ResolvedRateLimitOptions {
  const parsed = rateLimitEnvSchema.safeParse(presentEnv(env), { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, ENV_NAMING), 'rate-limit');
  const e = parsed.data;
  const options: RateLimitModuleOptions = {
    onRedisFailure: (e.RATE_LIMIT_FAIL_OPEN ? 'open' : e.RATE_LIMIT_ON_REDIS_FAILURE) as RedisFailurePolicy | undefined,
    legacyHeaders: e.RATE_LIMIT_LEGACY_HEADERS,
    memoryMaxKeys: e.RATE_LIMIT_MEMORY_MAX_KEYS,
    ipv6PrefixBits: e.RATE_LIMIT_IPV6_PREFIX,
  };
  return resolveRateLimitOptions(options, ENV_NAMING);
}
