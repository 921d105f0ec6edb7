import { firstValueFrom, take, toArray } from 'rxjs';
import { RedisPubSubService, RedisUnavailableError, type RedisModuleOptions } from '@sentinel-kit/redis';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import { REDIS_DEFAULTS } from '../src/redis.constants';
import { Inbox } from './pubsub-inbox';
import { startRedisModule, type RedisTestApp } from './redis-test-app';

describe('RedisPubSubService against a standalone redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  const apps: RedisTestApp[] = [];

  const start = async (extra: Partial<RedisModuleOptions> = {}) => {
    const app = await startRedisModule({
      host: server.host,
      port: server.port,
      keyPrefix: 'ps:',
      commandTimeoutMs: 300,
      circuit: { probeIntervalMs: 100 },
      ...extra,
    });
    apps.push(app);
    return { ...app, pubsub: app.app.get(RedisPubSubService) };
  };
  const raw = (command: string, ...args: (string | number)[]) => sendCommand(server.endpoint, command, args);
  const subscribers = async (wire: string) => ((await raw('PUBSUB', 'NUMSUB', wire)) as [string, number])[1];

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    if (server.running) server.resume();
    else await server.start();
  });
  afterAll(async () => dispose());

  it('delivers a message published on one instance to the subscribers of every instance, under the key prefix', async () => {
    const a = await start();
    const b = await start();
    const inboxA = new Inbox(a.pubsub, 'news');
    const inboxB = new Inbox(b.pubsub, 'news');
    await waitFor(async () => (await subscribers('ps:news')) === 2, { description: 'both instances subscribed' });

    const receipt = await b.pubsub.publish('news', { title: 'hello', n: 1 });
    expect(receipt).toEqual({ id: `${b.pubsub.origin}:1`, channel: 'news', reach: 'cluster', receivers: 2 });
    await inboxA.waitFor('A to receive', () => inboxA.messages().length === 1);
    await inboxB.waitFor('B to receive', () => inboxB.messages().length === 1);
    expect(inboxA.events[0]).toMatchObject({
      kind: 'message',
      channel: 'news',
      id: receipt.id,
      origin: b.pubsub.origin,
      sequence: 1,
      data: { title: 'hello', n: 1 },
    });
    expect((inboxA.events[0] as { publishedAt: Date }).publishedAt).toBeInstanceOf(Date);

    // Someone else's raw PUBLISH arrives as an external message with its text.
    await raw('PUBLISH', 'ps:news', 'plain text');
    await inboxA.waitFor('the external message', () => inboxA.messages().includes('plain text'));
    expect(inboxA.events.at(-1)).toMatchObject({ kind: 'message', origin: 'external', data: 'plain text' });
    expect(inboxA.kinds()).toEqual(['message', 'message']);

    // The last subscriber leaving unsubscribes the instance; the channel's other instance stays.
    inboxA.close();
    await waitFor(async () => (await subscribers('ps:news')) === 1, { description: 'A to unsubscribe' });
    expect(a.pubsub.channelCount).toBe(0);
    expect((await b.pubsub.publish('news', 2)).receivers).toBe(1);
    inboxB.close();
  });

  it('reports what a Redis outage cost: local-only delivery to the publisher, interrupted/resumed and missed to the others', async () => {
    const a = await start();
    const b = await start();
    const inboxA = new Inbox(a.pubsub, 'orders');
    const inboxB = new Inbox(b.pubsub, 'orders');
    await waitFor(async () => (await subscribers('ps:orders')) === 2, { description: 'both instances subscribed' });
    await b.pubsub.publish('orders', 'before');
    await inboxA.waitFor('the first message', () => inboxA.messages().length === 1);

    await server.kill();
    await inboxA.waitFor('A to report the interruption', (events) => events.some((e) => e.kind === 'interrupted'));
    const during = await b.pubsub.publish('orders', 'during');
    expect(during).toMatchObject({ reach: 'local', receivers: 1 });
    expect(inboxB.messages()).toEqual(['before', 'during']);

    await server.start();
    await inboxA.waitFor('A to resume', (events) => events.some((e) => e.kind === 'resumed'));
    await inboxB.waitFor('B to resume', (events) => events.some((e) => e.kind === 'resumed'));
    // Each publish while B's circuit is still open is delivered locally and takes a sequence number:
    // publish once, when B takes writes again.
    await waitFor(() => !b.status.getStatus().degraded, { description: 'B to take writes again' });
    expect((await b.pubsub.publish('orders', 'after')).reach).toBe('cluster');
    await inboxA.waitFor('the message after the outage', () => inboxA.messages().includes('after'));
    // Through Redis to each subscriber connection: B's may read it a turn after A's.
    await inboxB.waitFor('B to get the message after the outage', () => inboxB.messages().includes('after'));

    const interrupted = inboxA.events.find((e) => e.kind === 'interrupted')!;
    const resumed = inboxA.events.find((e) => e.kind === 'resumed')!;
    expect(resumed).toMatchObject({ channel: 'orders', since: (interrupted as { since: Date }).since });
    // A never got "during": it is reported as missed, right before the next message of B.
    expect(inboxA.messages()).toEqual(['before', 'after']);
    const missedAt = inboxA.events.findIndex((e) => e.kind === 'missed');
    expect(inboxA.events[missedAt]).toEqual({
      kind: 'missed',
      channel: 'orders',
      origin: b.pubsub.origin,
      afterSequence: 1,
      count: 1,
    });
    expect(inboxA.events[missedAt + 1]).toMatchObject({ kind: 'message', data: 'after' });
    // B delivered "during" itself; "after" arrives once, and no message is reported missed to B.
    expect(inboxB.messages()).toEqual(['before', 'during', 'after']);
    expect(inboxB.kinds()).not.toContain('missed');
    inboxA.close();
    inboxB.close();
  });

  it('refuses to publish while Redis is down when the fallback is off', async () => {
    const a = await start({ fallback: { enabled: false } });
    await server.kill();
    // Until the client has processed the close, a publish is written to the dead socket (outcome unknown).
    await waitFor(() => a.status.getStatus().degraded, { description: 'the client to see the connection gone' });
    await expect(a.pubsub.publish('orders', 1)).rejects.toBeInstanceOf(RedisUnavailableError);
  });

  it('finds a subscriber connection that hangs without closing (SIGSTOP) and resubscribes once the node answers', async () => {
    const a = await start();
    const inbox = new Inbox(a.pubsub, 'ticks');
    await waitFor(async () => (await subscribers('ps:ticks')) === 1, { description: 'subscribed' });
    server.pause();
    // A PING every pubsubPingIntervalMs, bounded by the command timeout, then the connection is dropped.
    await inbox.waitFor(
      'the frozen connection to be reported',
      (events) => events.some((e) => e.kind === 'interrupted'),
      REDIS_DEFAULTS.pubsubPingIntervalMs + 5000,
    );
    server.resume();
    await inbox.waitFor('the subscription to resume', (events) => events.some((e) => e.kind === 'resumed'), 15_000);
    await waitFor(async () => (await subscribers('ps:ticks')) === 1, { description: 'subscribed again' });
    await a.pubsub.publish('ticks', 'tock');
    await inbox.waitFor('a message after the pause', () => inbox.messages().includes('tock'));
    inbox.close();
  });

  it('completes every subscription at shutdown and rejects bad input with a clear error', async () => {
    const a = await start();
    await expect(a.pubsub.publish('has space', 1)).rejects.toThrow(/invalid channel name "has space"/);
    await expect(a.pubsub.publish('ok', undefined)).rejects.toThrow(TypeError);
    await expect(a.pubsub.publish('ok', 'x'.repeat(REDIS_DEFAULTS.pubsubMaxMessageBytes))).rejects.toThrow(
      /at most 65536 are allowed/,
    );
    await expect(firstValueFrom(a.pubsub.subscribe(''))).rejects.toThrow(RangeError);

    const events = firstValueFrom(a.pubsub.subscribe('bye').pipe(take(10), toArray()));
    await waitFor(async () => (await subscribers('ps:bye')) === 1, { description: 'subscribed' });
    await a.app.close();
    apps.splice(0);
    await expect(events).resolves.toEqual([]);
    await expect(a.pubsub.publish('bye', 1)).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
