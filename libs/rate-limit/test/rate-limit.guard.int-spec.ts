import { Controller, Get, type INestApplication, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { RedisModule } from '@sentinel-kit/redis';
import {
  RateLimit,
  RateLimitGuard,
  RateLimitModule,
  RateLimiterUnavailableFilter,
  SkipRateLimit,
  type RateLimitModuleOptions,
} from '@sentinel-kit/rate-limit';
import { sendCommand, startStandaloneRedis, type RedisServerProcess } from '@sentinel-kit/testing';
import type { Server } from 'node:http';
import request from 'supertest';

@Controller('limited')
@RateLimit({ points: 2, duration: '60s', name: 'controller' })
class LimitedController {
  @Get('a')
  a(): string {
    return 'a';
  }

  @Get('b')
  @RateLimit({ points: 1, duration: '1m', name: 'route' })
  b(): string {
    return 'b';
  }

  @Get('free')
  @SkipRateLimit()
  free(): string {
    return 'free';
  }
}

@Controller('configured')
class ConfiguredController {
  @Get()
  @RateLimit('from-config')
  get(): string {
    return 'configured';
  }
}

@Controller('broken')
@RateLimit({ points: 0, duration: 'soon' })
class BrokenController {
  @Get()
  @RateLimit('missing')
  get(): string {
    return 'broken';
  }
}

@Controller('default')
class DefaultController {
  @Get()
  get(): string {
    return 'default';
  }
}

describe('RateLimitGuard with @RateLimit() over a real redis-server', () => {
  let server: RedisServerProcess;
  let dispose: () => Promise<void>;
  let app: INestApplication | undefined;
  const http = () => request(app!.getHttpServer() as Server);

  const startApp = async (
    options: RateLimitModuleOptions = {},
    controllers: Type[] = [LimitedController, DefaultController, ConfiguredController],
  ) => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisModule.forRoot({ host: server.host, port: server.port, commandTimeoutMs: 300 }),
        RateLimitModule.forRoot({
          defaultRule: { points: 3, duration: 60_000, name: 'default' },
          rules: { 'from-config': { points: 1, duration: '1h', algorithm: 'gcra' } },
          ...options,
        }),
      ],
      controllers,
      providers: [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: RateLimiterUnavailableFilter },
      ],
    }).compile();
    const nest = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    nest.set('trust proxy', 1); // one proxy: X-Forwarded-For names the client
    app = nest;
    await nest.init();
  };

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

  it('sends the IETF and legacy headers, then 429 with Retry-After and a problem body', async () => {
    await startApp();
    const first = await http().get('/limited/a').set('X-Forwarded-For', '203.0.113.1').expect(200);
    expect(first.headers['ratelimit-policy']).toBe('"controller";q=2;w=60');
    expect(first.headers['ratelimit']).toBe('"controller";r=1;t=30');
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': '30',
    });
    await http().get('/limited/a').set('X-Forwarded-For', '203.0.113.1').expect(200);
    const refused = await http().get('/limited/a').set('X-Forwarded-For', '203.0.113.1').expect(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.headers['content-type']).toMatch(/json/);
    expect(refused.body).toMatchObject({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
    // Another client (per the trusted proxy's X-Forwarded-For) has its own bucket.
    await http().get('/limited/a').set('X-Forwarded-For', '203.0.113.2').expect(200);
  });

  it('lets a route rule override the controller, skips exempt routes and applies the default elsewhere', async () => {
    await startApp({ legacyHeaders: false });
    await http().get('/limited/b').expect(200);
    const refused = await http().get('/limited/b').expect(429);
    expect(refused.headers['ratelimit-policy']).toBe('"route";q=1;w=60');
    expect(refused.headers['x-ratelimit-limit']).toBeUndefined();
    for (let i = 0; i < 5; i += 1) {
      const free = await http().get('/limited/free').expect(200);
      expect(free.headers['ratelimit']).toBeUndefined();
    }
    for (let i = 0; i < 3; i += 1) await http().get('/default').expect(200);
    await http().get('/default').expect(429);
  });

  it('applies a rule named in the module options, as configured at startup', async () => {
    await startApp();
    const first = await http().get('/configured').expect(200);
    expect(first.headers['ratelimit-policy']).toBe('"from-config";q=1;w=3600');
    await http().get('/configured').expect(429);
  });

  it('refuses to start with a malformed @RateLimit() or an unknown rule name, naming each', async () => {
    const started = startApp({}, [BrokenController]);
    await expect(started).rejects.toThrow(
      [
        'Invalid rate-limit configuration:',
        '  - @RateLimit on BrokenController: points: expected a positive integer, got "0"',
        '  - @RateLimit on BrokenController: duration: expected a duration such as 500ms, 60s, 15m, 1h or 1d, got "soon"',
        '  - @RateLimit on BrokenController.get: no rule named "missing" in the module\'s rules (known: from-config)',
      ].join('\n'),
    );
  });

  it('answers 503 with a JSON body, not 500, when Redis is gone and the policy is closed', async () => {
    await startApp({ onRedisFailure: 'closed' });
    await server.kill();
    const response = await http().get('/limited/a');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, error: 'RATE_LIMITER_UNAVAILABLE' });
    expect(response.headers['retry-after']).toBe('2');
  });
});
