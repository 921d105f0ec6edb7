import type { RedisNodeAddress } from '@sentinel-kit/redis';
import { RedisExecutor, RedisPubSubService, RedisSwitchoverService, SwitchoverRefusedError } from '@sentinel-kit/redis';
import { ClusterTopology, TcpProxy, sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { Inbox } from './pubsub-inbox';
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
  /** A second instance of the application, publishing. */
  let publisher: RedisTestApp;

  beforeAll(async () => {
    cluster = await ClusterTopology.start();
    const natMap: Record<string, RedisNodeAddress> = {};
    for (const node of cluster.nodes) {
      const proxy = await TcpProxy.start(node.endpoint);
      proxies.set(node.port, proxy);
      natMap[`${node.host}:${node.port}`] = { host: proxy.host, port: proxy.port };
    }
    const options = {
      cluster: {
        nodes: cluster.nodes
          .slice(0, 3)
          .map((node) => ({ host: proxies.get(node.port)!.host, port: proxies.get(node.port)!.port })),
        writeHoldMs: WRITE_HOLD_MS,
      },
      natMap,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    };
    app = await startRedisModule(options);
    publisher = await startRedisModule(options);
  });
  afterAll(async () => {
    await app?.app.close();
    await publisher?.app.close();
    await cluster?.stop();
    await Promise.all([...proxies.values()].map((proxy) => proxy.stop()));
  });

  it('dials every primary through its natMap entry, never the address the cluster announces', async () => {
    await app.cache.set('through-the-map', 'yes');
    expect(await app.cache.get('through-the-map')).toBe('yes');
    for (const shard of await cluster.shards()) {
      expect(proxies.get(shard.primary.port)!.connectionsAccepted).toBeGreaterThan(0);
    }
    // Every connection of the module on a node came through that node's proxy. ioredis opens
    // short-lived connections of its own (slot refreshes), so the two counts meet, not at every instant.
    for (const node of cluster.nodes) {
      await waitFor(
        async () => {
          const list = String(await sendCommand(node.endpoint, 'CLIENT', ['LIST']));
          const ours = list.split('\n').filter((line) => / name=sentinel-kit:/.test(line)).length;
          return ours === proxies.get(node.port)!.openConnections || undefined;
        },
        { description: `the connections on node ${node.port} to be those through its proxy` },
      );
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

  it('delivers with sharded pub/sub (SSUBSCRIBE on the shard), and reports interrupted, resumed and missed across a SIGKILL of that shard primary', async () => {
    const inbox = new Inbox(app.app.get(RedisPubSubService), 'orders');
    const pubsub = publisher.app.get(RedisPubSubService);
    const shard = await cluster.shardOf('app:orders');
    const shardSubscribers = async (node: { endpoint: Parameters<typeof sendCommand>[0] }) =>
      ((await sendCommand(node.endpoint, 'PUBSUB', ['SHARDNUMSUB', 'app:orders'])) as [string, number])[1];
    await waitFor(async () => (await shardSubscribers(shard.primary)) === 1, {
      description: 'the subscriber on the shard primary (SSUBSCRIBE)',
    });
    expect(await pubsub.publish('orders', { n: 1 })).toMatchObject({ reach: 'cluster', receivers: 1 });
    await inbox.waitFor('the first message', () => inbox.messages().length === 1);

    await shard.primary.kill();
    await inbox.waitFor('interrupted', (events) => events.some((event) => event.kind === 'interrupted'));
    // Held through the failover, then sent to the new primary.
    const { error } = await timed(() => pubsub.publish('orders', { n: 2 }));
    expect(error).toBeUndefined();
    const promoted = await cluster.waitForFailover(shard);
    await inbox.waitFor('resumed', (events) => events.some((event) => event.kind === 'resumed'));
    await pubsub.publish('orders', { n: 3 });
    await inbox.waitFor('the message after the failover', () =>
      inbox.messages().some((message) => (message as { n: number }).n === 3),
    );
    expect(await shardSubscribers(promoted)).toBe(1);
    // Message 2 went out while no subscriber had the channel: delivered, or said missed; never silently dropped.
    const notices = inbox.kinds().filter((kind) => kind !== 'message');
    const delivered = inbox.messages().map((message) => (message as { n: number }).n);
    expect(notices.slice(0, 2)).toEqual(['interrupted', 'resumed']);
    expect(delivered.includes(2) || notices.includes('missed')).toBe(true);
    inbox.close();
    // Back as the replica of the promoted node, so that every shard has one again.
    await shard.primary.start();
    await cluster.waitUntilSettled();
  });

  it('switches one shard over without losing an acknowledged write, and refuses without a known shard', async () => {
    const switchover = app.app.get(RedisSwitchoverService);
    await expect(switchover.switchover()).rejects.toMatchObject({ reason: 'shard-required' });
    await expect(switchover.switchover({ shard: '1-2' })).rejects.toBeInstanceOf(SwitchoverRefusedError);

    const shard = await cluster.shardOf('{switched-0}');
    const id = shard.slots.map(([from, to]) => `${from}-${to}`).join(',');
    // Writers on the shard (hash-tagged keys) throughout; every acknowledged one must survive.
    const acknowledged: string[] = [];
    let running = true;
    const writer = async (w: number) => {
      for (let n = 0; running; n += 1) {
        const key = `{switched-0}:${w}:${n}`;
        try {
          await publisher.cache.set(key, 'v');
          acknowledged.push(key);
        } catch {
          // refused or unknown: not acknowledged, so not counted
        }
        // An answer from memory comes without I/O: let the event loop run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    let result: Awaited<ReturnType<typeof switchover.switchover>>;
    try {
      await waitFor(() => acknowledged.length > 20, { description: 'writes before the switchover' });
      const before = acknowledged.length;
      result = await switchover.switchover({
        shard: id,
        expectedPrimary: { host: '127.0.0.1', port: shard.primary.port },
      });
      await waitFor(() => acknowledged.length > before + 20, { description: 'writes after it' });
    } finally {
      running = false;
      await Promise.all(writers);
    }

    reportMeasure('cluster: planned shard switchover, writes paused', result.writeOutageMs, 'ms');
    expect(result).toMatchObject({ shard: id, from: { port: shard.primary.port }, oldPrimaryDemoted: true });
    expect(shard.replicas.map(({ port }) => port)).toContain(result.to.port);
    const promoted = cluster.node(result.to.port);
    const stored = (await sendCommand(
      promoted.endpoint,
      'MGET',
      acknowledged.map((key) => `app:${key}`),
    )) as (string | null)[];
    expect(stored.filter((value) => value !== 'v')).toEqual([]);
  });
});
