import { Controller, Get, Headers, Inject } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthCheck, HealthCheckService, MemoryHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { RedisClusterInspector, RedisHealthIndicator, type RedisClusterView } from '@sentinel-kit/redis';
import { assertBearerToken } from '../common/bearer-token';
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
    private readonly inspector: RedisClusterInspector,
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

  /**
   * The detailed view of the Redis group (primary, replicas, sentinels, quorum, failovers,
   * performance, fallback), collected within a second and cached for one. Requires
   * `Authorization: Bearer <HEALTH_DETAILS_TOKEN>` when that variable is set.
   */
  @Get('redis')
  details(@Headers('authorization') authorization: string | undefined): Promise<RedisClusterView> {
    if (this.api.healthDetailsToken !== undefined) assertBearerToken(authorization, this.api.healthDetailsToken);
    return this.inspector.inspect();
  }

  private readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.redis.isHealthy('redis'),
      () => this.memory.checkHeap('memory_heap', this.api.healthHeapMaxMb * 1024 * 1024),
    ]);
  }
}
