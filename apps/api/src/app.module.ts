import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { RedisModule, type ResolvedRedisOptions } from '@sentinel-kit/redis';
import { redisEnvConfig } from '@sentinel-kit/redis/config';
import { IdempotencyModule } from '@sentinel-kit/redis/idempotency';
import { RedisStatusPageModule } from '@sentinel-kit/redis/status-page';
import {
  RateLimit,
  RateLimitGuard,
  RateLimitModule,
  clientAddressKey,
  type ResolvedRateLimitOptions,
} from '@sentinel-kit/rate-limit';
import { rateLimitEnvConfig } from '@sentinel-kit/rate-limit/config';
import { sessionEnvConfig } from '@sentinel-kit/session/config';
import { AdminModule } from './admin/admin.module';
import { RedisErrorFilter } from './common/redis-error.filter';
import { apiEnvConfig } from './config/api-env.config';
import { DemoModule } from './demo/demo.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SessionsModule } from './sessions/sessions.module';
import { ShutdownModule } from './shutdown/shutdown.module';

/**
 * The sample API: Redis, rate limits and sessions configured from the environment; `/health`,
 * `/status` (the live status page), `/metrics`, `/sessions` (creating one is the login, rate-limited), `/events` (real-time, across
 * instances), `/demo` (with idempotent orders) and `/admin`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      load: [redisEnvConfig, rateLimitEnvConfig, sessionEnvConfig, apiEnvConfig],
    }),
    RedisModule.forRootAsync({
      inject: [redisEnvConfig.KEY],
      useFactory: (options: ResolvedRedisOptions) => options,
    }),
    RateLimitModule.forRootAsync({
      inject: [rateLimitEnvConfig.KEY, apiEnvConfig.KEY],
      useFactory: (options: ResolvedRateLimitOptions, api: ConfigType<typeof apiEnvConfig>) => ({
        ...options,
        rules: {
          demo: api.demoRateLimit,
          login: api.loginRateLimit,
          events: api.eventsRateLimit,
          auth: api.authRateLimit,
        },
      }),
    }),
    IdempotencyModule.forRoot({}),
    RedisStatusPageModule.forRootAsync({
      // Token-guarded, like /health/redis: every request counts against AUTH_RATE_LIMIT, right token or not.
      decorators: [RateLimit('auth')],
      inject: [apiEnvConfig.KEY, rateLimitEnvConfig.KEY],
      useFactory: (api: ConfigType<typeof apiEnvConfig>, rateLimit: ResolvedRateLimitOptions) => ({
        token: api.healthDetailsToken,
        maxStreams: api.statusMaxStreams,
        maxStreamsPerClient: api.statusMaxStreamsPerClient,
        clientKey: (request) =>
          clientAddressKey(request.ip ?? request.socket.remoteAddress ?? 'unknown', rateLimit.ipv6PrefixBits),
      }),
    }),
    HealthModule,
    SessionsModule,
    DemoModule,
    EventsModule,
    MetricsModule,
    AdminModule,
    ShutdownModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: RedisErrorFilter },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class AppModule {}
