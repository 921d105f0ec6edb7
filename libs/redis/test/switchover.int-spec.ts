import { setTimeout as sleep } from 'node:timers/promises';
import { RedisSwitchoverService, SwitchoverRefusedError, type SwitchoverResult } from '@sentinel-kit/redis';
import { SentinelTopology, sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

const WRITERS = 4;

describe('planned switchover on a real Sentinel group', () => {
  let topology: SentinelTopology;
  const apps: RedisTestApp[] = [];

  const start = async (): Promise<RedisTestApp> => {
    const app = await startRedisModule({
      sentinel: {
        sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
        masterName: topology.masterName,
        masterCheckIntervalMs: 1000,
      },
      commandTimeoutMs: 500,
      fallback: { enabled: false }, // a write either reaches Redis or fails: nothing is counted twice
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    for (const node of [...topology.dataNodes, ...topology.sentinels]) if (!node.running) await node.start();
    await topology.waitUntilSettled();
    await sendCommand((await topology.primary()).endpoint, 'DEL', ['app:sentinel-kit:{switchover}cooldown']);
  });
  afterAll(async () => topology?.stop());

  it('switches primaries under a steady write load without losing an acknowledged write', async () => {
    const app = await start();
    const acknowledged: string[] = [];
    const ackTimes: number[] = [];
    let failed = 0;
    let running = true;
    const writer = async (w: number) => {
      for (let n = 0; running; n += 1) {
        const key = `switchover:${w}:${n}`;
        try {
          await app.cache.set(key, String(n), 600);
          acknowledged.push(key);
          ackTimes.push(performance.now());
        } catch {
          failed += 1;
          await sleep(5);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await sleep(1000);
    const old = await topology.primary();
    const result: SwitchoverResult = await app.app.get(RedisSwitchoverService).switchover();
    await sleep(2000);
    running = false;
    await Promise.all(writers);

    expect(result.from).toEqual({ host: old.host, port: old.port });
    expect(result.to.port).not.toBe(old.port);
    expect(result.oldPrimaryDemoted).toBe(true);
    const primary = await topology.primary();
    expect(primary.port).toBe(result.to.port);

    await topology.waitUntilSettled();
    const missing: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 500) {
      const batch = acknowledged.slice(i, i + 500);
      const values = (await sendCommand(
        primary.endpoint,
        'MGET',
        batch.map((k) => `app:${k}`),
      )) as (string | null)[];
      values.forEach((value, index) => value === null && missing.push(batch[index]));
    }
    let longestGap = 0;
    const sorted = [...ackTimes].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i += 1) longestGap = Math.max(longestGap, sorted[i] - sorted[i - 1]);
    reportMeasure('writes acknowledged around a planned switchover', acknowledged.length, 'writes');
    reportMeasure('acknowledged writes lost by the planned switchover', missing.length, 'writes');
    reportMeasure('writes that failed during the planned switchover', failed, 'writes');
    reportMeasure('writes held on the old primary (pause to switch)', result.writeOutageMs);
    reportMeasure('longest gap between acknowledged writes', longestGap);
    expect(acknowledged.length).toBeGreaterThan(1000);
    expect(missing).toEqual([]);
    expect(longestGap).toBeLessThan(5000); // generous; the target (≤ 2 s) is reported above
  });

  it('refuses when no replica is in sync, changing nothing', async () => {
    const app = await start();
    const old = await topology.primary();
    for (const replica of await topology.replicas()) await replica.kill();
    await waitFor(async () => !/slave\d+:/.test(String(await sendCommand(old.endpoint, 'INFO', ['replication']))), {
      description: 'the primary to see no replica',
      timeoutMs: 10_000,
    });
    const refusal = app.app.get(RedisSwitchoverService).switchover();
    await expect(refusal).rejects.toThrow(SwitchoverRefusedError);
    await expect(refusal).rejects.toMatchObject({
      reason: 'no-replica-in-sync',
      message: `no replica of ${old.host}:${old.port} is online and in sync; refusing`,
    });
    await app.cache.set('still-writable', 'yes');
    expect((await topology.primary()).port).toBe(old.port);
  });

  it('runs one switchover at a time across instances, then refuses another during the cooldown', async () => {
    const [first, second] = [await start(), await start()];
    const old = await topology.primary();
    const attempts = await Promise.allSettled(
      [first, second].map((app) => app.app.get(RedisSwitchoverService).switchover({ cooldownMs: 30_000 })),
    );
    const done = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as SwitchoverRefusedError] : []));
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: 'in-progress' });
    expect(refused[0].retryAfterMs).toBeGreaterThan(0);
    await waitFor(async () => (await topology.primary()).port !== old.port, { description: 'the new primary' });

    const cooling = second.app.get(RedisSwitchoverService).switchover();
    await expect(cooling).rejects.toMatchObject({ reason: 'cooldown' });
    const { retryAfterMs } = (await cooling.catch((error: SwitchoverRefusedError) => error)) as SwitchoverRefusedError;
    expect(retryAfterMs).toBeGreaterThan(20_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('refuses, changing nothing, when the primary is not the one expected', async () => {
    const app = await start();
    const old = await topology.primary();
    const [replica] = await topology.replicas();
    await expect(
      app.app.get(RedisSwitchoverService).switchover({ expectedPrimary: { host: replica.host, port: replica.port } }),
    ).rejects.toMatchObject({ reason: 'unexpected-primary' });
    expect((await topology.primary()).port).toBe(old.port);
    await app.cache.set('still-writable', 'yes');
  });

  it('leaves the pause alone when a sentinel answers that a failover is already running', async () => {
    const app = await start();
    const old = await topology.primary();
    // Someone else's failover, started on the sentinel this switchover asks first.
    await sendCommand(topology.sentinels[0].endpoint, 'SENTINEL', ['FAILOVER', topology.masterName]);
    const refusal = app.app.get(RedisSwitchoverService).switchover();
    await expect(refusal).rejects.toMatchObject({ reason: 'failover-refused' });
    await expect(refusal).rejects.toThrow(/INPROG/);
    // Still paused: a write to the old primary waits. CLIENT UNPAUSE would have let it through (or
    // refused it at once), lifting a pause another switchover may rely on.
    await expect(sendCommand(old.endpoint, 'SET', ['inprog-probe', '1'], 500)).rejects.toThrow(/timed out/i);
  });

  it('refuses when the sentinels cannot reach quorum', async () => {
    const app = await start();
    const old = await topology.primary();
    const [first, second, third] = topology.sentinels;
    await first.kill();
    await second.kill();
    await waitFor(
      async () => {
        try {
          await sendCommand(third.endpoint, 'SENTINEL', ['CKQUORUM', topology.masterName]);
          return false;
        } catch {
          return true;
        }
      },
      { description: 'the last sentinel to count its peers out', timeoutMs: 15_000 },
    );
    const refusal = app.app.get(RedisSwitchoverService).switchover();
    await expect(refusal).rejects.toMatchObject({ reason: 'no-quorum' });
    await expect(refusal).rejects.toThrow(/Sentinel quorum is not reached \(NOQUORUM/);
    expect((await topology.primary()).port).toBe(old.port);
  });
});
