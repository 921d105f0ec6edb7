import type { INestApplication } from '@nestjs/common';
import { sendCommand, startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi } from './start-api';

describe('rate-limited routes of the sample API', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let app: INestApplication | undefined;
  const http = () => request(app!.getHttpServer() as Server);

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (!server.running) await server.start();
    await sendCommand(server.endpoint, 'FLUSHDB');
  });
  afterAll(async () => dispose?.());

  const env = (extra: Record<string, string> = {}) => ({
    REDIS_HOST: server.host,
    REDIS_PORT: String(server.port),
    ...extra,
  });

  it('limits GET /demo/limited per client by DEMO_RATE_LIMIT, with headers and a JSON 429', async () => {
    app = await startApi(env({ DEMO_RATE_LIMIT: '3/60s' }));
    for (let remaining = 2; remaining >= 0; remaining -= 1) {
      const ok = await http().get('/demo/limited').expect(200);
      expect(ok.headers['ratelimit-policy']).toBe('"demo";q=3;w=60');
      expect(ok.headers['ratelimit']).toMatch(new RegExp(`^"demo";r=${remaining};t=\\d+$`));
    }
    const refused = await http().get('/demo/limited').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(19);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
    expect(refused.headers['content-type']).toMatch(/json/);
    expect(refused.body).toMatchObject({ title: 'Too Many Requests', status: 429 });
  });

  it('limits the login (POST /sessions) by LOGIN_RATE_LIMIT, counting failed attempts too', async () => {
    app = await startApi(env({ LOGIN_RATE_LIMIT: '2/15m' }));
    await http().post('/sessions').send({ userId: 'mallory' }).expect(201);
    await http().post('/sessions').send({ wrong: 'body' }).expect(400);
    const refused = await http().post('/sessions').send({ userId: 'mallory' }).expect(429);
    expect(refused.headers['ratelimit-policy']).toBe('"login";q=2;w=900');
    // Reading sessions is not the login and is not limited by it.
    await http().get('/sessions/current').expect(401);
  });

  it('honours X-Forwarded-For only from the proxies TRUST_PROXY names', async () => {
    app = await startApi(env({ DEMO_RATE_LIMIT: '1/60s' }));
    await http().get('/demo/limited').set('X-Forwarded-For', '198.51.100.1').expect(200);
    // Without a trusted proxy the header is ignored: same socket, same bucket.
    await http().get('/demo/limited').set('X-Forwarded-For', '198.51.100.2').expect(429);
    await app.close();

    app = await startApi(env({ DEMO_RATE_LIMIT: '1/60s', TRUST_PROXY: 'loopback' }));
    await http().get('/demo/limited').set('X-Forwarded-For', '198.51.100.3').expect(200);
    await http().get('/demo/limited').set('X-Forwarded-For', '198.51.100.4').expect(200);
    await http().get('/demo/limited').set('X-Forwarded-For', '198.51.100.3').expect(429);
  });

  it('keeps limiting from memory while Redis is gone, and answers 503 (not 500) when told to fail closed', async () => {
    app = await startApi(env({ DEMO_RATE_LIMIT: '2/60s' }));
    await server.kill();
    await http().get('/demo/limited').expect(200);
    await http().get('/demo/limited').expect(200);
    await http().get('/demo/limited').expect(429);
    await app.close();

    app = await startApi(env({ RATE_LIMIT_ON_REDIS_FAILURE: 'closed' }));
    const refused = await http().get('/demo/limited');
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'RATE_LIMITER_UNAVAILABLE' });
    await app.close();

    app = await startApi(env({ RATE_LIMIT_FAIL_OPEN: 'true', DEMO_RATE_LIMIT: '1/60s' }));
    for (let i = 0; i < 3; i += 1) await http().get('/demo/limited').expect(200);
  });

  it.each([
    [
      { DEMO_RATE_LIMIT: '10 per minute' },
      'DEMO_RATE_LIMIT: expected POINTS/DURATION such as 10/60s, got "10 per minute"',
    ],
    [
      { RATE_LIMIT_FAIL_OPEN: 'true', RATE_LIMIT_ON_REDIS_FAILURE: 'closed' },
      'RATE_LIMIT_FAIL_OPEN: true contradicts RATE_LIMIT_ON_REDIS_FAILURE "closed"; set only one of them',
    ],
    [
      { RATE_LIMIT_ON_REDIS_FAILURE: 'sometimes' },
      'RATE_LIMIT_ON_REDIS_FAILURE: expected memory, open or closed, got "sometimes"',
    ],
  ])('refuses to start with %p', async (bad, message) => {
    const failure = await startApi(env(bad)).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(message);
  });
});
