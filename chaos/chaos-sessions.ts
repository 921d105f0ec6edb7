import type { LoggerService } from '@nestjs/common';
import { ClusterTopology, SentinelTopology } from '@sentinel-kit/testing';
import {
  CHAOS_SCENARIOS,
  CLUSTER_CHAOS_SCENARIOS,
  type ChaosContext,
  type ChaosScenario,
  type ChaosTarget,
  type ChaosWorkload,
  type ClusterChaosContext,
  type SentinelChaosContext,
} from '@sentinel-kit/test-support';
import {
  CHAOS_APP_OPTIONS,
  CHAOS_CLUSTER_OPTIONS,
  CHAOS_GROUP_OPTIONS,
  startChaosApp,
  startClusterChaosApp,
} from './chaos-app';

/** One deployment with the application on it, and the scenarios to run there. */
export interface ChaosSession<Context extends ChaosContext<unknown>> {
  scenarios: readonly ChaosScenario<Context>[];
  /** What the runs used, printed and saved with the results. */
  settings: Record<string, string>;
  /** Starts the deployment and the application (logging to `logger`, or not at all). */
  start(logger?: LoggerService | false): Promise<{
    context: Context;
    targets: Record<ChaosWorkload, ChaosTarget>;
    stop: () => Promise<void>;
  }>;
}

const APPLICATION = `fallback off, command timeout ${CHAOS_APP_OPTIONS.commandTimeoutMs} ms, write hold default (10000 ms), 4 writers of unique keys through RedisCacheService.set (sessions-*: logins of unique users through SessionService.create, replicated, no session fallback; locks-*: each write under a lock of 3 shared names, RedisLockService, 1 replica confirming each grant)`;

/** The Sentinel faults on a Sentinel group. */
export const SENTINEL_CHAOS: ChaosSession<SentinelChaosContext> = {
  scenarios: CHAOS_SCENARIOS,
  settings: {
    group: `1 primary, 2 replicas, 3 sentinels (quorum 2), down-after ${CHAOS_GROUP_OPTIONS.downAfterMs} ms, failover-timeout ${CHAOS_GROUP_OPTIONS.failoverTimeoutMs} ms`,
    dataNodes: CHAOS_GROUP_OPTIONS.dataNodeConfig.join(', '),
    application: APPLICATION,
  },
  async start(logger) {
    const topology = await SentinelTopology.start(CHAOS_GROUP_OPTIONS);
    const { app, context, targets } = await startChaosApp(topology, logger);
    return { context, targets, stop: async () => (await app.close(), await topology.stop()) };
  },
};

/** The shard faults on a 6-node cluster. */
export const CLUSTER_CHAOS: ChaosSession<ClusterChaosContext> = {
  scenarios: CLUSTER_CHAOS_SCENARIOS,
  settings: {
    cluster: `${CHAOS_CLUSTER_OPTIONS.primaries} primaries with ${CHAOS_CLUSTER_OPTIONS.replicasPerPrimary} replica each, cluster-node-timeout ${CHAOS_CLUSTER_OPTIONS.nodeTimeoutMs} ms`,
    dataNodes: CHAOS_CLUSTER_OPTIONS.nodeConfig.join(', '),
    application: APPLICATION,
  },
  async start(logger) {
    const cluster = await ClusterTopology.start(CHAOS_CLUSTER_OPTIONS);
    const { app, context, targets } = await startClusterChaosApp(cluster, logger);
    return { context, targets, stop: async () => (await app.close(), await cluster.stop()) };
  },
};
