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

/**
 * The RESP version these suites speak: 3, or 2 when run from `resp2/` (which sets
 * `SENTINEL_KIT_TEST_PROTOCOL=2` before importing the suite): the core suites run on both.
 */
export const TEST_PROTOCOL: 2 | 3 = process.env.SENTINEL_KIT_TEST_PROTOCOL === '2' ? 2 : 3;

/**
 * Compiles and initialises `RedisModule.forRoot(options)` with a capturing logger, speaking
 * {@link TEST_PROTOCOL} unless `options` say otherwise.
 */
export async function startRedisModule(
  options: RedisModuleOptions,
  logs = new CapturedLogger(),
): Promise<RedisTestApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ protocol: TEST_PROTOCOL, ...options })],
  })
    .setLogger(logs)
    .compile();
  const app = await moduleRef.init();
  return { app, cache: app.get(RedisCacheService), status: app.get(RedisStatusService), logs };
}

/**
 * Options for a RedisModule on the standalone redis-server at `port`: {@link TEST_PROTOCOL}, a
 * 500 ms command timeout and a circuit that probes every 100 ms, with `extra` on top.
 */
export function standaloneOptions(port: number, extra: Partial<RedisModuleOptions> = {}): RedisModuleOptions {
  return {
    protocol: TEST_PROTOCOL,
    host: '127.0.0.1',
    port,
    commandTimeoutMs: 500,
    circuit: { probeIntervalMs: 100 },
    ...extra,
  };
}
