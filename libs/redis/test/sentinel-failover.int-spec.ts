import { setTimeout as sleep } from 'node:timers/promises';
import {
  RedisClusterInspector,
  RedisMetrics,
  RedisPermissionError,
  RedisUnavailableError,
  type RedisModuleOptions,
  type RedisSentinelOptions,
} from '@sentinel-kit/redis';
import {
  CapturedLogger,
  SentinelTopology,
  findFreePort,
  sendCommand,
  waitFor,
  type RedisServerProcess,
} from '@sentinel-kit/testing';
import { reportMeasure, timed } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

/** Long enough that a loaded 2-core machine does not see spurious failovers (see REDIS-FAILURE-FACTS). */
const DOWN_AFTER_MS = 2000;
const COMMAND_TIMEOUT_MS = 500;
/** Slack for a loaded 2-core machine on top of the command timeout. */
const SLACK_MS = 1000;
/** Longer than a failover here (down-after + ~1.3 s), shorter than the default, so the bound means something. */
const WRITE_HOLD_MS = 5000;

describe('RedisModule against a real Sentinel group (1 primary, 2 replicas, 3 sentinels)', () => {
  let topology: SentinelTopology;
  const apps: RedisTestApp[] = [];
  const consoleErrors: string[] = [];

  /** The group's sentinels, polled every second, with `overrides`. */
  const sentinelOptions = (overrides: Partial<RedisSentinelOptions> = {}): RedisSentinelOptions => ({
    sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
    masterName: topology.masterName,
    masterCheckIntervalMs: 1000,
    ...overrides,
  });

  const start = async (extra: Partial<RedisModuleOptions> = {}, logs?: CapturedLogger): Promise<RedisTestApp> => {
    const app = await startRedisModule(
      {
        sentinel: sentinelOptions(),
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        circuit: { probeIntervalMs: 100 },
        ...extra,
      },
      logs,
    );
    apps.push(app);
    return app;
  };

  /** Client list lines of one node (`id=… name=… cmd=…`). */
  const clientList = async (node: RedisServerProcess) =>
    String(await sendCommand(node.endpoint, 'CLIENT', ['LIST']))
      .trim()
      .split('\n');

  /** Restarts every killed data node and waits until the group is whole again. */
  const heal = async () => {
    for (const node of topology.dataNodes) if (!node.running) await node.start();
    for (const sentinel of topology.sentinels) if (!sentinel.running) await sentinel.start();
    await topology.waitUntilSettled(2);
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: DOWN_AFTER_MS, failoverTimeoutMs: 5000 });
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      consoleErrors.push(args.map(String).join(' '));
    });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    expect(consoleErrors.filter((line) => line.includes('Unhandled error event'))).toEqual([]);
    await heal();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await topology?.stop();
  });

  it('selects Sentinel mode, writes to the primary and reads from a replica', async () => {
    const { cache, status } = await start();
    const primary = await topology.primary();
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
    const replicas = await topology.replicas();
    await waitFor(
      async () =>
        (await Promise.all(replicas.map((r) => sendCommand(r.endpoint, 'GET', ['app:routed'])))).every(
          (v) => v === 'yes',
        ),
      { description: 'the write to replicate' },
    );
    await Promise.all(topology.dataNodes.map((n) => sendCommand(n.endpoint, 'CONFIG', ['RESETSTAT'])));
    for (let i = 0; i < 20; i += 1) expect(await cache.get('routed')).toBe('yes');

    const getCalls = async (node: RedisServerProcess) =>
      Number(
        /cmdstat_get:calls=(\d+)/.exec(String(await sendCommand(node.endpoint, 'INFO', ['commandstats'])))?.[1] ?? 0,
      );
    expect(await getCalls(primary)).toBe(0);
    expect((await Promise.all(replicas.map(getCalls))).reduce((a, b) => a + b, 0)).toBe(20);
    expect((await clientList(primary)).some((line) => /name=sentinel-kit:write .*cmd=/.test(line))).toBe(true);
    for (const replica of replicas) {
      expect((await clientList(replica)).some((line) => line.includes('name=sentinel-kit:write'))).toBe(false);
    }
  });

  it('skips a replica that lags behind its primary or is cut off from it, and /health/redis says why', async () => {
    const { cache, app } = await start({ fallback: { enabled: false } });
    const inspector = app.get(RedisClusterInspector);
    // The view is at most a second old, and the replica checked every 500 ms.
    const reads = async () => (await inspector.inspect()).reads;
    const fromReplica = await waitFor(async () => ((await reads()).from === 'replica' ? reads() : undefined), {
      description: 'reads to go to a replica',
    });
    const replica = topology.node(fromReplica.replica!.port);
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
    const primary = await topology.primary();
    await sendCommand(replica.endpoint, 'REPLICAOF', [primary.host, String(primary.port)]);
  });

  it('retries a read on the primary when no replica answers', async () => {
    const { cache } = await start({ fallback: { enabled: false } });
    await cache.set('replicated', 'v');
    for (const replica of await topology.replicas()) await replica.kill();
    for (let i = 0; i < 5; i += 1) expect(await cache.get('replicated')).toBe('v');
  });

  it('serves from memory while every Redis process is gone, then returns to Redis by itself', async () => {
    const { cache, status } = await start();
    await cache.set('before', 'redis');
    await Promise.all([...topology.sentinels, ...topology.dataNodes].map((p) => p.kill()));

    await cache.set('during', 'memory', 60);
    expect(await cache.get('during')).toBe('memory');
    // The client may notice the closed socket a moment after the failed calls.
    await waitFor(() => status.getStatus().degraded, { description: 'degraded mode', timeoutMs: 5000 });

    for (const node of topology.dataNodes) await node.start();
    await Promise.all(topology.sentinels.map((s) => s.start()));
    await waitFor(() => !status.getStatus().degraded, {
      description: 'the module to leave degraded mode',
      timeoutMs: 30_000,
    });
    await cache.set('after', 'redis');
    const primary = await topology.primary();
    expect(await sendCommand(primary.endpoint, 'GET', ['app:after'])).toBe('redis');
  });

  it('keeps serving, without unhandled error output, while one sentinel is down', async () => {
    const { cache } = await start({ fallback: { enabled: false } });
    await topology.sentinels[1].kill();
    for (let i = 0; i < 10; i += 1) {
      await cache.set(`one-down:${i}`, 'v');
      await sleep(200);
    }
    expect(await cache.get('one-down:9')).toBe('v');
    // afterEach checks that nothing printed "Unhandled error event" meanwhile.
  });

  it('recovers by itself after all sentinels were down longer than any retry budget', async () => {
    const { cache } = await start({ fallback: { enabled: false } });
    await cache.set('before', '1');
    await Promise.all(topology.sentinels.map((s) => s.kill()));
    // Drop our data connections too, so the client has to find the master through the sentinels.
    await Promise.all(topology.dataNodes.map((n) => sendCommand(n.endpoint, 'CLIENT', ['KILL', 'TYPE', 'normal'])));
    await sleep(6000);
    const during = await timed(() => cache.set('during', '1'));
    expect(during.error).toBeInstanceOf(RedisUnavailableError);

    await Promise.all(topology.sentinels.map((s) => s.start()));
    const back = await timed(() =>
      waitFor(() => cache.set('after', '1').then(() => true), {
        description: 'writes to succeed again',
        timeoutMs: 20_000,
      }),
    );
    expect(back.error).toBeUndefined();
    reportMeasure('recovery after sentinels came back', back.ms);
    const primary = await topology.primary();
    expect(await sendCommand(primary.endpoint, 'GET', ['app:after'])).toBe('1');
  });

  it('follows two SIGKILL failovers, counting each once, with the right from/to', async () => {
    const { cache, status } = await start({ fallback: { enabled: false } });
    for (const round of [1, 2]) {
      const old = await topology.primary();
      await cache.set(`round${round}:before`, 'v');
      const killedAt = performance.now();
      await old.kill();
      const outage = await timed(() =>
        waitFor(() => cache.set(`round${round}:after`, 'v').then(() => true), {
          description: 'writes to succeed on a new primary',
          timeoutMs: DOWN_AFTER_MS + 3000,
          intervalMs: 20,
        }),
      );
      expect(outage.error).toBeUndefined();
      reportMeasure(
        `write outage after SIGKILL of the primary (round ${round}, down-after ${DOWN_AFTER_MS})`,
        performance.now() - killedAt,
      );
      const next = await topology.waitForNewPrimary(old.port);
      expect(await sendCommand(next.endpoint, 'GET', [`app:round${round}:after`])).toBe('v');

      await waitFor(() => status.getStatus().sentinel?.failoverCount === round, {
        description: `failover count ${round}`,
      });
      await sleep(1500); // late reports from the other sentinels must not count again
      const sentinel = status.getStatus().sentinel!;
      expect(sentinel.failoverCount).toBe(round);
      expect(sentinel.currentMaster).toEqual({ host: next.host, port: next.port });
      expect(sentinel.history.at(-1)).toMatchObject({
        from: { host: old.host, port: old.port },
        to: { host: next.host, port: next.port },
      });
      expect(Date.parse(sentinel.lastFailover!)).toBeGreaterThan(Date.now() - 30_000);
      // The switch came with the +sdown/+odown events, so the subscriptions work and the duration is known.
      expect(sentinel.history.at(-1)!.durationMs).toBeGreaterThan(0);
      reportMeasure(`failover duration seen by the tracker (round ${round})`, sentinel.history.at(-1)!.durationMs!);
      await heal();
    }
  });

  it('holds writes through a SIGKILL failover and sends them to the new primary as soon as it is named', async () => {
    const held = await start({ fallback: { enabled: false } });
    const failFast = await start({
      fallback: { enabled: false },
      sentinel: sentinelOptions({ writeHoldMs: 0 }),
    });
    const results = { held: { ok: 0, failed: 0 }, failFast: { ok: 0, failed: 0 } };
    let running = true;
    let firstHeldAfterKill = Infinity;
    let killedAt = Infinity;
    const writer = async (name: 'held' | 'failFast', app: RedisTestApp, w: number) => {
      for (let n = 0; running; n += 1) {
        const started = performance.now();
        try {
          await app.cache.set(`hold:${name}:${w}:${n}`, 'v');
          results[name].ok += 1;
          if (name === 'held' && started > killedAt)
            firstHeldAfterKill = Math.min(firstHeldAfterKill, performance.now());
        } catch {
          results[name].failed += 1;
          await sleep(5);
        }
      }
    };
    let switchedAt = Infinity;
    const switches = held.status.failovers$.subscribe(() => (switchedAt = Math.min(switchedAt, performance.now())));
    const writers = [0, 1, 2, 3].flatMap((w) => [writer('held', held, w), writer('failFast', failFast, w)]);
    await sleep(500);
    const old = await topology.primary();
    await old.kill();
    killedAt = performance.now();
    await topology.waitForNewPrimary(old.port);
    await waitFor(() => switchedAt < Infinity && firstHeldAfterKill < Infinity, {
      description: 'the switch and a held write to succeed',
    });
    switches.unsubscribe();
    await sleep(500);
    running = false;
    await Promise.all(writers);

    expect(results.held.failed).toBe(0);
    expect(results.held.ok).toBeGreaterThan(100);
    // Without the hold, the same outage fails writes.
    expect(results.failFast.failed).toBeGreaterThan(0);
    reportMeasure('first held write after the kill', firstHeldAfterKill - killedAt);
    // Generous: the module answers the switch at once; the bench measures how close to it.
    expect(firstHeldAfterKill - switchedAt).toBeLessThan(1000);
  });

  it('fails a held write as soon as the application shuts down, instead of holding it to the deadline', async () => {
    const app = await start({
      fallback: { enabled: false },
      sentinel: sentinelOptions({ writeHoldMs: 30_000 }),
    });
    const old = await topology.primary();
    await old.kill();
    const write = app.cache.set('hold:shutdown', 'v').then(
      () => 'written',
      (error: unknown) => error,
    );
    // Well before the failover (down-after is 2 s): the write is waiting for a primary.
    const heldWrites = async () =>
      (await app.app.get(RedisMetrics).registry.getSingleMetric('redis_held_writes_total')?.get())?.values[0]?.value;
    await waitFor(async () => (await heldWrites()) === 1, { description: 'the write to be held' });
    const { value, ms } = await timed(async () => {
      apps.splice(apps.indexOf(app), 1);
      await app.app.close();
      return write;
    });

    expect(value).toBeInstanceOf(RedisUnavailableError);
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
  });

  it('notices a failover by polling when the sentinel events are lost', async () => {
    const password = 'watcher-secret-3';
    const acl = (...rules: string[]) =>
      Promise.all(topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['SETUSER', 'watcher', ...rules])));
    await acl('on', `>${password}`, '+@all', '&*');
    try {
      const { cache, status } = await start({
        sentinel: sentinelOptions({ username: 'watcher', password }),
        fallback: { enabled: false },
      });
      // Cut the event subscriptions for good: they cannot come back without SUBSCRIBE.
      await acl('-subscribe');
      await Promise.all(topology.sentinels.map((s) => sendCommand(s.endpoint, 'CLIENT', ['KILL', 'TYPE', 'pubsub'])));

      const old = await topology.primary();
      await old.kill();
      const next = await topology.waitForNewPrimary(old.port);
      await waitFor(() => cache.set('after-poll', 'v').then(() => true), {
        description: 'writes to reach the new primary',
        timeoutMs: 10_000,
      });
      expect(await sendCommand(next.endpoint, 'GET', ['app:after-poll'])).toBe('v');
      await waitFor(() => status.getStatus().sentinel?.failoverCount === 1, { description: 'the polled failover' });
      expect(status.getStatus().sentinel?.history.at(-1)).toMatchObject({
        source: 'poll',
        from: { host: old.host, port: old.port },
        to: { host: next.host, port: next.port },
      });
    } finally {
      await Promise.all(topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['DELUSER', 'watcher'])));
    }
  });

  it('loses no acknowledged write when the primary hangs (SIGSTOP), fails over and comes back (SIGCONT)', async () => {
    const { cache, status } = await start({
      fallback: { enabled: false },
      sentinel: sentinelOptions({ writeHoldMs: WRITE_HOLD_MS }),
    });
    const old = await topology.primary();
    const acknowledged: string[] = [];
    const latencies: number[] = [];
    let writing = true;
    const writer = async (id: number) => {
      for (let i = 0; writing; i += 1) {
        const key = `w${id}:${i}`;
        const attempt = await timed(() => cache.set(key, String(i)));
        latencies.push(attempt.ms);
        if (attempt.error === undefined) acknowledged.push(key);
        else await sleep(10);
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await sleep(500);
    const ackedBeforePause = acknowledged.length;
    old.pause();
    const pausedAt = performance.now();
    await topology.waitForNewPrimary(old.port);
    const ackedAtSwitch = acknowledged.length;
    await sleep(Math.max(0, 8000 - (performance.now() - pausedAt)));
    old.resume();
    await sleep(3000);
    writing = false;
    await Promise.all(writers);

    expect(ackedBeforePause).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(ackedAtSwitch); // the client followed the failover
    // A timed-out write is held for the switch, never longer than the hold and one more try.
    const slowest = latencies.reduce((a, b) => Math.max(a, b), 0);
    expect(slowest).toBeLessThan(WRITE_HOLD_MS + COMMAND_TIMEOUT_MS + SLACK_MS);
    reportMeasure(`slowest of ${latencies.length} calls during the SIGSTOP run`, slowest);
    expect(status.getStatus().sentinel?.failoverCount).toBe(1);

    await topology.waitUntilSettled(2);
    const primary = await topology.primary();
    expect(((await sendCommand(old.endpoint, 'ROLE')) as string[])[0]).toBe('slave');
    const missing: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 500) {
      const keys = acknowledged.slice(i, i + 500);
      const values = (await sendCommand(
        primary.endpoint,
        'MGET',
        keys.map((k) => `app:${k}`),
      )) as (string | null)[];
      keys.forEach((key, j) => values[j] === null && missing.push(key));
    }
    expect({ acknowledged: acknowledged.length, missing }).toEqual({ acknowledged: acknowledged.length, missing: [] });
  });

  it('refuses to start when a sentinel user may not SUBSCRIBE or list replicas (either command), without printing its password', async () => {
    const password = 'limited-secret-7';
    await Promise.all(
      topology.sentinels.map((s) =>
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
      const started = start(
        {
          sentinel: {
            sentinels: topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
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
      await Promise.all(topology.sentinels.map((s) => sendCommand(s.endpoint, 'ACL', ['DELUSER', 'limited'])));
    }
  });
});
