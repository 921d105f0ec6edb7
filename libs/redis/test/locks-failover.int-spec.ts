import { setTimeout as sleep } from 'node:timers/promises';
import { RedisLockNotReplicatedError } from '@sentinel-kit/redis/locks';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import { startLockApp, type LockTestApp } from './lock-test-app';

/** One grant as a worker saw it: from the moment `acquire` returned to the moment it called `release`. */
interface Grant {
  name: string;
  fence: number;
  heldFrom: number;
  heldUntil: number;
}

const NAMES = ['ledger', 'mailer', 'report'];
const WORKERS = 8;

/**
 * Locks on a real Sentinel group: a grant is returned only once a replica confirmed it, and through
 * a SIGKILL of the primary no name is ever held twice at once, and fences keep increasing.
 */
describe('RedisLockService through Sentinel failovers', () => {
  let topology: SentinelTopology;
  let subject: LockTestApp;

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
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

  it('refuses a grant that no replica confirmed, and gives it back', async () => {
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

  it('never holds a name twice at once, and keeps fences increasing, through a SIGKILL of the primary', async () => {
    const grants: Grant[] = [];
    const failures: string[] = [];
    let running = true;
    const worker = async (w: number) => {
      for (let n = 0; running; n += 1) {
        const name = NAMES[(w + n) % NAMES.length];
        try {
          const lock = await subject.locks.acquire(name, { ttlMs: 5000, waitMs: 15_000 });
          const heldFrom = performance.now();
          await sleep(2 + Math.random() * 8);
          const heldUntil = performance.now();
          grants.push({ name, fence: lock.fence, heldFrom, heldUntil });
          await lock.release();
        } catch (error) {
          failures.push((error as Error).name);
          await sleep(50);
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
    await waitFor(() => grants.length >= 50 || undefined, { description: 'grants before the kill' });
    const old = await topology.primary();
    const beforeKill = grants.length;
    await old.kill();
    await topology.waitForNewPrimary(old.port);
    await waitFor(() => grants.length >= beforeKill + 100 || undefined, {
      description: 'grants after the failover',
      timeoutMs: 30_000,
    });
    running = false;
    await Promise.all(workers);

    const overlaps: string[] = [];
    const fenceOrder: string[] = [];
    for (const name of NAMES) {
      const byTime = grants.filter((grant) => grant.name === name).sort((a, b) => a.heldFrom - b.heldFrom);
      for (let i = 1; i < byTime.length; i += 1) {
        const [before, after] = [byTime[i - 1], byTime[i]];
        if (after.heldFrom < before.heldUntil) overlaps.push(`${name}: ${before.fence} and ${after.fence}`);
        if (after.fence <= before.fence) fenceOrder.push(`${name}: ${before.fence} then ${after.fence}`);
      }
    }
    reportMeasure('locks through a SIGKILL failover: grants', grants.length, 'grants');
    reportMeasure('locks through a SIGKILL failover: calls that failed (typed)', failures.length, 'calls');
    expect({ overlaps, fenceOrder }).toEqual({ overlaps: [], fenceOrder: [] });
    expect(grants.length).toBeGreaterThanOrEqual(beforeKill + 100);
    // Failures, if any, are typed answers (not a grant from memory, not a hang).
    expect(failures.filter((name) => !/^Redis/.test(name))).toEqual([]);
  });
});
