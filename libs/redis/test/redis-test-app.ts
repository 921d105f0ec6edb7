import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule, RedisStatusService, type RedisModuleOptions } from '@sentinel-kit/redis';
import { CapturedLogger } from '@sentinel-kit/testing';

/** A running RedisModule and the services tests use. */
export interface RedisTestApp {
  app: INestApplicationContext;
  cache: RedisCacheService;
  status: RedisStatusService;
  logs: CapturedLogger;
}

/** Compiles and initialises `RedisModule.forRoot(options)` with a capturing logger. */
export async function startRedisModule(
  options: RedisModuleOptions,
  logs = new CapturedLogger(),
): Promise<RedisTestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [RedisModule.forRoot(options)] })
    .setLogger(logs)
    .compile();
  const app = await moduleRef.init();
  return { app, cache: app.get(RedisCacheService), status: app.get(RedisStatusService), logs };
}
