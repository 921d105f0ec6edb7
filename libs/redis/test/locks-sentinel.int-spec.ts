import { RedisLockNotReplicatedError } from '@sentinel-kit/redis/locks';
import { SentinelTopology } from '@sentinel-kit/testing';
import { startLockApp, type LockTestApp } from './lock-test-app';

/**
 * Locks on a real Sentinel group: a grant is returned only once a replica confirmed it. (Through a
 * SIGKILL of the primary, the chaos suite's `locks-sigkill-primary` checks that no name is ever held
 * twice at once and that fences keep increasing.)
 */
describe('RedisLockService on a Sentinel group', () => {
  let topology: SentinelTopology;
  let subject: LockTestApp;

  beforeAll(async () => {
    topology = await SentinelTopology.start({ replicas: 1, downAfterMs: 2000, failoverTimeoutMs: 5000 });
    subject = await startLockApp({
      sentinel: {
        sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
        masterName: topology.masterName,
        masterCheckIntervalMs: 1000,
      },
      commandTimeoutMs: 500,
      circuit: { probeIntervalMs: 100 },
      fallback: { enabled: true },
    });
  });
  afterAll(async () => {
    await subject?.app.close();
    await topology?.stop();
  });

  it('refuses a grant that its replica did not confirm, and gives it back', async () => {
    const replicas = await topology.replicas();
    replicas.forEach((replica) => replica.pause());
    let refused: unknown;
    try {
      refused = await subject.locks.acquire('unconfirmed').catch((error: unknown) => error);
    } finally {
      replicas.forEach((replica) => replica.resume());
    }
    expect(refused).toBeInstanceOf(RedisLockNotReplicatedError);
    expect(refused).toMatchObject({ acknowledged: 0, required: 1 });
    const granted = await subject.locks.acquire('unconfirmed');
    expect(granted.fence).toBe((refused as RedisLockNotReplicatedError).fence + 1);
    await granted.release();
  });
});
