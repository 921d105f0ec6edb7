import { Controller, Get, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthCheck, HealthCheckService, MemoryHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { RedisHealthIndicator } from '@sentinel-kit/redis';
import { apiEnvConfig } from '../config/api-env.config';

/**
 * Probes for load balancers and Kubernetes. `live` never touches Redis: a pod is not restarted
 * because Redis is down. `ready` and the plain `/health` check Redis (bounded, so they answer within
 * a second even when Redis hangs) and the heap.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    @Inject(apiEnvConfig.KEY) private readonly api: ConfigType<typeof apiEnvConfig>,
  ) {}

  /** 200 while Redis (or, unless `REDIS_HEALTH_STRICT`, its in-memory fallback) serves and the heap is below `HEALTH_HEAP_MAX_MB`. */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  /** Liveness: 200 while the event loop runs. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: the same checks as `/health`. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.readiness();
  }

  private readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.redis.isHealthy('redis'),
      () => this.memory.checkHeap('memory_heap', this.api.healthHeapMaxMb * 1024 * 1024),
    ]);
  }
}
