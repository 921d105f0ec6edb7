import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { RedisModule, type ResolvedRedisOptions } from '@sentinel-kit/redis';
import { redisEnvConfig } from '@sentinel-kit/redis/config';
import { RedisHealthModule } from '@sentinel-kit/redis/health';
import { RedisStatusPageModule } from '@sentinel-kit/redis/status-page';
import { RateLimitGuard, RateLimitModule } from '@sentinel-kit/rate-limit';
import { SessionModule } from '@sentinel-kit/session';
import { GreetingService } from './greeting.service.js';
import { GreetingsController } from './greetings.controller.js';
import { HealthController } from './health.controller.js';
import { SessionsController } from './sessions.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [redisEnvConfig] }), // REDIS_* validated at startup
    RedisModule.forRootAsync({ inject: [redisEnvConfig.KEY], useFactory: (options: ResolvedRedisOptions) => options }),
    RedisHealthModule,
    RedisStatusPageModule.forRoot({ token: process.env.STATUS_TOKEN }), // GET /status, a live page
    SessionModule.forRoot({}),
    RateLimitModule.forRoot({}),
  ],
  controllers: [HealthController, GreetingsController, SessionsController],
  providers: [GreetingService, { provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class AppModule {}
