import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisNodeAddress } from '@sentinel-kit/redis';
import { CapturedLogger, SentinelTopology, TcpProxy, waitFor } from '@sentinel-kit/testing';
import { timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const COMMAND_TIMEOUT_MS = 500;

/**
 * A Sentinel group whose data nodes the application reaches only through loopback proxies, as in
 * Docker or Kubernetes where the sentinels announce addresses the application cannot dial: the
 * application is given `natMap` from each announced address to its proxy.
 */
describe('natMap (REDIS_NAT_MAP): data nodes reached at other addresses than the sentinels announce', () => {
  let topology: SentinelTopology;
  const proxies = new Map<number, TcpProxy>();
  let app: RedisTestApp;
  const logs = new CapturedLogger();

  const proxyOf = (node: { port: number }) => proxies.get(node.port)!;
  const accepted = () => [...proxies.values()].map((proxy) => proxy.connectionsAccepted);
  const reconnectWarnings = () => logs.lines.filter((line) => /not on the primary|connection-lost/.test(line));

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000 });
    const natMap: Record<string, RedisNodeAddress> = {};
    for (const node of topology.dataNodes) {
      const proxy = await TcpProxy.start(node.endpoint);
      proxies.set(node.port, proxy);
      natMap[`${node.host}:${node.port}`] = { host: proxy.host, port: proxy.port };
    }
    app = await startRedisModule(
      {
        sentinel: {
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          masterName: topology.masterName,
          masterCheckIntervalMs: 1000,
        },
        natMap,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        fallback: { enabled: false },
      },
      logs,
    );
  });
  afterAll(async () => {
    await app?.app.close();
    await Promise.all([...proxies.values()].map((proxy) => proxy.stop()));
    await topology?.stop();
  });

  it('reaches the primary through its mapped address, and needs that address', async () => {
    await app.cache.set('nat:first', 'v');
    // Read back from a replica (through its mapped address), which may lag the write by a moment.
    await waitFor(async () => (await app.cache.get('nat:first')) === 'v', { description: 'nat:first to be read back' });
    const primary = proxyOf(await topology.primary());
    expect(primary.openConnections).toBeGreaterThan(0);
    const dialled = primary.connectionsAccepted;
    // Cut what the application's connections through the primary's proxy relay: the write gets no
    // answer, the stalled connection is torn down and dialled again through the map, and the held
    // write is sent again there.
    primary.freezeExisting();
    const frozen = await timed(() => app.cache.set('nat:frozen', 'v'));
    expect(frozen.error).toBeUndefined();
    expect(frozen.ms).toBeGreaterThan(COMMAND_TIMEOUT_MS);
    expect(primary.connectionsAccepted).toBeGreaterThan(dialled);
    await waitFor(async () => (await app.cache.get('nat:frozen')) === 'v', {
      description: 'nat:frozen to be read back',
    });
  });

  it('reconnects nothing for 30 s while the primary stays put (the placement check maps addresses too)', async () => {
    await app.cache.set('nat:steady', 'v');
    const before = accepted();
    const warningsBefore = reconnectWarnings().length;
    const deadline = Date.now() + 30_000;
    let writes = 0;
    while (Date.now() < deadline) {
      await app.cache.set('nat:steady', String(writes));
      writes += 1;
      await sleep(250);
    }
    expect(writes).toBeGreaterThan(50);
    expect(accepted()).toEqual(before);
    expect(reconnectWarnings().slice(warningsBefore)).toEqual([]);
  });

  it('follows a failover to the new primary through its mapped address', async () => {
    const old = await topology.primary();
    const acceptedBefore = accepted();
    await old.kill();
    const promoted = await topology.waitForNewPrimary(old.port);
    await waitFor(() => app.cache.set('nat:after-failover', 'v').then(() => true), {
      description: 'writes on the new primary',
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    const index = [...proxies.keys()].indexOf(promoted.port);
    expect(accepted()[index]).toBeGreaterThan(acceptedBefore[index]);
    expect(app.status.getStatus().sentinel?.currentMaster).toEqual({ host: promoted.host, port: promoted.port });
  });
});
