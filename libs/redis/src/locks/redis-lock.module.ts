import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import type { ResolvedRedisOptions } from '../options/resolved-redis-options.interface';
import { REDIS_RESOLVED_OPTIONS } from '../redis.constants';
import { LOCK_RESOLVED_OPTIONS, resolveLockOptions, type RedisLockModuleOptions } from './lock-options';
import { RedisLockService } from './redis-lock.service';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<RedisLockModuleOptions>({
  moduleName: 'RedisLock',
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Distributed locks with fencing tokens (`RedisLockService`, `@WithLock`) on the global
 * `RedisModule` (import that first). Global by default, so `@WithLock` works in any module.
 *
 * @example
 * RedisLockModule.forRoot({}) // Sentinel or Cluster: every grant confirmed by 1 replica
 */
@Module({
  providers: [
    {
      provide: LOCK_RESOLVED_OPTIONS,
      inject: [MODULE_OPTIONS_TOKEN, REDIS_RESOLVED_OPTIONS],
      useFactory: (options: RedisLockModuleOptions, redis: ResolvedRedisOptions) => resolveLockOptions(options, redis),
    },
    RedisLockService,
  ],
  exports: [RedisLockService],
})
export class RedisLockModule extends ConfigurableModuleClass {}
