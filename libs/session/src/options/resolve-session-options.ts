import {
  RedisConfigError,
  formatConfigIssues,
  type ConfigIssueNaming,
  type ResolvedRedisOptions,
} from '@sentinel-kit/redis';
import { failsOver } from '@sentinel-kit/redis/internal';
import { z } from 'zod';
import { SESSION_DEFAULTS } from '../session.constants';
import type { ResolvedSessionOptions, SessionModuleOptions } from './session-options.interface';

const positiveInt = (upTo: number) =>
  z
    .int('expected an integer')
    .min(1, `expected an integer from 1 to ${upTo}`)
    .max(upTo, `expected an integer from 1 to ${upTo}`);

/** Schema of {@link SessionModuleOptions}; unknown keys are errors. */
export const sessionOptionsSchema = z.strictObject({
  ttlSeconds: positiveInt(31_536_000).optional(),
  absoluteTtlSeconds: positiveInt(31_536_000).optional(),
  sliding: z.boolean('expected true or false').optional(),
  maxBytes: positiveInt(100 * 1024 * 1024).optional(),
  maxPerUser: positiveInt(10_000).optional(),
  durability: z.enum(['replicated', 'primary'], 'expected replicated or primary').optional(),
  replicas: positiveInt(100).optional(),
  replicationTimeoutMs: positiveInt(60_000).optional(),
  onUnreplicated: z.enum(['error', 'warn'], 'expected error or warn').optional(),
  fallback: z.enum(['memory', 'none'], 'expected memory or none').optional(),
});

/** Marks objects made by {@link resolveSessionOptions}. */
const RESOLVED = Symbol('ResolvedSessionOptions');
/** How problems with these options name them (e.g. as environment variables), when not as option paths. */
const NAMING = Symbol('SessionOptionsNaming');

/** `options`, carrying `naming` for the problems {@link resolveSessionOptions} finds in them. */
export function withNaming(options: SessionModuleOptions, naming: ConfigIssueNaming): SessionModuleOptions {
  return Object.defineProperty(options, NAMING, { value: naming, enumerable: false });
}

/** Whether `value` came out of {@link resolveSessionOptions}. */
export function isResolvedSessionOptions(value: unknown): value is ResolvedSessionOptions {
  return typeof value === 'object' && value !== null && RESOLVED in value;
}

/**
 * Validates session options against each other and against the Redis options, applies defaults
 * and freezes them.
 *
 * @param naming how problems name the options. @default the naming `options` carry (see
 *   {@link withNaming}), else their paths
 * @throws RedisConfigError (subject `session`) listing every problem.
 */
export function resolveSessionOptions(
  options: SessionModuleOptions,
  redis: ResolvedRedisOptions,
  naming: ConfigIssueNaming = (options as { [NAMING]?: ConfigIssueNaming })[NAMING] ?? {},
): ResolvedSessionOptions {
  const parsed = sessionOptionsSchema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues, naming), 'session');
  const raw = parsed.data;
  const label = (path: string) => naming.labels?.[path] ?? path;
  const canFailOver = failsOver(redis);
  const resolved: ResolvedSessionOptions = {
    ttlSeconds: raw.ttlSeconds ?? SESSION_DEFAULTS.ttlSeconds,
    absoluteTtlSeconds: raw.absoluteTtlSeconds ?? Math.max(SESSION_DEFAULTS.absoluteTtlSeconds, raw.ttlSeconds ?? 0),
    sliding: raw.sliding ?? SESSION_DEFAULTS.sliding,
    maxBytes: raw.maxBytes ?? SESSION_DEFAULTS.maxBytes,
    maxPerUser: raw.maxPerUser ?? SESSION_DEFAULTS.maxPerUser,
    durability: raw.durability ?? (canFailOver ? 'replicated' : 'primary'),
    replicas: raw.replicas ?? SESSION_DEFAULTS.replicas,
    replicationTimeoutMs: raw.replicationTimeoutMs ?? SESSION_DEFAULTS.replicationTimeoutMs,
    onUnreplicated: raw.onUnreplicated ?? SESSION_DEFAULTS.onUnreplicated,
    fallback: raw.fallback ?? (!canFailOver && redis.fallback.enabled ? 'memory' : 'none'),
  };
  const issues: string[] = [];
  if (resolved.absoluteTtlSeconds < resolved.ttlSeconds) {
    issues.push(
      `${label('absoluteTtlSeconds')}: must be at least ${label('ttlSeconds')} (${resolved.ttlSeconds}), got "${resolved.absoluteTtlSeconds}"`,
    );
  }
  if (resolved.durability === 'replicated' && resolved.replicationTimeoutMs >= redis.commandTimeoutMs) {
    issues.push(
      `${label('replicationTimeoutMs')}: must be below the Redis command timeout (${redis.commandTimeoutMs} ms), got "${resolved.replicationTimeoutMs}"`,
    );
  }
  if (resolved.fallback === 'memory' && !redis.fallback.enabled) {
    issues.push(
      `${label('fallback')}: memory needs the Redis in-memory fallback, which is off (${label('redis.fallback.enabled')})`,
    );
  }
  if (issues.length > 0) throw new RedisConfigError(issues, 'session');
  Object.defineProperty(resolved, RESOLVED, { value: true, enumerable: false });
  return Object.freeze(resolved);
}
