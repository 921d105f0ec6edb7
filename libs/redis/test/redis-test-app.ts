import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheService, RedisModule, RedisStatusService, type RedisModuleOptions } from '@sentinel-kit/redis';

/** Keeps every line the module logs, so tests can look for secrets and state changes. */
export class CapturedLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown): void {
    this.lines.push(`log ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`error ${String(message)} ${rest.map(String).join(' ')}`);
  }
  warn(message: unknown): void {
    this.lines.push(`warn ${String(message)}`);
  }
  debug(message: unknown): void {
    this.lines.push(`debug ${String(message)}`);
  }
  verbose(message: unknown): void {
    this.lines.push(`verbose ${String(message)}`);
  }
}

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

/** How long `work` took, in milliseconds, and how it ended. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
