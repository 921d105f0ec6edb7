import express from 'express';
import session from 'express-session';
import { RedisSessionStore } from '@sentinel-kit/session/express-session';
import { sendCommand, startStandaloneRedis, waitFor, type RedisServerProcess } from '@sentinel-kit/testing';
import request from 'supertest';
import { startSessionApp, type SessionTestApp } from './session-test-app';

declare module 'express-session' {
  interface SessionData {
    visits: number;
  }
}

/** A plain Express app using express-session with our store. */
function expressApp(store: RedisSessionStore) {
  const app = express();
  app.use(
    session({ store, secret: 'test-secret', resave: false, saveUninitialized: false, cookie: { maxAge: 60_000 } }),
  );
  app.get('/visit', (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.json({ visits: req.session.visits });
  });
  app.post('/logout', (req, res) => req.session.destroy(() => res.status(204).end()));
  return app;
}

describe('RedisSessionStore with the real express-session middleware', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let nest: SessionTestApp;
  let store: RedisSessionStore;

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
    nest = await startSessionApp({ host: server.host, port: server.port });
    store = nest.app.get(RedisSessionStore);
  });
  afterAll(async () => {
    await nest?.app.close();
    await dispose?.();
  });

  it('keeps a session across requests by cookie, in Redis, with the cookie expiry', async () => {
    const agent = request.agent(expressApp(store));
    const first = await agent.get('/visit').expect(200);
    expect(first.body).toEqual({ visits: 1 });
    expect(first.headers['set-cookie']?.[0]).toMatch(/^connect\.sid=.*HttpOnly/);
    expect((await agent.get('/visit').expect(200)).body).toEqual({ visits: 2 });

    const keys = (await sendCommand(server.endpoint, 'KEYS', ['app:express-session:*'])) as string[];
    expect(keys).toHaveLength(1);
    expect(JSON.parse(String(await sendCommand(server.endpoint, 'GET', [keys[0]])))).toMatchObject({ visits: 2 });
    const ttl = Number(await sendCommand(server.endpoint, 'PTTL', [keys[0]]));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // A second app (another instance) with the same store sees the same session.
    const cookie = String(first.headers['set-cookie']?.[0]).split(';')[0];
    const other = await request(expressApp(store)).get('/visit').set('Cookie', cookie).expect(200);
    expect(other.body).toEqual({ visits: 3 });

    await agent.post('/logout').expect(204);
    expect((await agent.get('/visit').expect(200)).body).toEqual({ visits: 1 });
  });

  it('implements all, length, touch and clear', async () => {
    const call = <T>(fn: (cb: (error?: unknown, result?: T) => void) => void) =>
      new Promise<T | undefined>((resolve, reject) =>
        fn((error, result) =>
          error ? reject(error instanceof Error ? error : new Error('store call failed')) : resolve(result),
        ),
      );
    await call((cb) => store.clear(cb));
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) } as session.Cookie;
    await call((cb) => store.set('sid-a', { cookie, visits: 1 }, cb));
    await call((cb) => store.set('sid-b', { cookie, visits: 2 }, cb));
    expect(await call<number>((cb) => store.length(cb))).toBe(2);
    const all = (await call<unknown>((cb) => store.all(cb))) as Record<string, { visits: number }>;
    expect(Object.keys(all).sort()).toEqual(['sid-a', 'sid-b']);
    expect(all['sid-b'].visits).toBe(2);

    const later = { ...cookie, expires: new Date(Date.now() + 120_000) } as session.Cookie;
    await call((cb) => store.touch('sid-a', { cookie: later, visits: 1 }, cb));
    expect(Number(await sendCommand(server.endpoint, 'PTTL', ['app:express-session:sid-a']))).toBeGreaterThan(100_000);

    expect(await call((cb) => store.get('missing', cb))).toBeNull();
    await call((cb) => store.clear(cb));
    expect(await call<number>((cb) => store.length(cb))).toBe(0);
  });

  it('emits disconnect and connect with the fallback off, so express-session bypasses it', async () => {
    const strictNest = await startSessionApp(
      { host: server.host, port: server.port, fallback: { enabled: false } },
      {},
    );
    const strictStore = strictNest.app.get(RedisSessionStore);
    const events: string[] = [];
    strictStore.on('disconnect', () => events.push('disconnect'));
    strictStore.on('connect', () => events.push('connect'));
    try {
      await server.kill();
      await waitFor(() => events.includes('disconnect'), { description: 'a disconnect event' });
      await server.start();
      await waitFor(() => events.includes('connect'), { description: 'a connect event', timeoutMs: 10_000 });
    } finally {
      if (!server.running) await server.start();
      await strictNest.app.close();
    }
  });
});
