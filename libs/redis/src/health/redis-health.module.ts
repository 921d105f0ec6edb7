import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis-health.indicator';

/**
 * Provides {@link RedisHealthIndicator} for a Terminus health controller. Needs the global
 * `RedisModule`.
 */
@Module({
  imports: [TerminusModule],
  providers: [RedisHealthIndicator],
  exports: [RedisHealthIndicator, TerminusModule],
})
export class RedisHealthModule {}
