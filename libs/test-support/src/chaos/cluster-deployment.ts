import { Cluster } from 'ioredis';
import { sendCommand, waitFor, type ClusterTopology } from '@sentinel-kit/testing';
import type { ChaosDeployment } from './chaos.interfaces';

/**
 * A cluster as the chaos runs see it: a primary per shard. Keys are looked up through a plain
 * ioredis `Cluster` (each on its shard, pipelined per node), independent of the application.
 */
export function clusterDeployment(cluster: ClusterTopology): ChaosDeployment {
  return {
    waitUntilSettled: () => cluster.waitUntilSettled(),
    /** Every shard's replicas have what their primary had when the wait began. */
    async replicasCaughtUp() {
      const goals = new Map<number, number>();
      await waitFor(
        async () => {
          for (const { primary } of await cluster.shards()) {
            const info = String(await sendCommand(primary.endpoint, 'INFO', ['replication'], 1000));
            const offset = Number(/^master_repl_offset:(\d+)/m.exec(info)?.[1]);
            if (!goals.has(primary.port)) goals.set(primary.port, offset);
            const replicas = [...info.matchAll(/^slave\d+:.*offset=(\d+)/gm)].map((m) => Number(m[1]));
            if (replicas.length === 0 || replicas.some((o) => o < goals.get(primary.port)!)) return false;
          }
          return true;
        },
        { description: 'every shard replica to catch up with its primary', timeoutMs: 30_000, intervalMs: 100 },
      );
    },
    async takePresentKeys(keys) {
      const client = new Cluster(
        cluster.nodes.filter((node) => node.running).map(({ host, port }) => ({ host, port })),
        { enableAutoPipelining: true, redisOptions: { commandTimeout: 10_000 } },
      );
      try {
        const found = await Promise.all(keys.map((key) => client.exists(key)));
        await Promise.all(keys.map((key) => client.unlink(key)));
        return new Set(keys.filter((_, i) => found[i] === 1));
      } finally {
        client.disconnect();
      }
    },
    primaries: async () =>
      (await cluster.shards())
        .map(({ primary }) => primary.port)
        .sort((a, b) => a - b)
        .join(','),
  };
}
