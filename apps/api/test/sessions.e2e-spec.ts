import type { INestApplication } from '@nestjs/common';
import { startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi } from './start-api';

interface Body {
  id: string;
  userId: string;
  data: Record<string, unknown>;
  expiresAt: string;
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

  it('creates, reads (by id and cookie), updates, lists and deletes sessions', async () => {
    app = await startApi(env());
    const created = await http()
      .post('/sessions')
      .send({ userId: 'alice', data: { theme: 'dark' } })
      .expect(201);
    const { id, expiresAt, storage } = created.body as Body;
    expect(storage).toBe('redis');
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const cookie = String(created.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(new RegExp(`^sid=${id};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const byId = await http().get(`/sessions/${id}`).expect(200);
    expect(byId.body).toMatchObject({ id, userId: 'alice', data: { theme: 'dark' } });
    const current = await http().get('/sessions/current').set('Cookie', cookie.split(';')[0]).expect(200);
    expect((current.body as Body).id).toBe(id);

    const patched = await http().patch(`/sessions/${id}`).send({ theme: null, lang: 'fr' }).expect(200);
    expect((patched.body as Body).data).toEqual({ lang: 'fr' });
    await http().post('/sessions').send({ userId: 'alice' }).expect(201);
    expect(((await http().get('/users/alice/sessions').expect(200)).body as Body[]).map((s) => s.userId)).toEqual([
      'alice',
      'alice',
    ]);

    await http().delete(`/sessions/${id}`).expect(204);
    await http().get(`/sessions/${id}`).expect(404);
    await http().delete(`/sessions/${id}`).expect(404);
    expect((await http().delete('/users/alice/sessions').expect(200)).body).toEqual({ destroyed: 1 });
    expect((await http().get('/users/alice/sessions').expect(200)).body).toEqual([]);
  });

  it('answers bad input with a JSON 4xx, never a 500', async () => {
    app = await startApi(env());
    const expectJson = (response: request.Response, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/json/);
    };
    expectJson(await http().get('/sessions/not-a-valid-id'), 400);
    expectJson(await http().patch('/sessions/not-a-valid-id').send({ a: 1 }), 400);
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
    const { id } = (await http().post('/sessions').send({ userId: 'bob' }).expect(201)).body as Body;
    expectJson(await http().patch(`/sessions/${id}`).send([1]), 400);
    expectJson(
      await http()
        .patch(`/sessions/${id}`)
        .send({ big: 'x'.repeat(2000) }),
      413,
    );
    expectJson(
      await http()
        .patch(`/sessions/${'A'.repeat(32)}`)
        .send({ a: 1 }),
      404,
    );
    expectJson(await http().get('/sessions/current'), 401);
    expectJson(await http().get('/sessions/current').set('Cookie', 'sid=garbage'), 404);
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
