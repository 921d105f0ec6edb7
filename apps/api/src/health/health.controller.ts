import { Controller, Get, Inject, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  HealthCheck,
  HealthCheckService,
  MemoryHealthIndicator,
  type HealthCheckResult,
  type HealthCheckStatus,
} from '@nestjs/terminus';
import { RedisClusterInspector, type RedisClusterView } from '@sentinel-kit/redis';
import { RedisHealthIndicator } from '@sentinel-kit/redis/health';
import { RateLimit } from '@sentinel-kit/rate-limit';
import { TokenGuard } from '../common/token.guard';
import { apiEnvConfig } from '../config/api-env.config';

/** What a public probe shows while `HEALTH_DETAILS_TOKEN` is set: the status, nothing about the group. */
export interface HealthStatusOnly {
  status: HealthCheckStatus;
}

/**
 * Probes for load balancers and Kubernetes. `live` never touches Redis: a pod is not restarted
 * because Redis is down. `ready` and the plain `/health` check Redis (bounded, so they answer within
 * a second even when Redis hangs) and the heap. While `HEALTH_DETAILS_TOKEN` is set, these public
 * probes answer with the status only (no addresses, master name or history); the details are at
 * `/health/redis`, behind the token.
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
  check(): Promise<HealthCheckResult | HealthStatusOnly> {
    return this.publicly(() => this.readiness());
  }

  /** Liveness: 200 while the event loop runs. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult | HealthStatusOnly> {
    return this.publicly(() => this.health.check([]));
  }

  /** Readiness: the same checks as `/health`. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult | HealthStatusOnly> {
    return this.publicly(() => this.readiness());
  }

  /**
   * The detailed view of the Redis group (primary, replicas, sentinels, quorum, failovers,
   * performance, fallback), collected within a second and cached for one. Requires
   * `Authorization: Bearer <HEALTH_DETAILS_TOKEN>` when that variable is set; limited per client
   * by `AUTH_RATE_LIMIT`.
   */
  @Get('redis')
  @RateLimit('auth')
  @UseGuards(TokenGuard('HEALTH_DETAILS_TOKEN', 'open'))
  details(): Promise<RedisClusterView> {
    return this.inspector.inspect();
  }

  private readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.redis.isHealthy('redis'),
      () => this.memory.checkHeap('memory_heap', this.api.healthHeapMaxMb * 1024 * 1024),
    ]);
  }

  /** The probe's answer, cut to its status while the details are guarded (a 503 stays a 503). */
  private async publicly(probe: () => Promise<HealthCheckResult>): Promise<HealthCheckResult | HealthStatusOnly> {
    if (this.api.healthDetailsToken === undefined) return probe();
    try {
      return { status: (await probe()).status };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) throw new ServiceUnavailableException({ status: 'error' });
      throw error;
    }
  }
}
