import { Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Throttle, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { RedisModule } from '@sentinel-kit/redis';
import { RateLimitModule, RateLimiterUnavailableFilter, type RedisFailurePolicy } from '@sentinel-kit/rate-limit';
import { RedisThrottlerStorage } from '@sentinel-kit/rate-limit/throttler';
import { sendCommand, startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';

@Controller()
class PingController {
  @Get('ping')
  ping(): string {
    return 'pong';
  }

  @Get('blocking')
  @Throttle({ default: { limit: 2, ttl: 60_000, blockDuration: 600 } })
  blocking(): string {
    return 'ok';
  }
}

describe('RedisThrottlerStorage under the real @nestjs/throttler ThrottlerGuard', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  const apps: INestApplication[] = [];

  /** One app instance ("pod") with `@nestjs/throttler` switched to our storage. */
  const pod = async (onRedisFailure: RedisFailurePolicy = 'memory') => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisModule.forRoot({ host: server.host, port: server.port, commandTimeoutMs: 300 }),
        RateLimitModule.forRoot({ onRedisFailure }),
        ThrottlerModule.forRootAsync({
          inject: [RedisThrottlerStorage],
          useFactory: (storage: RedisThrottlerStorage) => ({ throttlers: [{ ttl: 60_000, limit: 5 }], storage }),
        }),
      ],
      controllers: [PingController],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: RateLimiterUnavailableFilter },
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return () => request(app.getHttpServer() as Server);
  };

  beforeAll(async () => {
    ({ server, dispose } = await startStandaloneRedis());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    if (!server.running) await server.start();
    await sendCommand(server.endpoint, 'FLUSHDB');
  });
  afterAll(async () => dispose?.());

  it('shares the limit between pods: exactly `limit` of many concurrent requests pass', async () => {
    const [a, b] = [await pod(), await pod()];
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b)().get('/ping')));
    const passed = statuses.filter((r) => r.status === 200);
    expect(passed).toHaveLength(5);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(25);
    const refused = statuses.find((r) => r.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
    const remaining = passed.map((r) => Number(r.headers['x-ratelimit-remaining'])).sort();
    expect(remaining).toEqual([0, 1, 2, 3, 4]);
    const keys = (await sendCommand(server.endpoint, 'KEYS', ['*'])) as string[];
    expect(keys).toEqual([expect.stringMatching(/^app:rate-limit:throttler:\{default:/)]);
  });

  it('blocks for blockDuration, then starts a fresh window', async () => {
    const http = await pod();
    await http().get('/blocking').expect(200);
    await http().get('/blocking').expect(200);
    const blocked = await http().get('/blocking').expect(429);
    expect(blocked.headers['retry-after']).toBe('1');
    await http().get('/blocking').expect(429);
    await sleep(700);
    await http().get('/blocking').expect(200);
    await http().get('/blocking').expect(200);
    await http().get('/blocking').expect(429);
  });

  it('follows the failure policy while Redis is gone: memory limits, open passes, closed answers 503', async () => {
    const memory = await pod('memory');
    const open = await pod('open');
    const closed = await pod('closed');
    await server.kill();
    const fromMemory = [];
    for (let i = 0; i < 7; i += 1) fromMemory.push((await memory().get('/ping')).status);
    expect(fromMemory).toEqual([200, 200, 200, 200, 200, 429, 429]);
    for (let i = 0; i < 7; i += 1) await open().get('/ping').expect(200);
    const refused = await closed().get('/ping');
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'RATE_LIMITER_UNAVAILABLE' });
  });
});
