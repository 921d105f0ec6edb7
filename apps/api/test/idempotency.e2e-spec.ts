import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, sendCommand, waitFor } from '@sentinel-kit/testing';
import { reportMeasure } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoOrders } from '../src/demo/demo-orders';
import { startSentinelPod } from './start-api';

/** One stored order, as the demo keeps it in Redis. */
interface StoredOrder {
  orderId: string;
  item: string;
  qty: number;
  idempotencyKey: string;
}

/**
 * `POST /demo/orders` (`@Idempotent`) on two API instances sharing a Sentinel group: replays across
 * instances, 400/409/422, concurrent repeats, and clients retrying through a SIGKILL of the primary
 * never make two orders for one key.
 */
describe('idempotent orders across two API instances on a Sentinel group', () => {
  let topology: SentinelTopology;
  const pods: INestApplication[] = [];
  /** Runs of the route's handler that made their order, per key, on both instances. */
  const runs = new Map<string, number>();

  const urlOf = (pod: INestApplication) =>
    `http://127.0.0.1:${((pod.getHttpServer() as Server).address() as AddressInfo).port}/demo/orders`;
  const order = async (pod: INestApplication, key: string | undefined, body: unknown) => {
    const response = await fetch(urlOf(pod), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  /** Every order in Redis, read from the primary. */
  const storedOrders = async (): Promise<StoredOrder[]> => {
    const primary = await topology.primary();
    const flat = (await sendCommand(primary.endpoint, 'HGETALL', ['app:demo-orders'])) as string[];
    return flat.filter((_, i) => i % 2 === 1).map((json) => JSON.parse(json) as StoredOrder);
  };
  const ordersFor = async (key: string) => (await storedOrders()).filter((o) => o.idempotencyKey === key);

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    for (let i = 0; i < 2; i += 1) {
      const pod = await startSentinelPod(topology.sentinelList, { REDIS_SENTINEL_WRITE_HOLD_MS: '2000' });
      pods.push(pod);
      // Count the handler's successful runs: deterministic order ids alone would hide a second run.
      const orders = pod.get(DemoOrders);
      const create = orders.create.bind(orders);
      jest.spyOn(orders, 'create').mockImplementation(async (newOrder, key) => {
        const made = await create(newOrder, key);
        runs.set(key, (runs.get(key) ?? 0) + 1);
        return made;
      });
    }
  });
  afterAll(async () => {
    await Promise.all(pods.map((pod) => pod.close()));
    await topology?.stop();
  });

  it('makes the order once, and replays its answer on the other instance', async () => {
    const first = await order(pods[0], 'order-1', { item: 'tea', qty: 2 });
    expect(first.status).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(['item', 'orderId', 'qty']);
    expect(first.body).toMatchObject({ item: 'tea', qty: 2 });
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const again = await order(pods[1], 'order-1', { item: 'tea', qty: 2 });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await ordersFor('order-1')).toHaveLength(1);
    expect(runs.get('order-1')).toBe(1);
  });

  it('answers 422 to the same key with another request, 400 without a key or with a bad one', async () => {
    await order(pods[0], 'order-2', { item: 'tea', qty: 1 });
    const other = await order(pods[1], 'order-2', { item: 'tea', qty: 5 });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ statusCode: 422, message: 'this Idempotency-Key was used for another request' });
    expect((await order(pods[0], undefined, { item: 'tea', qty: 1 })).status).toBe(400);
    expect((await order(pods[0], 'x'.repeat(256), { item: 'tea', qty: 1 })).status).toBe(400);
    expect(await ordersFor('order-2')).toHaveLength(1);
  });

  it('gives a key back when its request fails, so that the corrected request can use it', async () => {
    const bad = await order(pods[0], 'order-3', { item: 'tea', qty: 0 });
    expect(bad.status).toBe(400);
    // The same key, another body: not a mismatch, since the failed request left nothing.
    const good = await order(pods[1], 'order-3', { item: 'tea', qty: 3 });
    expect(good.status).toBe(201);
    expect(await ordersFor('order-3')).toHaveLength(1);
  });

  it('makes exactly one order of 20 concurrent repeats spread over both instances', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => order(pods[i % 2], 'order-4', { item: 'coffee', qty: 1 })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const made = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.orderId);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(made).size).toBe(1);
    expect(await ordersFor('order-4')).toHaveLength(1);
    expect(runs.get('order-4')).toBe(1);
  });

  it('never makes two orders for one key while clients retry through a SIGKILL of the primary', async () => {
    const CLIENTS = 8;
    let running = true;
    const settled: string[] = [];
    const unsettled: string[] = [];
    const retried: Record<string, number> = {};
    const client = async (c: number) => {
      for (let n = 0; running; n += 1) {
        const key = `storm-${c}-${n}`;
        // Retry the same request, alternating instances, until it is answered 201 (or the run is over).
        for (let attempt = 0; ; attempt += 1) {
          const answer = await order(pods[(c + attempt) % 2], key, { item: `item-${c}`, qty: n + 1 }).catch(() => null);
          if (answer?.status === 201) {
            settled.push(key);
            break;
          }
          const why = String(answer?.status ?? 'network');
          retried[why] = (retried[why] ?? 0) + 1;
          if (!running) {
            unsettled.push(key);
            break;
          }
          await sleep(50);
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await waitFor(() => settled.length >= 40 || undefined, { description: 'orders before the kill' });
    const old = await topology.primary();
    await old.kill();
    await topology.waitForNewPrimary(old.port);
    const atFailover = settled.length;
    await waitFor(() => settled.length >= atFailover + 40 || undefined, {
      description: 'orders after the failover',
      timeoutMs: 30_000,
    });
    running = false;
    await Promise.all(clients);

    const orders = (await storedOrders()).filter((o) => o.idempotencyKey.startsWith('storm-'));
    const perKey = new Map<string, number>();
    for (const stored of orders) perKey.set(stored.idempotencyKey, (perKey.get(stored.idempotencyKey) ?? 0) + 1);
    const twice = [...perKey].filter(([, count]) => count > 1).map(([key]) => key);
    reportMeasure('idempotent orders through a SIGKILL failover: keys answered 201', settled.length, 'keys');
    reportMeasure(
      'idempotent orders through a SIGKILL failover: retries',
      Object.values(retried).reduce((a, b) => a + b, 0),
      'requests',
    );
    expect(twice).toEqual([]);
    // And no request ran twice: every key's handler made its order once.
    expect([...runs].filter(([key, count]) => key.startsWith('storm-') && count > 1)).toEqual([]);
    // Every key answered 201 has its one order (none lost), and no order lacks its answer.
    expect(settled.filter((key) => perKey.get(key) !== 1)).toEqual([]);
    // A key still retried when the run ended has at most its one order.
    expect(orders.length - settled.length).toBeLessThanOrEqual(unsettled.length);
    // Retries only ever met 409 (the first still running), 503 (Redis could not answer) or a refused connection.
    expect(Object.keys(retried).filter((why) => !['409', '503', 'network'].includes(why))).toEqual([]);
  });

  // Last: pausing the sentinels puts them in TILT mode for 30 s, in which they fail nothing over.
  it('answers 503 and runs nothing while Redis cannot answer', async () => {
    const everything = [...topology.dataNodes, ...topology.sentinels].filter((process) => process.running);
    everything.forEach((process) => process.pause());
    let answer: Awaited<ReturnType<typeof order>>;
    const started = performance.now();
    try {
      answer = await order(pods[0], 'order-5', { item: 'tea', qty: 1 });
    } finally {
      everything.forEach((process) => process.resume());
    }
    expect(answer.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(runs.get('order-5')).toBeUndefined();
    // Once Redis answers again, the key is free (at once when the claim's release follows it on the
    // same connection; after its 30 s lease when a reconnect reordered them): the request runs, once.
    await waitFor(async () => (await order(pods[1], 'order-5', { item: 'tea', qty: 1 })).status === 201, {
      description: 'the order to be made once Redis is back',
      timeoutMs: 40_000,
      intervalMs: 500,
    });
    expect(runs.get('order-5')).toBe(1);
  });
});
