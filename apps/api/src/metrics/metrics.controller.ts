import { Controller, Get, Res } from '@nestjs/common';
import { RedisMetrics } from '@sentinel-kit/redis';
import type { Response } from 'express';

/** `GET /metrics`: the application's registry in the Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: RedisMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
