import type { RedisNodeAddress } from '@sentinel-kit/redis';
import { RedisExecutor } from '@sentinel-kit/redis';
import { ClusterTopology, TcpProxy, sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 500;
const WRITE_HOLD_MS = 8000;

/**
 * RedisModule in Cluster mode on a real 6-node cluster whose nodes the application reaches only
 * through loopback proxies (`natMap` from each announced address to its proxy), as behind Docker
 * or Kubernetes.
 */
describe('Cluster mode on a real Redis Cluster, reached through natMap', () => {
  let cluster: ClusterTopology;
  const proxies = new Map<number, TcpProxy>();
  let app: RedisTestApp;

  beforeAll(async () => {
    cluster = await ClusterTopology.start();
    const natMap: Record<string, RedisNodeAddress> = {};
    for (const node of cluster.nodes) {
      const proxy = await TcpProxy.start(node.endpoint);
      proxies.set(node.port, proxy);
      natMap[`${node.host}:${node.port}`] = { host: proxy.host, port: proxy.port };
    }
    app = await startRedisModule({
      cluster: {
        nodes: cluster.nodes
          .slice(0, 3)
          .map((node) => ({ host: proxies.get(node.port)!.host, port: proxies.get(node.port)!.port })),
        writeHoldMs: WRITE_HOLD_MS,
      },
      natMap,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    await app?.app.close();
    await cluster?.stop();
    await Promise.all([...proxies.values()].map((proxy) => proxy.stop()));
  });

  it('dials every primary through its natMap entry, never the address the cluster announces', async () => {
    await app.cache.set('through-the-map', 'yes');
    expect(await app.cache.get('through-the-map')).toBe('yes');
    for (const shard of await cluster.shards()) {
      expect(proxies.get(shard.primary.port)!.connectionsAccepted).toBeGreaterThan(0);
    }
    // Every connection of the module on a node came through that node's proxy.
    for (const node of cluster.nodes) {
      const list = String(await sendCommand(node.endpoint, 'CLIENT', ['LIST']));
      const ours = list.split('\n').filter((line) => / name=sentinel-kit:/.test(line)).length;
      expect({ port: node.port, ours }).toEqual({ port: node.port, ours: proxies.get(node.port)!.openConnections });
    }
  });

  it('splits multi-key commands by slot: MGET and DEL across every shard, in key order', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread-${i}`);
    for (const key of keys) await app.cache.set(key, `value of ${key}`);
    expect(await app.cache.mget([...keys, 'absent'])).toEqual([...keys.map((key) => `value of ${key}`), null]);
    expect((await app.app.get(RedisExecutor).scanKeys('app:spread-*', 100)).sort()).toEqual(
      keys.map((key) => `app:${key}`).sort(),
    );
    expect(await app.cache.del(...keys, 'absent')).toBe(30);
    expect(await app.cache.mget(keys)).toEqual(keys.map(() => null));
  });

  it('holds a write to a shard whose primary hangs (SIGSTOP) until its replica takes over, and counts that failover', async () => {
    const shard = await cluster.shardOf('app:held-write');
    shard.primary.pause();
    let written: Awaited<ReturnType<typeof timed>>;
    try {
      written = await timed(() => app.cache.set('held-write', 'kept'));
    } finally {
      // Back as a replica of the promoted one; the harness asks every running node.
      shard.primary.resume();
    }
    reportMeasure('cluster: write held through a shard failover (primary SIGSTOPped)', written.ms, 'ms');
    expect(written.error).toBeUndefined();
    expect(written.ms).toBeLessThan(WRITE_HOLD_MS + 2 * COMMAND_TIMEOUT_MS);
    const promoted = await cluster.waitForFailover(shard);
    expect(await app.cache.get('held-write')).toBe('kept');
    const status = await waitFor(
      () => {
        const current = app.status.getStatus();
        return current.cluster && current.cluster.failoverCount >= 1 ? current.cluster : undefined;
      },
      { description: 'the shard failover counted', timeoutMs: 10_000 },
    );
    expect(status.history.at(-1)).toMatchObject({
      source: 'cluster',
      from: { port: shard.primary.port },
      to: { port: promoted.port },
    });
  });
});
