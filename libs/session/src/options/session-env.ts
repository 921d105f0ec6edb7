import {
  RedisConfigError,
  formatConfigIssues,
  presentEnv,
  resolveRedisEnv,
  type ConfigIssueNaming,
} from '@sentinel-kit/redis';
import { envBoolean, envInteger } from '@sentinel-kit/redis/internal';
import { z } from 'zod';
import { resolveSessionOptions, withNaming } from './resolve-session-options';
import type { ResolvedSessionOptions, SessionModuleOptions } from './session-options.interface';

const sessionEnvSchema = z.object({
  SESSION_TTL_SECONDS: envInteger.optional(),
  SESSION_ABSOLUTE_TTL_SECONDS: envInteger.optional(),
  SESSION_SLIDING: envBoolean.optional(),
  SESSION_MAX_BYTES: envInteger.optional(),
  SESSION_MAX_PER_USER: envInteger.optional(),
  SESSION_DURABILITY: z.string().trim().toLowerCase().optional(),
  SESSION_MIN_REPLICAS: envInteger.optional(),
  SESSION_REPLICATION_TIMEOUT_MS: envInteger.optional(),
  SESSION_ON_UNREPLICATED: z.string().trim().toLowerCase().optional(),
  SESSION_FALLBACK: z.string().trim().toLowerCase().optional(),
});

/** Every environment variable the session module reads. */
export const SESSION_ENV_VARIABLES: readonly string[] = Object.freeze(Object.keys(sessionEnvSchema.shape));

const ENV_NAMING: ConfigIssueNaming = {
  labels: {
    ttlSeconds: 'SESSION_TTL_SECONDS',
    absoluteTtlSeconds: 'SESSION_ABSOLUTE_TTL_SECONDS',
    sliding: 'SESSION_SLIDING',
    maxBytes: 'SESSION_MAX_BYTES',
    maxPerUser: 'SESSION_MAX_PER_USER',
    durability: 'SESSION_DURABILITY',
    replicas: 'SESSION_MIN_REPLICAS',
    replicationTimeoutMs: 'SESSION_REPLICATION_TIMEOUT_MS',
    onUnreplicated: 'SESSION_ON_UNREPLICATED',
    fallback: 'SESSION_FALLBACK',
    'redis.fallback.enabled': 'REDIS_FALLBACK_ENABLED=false',
  },
};

/**
 * Session options from the `SESSION_*` variables, checked for form only. They carry the variables'
 * names, so that checks against the Redis options (made where those are known: `SessionModule`,
 * with the Redis options it is given, however they were configured) name the variables too.
 *
 * @throws RedisConfigError naming every malformed variable.
 */
export function parseSessionEnv(env: Readonly<Record<string, string | undefined>>): SessionModuleOptions {
  const parsed = sessionEnvSchema.safeParse(presentEnv(env), { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, ENV_NAMING), 'session');
  const e = parsed.data;
  return withNaming(
    {
      ttlSeconds: e.SESSION_TTL_SECONDS,
      absoluteTtlSeconds: e.SESSION_ABSOLUTE_TTL_SECONDS,
      sliding: e.SESSION_SLIDING,
      maxBytes: e.SESSION_MAX_BYTES,
      maxPerUser: e.SESSION_MAX_PER_USER,
      durability: e.SESSION_DURABILITY as SessionModuleOptions['durability'],
      replicas: e.SESSION_MIN_REPLICAS,
      replicationTimeoutMs: e.SESSION_REPLICATION_TIMEOUT_MS,
      onUnreplicated: e.SESSION_ON_UNREPLICATED as SessionModuleOptions['onUnreplicated'],
      fallback: e.SESSION_FALLBACK as SessionModuleOptions['fallback'],
    },
    ENV_NAMING,
  );
}

/**
 * Validated, frozen session options from the `SESSION_*` variables, checked against the Redis
 * options that the `REDIS_*` variables of the same environment give (e.g. the replication timeout
 * against the command timeout).
 *
 * @throws RedisConfigError naming every bad variable.
 */
export function resolveSessionEnv(env: Readonly<Record<string, string | undefined>>): ResolvedSessionOptions {
  return resolveSessionOptions(parseSessionEnv(env), resolveRedisEnv(env));
}
