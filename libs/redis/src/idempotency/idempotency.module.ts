import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import {
  IDEMPOTENCY_RESOLVED_OPTIONS,
  resolveIdempotencyOptions,
  type IdempotencyModuleOptions,
} from './idempotency-options';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<IdempotencyModuleOptions>({
  moduleName: 'Idempotency',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Idempotency keys for HTTP routes (`@Idempotent`) on the global `RedisModule` (import that first).
 * Global by default, so `@Idempotent` works on any controller.
 *
 * @example
 * IdempotencyModule.forRoot({ ttlMs: 86_400_000 })
 */
@Module({
  providers: [
    {
      provide: IDEMPOTENCY_RESOLVED_OPTIONS,
      inject: [MODULE_OPTIONS_TOKEN, REDIS_RESOLVED_OPTIONS],
      useFactory: (options: IdempotencyModuleOptions, redis: ResolvedRedisOptions) =>
        resolveIdempotencyOptions(options, redis),
    },
    IdempotencyStore,
    IdempotencyInterceptor,
  ],
  exports: [IdempotencyStore, IdempotencyInterceptor, IDEMPOTENCY_RESOLVED_OPTIONS],
})
export class IdempotencyModule extends ConfigurableModuleClass {}
