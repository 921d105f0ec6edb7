import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RATE_LIMIT_RESOLVED_OPTIONS } from './rate-limit.constants';
import { RateLimitConfigurableModule, RATE_LIMIT_MODULE_OPTIONS } from './rate-limit.module-definition';
import type { RateLimitModuleOptions } from './options/rate-limit-options.interface';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiterService } from './rate-limiter.service';
import { resolveRateLimitOptions } from './options/resolve-rate-limit-options';
import { RateLimitMetrics } from './rate-limit.metrics';
import { RateLimitRulesValidator } from './rate-limit-rules.validator';
import { RedisThrottlerStorage } from './throttler/redis-throttler-storage';

/**
 * Distributed rate limiting on the global `RedisModule` (import that first): `RateLimiterService`,
 * `RateLimitGuard` and `RedisThrottlerStorage` for `@nestjs/throttler`. Global by default.
 *
 * @example
 * RateLimitModule.forRoot({ onRedisFailure: 'memory' })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RATE_LIMIT_RESOLVED_OPTIONS,
      inject: [RATE_LIMIT_MODULE_OPTIONS],
      useFactory: (options: RateLimitModuleOptions) => resolveRateLimitOptions(options),
    },
    RateLimiterService,
    RateLimitGuard,
    RedisThrottlerStorage,
    RateLimitRulesValidator,
    RateLimitMetrics,
  ],
  exports: [RateLimiterService, RateLimitGuard, RedisThrottlerStorage, RATE_LIMIT_RESOLVED_OPTIONS],
})
export class RateLimitModule extends RateLimitConfigurableModule {}
