import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Controller, Get, UseGuards, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { RedisModule } from '@sentinel-kit/redis';
import { RateLimit, RateLimitGuard, RateLimitModule } from '@sentinel-kit/rate-limit';
import type { RedisEndpoint } from '@sentinel-kit/testing';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { interleavedRounds, median, pairedRatio } from '../measure';
import type { BenchResult } from '../scenario';

/** A limit no request reaches, so every request does the full work of an allowed one. */
const HUGE = 1_000_000_000;
const CONNECTIONS = 50;

/** One route, three ways: no limit, our guard, @nestjs/throttler with @nest-lab's Redis storage. */
@Controller()
class BenchController {
  @Get('unguarded')
  unguarded(): { ok: true } {
    return { ok: true };
  }

  @Get('guarded')
  @RateLimit({ points: HUGE, duration: '60s', name: 'bench' })
  guarded(): { ok: true } {
    return { ok: true };
  }

  @Get('throttled')
  @UseGuards(ThrottlerGuard)
  throttled(): { ok: true } {
    return { ok: true };
  }
}

async function startApp(endpoint: RedisEndpoint, throttlerClient: Redis): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      RedisModule.forRoot({ host: endpoint.host, port: endpoint.port }),
      RateLimitModule.forRoot({}),
      ThrottlerModule.forRoot({
        throttlers: [{ ttl: 60_000, limit: HUGE }],
        storage: new ThrottlerStorageRedisService(throttlerClient),
      }),
    ],
    controllers: [BenchController],
    providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Requests per second on `url` for `seconds`, the load generated in a worker thread. */
async function requestsPerSecond(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, workers: 1 });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${url}: ${result.errors} errors and ${result.non2xx} non-2xx answers; a failing route measures nothing`,
    );
  }
  return result.requests.average;
}

/**
 * HTTP through a Nest app (Express) with autocannon, 50 connections: the same route rate-limited by
 * our guard, unguarded, and guarded by `@nestjs/throttler` with `@nest-lab/throttler-storage-redis`.
 * Interleaved rounds; the ratio is the median of the rounds' ratios.
 */
export async function httpResults(endpoint: RedisEndpoint, rounds: number, seconds: number): Promise<BenchResult[]> {
  const throttlerClient = new Redis({ host: endpoint.host, port: endpoint.port });
  const app = await startApp(endpoint, throttlerClient);
  try {
    const base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const routes = ['guarded', 'unguarded', 'throttled'] as const;
    for (const route of routes) await requestsPerSecond(`${base}/${route}`, 1);
    const [guarded, unguarded, throttled] = await interleavedRounds(routes, rounds, (route) =>
      requestsPerSecond(`${base}/${route}`, seconds),
    );
    const row = (peer: number[], peerName: string): BenchResult => ({
      name: `HTTP GET, rate-limited route, ${CONNECTIONS} connections`,
      unit: 'req/s',
      ours: Math.round(median(guarded)),
      peer: Math.round(median(peer)),
      peerName,
      ratio: Number(pairedRatio(guarded, peer).toFixed(3)),
      rounds,
    });
    return [
      row(unguarded, 'the same route without a guard'),
      row(throttled, '@nestjs/throttler + @nest-lab/throttler-storage-redis'),
    ];
  } finally {
    await app.close();
    throttlerClient.disconnect();
  }
}
