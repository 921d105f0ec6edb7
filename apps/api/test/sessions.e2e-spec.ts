import type { INestApplication } from '@nestjs/common';
import { startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { cookieOf } from './session-cookie';
import { startApi } from './start-api';

interface Body {
  handle: string;
  userId: string;
  data: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
  current: boolean;
  storage: string;
  statusCode: number;
  error: string;
  message: string | string[];
}

describe('/sessions', () => {
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
  });
  afterAll(async () => dispose?.());

  const env = (extra: Record<string, string> = {}) => ({
    REDIS_HOST: server.host,
    REDIS_PORT: String(server.port),
    SESSION_MAX_BYTES: '1024',
    LOGIN_RATE_LIMIT: '1000/60s',
    ...extra,
  });

  it('logs in, then reads, updates, lists and ends its own sessions through the cookie', async () => {
    app = await startApi(env());
    const created = await http()
      .post('/sessions')
      .send({ userId: 'alice', data: { theme: 'dark' } })
      .expect(201);
    const { handle, expiresAt, storage } = created.body as Body;
    expect(created.body).not.toHaveProperty('id');
    expect(storage).toBe('redis');
    expect(handle).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const setCookie = String(([] as string[]).concat(created.headers['set-cookie'] ?? [])[0]);
    expect(setCookie).toMatch(/^sid=[A-Za-z0-9_-]{34};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = cookieOf(created);

    const current = await http().get('/sessions/current').set('Cookie', cookie).expect(200);
    expect(current.body).toMatchObject({ handle, userId: 'alice', data: { theme: 'dark' }, storage: 'redis' });

    const patched = await http().patch('/sessions/current').set('Cookie', cookie).send({ theme: null, lang: 'fr' });
    expect(patched.status).toBe(200);
    expect((patched.body as Body).data).toEqual({ lang: 'fr' });
    expect(patched.headers['set-cookie']).toBeUndefined(); // not a privileged key: same id

    const second = cookieOf(await http().post('/sessions').send({ userId: 'alice' }).expect(201));
    const listed = (await http().get('/sessions').set('Cookie', cookie).expect(200)).body as Body[];
    expect(listed.map((s) => s.current)).toEqual([true, false]);
    expect(listed[0].handle).toBe(handle);
    for (const summary of listed)
      expect(Object.keys(summary).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'handle']);

    await http().delete(`/sessions/${listed[1].handle}`).set('Cookie', cookie).expect(204);
    await http().get('/sessions/current').set('Cookie', second).expect(401);

    const loggedOut = await http().delete('/sessions/current').set('Cookie', cookie).expect(204);
    expect(String(loggedOut.headers['set-cookie'])).toMatch(/^sid=;/);
    await http().get('/sessions/current').set('Cookie', cookie).expect(401);
    await http().delete('/sessions/current').set('Cookie', cookie).expect(404);

    const third = cookieOf(await http().post('/sessions').send({ userId: 'alice' }).expect(201));
    cookieOf(await http().post('/sessions').send({ userId: 'alice' }).expect(201));
    expect((await http().delete('/sessions').set('Cookie', third).expect(200)).body).toEqual({ destroyed: 2 });
    await http().get('/sessions').set('Cookie', third).expect(401);
  });

  it('moves the session to a new id (and cookie) when a privileged key changes', async () => {
    app = await startApi(env());
    const cookie = cookieOf(
      await http()
        .post('/sessions')
        .send({ userId: 'erin', data: { roles: ['user'] } }),
    );
    const promoted = await http()
      .patch('/sessions/current')
      .set('Cookie', cookie)
      .send({ roles: ['editor'] });
    expect(promoted.status).toBe(200);
    const rotated = cookieOf(promoted);
    expect(rotated).toMatch(/^sid=/);
    expect(rotated).not.toBe(cookie);
    await http().get('/sessions/current').set('Cookie', cookie).expect(401);
    const now = await http().get('/sessions/current').set('Cookie', rotated).expect(200);
    expect((now.body as Body).data).toEqual({ roles: ['editor'] });
  });

  it('answers bad input with a JSON 4xx, never a 500', async () => {
    app = await startApi(env());
    const expectJson = (response: request.Response, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/json/);
    };
    expectJson(await http().post('/sessions').send({ data: {} }), 400);
    expectJson(await http().post('/sessions').send({ userId: '' }), 400);
    expectJson(await http().post('/sessions').send({ userId: 7 }), 400);
    expectJson(
      await http()
        .post('/sessions')
        .send({ userId: 'bob', data: [1] }),
      400,
    );
    expectJson(await http().post('/sessions').send([1, 2]), 400);
    expectJson(await http().post('/sessions').set('Content-Type', 'application/json').send('{"userId":'), 400);
    expectJson(await http().post('/sessions').set('Content-Type', 'application/json').send('"just a string"'), 400);
    expectJson(
      await http()
        .post('/sessions')
        .send({ userId: 'bob', data: { big: 'x'.repeat(2000) } }),
      413,
    );
    const cookie = cookieOf(await http().post('/sessions').send({ userId: 'bob' }).expect(201));
    expectJson(await http().patch('/sessions/current').set('Cookie', cookie).send([1]), 400);
    expectJson(
      await http()
        .patch('/sessions/current')
        .set('Cookie', cookie)
        .send({ big: 'x'.repeat(2000) }),
      413,
    );
    expectJson(await http().delete('/sessions/not-a-handle').set('Cookie', cookie), 404);
    expectJson(await http().get('/sessions/current'), 401);
    expectJson(await http().get('/sessions/current').set('Cookie', 'sid=garbage'), 401);
    expectJson(await http().patch('/sessions/current').send({ a: 1 }), 401);
  });

  it('is 503 with a JSON body while Redis is gone and the fallback is off; memory-served with it on', async () => {
    app = await startApi(env({ REDIS_FALLBACK_ENABLED: 'false' }));
    await server.kill();
    const refused = await http().post('/sessions').send({ userId: 'carol' });
    expect(refused.status).toBe(503);
    expect((refused.body as Body).error).toBe('REDIS_UNAVAILABLE');
    await app.close();
    app = await startApi(env());
    const served = await http().post('/sessions').send({ userId: 'carol' }).expect(201);
    expect((served.body as Body).storage).toBe('memory');
  });
});
