import type { INestApplication } from '@nestjs/common';
import { startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { startApi } from './start-api';

/** The admin endpoints' guard and refusals; the switchover itself runs in health-details.e2e-spec.ts. */
describe('/admin on a standalone redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let app: INestApplication | undefined;
  const http = () => request(app!.getHttpServer() as Server);
  const env = (extra: Record<string, string> = {}) => ({
    REDIS_HOST: server.host,
    REDIS_PORT: String(server.port),
    ...extra,
  });

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => dispose?.());

  it('keeps admin endpoints off without ADMIN_TOKEN, and refuses a switchover in standalone mode', async () => {
    app = await startApi(env());
    const off = await http().post('/admin/redis/switchover');
    expect(off.status).toBe(403);
    expect(off.headers['content-type']).toMatch(/json/);
    await app.close();
    app = await startApi(env({ ADMIN_TOKEN: 'admin-token-0123456789' }));
    await http().post('/admin/redis/switchover').set('Authorization', 'Bearer nope').expect(401);
    const refused = await http()
      .post('/admin/redis/switchover')
      .set('Authorization', 'Bearer admin-token-0123456789')
      .expect(409);
    expect(refused.body).toMatchObject({
      error: 'REDIS_SWITCHOVER_REFUSED',
      message: 'a switchover needs Sentinel or Cluster mode',
    });
  });
});
