import type { INestApplication } from '@nestjs/common';
import { CapturedLogger, SentinelTopology, waitFor } from '@sentinel-kit/testing';
import { SseClient } from '@sentinel-kit/test-support';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { cookieOf } from './session-cookie';
import { startApi } from './start-api';

const DATA_PASSWORD = 'data-node-secret-7f3a';
const SENTINEL_PASSWORD = 'sentinel-secret-91c2';
const DETAILS_TOKEN = 'details-token-secret-4d5e';
const ADMIN_TOKEN = 'admin-token-secret-8b6c';
const PUBLISH_TOKEN = 'publish-token-secret-3e1f';
const SECRETS = [DATA_PASSWORD, SENTINEL_PASSWORD, DETAILS_TOKEN, ADMIN_TOKEN, PUBLISH_TOKEN];

/**
 * A password-protected group (requirepass on data nodes and sentinels): every endpoint and the
 * failure paths are exercised, and no password or token may appear in any response body, header,
 * metric or log line.
 */
describe('secrets never leave', () => {
  let topology: SentinelTopology;
  let app: INestApplication;
  const logs = new CapturedLogger();
  const seen: string[] = [];
  const http = () => request(app.getHttpServer() as Server);

  /** Records everything a response shows. */
  const record = (response: request.Response): request.Response => {
    seen.push(JSON.stringify(response.headers), response.text ?? '', JSON.stringify(response.body ?? null));
    return response;
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({
      downAfterMs: 2000,
      failoverTimeoutMs: 5000,
      password: DATA_PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
    app = await startApi(
      {
        REDIS_SENTINEL_ENABLED: 'true',
        REDIS_SENTINELS: topology.sentinelList,
        REDIS_PASSWORD: DATA_PASSWORD,
        REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
        HEALTH_DETAILS_TOKEN: DETAILS_TOKEN,
        ADMIN_TOKEN,
        EVENTS_PUBLISH_TOKEN: PUBLISH_TOKEN,
        LOGIN_RATE_LIMIT: '1000/60s',
        AUTH_RATE_LIMIT: '1000/60s',
        // With every process frozen, writes would wait out the whole hold; secrets are what this checks.
        REDIS_SENTINEL_WRITE_HOLD_MS: '1000',
      },
      logs,
    );
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await topology?.stop();
  });

  let statusFrames = 0;
  /** The status page's live feed, with the token, until it has sent a frame of the view (or 3 s passed: a hung group). */
  const statusFeed = async () => {
    const address = (app.getHttpServer() as Server).address() as AddressInfo;
    const feed = await SseClient.open(`http://127.0.0.1:${address.port}/status/stream`, {
      Authorization: `Bearer ${DETAILS_TOKEN}`,
    });
    try {
      await feed.waitFor('a status frame', (events) => events.some((e) => e.event === 'status'), 3000).catch(() => {});
      seen.push(JSON.stringify(feed.response.headers), JSON.stringify(feed.events));
      statusFrames += feed.events.filter((e) => e.event === 'status').length;
    } finally {
      feed.close();
    }
  };

  const everyEndpoint = async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics', '/demo/limited', '/sessions/current'])
      record(await http().get(path));
    record(await http().get('/health/redis'));
    record(await http().get('/health/redis').set('Authorization', `Bearer ${DETAILS_TOKEN}`));
    record(await http().get('/status'));
    record(await http().get('/status/stream'));
    await statusFeed();
    const created = record(
      await http()
        .post('/sessions')
        .send({ userId: 'secret-keeper', data: { a: 1 } }),
    );
    const cookie = cookieOf(created);
    const admin = `Bearer ${ADMIN_TOKEN}`;
    record(await http().get('/sessions/current').set('Cookie', cookie));
    record(await http().patch('/sessions/current').set('Cookie', cookie).send({ b: 2 }));
    record(await http().get('/sessions').set('Cookie', cookie));
    record(await http().get('/admin/users/secret-keeper/sessions').set('Authorization', admin));
    record(await http().post('/sessions').send({ wrong: true }));
    record(await http().post('/sessions').set('Content-Type', 'application/json').send('{"broken":'));
    record(await http().post('/events').send({ type: 'no-token' }));
    record(await http().post('/events').set('Authorization', `Bearer ${PUBLISH_TOKEN}`).send({ type: 'with-token' }));
    record(await http().delete('/sessions/current').set('Cookie', cookie));
    record(await http().delete('/admin/users/secret-keeper/sessions').set('Authorization', admin));
    record(await http().post('/admin/redis/switchover'));
    record(await http().post('/admin/redis/switchover').set('Authorization', 'Bearer wrong-token-0000000000'));
  };

  it('serves through a password-protected group, a switchover and a SIGKILL failover without leaking a secret', async () => {
    await everyEndpoint();
    expect(record(await http().get('/health/redis').set('Authorization', `Bearer ${DETAILS_TOKEN}`)).status).toBe(200);

    const switched = record(await http().post('/admin/redis/switchover').set('Authorization', `Bearer ${ADMIN_TOKEN}`));
    expect(switched.status).toBe(200);
    await topology.waitUntilSettled();

    const old = await topology.primary();
    await old.kill();
    await waitFor(
      async () => {
        record(await http().get('/health'));
        const response = record(await http().get('/health/redis').set('Authorization', `Bearer ${DETAILS_TOKEN}`));
        return (response.body as { failover?: { count: number } }).failover?.count === 2;
      },
      { description: 'the failover to be seen', timeoutMs: 20_000 },
    );
    await everyEndpoint();
    // A refused switchover (the old primary is gone: one replica left, maybe not yet in sync) and a
    // hung group are failure paths too.
    record(await http().post('/admin/redis/switchover').set('Authorization', `Bearer ${ADMIN_TOKEN}`));
    const everything = [...topology.sentinels, ...topology.dataNodes].filter((p) => p.running);
    everything.forEach((p) => p.pause());
    try {
      await everyEndpoint();
    } finally {
      everything.forEach((p) => p.resume());
    }

    expect(seen.length).toBeGreaterThan(100);
    expect(statusFrames).toBeGreaterThan(1);
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const secret of SECRETS) {
      expect(seen.filter((text) => text.includes(secret))).toEqual([]);
      expect(logs.lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
