import type { INestApplication } from '@nestjs/common';
import { sendCommand, startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { cookieOf } from './session-cookie';
import { startApi } from './start-api';

describe('REDIS_KEY_PREFIX', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let api: INestApplication;

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
    api = await startApi({ REDIS_HOST: server.host, REDIS_PORT: String(server.port), REDIS_KEY_PREFIX: 'tenant-a:' });
  });
  afterAll(async () => {
    await api?.close();
    await dispose();
  });

  it('is the prefix of every key that sessions, rate limits and the cache write', async () => {
    const http = () => request(api.getHttpServer() as Server);
    const login = await http().post('/sessions').send({ userId: 'user-1' });
    expect(login.status).toBe(201);
    expect((await http().get('/demo/limited')).status).toBe(200);
    expect((await http().get('/demo/cache/profile')).status).toBe(200);

    const keys = ((await sendCommand(server.endpoint, 'KEYS', ['*'])) as string[]).sort();
    const id = cookieOf(login).slice('sid='.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        // The user's slot tag, which the session id begins with, keeps a user's keys in one cluster slot.
        `tenant-a:session:{${id.slice(0, 2)}}${id}`,
        `tenant-a:session-user:{${id.slice(0, 2)}}user-1`,
        'tenant-a:demo:profile',
        expect.stringMatching(/^tenant-a:rate-limit:\w+:login:/),
        expect.stringMatching(/^tenant-a:rate-limit:\w+:demo:/),
      ]),
    );
    expect(keys.filter((key) => !key.startsWith('tenant-a:'))).toEqual([]);
  });
});
