/**
 * The local Sentinel group of `npm run cluster:up` and `npm run demo`: the settings of
 * docker-compose.redis-sentinel.yml (SENTINEL_GROUP_PROFILE), run from the `redis-server` on PATH.
 */
import {
  SENTINEL_GROUP_PROFILE,
  SentinelTopology,
  sentinelGroupTimings,
  type SentinelGroupTimings,
} from '@sentinel-kit/testing';

/** A started group and what an application needs to reach it. */
export interface LocalGroup {
  topology: SentinelTopology;
  timings: SentinelGroupTimings;
  /** `NAME=value` lines for the API, passwords included. */
  env: string[];
}

/**
 * Starts the group with `SENTINEL_DOWN_AFTER_MS`, `SENTINEL_FAILOVER_TIMEOUT_MS`, `REDIS_PASSWORD`
 * and `REDIS_SENTINEL_PASSWORD` from `env` (all optional).
 */
export async function startLocalGroup(
  env: Readonly<Record<string, string | undefined>>,
  placement: { baseDir?: string; detached?: boolean } = {},
): Promise<LocalGroup> {
  const timings = sentinelGroupTimings(env);
  const password = env.REDIS_PASSWORD || undefined;
  const sentinelPassword = env.REDIS_SENTINEL_PASSWORD || undefined;
  const topology = await SentinelTopology.start({
    ...placement,
    masterName: SENTINEL_GROUP_PROFILE.masterName,
    replicas: SENTINEL_GROUP_PROFILE.replicas,
    sentinels: SENTINEL_GROUP_PROFILE.sentinels,
    quorum: SENTINEL_GROUP_PROFILE.quorum,
    downAfterMs: timings.downAfterMs,
    failoverTimeoutMs: timings.failoverTimeoutMs,
    dataNodeConfig: SENTINEL_GROUP_PROFILE.dataNodeConfig,
    sentinelConfig: SENTINEL_GROUP_PROFILE.sentinelConfig,
    password,
    sentinelPassword,
  });
  return {
    topology,
    timings,
    env: [
      'REDIS_SENTINEL_ENABLED=true',
      `REDIS_SENTINELS=${topology.sentinelList}`,
      `REDIS_SENTINEL_MASTER_NAME=${topology.masterName}`,
      ...(password ? [`REDIS_PASSWORD=${password}`] : []),
      ...(sentinelPassword ? [`REDIS_SENTINEL_PASSWORD=${sentinelPassword}`] : []),
    ],
  };
}

/** The env lines with password values hidden, for printing. */
export function printableEnv(env: readonly string[]): string[] {
  return env.map((line) => line.replace(/^(\w*PASSWORD)=.*$/, '$1=<as set in your environment>'));
}

/** One line per process: role, address and pid (for `kill -9`). */
export async function describeGroup(group: LocalGroup): Promise<string[]> {
  const { topology, timings } = group;
  const primary = await topology.primary();
  const line = (role: string, node: { host: string; port: number; pid?: number }) =>
    `  ${role.padEnd(8)} ${node.host}:${node.port}  pid ${node.pid ?? '?'}`;
  return [
    `Redis Sentinel group "${topology.masterName}" (down-after ${timings.downAfterMs} ms, failover-timeout ${timings.failoverTimeoutMs} ms, AOF on, min-replicas-to-write 1):`,
    line('primary', primary),
    ...topology.dataNodes.filter((n) => n !== primary).map((n) => line('replica', n)),
    ...topology.sentinels.map((s) => line('sentinel', s)),
  ];
}
