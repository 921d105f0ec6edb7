import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { RedisModule, redisEnvConfig, type ResolvedRedisOptions } from '@sentinel-kit/redis';
import { apiEnvConfig } from './config/api-env.config';
import { HealthModule } from './health/health.module';

/** The sample API: Redis configured from the environment, and `/health`. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [redisEnvConfig, apiEnvConfig] }),
    RedisModule.forRootAsync({
      inject: [redisEnvConfig.KEY],
      useFactory: (options: ResolvedRedisOptions) => options,
    }),
    HealthModule,
  ],
})
export class AppModule {}
