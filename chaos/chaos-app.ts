import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  RedisCacheService,
  RedisClusterInspector,
  RedisModule,
  RedisOutcomeUnknownError,
  RedisSwitchoverService,
  RedisKeyspace,
  type RedisModuleOptions,
} from '@sentinel-kit/redis';
import { RedisLockModule, RedisLockService } from '@sentinel-kit/redis/locks';
import {
  SESSION_DEFAULTS,
  SessionModule,
  SessionNotReplicatedError,
  SessionService,
  type SessionModuleOptions,
} from '@sentinel-kit/session';
import {
  SENTINEL_GROUP_PROFILE,
  type ClusterTopology,
  type ClusterTopologyOptions,
  type SentinelTopology,
  type SentinelTopologyOptions,
} from '@sentinel-kit/testing';
import {
  clusterDeployment,
  lockGrantConflicts,
  sentinelDeployment,
  type LockGrant,
  type ChaosTarget,
  type ChaosWorkload,
  type ClusterChaosContext,
  type SentinelChaosContext,
} from '@sentinel-kit/test-support';

/** The group the chaos runs use: the compose file's data-node settings, test-length Sentinel timings. */
export const CHAOS_GROUP_OPTIONS = {
  // Short for speed, not so short that a loaded 2-core machine fails over spuriously.
  downAfterMs: 2000,
  failoverTimeoutMs: 5000,
  dataNodeConfig: SENTINEL_GROUP_PROFILE.dataNodeConfig,
} as const satisfies SentinelTopologyOptions;

/** The application settings the chaos runs use; printed with the results. */
export const CHAOS_APP_OPTIONS = {
  commandTimeoutMs: 500,
  // Every acknowledged write must be one Redis took: no in-memory fallback.
  fallback: { enabled: false },
} as const satisfies Partial<RedisModuleOptions>;

/** Sessions of the logins workload: Sentinel defaults (replicated, no memory fallback), short-lived. */
export const CHAOS_SESSION_OPTIONS = { ttlSeconds: 120 } as const satisfies SessionModuleOptions;

/** The cluster the cluster chaos runs use: 3 shards of a primary and a replica, AOF on. */
export const CHAOS_CLUSTER_OPTIONS = {
  primaries: 3,
  replicasPerPrimary: 1,
  nodeTimeoutMs: 2000,
  nodeConfig: ['appendonly yes', 'appendfsync everysec'],
} as const satisfies ClusterTopologyOptions;

/** The application under test and what the runs need of it. */
interface ChaosApp<Context> {
  context: Context;
  targets: Record<ChaosWorkload, ChaosTarget>;
  app: INestApplicationContext;
}

/**
 * The application under test, on the Sentinel group `topology`: its cache and its sessions as the
 * workloads' targets, its services as the scenarios' tools. It logs to `logger`, or not at all.
 */
export async function startChaosApp(
  topology: SentinelTopology,
  logger: LoggerService | false = false,
): Promise<ChaosApp<SentinelChaosContext>> {
  const app = await startApp(
    {
      sentinel: {
        sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
        masterName: topology.masterName,
      },
    },
    logger,
  );
  const inspector = app.get(RedisClusterInspector);
  return {
    app,
    targets: targetsOf(app),
    context: {
      topology,
      deployment: sentinelDeployment(topology),
      downAfterMs: CHAOS_GROUP_OPTIONS.downAfterMs,
      switchover: () => app.get(RedisSwitchoverService).switchover(),
      quorumLost: async () => (await inspector.inspect()).quorum?.ok === false,
    },
  };
}

/** The application under test on the cluster `cluster`, as {@link startChaosApp}. */
export async function startClusterChaosApp(
  cluster: ClusterTopology,
  logger: LoggerService | false = false,
): Promise<ChaosApp<ClusterChaosContext>> {
  const app = await startApp({ cluster: { nodes: cluster.nodes.map(({ host, port }) => ({ host, port })) } }, logger);
  return {
    app,
    targets: targetsOf(app),
    context: {
      topology: cluster,
      deployment: clusterDeployment(cluster),
      switchover: (shard) => app.get(RedisSwitchoverService).switchover({ shard }),
    },
  };
}

async function startApp(
  deployment: Pick<RedisModuleOptions, 'sentinel' | 'cluster'>,
  logger: LoggerService | false,
): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      RedisModule.forRoot({ ...CHAOS_APP_OPTIONS, ...deployment }),
      SessionModule.forRoot(CHAOS_SESSION_OPTIONS),
      RedisLockModule.forRoot({}),
    ],
  }).compile();
  moduleRef.useLogger(logger);
  return moduleRef.init();
}

/** The names the locks workload's writers share: few, so that they wait for one another. */
const LOCK_NAMES = ['ledger', 'mailer', 'report'];

/** A write that never started: its lock was not granted. */
class NotGranted extends Error {}

/** The cache, the logins and the locked writes, as the workloads write them and the runs look them up. */
function targetsOf(app: INestApplicationContext): Record<ChaosWorkload, ChaosTarget> {
  const cache = app.get(RedisCacheService);
  const sessions = app.get(SessionService);
  const locks = app.get(RedisLockService);
  const keyspace = app.get(RedisKeyspace);
  const sessionIndexes = keyspace.namespace(SESSION_DEFAULTS.userIndexKeyPrefix);
  const classifyCacheWrite = (error: unknown) => (error instanceof RedisOutcomeUnknownError ? 'unknown' : 'failed');
  let grants: LockGrant[] = [];
  return {
    cache: {
      write: (key, value) => cache.set(key, value),
      classify: classifyCacheWrite,
      storedKey: (key) => keyspace.key(key),
    },
    locks: {
      // The cache write of `key`, under a lock of one of the shared names; every grant is logged.
      async write(key, value) {
        const name = LOCK_NAMES[Number(value) % LOCK_NAMES.length];
        const lock = await locks.acquire(name, { ttlMs: 5000, waitMs: 15_000 }).catch((error: unknown) => {
          throw new NotGranted(String(error));
        });
        const heldFrom = performance.now();
        try {
          await cache.set(key, value);
        } finally {
          grants.push({ name, fence: lock.fence, heldFrom, heldUntil: performance.now() });
          await lock.release().catch(() => false); // if its answer is lost, it expires
        }
      },
      classify: (error) => (error instanceof NotGranted ? 'failed' : classifyCacheWrite(error)),
      storedKey: (key) => keyspace.key(key),
      verdict() {
        const { overlaps, fencesOutOfOrder } = lockGrantConflicts(grants);
        const checked = {
          locksHeldOnceAtATime: overlaps.length === 0,
          fencesIncreasing: fencesOutOfOrder.length === 0,
        };
        grants = [];
        return checked;
      },
    },
    sessions: {
      // A login of a user of its own: the user's index exists once the session was stored (a login
      // answered from one instance's memory would have none, and count as lost).
      write: (key, value) => sessions.create(key, { n: Number(value) }),
      // Applied on the primary, not confirmed by a replica in time: it may or may not survive.
      classify: (error) =>
        error instanceof RedisOutcomeUnknownError || error instanceof SessionNotReplicatedError ? 'unknown' : 'failed',
      // The user's index, in the user's slot (see docs/sessions.md, "Keys").
      storedKey: (key) => sessionIndexes.inSlot(keyspace.slotTag(key), key),
    },
  };
}
