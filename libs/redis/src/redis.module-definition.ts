import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RedisModuleOptions } from './options/redis-module-options.interface';
import type { ResolvedRedisOptions } from './options/resolved-redis-options.interface';

/**
 * `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`, built by Nest. Options may
 * be raw ({@link RedisModuleOptions}) or already resolved (e.g. by `redisEnvConfig`).
 */
export const { ConfigurableModuleClass: RedisConfigurableModule, MODULE_OPTIONS_TOKEN: REDIS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<RedisModuleOptions | ResolvedRedisOptions>({ moduleName: 'Redis' })
    .setClassMethodName('forRoot')
    .build();
