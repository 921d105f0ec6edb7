import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisModule, type RedisModuleOptions } from '@sentinel-kit/redis';
import { RedisLockModule, RedisLockService, type RedisLockModuleOptions } from '@sentinel-kit/redis/locks';
import { CapturedLogger } from '@sentinel-kit/testing';
import type { Provider } from '@nestjs/common';
import { TEST_PROTOCOL } from './redis-test-app';

/** A RedisModule with the locks, and what tests use of it. */
export interface LockTestApp {
  app: INestApplicationContext;
  locks: RedisLockService;
  logs: CapturedLogger;
}

/** Compiles and starts `RedisModule.forRoot(redis)` with `RedisLockModule.forRoot(locks)` and `providers`. */
export async function startLockApp(
  redis: RedisModuleOptions,
  locks: RedisLockModuleOptions = {},
  providers: Provider[] = [],
): Promise<LockTestApp> {
  const logs = new CapturedLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ protocol: TEST_PROTOCOL, ...redis }), RedisLockModule.forRoot(locks)],
    providers,
  })
    .setLogger(logs)
    .compile();
  const app = await moduleRef.init();
  return { app, locks: app.get(RedisLockService), logs };
}
