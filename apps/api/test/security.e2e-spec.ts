import type { INestApplication } from '@nestjs/common';
import { CapturedLogger, SentinelTopology, findFreePort, sendCommand, waitFor } from '@sentinel-kit/testing';
import { SseClient } from '@sentinel-kit/test-support';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { cookieOf } from './session-cookie';
import { startApi } from './start-api';

const ADMIN_TOKEN = 'admin-token-for-the-security-suite';
const DETAILS_TOKEN = 'details-token-for-the-security-suite';
const PUBLISH_TOKEN = 'publish-token-for-the-security-suite';

/**
 * The sample API as an attacker meets it, on two instances of a real Sentinel group: every attack
 * of the security issue is tried from outside, over HTTP, and must get the safe answer.
 */
describe('the sample API under attack', () => {
  let topology: SentinelTopology;
  const pods: INestApplication[] = [];
  const streams: SseClient[] = [];
  const sockets: Socket[] = [];
  const logs = new CapturedLogger();
  const http = (pod = 0) => request(pods[pod].getHttpServer() as Server);
  const portOf = (pod: number) => ((pods[pod].getHttpServer() as Server).address() as AddressInfo).port;
  const login = async (userId: string, from = '198.51.100.1') =>
    cookieOf(await http().post('/sessions').set('X-Forwarded-For', from).send({ userId }).expect(201));
  const openStream = async (pod: number, from: string) => {
    const stream = await SseClient.open(`http://127.0.0.1:${portOf(pod)}/events`, { 'X-Forwarded-For': from });
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    topology = await SentinelTopology.start({ downAfterMs: 2000, failoverTimeoutMs: 5000 });
    for (let i = 0; i < 2; i += 1) {
      const pod = await startApi(
        {
          REDIS_SENTINEL_ENABLED: 'true',
          REDIS_SENTINELS: topology.sentinelList,
          TRUST_PROXY: 'loopback',
          ADMIN_TOKEN,
          HEALTH_DETAILS_TOKEN: DETAILS_TOKEN,
          EVENTS_PUBLISH_TOKEN: PUBLISH_TOKEN,
          LOGIN_RATE_LIMIT: '1000/60s',
          AUTH_RATE_LIMIT: '8/60s',
          EVENTS_MAX_STREAMS: '4',
          EVENTS_MAX_STREAMS_PER_IP: '2',
          EVENTS_MAX_BUFFER_BYTES: '65536',
          SESSION_MAX_PER_USER: '3',
          METRICS_NODE_LABELS: 'false',
          SWITCHOVER_COOLDOWN_MS: '60000',
        },
        logs,
      );
      await pod.listen(0, '127.0.0.1');
      pods.push(pod);
    }
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const socket of sockets) socket.destroy();
    await Promise.all(pods.map((pod) => pod.close()));
    await topology?.stop();
  });

  it('shows and changes a session only for the holder of its cookie', async () => {
    const alice = await login('alice');
    const mallory = await login('mallory');
    const aliceId = alice.slice('sid='.length);
    const [aliceSession] = (await http().get('/sessions').set('Cookie', alice).expect(200)).body as {
      handle: string;
    }[];

    // The old id-addressed routes are gone; the listing by user name is an admin view.
    await http().get(`/sessions/${aliceId}`).expect(404);
    await http()
      .patch(`/sessions/${aliceId}`)
      .send({ roles: ['admin'] })
      .expect(404);
    await http().get('/users/alice/sessions').expect(404);
    await http().get('/admin/users/alice/sessions').expect(401);
    // Without a cookie: 401. With Mallory's: her own session, never Alice's.
    await http().get('/sessions/current').expect(401);
    await http()
      .patch('/sessions/current')
      .send({ roles: ['admin'] })
      .expect(401);
    const mallorys = (await http().get('/sessions').set('Cookie', mallory).expect(200)).body as { handle: string }[];
    expect(mallorys.map((s) => s.handle)).not.toContain(aliceSession.handle);
    // Naming Alice's session by handle or id answers 404, as an unknown one would.
    await http().delete(`/sessions/${aliceSession.handle}`).set('Cookie', mallory).expect(404);
    await http().delete(`/sessions/${aliceId}`).set('Cookie', mallory).expect(404);
    const current = await http(1).get('/sessions/current').set('Cookie', alice).expect(200);
    expect(current.body).toMatchObject({ userId: 'alice', handle: aliceSession.handle });
    expect(JSON.stringify(current.body)).not.toContain(aliceId);

    // The admin view lists handles, never ids, and signs a user out everywhere.
    const listed = await http(1)
      .get('/admin/users/alice/sessions')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ handle: aliceSession.handle, current: false })]);
    expect(JSON.stringify(listed.body)).not.toContain(aliceId);
    const signedOut = await http(1)
      .delete('/admin/users/alice/sessions')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(signedOut.body).toEqual({ destroyed: 1 });
    await http().get('/sessions/current').set('Cookie', alice).expect(401);
  });

  it('keeps at most SESSION_MAX_PER_USER sessions per user: the oldest is signed out', async () => {
    const cookies = [];
    for (let i = 0; i < 4; i += 1) cookies.push(await login('many-devices'));
    await http().get('/sessions/current').set('Cookie', cookies[0]).expect(401);
    const listed = (await http().get('/sessions').set('Cookie', cookies[3]).expect(200)).body as unknown[];
    expect(listed).toHaveLength(3);
  });

  it('marks the cookie Secure only when a trusted proxy says the request came over TLS', async () => {
    const viaTls = await http()
      .post('/sessions')
      .set('X-Forwarded-Proto', 'https')
      .send({ userId: 'tls-user' })
      .expect(201);
    expect(String(viaTls.headers['set-cookie'])).toMatch(/; Secure/);
    const plain = await http().post('/sessions').send({ userId: 'tls-user' }).expect(201);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('answers a deeply nested or key-stuffed body with a JSON 400, never a 500', async () => {
    const deep = `{"userId":"deep","data":{"a":${'['.repeat(45_000)}${']'.repeat(45_000)}}}`;
    const nested = await http().post('/sessions').set('Content-Type', 'application/json').send(deep);
    expect(nested.status).toBe(400);
    expect(nested.body).toMatchObject({ statusCode: 400, message: 'the JSON body is nested deeper than 32 levels' });
    const keys = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    const stuffed = await http().post('/sessions').send({ userId: 'stuffed', data: keys });
    expect(stuffed.status).toBe(400);
    expect(stuffed.headers['content-type']).toMatch(/json/);
    expect(stuffed.headers['x-powered-by']).toBeUndefined();
  });

  it('shows only the status on public health probes while HEALTH_DETAILS_TOKEN is set, and no addresses in metrics', async () => {
    const addresses = [...topology.dataNodes, ...topology.sentinels].map((node) => `${node.port}`);
    for (const path of ['/health', '/health/ready', '/health/live']) {
      const response = await http().get(path).expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    }
    await http().get('/health/redis').expect(401);
    const details = await http().get('/health/redis').set('Authorization', `Bearer ${DETAILS_TOKEN}`).expect(200);
    expect(details.body).toMatchObject({ primary: { port: (await topology.primary()).port } });
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/redis_sentinel_reachable\{sentinel="0"\} 1/);
    for (const port of addresses) expect(metrics).not.toContain(`:${port}`);
  });

  it('answers a failing probe and a Redis failure without internals: status only, stable messages', async () => {
    // Nothing listens on this port: standalone mode with the fallback off, so Redis always fails.
    const port = await findFreePort();
    const pod = await startApi(
      {
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(port),
        REDIS_FALLBACK_ENABLED: 'false',
        HEALTH_DETAILS_TOKEN: DETAILS_TOKEN,
      },
      logs,
    );
    try {
      const http = () => request(pod.getHttpServer() as Server);
      const health = await http().get('/health').expect(503);
      expect(health.body).toEqual({ status: 'error' });
      expect((await http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      const login = await http().post('/sessions').send({ userId: 'nobody' }).expect(503);
      expect(login.body).toEqual({
        statusCode: 503,
        error: 'REDIS_UNAVAILABLE',
        message: 'Redis is unavailable; nothing was changed; try again',
      });
      expect(JSON.stringify([health.body, login.body])).not.toContain(String(port));
    } finally {
      await pod.close();
    }
  });

  it('caps event streams per client (IPv6 per /64) and per instance with a 429', async () => {
    await openStream(0, '203.0.113.7');
    await openStream(0, '203.0.113.7');
    const third = await openStream(0, '203.0.113.7');
    expect(third.response.statusCode).toBe(429);
    expect(third.response.headers['ratelimit-policy']).toBe('"event-streams-per-client";q=2');
    expect(third.response.headers['retry-after']).toBe('5');
    // Two addresses of one /64 are one client.
    expect((await openStream(1, '2001:db8:1:2::a')).response.statusCode).toBe(200);
    expect((await openStream(1, '2001:db8:1:2::b')).response.statusCode).toBe(200);
    expect((await openStream(1, '2001:db8:1:2::c')).response.statusCode).toBe(429);
    // A fresh client on a full instance: 4 streams are open on pod 0 after two more.
    await openStream(0, '203.0.113.8');
    await openStream(0, '203.0.113.9');
    const full = await openStream(0, '203.0.113.10');
    expect(full.response.statusCode).toBe(429);
    expect(full.response.headers['ratelimit-policy']).toBe('"event-streams";q=4');
    // Closing a stream frees its place.
    streams.find((s) => s.response.statusCode === 200)!.close();
    await waitFor(async () => (await openStream(0, '203.0.113.11')).response.statusCode === 200, {
      description: 'a freed place',
    });
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/events_streams_refused_total\{scope="client"\} 1/);
    expect(metrics).toMatch(/events_streams_refused_total\{scope="instance"\} [1-9]/);
    for (const stream of streams.splice(0)) stream.close();
  });

  it('drops a reader that falls too far behind with a lagged notice, and counts it', async () => {
    const socket = connect(portOf(1), '127.0.0.1');
    sockets.push(socket);
    socket.write(
      `GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nX-Forwarded-For: 192.0.2.99\r\n\r\n`,
    );
    socket.pause(); // a reader that stops reading
    const primary = await topology.primary();
    const payload = 'x'.repeat(512 * 1024);
    await waitFor(
      async () => {
        await sendCommand(primary.endpoint, 'PUBLISH', ['app:events', payload]);
        return /events_streams_lagged_total 1/.test((await http(1).get('/metrics')).text);
      },
      { description: 'the slow reader to be dropped', timeoutMs: 30_000 },
    );
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.resume();
    await ended;
    expect(Buffer.concat(received).toString()).toMatch(
      /event: lagged\ndata: \{"reason":"the reader fell too far behind"\}\n\n/,
    );
  });

  it('lets only holders of EVENTS_PUBLISH_TOKEN publish', async () => {
    await http().post('/events').send({ type: 'spoof' }).expect(401);
    await http().post('/events').set('Authorization', 'Bearer wrong').send({ type: 'spoof' }).expect(401);
    await http()
      .post('/events')
      .set('Authorization', `Bearer ${PUBLISH_TOKEN}`)
      .send({ type: 'announcement' })
      .expect(202);
  });

  it('runs one switchover at a time across instances, then answers 409 with Retry-After during the cooldown', async () => {
    const admin = (pod: number) =>
      http(pod)
        .post('/admin/redis/switchover')
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .set('X-Forwarded-For', '192.0.2.50');
    const old = await topology.primary();
    const unexpected = await admin(0).send({ expectedPrimary: '127.0.0.1:1' });
    expect(unexpected.status).toBe(409);
    expect(unexpected.body).toMatchObject({
      reason: 'unexpected-primary',
      message: 'the primary is not the expected one',
    });
    const [first, second] = await Promise.all([
      admin(0).send({ expectedPrimary: `${old.host}:${old.port}` }),
      admin(1),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.body).toMatchObject({ error: 'REDIS_SWITCHOVER_REFUSED', reason: 'in-progress' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const cooling = await admin(1);
    expect(cooling.status).toBe(409);
    expect(cooling.body).toMatchObject({ reason: 'cooldown' });
    expect(Number(cooling.headers['retry-after'])).toBeGreaterThan(50);
    expect((await topology.primary()).port).not.toBe(old.port);
  });

  it('refuses, logs (without the token) and limits wrong admin tokens', async () => {
    const guess = 'Bearer a-wrong-guess-of-the-admin-token';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await http()
        .get('/admin/users/alice/sessions')
        .set('Authorization', guess)
        .set('X-Forwarded-For', '192.0.2.66');
      statuses.push(response.status);
      expect(JSON.stringify(response.body)).not.toContain('wrong-guess');
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses.slice(8)).toEqual([429, 429]);
    // Limited per client: the right token from elsewhere still works.
    await http()
      .get('/admin/users/alice/sessions')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('X-Forwarded-For', '192.0.2.67')
      .expect(200);
    const refusals = logs.lines.filter((line) => line.includes('event=api.token-refused'));
    expect(refusals.some((line) => line.includes('token=ADMIN_TOKEN') && line.includes('client=192.0.2.66'))).toBe(
      true,
    );
    expect(logs.lines.join('\n')).not.toContain('wrong-guess');
  });

  it('keys rate limits of IPv6 clients by /64', async () => {
    const pod = await startApi(
      {
        REDIS_SENTINEL_ENABLED: 'true',
        REDIS_SENTINELS: topology.sentinelList,
        TRUST_PROXY: 'loopback',
        DEMO_RATE_LIMIT: '2/60s',
      },
      logs,
    );
    try {
      const limited = (from: string) =>
        request(pod.getHttpServer() as Server)
          .get('/demo/limited')
          .set('X-Forwarded-For', from);
      await limited('2001:db8:9:9::1').expect(200);
      await limited('2001:db8:9:9:ffff::2').expect(200);
      await limited('2001:db8:9:9::3').expect(429);
      await limited('2001:db8:9:a::1').expect(200);
    } finally {
      await pod.close();
    }
  });
});
