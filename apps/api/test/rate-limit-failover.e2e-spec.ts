import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startApi } from './start-api';

const POINTS = 5;
const CLIENTS = 12;
const WORKERS_PER_POD = 4;
/** REDIS_SENTINEL_WRITE_HOLD_MS: how long a limiter decision may wait out the failover. */
const WRITE_HOLD_MS = 10_000;

describe('rate limiting across a Sentinel failover, two API pods', () => {
  let topology: SentinelTopology;
  const pods: INestApplication[] = [];

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    for (let i = 0; i < 2; i += 1) {
      pods.push(
        await startApi({
          REDIS_SENTINEL_ENABLED: 'true',
          REDIS_SENTINELS: topology.sentinelList,
          REDIS_COMMAND_TIMEOUT_MS: '500',
          REDIS_SENTINEL_WRITE_HOLD_MS: String(WRITE_HOLD_MS),
          DEMO_RATE_LIMIT: `${POINTS}/10m`,
          TRUST_PROXY: 'loopback',
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.close()));
    await topology?.stop();
  });

  const get = (pod: INestApplication, client: string) =>
    request(pod.getHttpServer() as Server)
      .get('/demo/limited')
      .set('X-Forwarded-For', client);

  /** How many of `requests` concurrent requests for one new client, split between the pods, pass. */
  const allowedForNewClient = async (client: string, requests = 40): Promise<number> => {
    const responses = await Promise.all(Array.from({ length: requests }, (_, i) => get(pods[i % 2], client)));
    return responses.filter((r) => r.status === 200).length;
  };

  it('answers only 200 or 429 while the primary is SIGKILLed, keeps limiting, and shares limits again after', async () => {
    expect(await allowedForNewClient('192.0.2.200')).toBe(POINTS);

    const statuses = new Map<number, number>();
    const allowedPerClient = new Map<string, number>();
    /** Per worker, how many of its requests were sent after the new primary was elected. */
    const answeredAfterFailover = new Map<number, number>();
    let slowestMs = 0;
    let failedOver = false;
    let running = true;
    const worker = async (pod: INestApplication, w: number) => {
      answeredAfterFailover.set(w, 0);
      for (let n = 0; running; n += 1) {
        const client = `192.0.2.${(w * 7 + n) % CLIENTS}`;
        const sentAfterFailover = failedOver;
        const sentAt = performance.now();
        const { status } = await get(pod, client);
        slowestMs = Math.max(slowestMs, performance.now() - sentAt);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (sentAfterFailover) answeredAfterFailover.set(w, answeredAfterFailover.get(w)! + 1);
        if (status === 200) allowedPerClient.set(client, (allowedPerClient.get(client) ?? 0) + 1);
      }
    };
    const workers = pods.flatMap((pod, p) =>
      Array.from({ length: WORKERS_PER_POD }, (_, w) => worker(pod, p * WORKERS_PER_POD + w)),
    );
    await sleep(1000);
    const old = await topology.primary();
    const killedAt = performance.now();
    await old.kill();
    await topology.waitForNewPrimary(old.port);
    failedOver = true;
    // Redis-backed limiting is back when a new client gets exactly POINTS across both pods.
    let probe = 0;
    await waitFor(async () => (await allowedForNewClient(`198.51.100.${(probe += 1)}`)) === POINTS, {
      description: 'Redis-backed limiting shared by both pods again',
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    reportMeasure('rate limiting shared again after the primary SIGKILL', performance.now() - killedAt, 'ms');
    await sleep(1000);
    running = false;
    await Promise.all(workers);

    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    reportMeasure('requests to a limited route across the failover', total, 'requests');
    reportMeasure('slowest request to a limited route across the failover', slowestMs, 'ms');
    reportMeasure(
      'most requests allowed for one client across the failover',
      Math.max(...allowedPerClient.values()),
      `(limit ${POINTS})`,
    );
    expect([...statuses.keys()].sort()).toEqual([200, 429]);
    // Nothing hangs: a decision waits out the failover at most for the write hold, and every worker
    // went on to be answered after it.
    expect(slowestMs).toBeLessThan(WRITE_HOLD_MS + 2000);
    expect(Math.min(...answeredAfterFailover.values())).toBeGreaterThan(0);
    // Each client may have been counted by Redis before the kill, by each pod's memory while the
    // primary was gone, and by Redis again if the new primary lacks the latest bucket state; never more.
    const bound = POINTS * (1 + pods.length + 1);
    for (const [client, allowed] of allowedPerClient) expect([client, allowed <= bound]).toEqual([client, true]);
    expect(statuses.get(200)).toBeLessThanOrEqual(CLIENTS * bound);
  });
});
