/**
 * The Redis Sentinel group that `npm run cluster:up` starts and that
 * `docker-compose.redis-sentinel.yml` describes: one source for both, checked against the compose
 * file by a test. Production-like on purpose: persistence on, writes refused without a replica,
 * and Sentinel timings a real deployment would use.
 */
export const SENTINEL_GROUP_PROFILE = Object.freeze({
  masterName: 'mymaster',
  replicas: 2,
  sentinels: 3,
  quorum: 2,
  /** Data-node settings (primary and replicas). */
  dataNodeConfig: Object.freeze([
    // Persistence off plus a primary that restarts faster than down-after wipes the replicas too.
    'appendonly yes',
    'appendfsync everysec',
    // Bounds what a failover can lose to ~10 s of writes: no replica in sync, no write.
    'min-replicas-to-write 1',
    'min-replicas-max-lag 10',
  ]),
  /** Sentinel settings besides monitor, timings and passwords. */
  sentinelConfig: Object.freeze(['sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes']),
  parallelSyncs: 1,
  /** Variables that set the Sentinel timings, with their defaults. */
  timings: Object.freeze({
    downAfterMs: Object.freeze({ variable: 'SENTINEL_DOWN_AFTER_MS', defaultMs: 5000 }),
    failoverTimeoutMs: Object.freeze({ variable: 'SENTINEL_FAILOVER_TIMEOUT_MS', defaultMs: 30_000 }),
  }),
});

/** The Sentinel timings of the group, read from the environment. */
export interface SentinelGroupTimings {
  downAfterMs: number;
  failoverTimeoutMs: number;
}

/**
 * `SENTINEL_DOWN_AFTER_MS` and `SENTINEL_FAILOVER_TIMEOUT_MS`, or their defaults (5000, 30000).
 * @throws Error naming the variable and its value when it is not a whole number of milliseconds ≥ 100.
 */
export function sentinelGroupTimings(env: Readonly<Record<string, string | undefined>>): SentinelGroupTimings {
  const read = ({ variable, defaultMs }: { variable: string; defaultMs: number }): number => {
    const text = env[variable]?.trim();
    if (!text) return defaultMs;
    if (!/^\d+$/.test(text) || Number(text) < 100) {
      throw new Error(`${variable}: expected a whole number of milliseconds, at least 100, got "${text}"`);
    }
    return Number(text);
  };
  return {
    downAfterMs: read(SENTINEL_GROUP_PROFILE.timings.downAfterMs),
    failoverTimeoutMs: read(SENTINEL_GROUP_PROFILE.timings.failoverTimeoutMs),
  };
}
