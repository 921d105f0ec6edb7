import { waitFor, type ClusterShardView, type ClusterTopology } from '@sentinel-kit/testing';
import type { ChaosScenario, ClusterChaosContext, ChaosWorkload } from './chaos.interfaces';

/** The shard the cluster scenarios hit: the one serving slot 0. */
async function firstShard(cluster: ClusterTopology): Promise<ClusterShardView> {
  const shards = await cluster.shards();
  const shard = shards.find(({ slots }) => slots.some(([from]) => from === 0));
  if (!shard) throw new Error('no shard serves slot 0');
  return shard;
}

/**
 * Waits until one of `shard`'s replicas is its primary, asking whichever node answers (unlike
 * `waitForFailover`, which needs every running node to answer: a paused one does not).
 */
async function promoted(cluster: ClusterTopology, shard: ClusterShardView): Promise<void> {
  await waitFor(
    async () => (await cluster.shards().catch(() => [])).some(({ primary }) => shard.replicas.includes(primary)),
    { description: `a replica to take over from port ${shard.primary.port}`, timeoutMs: 30_000 },
  );
}

/** Kills the shard primary, waits for its replica to take over, and restarts it (back as a replica). */
function killedShardPrimary(
  name: string,
  summary: string,
  workload: ChaosWorkload,
): ChaosScenario<ClusterChaosContext> {
  return {
    name,
    summary,
    workload,
    failover: true,
    async inject({ topology }) {
      const shard = await firstShard(topology);
      await shard.primary.kill();
      await promoted(topology, shard);
      await shard.primary.start();
      return {};
    },
  };
}

/**
 * The faults of the cluster chaos suite, on the shard serving slot 0 (writers write keys all over
 * the slots, so about a third of them land on it). Each leaves the cluster whole before it returns.
 */
export const CLUSTER_CHAOS_SCENARIOS: readonly ChaosScenario<ClusterChaosContext>[] = Object.freeze([
  killedShardPrimary('cluster-sigkill-shard-primary', 'a shard primary SIGKILLed, then restarted', 'cache'),
  {
    name: 'cluster-sigstop-shard-primary',
    summary: 'a shard primary SIGSTOPped until its replica took over, then SIGCONTed',
    workload: 'cache',
    failover: true,
    async inject({ topology }) {
      const shard = await firstShard(topology);
      shard.primary.pause();
      try {
        await promoted(topology, shard);
        // Long enough for clients that stayed on it to have acknowledged writes there, if any did.
        await new Promise((resolve) => setTimeout(resolve, 2000));
      } finally {
        shard.primary.resume();
      }
      return {};
    },
  },
  {
    name: 'cluster-planned-shard-switchover',
    summary: "planned switchover of one shard through the application's switchover service",
    workload: 'cache',
    failover: true,
    async inject(context) {
      const shard = await firstShard(context.topology);
      await context.switchover(shard.slots.map(([from, to]) => `${from}-${to}`).join(','));
      await promoted(context.topology, shard);
      return {};
    },
  },
  killedShardPrimary(
    'cluster-sessions-sigkill-shard-primary',
    'logins (SessionService.create, replicated) while a shard primary is SIGKILLed',
    'sessions',
  ),
]);
