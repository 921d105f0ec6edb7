import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { RedisExecutor } from '../fallback/redis-executor';
import { RedisStatusService } from './redis-status.service';

/**
 * Terminus indicator: pings Redis (bounded by the command timeout) and reports `up` when it
 * answers or when the in-memory fallback serves instead (`degraded: true`), `down` only when
 * Redis is unreachable and the fallback is off. Never throws; never reports a secret.
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.redis.isHealthy('redis')]); }
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly executor: RedisExecutor,
    private readonly status: RedisStatusService,
  ) {}

  async isHealthy<const Key extends string = 'redis'>(key: Key = 'redis' as Key): Promise<HealthIndicatorResult<Key>> {
    const session = this.health.check(key);
    const reachable = await this.executor.probe();
    const status = this.status.getStatus();
    const details = {
      connected: reachable,
      degraded: !reachable || status.degraded,
      mode: status.mode,
      message: this.message(reachable, status.fallbackEnabled, status.mode),
      metrics: status.metrics,
      ...(status.sentinel ? { sentinel: status.sentinel } : {}),
    };
    return reachable || status.fallbackEnabled ? session.up(details) : session.down(details);
  }

  private message(reachable: boolean, fallbackEnabled: boolean, mode: string): string {
    if (reachable) return `Redis is healthy (${mode} mode)`;
    return fallbackEnabled
      ? `Redis is unreachable (${mode} mode); serving from the in-memory fallback`
      : `Redis is unreachable (${mode} mode) and the in-memory fallback is disabled`;
  }
}
