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
import {
  SESSION_DEFAULTS,
  SessionModule,
  SessionNotReplicatedError,
  SessionService,
  type SessionModuleOptions,
} from '@sentinel-kit/session';
import { SENTINEL_GROUP_PROFILE, type SentinelTopology, type SentinelTopologyOptions } from '@sentinel-kit/testing';
import { type ChaosContext, type ChaosTarget, type ChaosWorkload } from '@sentinel-kit/test-support';

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

/**
 * The application under test, on `topology`: its cache and its sessions as the workloads' targets,
 * its services as the scenarios' tools. It logs to `logger`, or not at all.
 */
export async function startChaosApp(
  topology: SentinelTopology,
  logger: LoggerService | false = false,
): Promise<{
  context: ChaosContext;
  targets: Record<ChaosWorkload, ChaosTarget>;
  app: INestApplicationContext;
}> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      RedisModule.forRoot({
        ...CHAOS_APP_OPTIONS,
        sentinel: {
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          masterName: topology.masterName,
        },
      }),
      SessionModule.forRoot(CHAOS_SESSION_OPTIONS),
    ],
  }).compile();
  moduleRef.useLogger(logger);
  const app = await moduleRef.init();
  const cache = app.get(RedisCacheService);
  const inspector = app.get(RedisClusterInspector);
  const switchover = app.get(RedisSwitchoverService);
  const sessions = app.get(SessionService);
  const keyspace = app.get(RedisKeyspace);
  const sessionIndexes = keyspace.namespace(SESSION_DEFAULTS.userIndexKeyPrefix);
  return {
    app,
    targets: {
      cache: {
        write: (key, value) => cache.set(key, value),
        classify: (error) => (error instanceof RedisOutcomeUnknownError ? 'unknown' : 'failed'),
        storedKey: (key) => keyspace.key(key),
      },
      sessions: {
        // A login of a user of its own: the user's index exists once the session was stored (a login
        // answered from one instance's memory would have none, and count as lost).
        write: (key, value) => sessions.create(key, { n: Number(value) }),
        // Applied on the primary, not confirmed by a replica in time: it may or may not survive.
        classify: (error) =>
          error instanceof RedisOutcomeUnknownError || error instanceof SessionNotReplicatedError
            ? 'unknown'
            : 'failed',
        // The user's index, in the user's slot (see docs/sessions.md, "Keys").
        storedKey: (key) => sessionIndexes.inSlot(keyspace.slotTag(key), key),
      },
    },
    context: {
      topology,
      downAfterMs: CHAOS_GROUP_OPTIONS.downAfterMs,
      switchover: () => switchover.switchover(),
      quorumLost: async () => (await inspector.inspect()).quorum?.ok === false,
    },
  };
}
