import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  RedisCacheService,
  RedisClusterInspector,
  RedisModule,
  RedisOutcomeUnknownError,
  RedisSwitchoverService,
  type RedisModuleOptions,
} from '@sentinel-kit/redis';
import {
  SENTINEL_GROUP_PROFILE,
  type ChaosContext,
  type SentinelTopology,
  type SentinelTopologyOptions,
  type WorkloadTarget,
} from '@sentinel-kit/testing';

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

/** The application under test, on `topology`: its cache as the workload's target, its services as the scenarios' tools. */
export async function startChaosApp(
  topology: SentinelTopology,
): Promise<{ context: ChaosContext; target: WorkloadTarget; app: INestApplicationContext }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      RedisModule.forRoot({
        ...CHAOS_APP_OPTIONS,
        sentinel: {
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          masterName: topology.masterName,
        },
      }),
    ],
  }).compile();
  moduleRef.useLogger(false);
  const app = await moduleRef.init();
  const cache = app.get(RedisCacheService);
  const inspector = app.get(RedisClusterInspector);
  const switchover = app.get(RedisSwitchoverService);
  return {
    app,
    target: {
      write: (key, value) => cache.set(key, value),
      classify: (error) => (error instanceof RedisOutcomeUnknownError ? 'unknown' : 'failed'),
    },
    context: {
      topology,
      downAfterMs: CHAOS_GROUP_OPTIONS.downAfterMs,
      switchover: () => switchover.switchover(),
      quorumLost: async () => (await inspector.inspect()).quorum?.ok === false,
    },
  };
}
