import { Module, type OnModuleInit } from '@nestjs/common';
import { RedisMetrics } from '@sentinel-kit/redis';
import { collectDefaultMetrics } from 'prom-client';
import { MetricsController } from './metrics.controller';

/** `/metrics`: the Redis layer's, rate limiting's and sessions' metrics plus Node.js process metrics. */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleInit {
  constructor(private readonly metrics: RedisMetrics) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.metrics.registry });
  }
}
