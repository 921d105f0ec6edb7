import { z } from 'zod';
import { RedisConfigError } from '../errors/redis-config.error';
import { formatConfigIssues } from '../options/config-issue.formatter';
import { integerOption } from '../options/integer-option';
import { assertReplicationTimeout } from '../options/replication-timeout';
import { failsOver } from '../options/fails-over';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';

/** Options of `RedisLockModule.forRoot`. */
export interface RedisLockModuleOptions {
  /**
   * Replicas that must confirm a grant or an extension (`WAIT`) before it is returned, so that a
   * failover cannot lose it and hand the lock out again. @default 1 where a failover can replace
   * the primary (Sentinel, Cluster), 0 on a standalone Redis
   */
  replicas?: number;
  /** How long `WAIT` may wait for them, below the command timeout. @default 250 */
  replicationTimeoutMs?: number;
  /** A lock's time to live when `acquire` names none. @default 30000 */
  defaultTtlMs?: number;
}

/** {@link RedisLockModuleOptions} validated, every default applied. */
export interface ResolvedLockOptions {
  readonly replicas: number;
  readonly replicationTimeoutMs: number;
  readonly defaultTtlMs: number;
}

/** Injection token of the {@link ResolvedLockOptions}. */
export const LOCK_RESOLVED_OPTIONS = Symbol('LOCK_RESOLVED_OPTIONS');

/** A lock's time to live: from 100 ms to a day. */
export const LOCK_TTL_RANGE = { min: 100, max: 86_400_000 } as const;

const schema = z.strictObject({
  replicas: integerOption(0, 100).optional(),
  replicationTimeoutMs: integerOption(1, 60_000).optional(),
  defaultTtlMs: integerOption(LOCK_TTL_RANGE.min, LOCK_TTL_RANGE.max).optional(),
});

/**
 * Validates the lock options against the Redis module's.
 * @throws RedisConfigError (subject `lock`) listing every problem.
 */
export function resolveLockOptions(options: RedisLockModuleOptions, redis: ResolvedRedisOptions): ResolvedLockOptions {
  const parsed = schema.safeParse(options, { reportInput: true });
  if (!parsed.success) throw new RedisConfigError(formatConfigIssues(parsed.error.issues), 'lock');
  const resolved = {
    replicas: parsed.data.replicas ?? (failsOver(redis) ? 1 : 0),
    replicationTimeoutMs: parsed.data.replicationTimeoutMs ?? 250,
    defaultTtlMs: parsed.data.defaultTtlMs ?? 30_000,
  };
  assertReplicationTimeout(resolved, redis, 'lock');
  return Object.freeze(resolved);
}
