import type { INestApplication } from '@nestjs/common';
import { sendCommand, startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import type { CacheDemoAnswer } from '../src/demo/demo.controller';
import { SLOW_LOADER_MS } from '../src/demo/slow-loader';
import { startApi } from './start-api';

describe('GET /demo/cache/:key', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let api: INestApplication;
  const get = async (key: string) => {
    const response = await request(api.getHttpServer() as Server).get(`/demo/cache/${key}`);
    return { status: response.status, body: response.body as CacheDemoAnswer };
  };

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
    api = await startApi({ REDIS_HOST: server.host, REDIS_PORT: String(server.port), REDIS_COMMAND_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await api?.close();
    await dispose();
  });

  it('runs the slow loader on a miss, answers from Redis on a hit, and shares one load between concurrent misses', async () => {
    const miss = await get('user-1');
    expect(miss.status).toBe(200);
    expect(miss.body).toMatchObject({ key: 'user-1', source: 'loader', degraded: false });
    expect(miss.body.tookMs).toBeGreaterThanOrEqual(SLOW_LOADER_MS - 50);
    const stored: unknown = JSON.parse(String(await sendCommand(server.endpoint, 'GET', ['app:demo:user-1'])));
    expect(stored).toEqual(miss.body.value);
    expect(Number(await sendCommand(server.endpoint, 'TTL', ['app:demo:user-1']))).toBeGreaterThan(25);

    const hit = await get('user-1');
    expect(hit.body).toMatchObject({ source: 'cache', value: miss.body.value });
    expect(hit.body.tookMs).toBeLessThan(SLOW_LOADER_MS);

    const storm = await Promise.all(Array.from({ length: 10 }, () => get('user-2')));
    expect(storm.filter((r) => r.body.source === 'loader')).toHaveLength(1);
    expect(new Set(storm.map((r) => r.body.value.computedAt)).size).toBe(1);
  });

  it('keeps serving from the in-memory fallback while Redis is down, and says so', async () => {
    await server.kill();
    try {
      const first = await get('offline');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ source: 'loader', degraded: true });
      const second = await get('offline');
      expect(second.body).toMatchObject({ source: 'cache', degraded: true, value: first.body.value });
    } finally {
      await server.start();
    }
  });

  it.each(['a%20b', 'x'.repeat(65), 'semi;colon'])('answers a JSON 400 for the key %p', async (key) => {
    const response = await request(api.getHttpServer() as Server).get(`/demo/cache/${key}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400 });
    expect((response.body as { message: string }).message).toMatch(/^key must be/);
  });
});
