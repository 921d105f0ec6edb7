/**
 * The local Sentinel group of `npm run cluster:up` and `npm run demo`: the settings of
 * docker-compose.redis-sentinel.yml (SENTINEL_GROUP_PROFILE), run from the `redis-server` on PATH;
 * and what every local deployment (this group, or the cluster of `--cluster`) offers the scripts.
 */
import {
  SENTINEL_GROUP_PROFILE,
  SentinelTopology,
  sentinelGroupTimings,
  type SentinelGroupTimings,
} from '@sentinel-kit/testing';
import { startLocalCluster } from './local-cluster';

/** A started local deployment (Sentinel group or cluster) and what an application needs to reach it. */
export interface LocalDeployment {
  /** What it is, for messages: `Redis Sentinel group`, `Redis Cluster`. */
  name: string;
  /** `NAME=value` lines for the API, passwords included. */
  env: string[];
  /** Every process, for `cluster:down` and for the demo's exit. */
  pids: number[];
  /** One line per process: role, address and pid (for `kill -9`). */
  describe(): Promise<string[]>;
  /** The process to kill to watch a failover, and what `/health` shows after it. */
  failoverVictim(): Promise<{ host: string; port: number; pid?: number; what: string; after: string }>;
  stop(): Promise<void>;
}

/** The deployment `argv` asks for: the cluster with `--cluster`, else the Sentinel group. */
export async function startLocalDeployment(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  placement: { baseDir?: string; detached?: boolean } = {},
): Promise<LocalDeployment> {
  return argv.includes('--cluster') ? startLocalCluster(env, placement) : startLocalGroup(env, placement);
}

/**
 * Starts the group with `SENTINEL_DOWN_AFTER_MS`, `SENTINEL_FAILOVER_TIMEOUT_MS`, `REDIS_PASSWORD`
 * and `REDIS_SENTINEL_PASSWORD` from `env` (all optional).
 */
export async function startLocalGroup(
  env: Readonly<Record<string, string | undefined>>,
  placement: { baseDir?: string; detached?: boolean } = {},
): Promise<LocalDeployment> {
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
    name: 'Redis Sentinel group',
    pids: [...topology.dataNodes, ...topology.sentinels].flatMap((node) => node.pid ?? []),
    describe: () => describeGroup(topology, timings),
    async failoverVictim() {
      const primary = await topology.primary();
      return {
        ...primary,
        pid: primary.pid,
        what: 'the primary',
        after: `~${Math.round(timings.downAfterMs / 1000) + 2} s later: "currentMaster" moved, "failoverCount": 1`,
      };
    },
    stop: () => topology.stop(),
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

/** One line per process of the group: role, address and pid (for `kill -9`). */
async function describeGroup(topology: SentinelTopology, timings: SentinelGroupTimings): Promise<string[]> {
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
