import { Module, type DynamicModule } from '@nestjs/common';
import {
  REDIS_RESOLVED_OPTIONS,
  RedisCacheService,
  RedisExecutor,
  RedisKeyspace,
  RedisMetrics,
  resolveRedisOptions,
} from '@sentinel-kit/redis';
import { InMemoryRedisExecutor } from './in-memory-redis.executor';

/** What {@link RedisTestingModule.forRoot} takes. */
export interface RedisTestingModuleOptions {
  /** The key prefix, as `REDIS_KEY_PREFIX`. @default 'app:' */
  keyPrefix?: string;
}

/**
 * An in-memory stand-in for `RedisModule` in unit tests: no Redis, no sockets. It provides, through
 * the same injection tokens, the real `RedisCacheService` (TTLs, key prefix, `wrap` single-flight,
 * JSON helpers) on an {@link InMemoryRedisExecutor}, and `RedisExecutor`, `RedisKeyspace`,
 * `RedisMetrics` and `REDIS_RESOLVED_OPTIONS`. Global, like `RedisModule`. What needs Redis itself
 * (sessions, rate limits, pub/sub, the raw clients) is tested against a real server: see
 * `startStandaloneRedis` and `SentinelTopology`.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [RedisTestingModule.forRoot()],
 *   providers: [ProfileService],
 * }).compile();
 */
@Module({})
export class RedisTestingModule {
  /** The stand-in, global, with stores of its own: a new testing module starts empty. */
  static forRoot({ keyPrefix }: RedisTestingModuleOptions = {}): DynamicModule {
    return {
      module: RedisTestingModule,
      global: true,
      providers: [
        {
          provide: REDIS_RESOLVED_OPTIONS,
          useValue: resolveRedisOptions({ keyPrefix, fallback: { enabled: true } }),
        },
        { provide: RedisExecutor, useClass: InMemoryRedisExecutor },
        { provide: RedisMetrics, useFactory: () => new RedisMetrics() },
        RedisKeyspace,
        RedisCacheService,
      ],
      exports: [REDIS_RESOLVED_OPTIONS, RedisExecutor, RedisMetrics, RedisKeyspace, RedisCacheService],
    };
  }
}
