/**
 * The local Redis Cluster of `npm run cluster:up -- --cluster` and `npm run demo -- --cluster`: six
 * nodes on loopback (three primaries, each with one replica), made by `redis-cli --cluster create`
 * from the `redis-server` on PATH, with the data settings of the Sentinel profile (AOF on) and a
 * node timeout of two seconds.
 */
import { ClusterTopology } from '@sentinel-kit/testing';
import type { LocalDeployment } from './local-group';

/** `cluster-node-timeout`: like the Sentinel profile's down-after, long enough not to fail over under load. */
const NODE_TIMEOUT_MS = 2000;

/** Starts the cluster. It runs without passwords: `REDIS_PASSWORD` is refused rather than ignored. */
export async function startLocalCluster(
  env: Readonly<Record<string, string | undefined>>,
  placement: { baseDir?: string; detached?: boolean } = {},
): Promise<LocalDeployment> {
  if (env.REDIS_PASSWORD) {
    throw new Error('the local cluster runs without a password: unset REDIS_PASSWORD, or use the Sentinel group');
  }
  const cluster = await ClusterTopology.start({
    ...placement,
    primaries: 3,
    replicasPerPrimary: 1,
    nodeTimeoutMs: NODE_TIMEOUT_MS,
    nodeConfig: ['appendonly yes', 'appendfsync everysec'],
  });
  return {
    name: 'Redis Cluster',
    env: ['REDIS_CLUSTER_ENABLED=true', `REDIS_CLUSTER_NODES=${cluster.seedList}`],
    pids: cluster.nodes.flatMap((node) => node.pid ?? []),
    async describe() {
      const line = (role: string, node: { host: string; port: number; pid?: number }, slots = '') =>
        `  ${role.padEnd(8)} ${node.host}:${node.port}  pid ${node.pid ?? '?'}${slots}`;
      const shards = (await cluster.shards()).sort((a, b) => a.slots[0][0] - b.slots[0][0]);
      return [
        `Redis Cluster of ${cluster.nodes.length} nodes (node timeout ${NODE_TIMEOUT_MS} ms, AOF on):`,
        ...shards.flatMap((shard) => [
          line('primary', shard.primary, `  slots ${shard.slots.map(([from, to]) => `${from}-${to}`).join(',')}`),
          ...shard.replicas.map((replica) => line('replica', replica)),
        ]),
      ];
    },
    async failoverVictim() {
      const [shard] = await cluster.shards();
      return {
        ...shard.primary,
        what: `a shard's primary`,
        after: `~${Math.round(NODE_TIMEOUT_MS / 1000) + 1} s later: "cluster" shows its replica as the primary, "failoverCount": 1`,
      };
    },
    stop: () => cluster.stop(),
  };
}
