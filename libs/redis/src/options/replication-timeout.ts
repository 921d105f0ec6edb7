import { RedisConfigError } from '../errors/redis-config.error';
import type { ResolvedRedisOptions } from './resolved-redis-options.interface';

/**
 * Refuses a `WAIT` timeout that could outlast the command timeout (the call would time out while
 * its `WAIT` still waits), for options that confirm writes with `replicas` replicas.
 * @throws RedisConfigError (subject `subject`) naming `replicationTimeoutMs`.
 */
export function assertReplicationTimeout(
  options: { replicas: number; replicationTimeoutMs: number },
  redis: ResolvedRedisOptions,
  subject: string,
): void {
  if (options.replicas === 0 || options.replicationTimeoutMs < redis.commandTimeoutMs) return;
  throw new RedisConfigError(
    [
      `replicationTimeoutMs: must be below the Redis command timeout (${redis.commandTimeoutMs} ms), got "${options.replicationTimeoutMs}"`,
    ],
    subject,
  );
}
