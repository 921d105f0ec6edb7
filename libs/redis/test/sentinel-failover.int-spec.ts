import { setTimeout as sleep } from 'node:timers/promises';
import { RedisClusterInspector, RedisPermissionError, RedisUnavailableError } from '@sentinel-kit/redis';
import { CapturedLogger, findFreePort, sendCommand, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { useSentinelGroup } from './sentinel-group-suite';

/**
 * Sentinel mode end to end: how the module finds the primary and the replicas, reads and degrades,
 * survives sentinels going away and follows failovers. The `integration-resp2` project runs it
 * again over RESP2, since sentinel and node replies differ by protocol.
 */
describe('RedisModule against a real Sentinel group (1 primary, 2 replicas, 3 sentinels)', () => {
  const suite = useSentinelGroup();

  it('selects Sentinel mode, writes to the primary and reads from a replica', async () => {
    const { cache, status } = await suite.start();
    const primary = await suite.topology.primary();
    expect(status.getStatus()).toMatchObject({
      mode: 'sentinel',
      connected: true,
      degraded: false,
      sentinel: {
        enabled: true,
        masterName: 'mymaster',
        currentMaster: { host: primary.host, port: primary.port },
        failoverCount: 0,
        lastFailover: null,
      },
    });

    await cache.set('routed', 'yes');
    const replicas = await suite.topology.replicas();
    await waitFor(
      async () =>
        (await Promise.all(replicas.map((r) => sendCommand(r.endpoint, 'GET', ['app:routed'])))).every(
          (v) => v === 'yes',
        ),
      { description: 'the write to replicate' },
    );
    await Promise.all(suite.topology.dataNodes.map((n) => sendCommand(n.endpoint, 'CONFIG', ['RESETSTAT'])));
    for (let i = 0; i < 20; i += 1) expect(await cache.get('routed')).toBe('yes');

    const getCalls = async (node: RedisServerProcess) =>
      Number(
        /cmdstat_get:calls=(\d+)/.exec(String(await sendCommand(node.endpoint, 'INFO', ['commandstats'])))?.[1] ?? 0,
      );
    expect(await getCalls(primary)).toBe(0);
    expect((await Promise.all(replicas.map(getCalls))).reduce((a, b) => a + b, 0)).toBe(20);
    expect((await suite.clientList(primary)).some((line) => /name=sentinel-kit:write .*cmd=/.test(line))).toBe(true);
    for (const replica of replicas) {
      expect((await suite.clientList(replica)).some((line) => line.includes('name=sentinel-kit:write'))).toBe(false);
    }
  });

  it('skips a replica that lags behind its primary or is cut off from it, and /health/redis says why', async () => {
    const { cache, app } = await suite.start({ fallback: { enabled: false } });
    const inspector = app.get(RedisClusterInspector);
    // The view is at most a second old, and the replica checked every 500 ms.
    const reads = async () => (await inspector.inspect()).reads;
    const fromReplica = await waitFor(async () => ((await reads()).from === 'replica' ? reads() : undefined), {
      description: 'reads to go to a replica',
    });
    const replica = suite.topology.node(fromReplica.replica!.port);
    await cache.set('fresh', 'v1');
    await waitFor(async () => (await sendCommand(replica.endpoint, 'GET', ['app:fresh'])) === 'v1', {
      description: 'v1 to replicate',
    });

    // The replica stops applying the replication stream (link up, offset frozen) but still serves reads.
    await sendCommand(replica.endpoint, 'CLIENT', ['PAUSE', '5000', 'WRITE']);
    await cache.set('fresh', 'v2');
    const lagging = await waitFor(
      async () => ((await reads()).skipped?.includes('lags the primary') ? reads() : undefined),
      {
        description: 'the lagging replica to be skipped',
        timeoutMs: 5000,
      },
    );
    expect(lagging).toMatchObject({ from: 'primary', replica: fromReplica.replica });
    expect(lagging.lagMs).toBeGreaterThan(1000);
    expect(await sendCommand(replica.endpoint, 'GET', ['app:fresh'])).toBe('v1');
    expect(await cache.get('fresh')).toBe('v2');
    await sendCommand(replica.endpoint, 'CLIENT', ['UNPAUSE']);
    await waitFor(async () => (await reads()).from === 'replica', { description: 'the replica to be used again' });

    // The replica loses its primary: it would serve what it has, however old, for as long as that lasts.
    await sendCommand(replica.endpoint, 'REPLICAOF', ['127.0.0.1', String(await findFreePort())]);
    await cache.set('fresh', 'v3');
    const cutOff = await waitFor(
      async () => ((await reads()).skipped === 'master_link_status:down' ? reads() : undefined),
      {
        description: 'the cut-off replica to be skipped',
        timeoutMs: 5000,
      },
    );
    expect(cutOff.from).toBe('primary');
    expect(await cache.get('fresh')).toBe('v3');
    const primary = await suite.topology.primary();
    await sendCommand(replica.endpoint, 'REPLICAOF', [primary.host, String(primary.port)]);
  });

  it('retries a read on the primary when no replica answers', async () => {
    const { cache } = await suite.start({ fallback: { enabled: false } });
    await cache.set('replicated', 'v');
    for (const replica of await suite.topology.replicas()) await replica.kill();
    for (let i = 0; i < 5; i += 1) expect(await cache.get('replicated')).toBe('v');
  });

  it('serves from memory while every Redis process is gone, then returns to Redis by itself', async () => {
    const { cache, status } = await suite.start();
    await cache.set('before', 'redis');
    await Promise.all([...suite.topology.sentinels, ...suite.topology.dataNodes].map((p) => p.kill()));

    await cache.set('during', 'memory', 60);
    expect(await cache.get('during')).toBe('memory');
    // The client may notice the closed socket a moment after the failed calls.
    await waitFor(() => status.getStatus().degraded, { description: 'degraded mode', timeoutMs: 5000 });

    for (const node of suite.topology.dataNodes) await node.start();
    await Promise.all(suite.topology.sentinels.map((s) => s.start()));
    await waitFor(() => !status.getStatus().degraded, {
      description: 'the module to leave degraded mode',
      timeoutMs: 30_000,
    });
    await cache.set('after', 'redis');
    const primary = await suite.topology.primary();
    expect(await sendCommand(primary.endpoint, 'GET', ['app:after'])).toBe('redis');
  });

  it('keeps serving, without unhandled error output, while one sentinel is down', async () => {
    const { cache } = await suite.start({ fallback: { enabled: false } });
    await suite.topology.sentinels[1].kill();
    for (let i = 0; i < 10; i += 1) {
      await cache.set(`one-down:${i}`, 'v');
      await sleep(200);
    }
    expect(await cache.get('one-down:9')).toBe('v');
    // afterEach checks that nothing printed "Unhandled error event" meanwhile.
  });

  it('recovers by itself after all sentinels were down longer than any retry budget', async () => {
    const { cache } = await suite.start({ fallback: { enabled: false } });
    await cache.set('before', '1');
    await Promise.all(suite.topology.sentinels.map((s) => s.kill()));
    // Drop our data connections too, so the client has to find the master through the sentinels.
    await Promise.all(
      suite.topology.dataNodes.map((n) => sendCommand(n.endpoint, 'CLIENT', ['KILL', 'TYPE', 'normal'])),
    );
    await sleep(6000);
    const during = await timed(() => cache.set('during', '1'));
    expect(during.error).toBeInstanceOf(RedisUnavailableError);

    await Promise.all(suite.topology.sentinels.map((s) => s.start()));
    const back = await timed(() =>
      waitFor(() => cache.set('after', '1').then(() => true), {
        description: 'writes to succeed again',
        timeoutMs: 20_000,
      }),
    );
    expect(back.error).toBeUndefined();
    reportMeasure('recovery after sentinels came back', back.ms);
    const primary = await suite.topology.primary();
    expect(await sendCommand(primary.endpoint, 'GET', ['app:after'])).toBe('1');
  });

  it('refuses to start when a sentinel user may not SUBSCRIBE or list replicas (either command), without printing its password', async () => {
    const password = 'limited-secret-7';
    await Promise.all(
      suite.topology.sentinels.map((s) =>
        sendCommand(s.endpoint, 'ACL', [
          'SETUSER',
          'limited',
          'on',
          `>${password}`,
          '+@all',
          '-subscribe',
          '-sentinel|replicas',
          '-sentinel|slaves',
        ]),
      ),
    );
    const logs = new CapturedLogger();
    try {
      const started = suite.start(
        {
          sentinel: {
            sentinels: suite.topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
            username: 'limited',
            password,
          },
        },
        logs,
      );
      await expect(started).rejects.toThrow(RedisPermissionError);
      const error = (await started.catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/SUBSCRIBE .* refused \(NOPERM\)/);
      expect(error.message).toMatch(/SENTINEL REPLICAS was refused \(NOPERM\)/);
      // What ioredis' read client sends to find replicas: refused, it reports "All sentinels are unreachable".
      expect(error.message).toMatch(/SENTINEL SLAVES was refused \(NOPERM\)/);
      expect(error.message).not.toContain('All sentinels are unreachable');
      expect([error.message, ...logs.lines].join('\n')).not.toContain(password);
    } finally {
      await Promise.all(suite.topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['DELUSER', 'limited'])));
    }
  });
});
