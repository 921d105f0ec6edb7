import type { INestApplication } from '@nestjs/common';
import { SentinelTopology, sendCommand, waitFor } from '@sentinel-kit/testing';
import { SseClient, reportMeasure } from '@sentinel-kit/test-support';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi, startSentinelPod } from './start-api';

/** What `POST /events` answers with 202. */
interface Receipt {
  id: string;
  reach: 'cluster' | 'local';
  receivers: number;
}

describe('real-time events across two API instances on a Sentinel group', () => {
  let topology: SentinelTopology;
  const pods: INestApplication[] = [];
  const streams: SseClient[] = [];

  const urlOf = (pod: INestApplication, path: string) =>
    `http://127.0.0.1:${((pod.getHttpServer() as Server).address() as AddressInfo).port}${path}`;
  const post = async (pod: INestApplication, body: object) => {
    const response = await request(pod.getHttpServer() as Server)
      .post('/events')
      .send(body);
    return {
      status: response.status,
      headers: response.headers,
      body: response.body as Receipt & { message: string[] },
    };
  };
  const open = async (pod: INestApplication) => {
    const stream = await SseClient.open(urlOf(pod, '/events'));
    streams.push(stream);
    return stream;
  };
  /** Subscribers of the sample's channel on the current primary. */
  const subscribers = async () => {
    const primary = await topology.primary();
    return ((await sendCommand(primary.endpoint, 'PUBSUB', ['NUMSUB', 'app:events'])) as [string, number])[1];
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    for (let i = 0; i < 2; i += 1)
      pods.push(await startSentinelPod(topology.sentinelList, { EVENTS_RATE_LIMIT: '10000/1m' }));
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all(pods.map((pod) => pod.close()));
    await topology?.stop();
  });

  it('delivers an event posted to one instance to the stream of the other, before and after a primary SIGKILL', async () => {
    const [a, b] = pods;
    const stream = await open(a);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await waitFor(async () => (await subscribers()) === 1, { description: 'instance A subscribed' });

    const first = await post(b, { type: 'greeting', data: { text: 'hello' } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ channel: 'events', reach: 'cluster', receivers: 1 });
    await stream.waitFor('the first event on A', () => stream.messages().length === 1);
    expect(stream.events[0]).toMatchObject({
      event: 'message',
      id: first.body.id,
      data: { type: 'greeting', data: { text: 'hello' } },
    });

    const old = await topology.primary();
    const killedAt = performance.now();
    await old.kill();
    // Posted while the primary is gone: held until the sentinels name a new one, then published.
    const during = await post(b, { type: 'during-failover' });
    expect(during.status).toBe(202);
    expect(during.body.reach).toBe('cluster');
    reportMeasure('an event posted right after the primary SIGKILL went out', performance.now() - killedAt, 'ms');
    await topology.waitForNewPrimary(old.port);
    // Only A subscribes, so an event reached it exactly when Redis counted one receiver.
    const reachedA = (receipt: Receipt) => receipt.reach === 'cluster' && receipt.receivers === 1;
    const posted = [during.body];
    await waitFor(
      async () => {
        if (reachedA(posted.at(-1)!)) return true;
        const response = await post(b, { type: 'after-failover', data: performance.now() });
        expect(response.status).toBe(202);
        posted.push(response.body);
        return false;
      },
      { description: 'an event to reach instance A through the new primary', timeoutMs: 20_000, intervalMs: 100 },
    );
    reportMeasure('events reach every instance again after the primary SIGKILL', performance.now() - killedAt, 'ms');
    const notReachingA = posted.filter((receipt) => !reachedA(receipt)).length;
    await stream.waitFor('the last event on A', () => stream.messages().length === 2);

    // A was told that it stopped receiving and when it received again, and got a "missed" count of
    // exactly the events B posted that did not reach it, right before the next one that did.
    const kinds = stream.events.map((e) => e.event);
    expect(kinds.indexOf('interrupted')).toBeGreaterThan(0);
    expect(kinds.indexOf('resumed')).toBeGreaterThan(kinds.indexOf('interrupted'));
    const missed = stream.events.filter((e) => e.event === 'missed');
    expect(missed.reduce((sum, e) => sum + (e.data as { count: number }).count, 0)).toBe(notReachingA);
    expect(kinds.at(-1)).toBe('message');
    expect(stream.events.at(-1)!.id).toBe(posted.at(-1)!.id);
  });

  it('answers a bad event with a JSON 400, never a 500', async () => {
    for (const body of [
      {},
      { type: '' },
      { type: 'has space' },
      { type: 'x', extra: 1 },
      { type: 'x', data: 'y'.repeat(20_000) },
    ]) {
      const response = await post(pods[0], body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/json/);
      expect(response.body.message.length).toBeGreaterThan(0);
    }
    const malformed = await request(pods[0].getHttpServer() as Server)
      .post('/events')
      .set('Content-Type', 'application/json')
      .send('{"type":');
    expect(malformed.status).toBe(400);
  });

  it('ends open streams when the application shuts down', async () => {
    const pod = await startApi({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: topology.sentinelList,
    });
    await pod.listen(0, '127.0.0.1');
    const stream = await open(pod);
    await pod.close();
    expect(stream.ended).toBe(true);
  });
});
