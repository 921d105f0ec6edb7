import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { RedisModule, redisEnvConfig, type ResolvedRedisOptions } from '@sentinel-kit/redis';
import { sessionEnvConfig } from '@sentinel-kit/session';
import { RedisErrorFilter } from './common/redis-error.filter';
import { apiEnvConfig } from './config/api-env.config';
import { HealthModule } from './health/health.module';
import { SessionsModule } from './sessions/sessions.module';

/** The sample API: Redis and sessions configured from the environment, `/health` and `/sessions`. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [redisEnvConfig, sessionEnvConfig, apiEnvConfig] }),
    RedisModule.forRootAsync({
      inject: [redisEnvConfig.KEY],
      useFactory: (options: ResolvedRedisOptions) => options,
    }),
    HealthModule,
    SessionsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: RedisErrorFilter }],
})
export class AppModule {}
